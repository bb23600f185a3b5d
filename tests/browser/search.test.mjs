// Search in a real browser, under the test server's CSP: the page gives the same top 10 as
// `sotay search` over the same built files, a search-then-click journey reaches the matched
// section, the URL shares the query, and without JavaScript the page says what to do.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { launch, url, watch, BASE_URL, OUT, LABEL } from './lib.mjs';

const SOTAY = process.env.SOTAY_BIN || new URL('../../target/debug/sotay', import.meta.url).pathname;
const QUERIES = [
  'văn hóa công vụ', 'dep le', '1847', 'qd 1847', 'QĐ1847', 'kỷ luật', 'uy ban nhan dan',
  'tham nhũng', 'xin lỗi', 'nghị định 172', 'Uỷ ban nhân dân xã', 'cán bộ', 'hut thuoc la', 'van ho',
];
const SITE = new URL(BASE_URL).pathname.replace(/\/$/, '');

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Site paths (with anchors) of the results the page shows for `q`, up to `n`. */
async function pageResults(page, q, n = 10) {
  await page.goto(url(`/tim-kiem/?q=${encodeURIComponent(q)}`));
  const settled = () => page.waitForFunction(() => {
    const s = document.getElementById('sotay-search-status').textContent;
    return s && !s.startsWith('Đang');
  });
  await settled();
  for (;;) {
    const count = await page.locator('#sotay-result-list li').count();
    if (count >= n || !(await page.locator('#sotay-more').isVisible())) break;
    await page.click('#sotay-more');
    await page.waitForFunction((c) => document.querySelectorAll('#sotay-result-list li').length > c, count);
  }
  const hrefs = await page.$$eval('#sotay-result-list li > a', (as) => as.map((a) => a.getAttribute('href')));
  return hrefs.slice(0, n).map((h) => {
    assert.ok(h.startsWith(`${SITE}/`), `${h} is under the base path`);
    return h.slice(SITE.length);
  });
}

function cli(q) {
  assert.ok(existsSync(SOTAY), `${SOTAY} is built`);
  const out = execFileSync(SOTAY, ['search', '--output', OUT, '--json', '--limit', '10', q], { encoding: 'utf8' });
  return JSON.parse(out).map((h) => h.url);
}

test(`[${LABEL}] the page's top 10 equal sotay search's for every query`, async () => {
  const page = await browser.newPage();
  const problems = watch(page);
  for (const q of QUERIES) {
    const want = cli(q);
    assert.ok(want.length > 0, `${q} finds something`);
    assert.deepEqual(await pageResults(page, q), want, q);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test(`[${LABEL}] search as you type, keyboard to a result, land on the matched section`, async () => {
  const page = await browser.newPage();
  const problems = watch(page);
  await page.goto(url('/tim-kiem/'));
  assert.equal(await page.locator('#sotay-search-nojs').isVisible(), false, 'the no-JS notice is hidden');
  await page.locator('#sotay-search-q').pressSequentially('dep l', { delay: 30 });
  // The list may first show the results of a prefix typed on the way ('de'): wait for the
  // query's own, which lead with the page about slippers.
  await page.waitForFunction(() => /dép lê/i.test(document.querySelector('#sotay-result-list li')?.textContent || ''));
  assert.equal(new URL(page.url()).searchParams.get('q'), 'dep l', 'the URL shares the query');
  const first = await page.getAttribute('#sotay-result-list li > a', 'href');
  assert.ok(first.includes('#'), `the first result points into its page: ${first}`);
  assert.match(await page.textContent('#sotay-result-list li'), /dép lê/i);
  assert.match(await page.innerHTML('#sotay-result-list li .sotay-result-snippet, #sotay-result-list li p:last-child'), /<mark>dép<\/mark>/i);
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), first, 'arrow key moves to the first result');
  await Promise.all([page.waitForURL((u) => u.pathname + u.hash === first), page.keyboard.press('Enter')]);
  const anchor = decodeURIComponent(first.split('#')[1]);
  assert.ok(await page.locator(`[id="${anchor}"]`).count(), `the page has #${anchor}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test(`[${LABEL}] a shared URL with ?q= shows its results; an unknown word says so`, async () => {
  const page = await browser.newPage();
  const problems = watch(page);
  assert.ok((await pageResults(page, '1847', 1))[0].startsWith('/van-ban/qd-1847'), 'the document first');
  assert.equal(await page.inputValue('#sotay-search-q'), '1847');
  await pageResults(page, 'xyzzyq');
  assert.match(await page.textContent('#sotay-search-status'), /Không tìm thấy/);
  assert.deepEqual(problems, []);
  await page.close();
});

test(`[${LABEL}] without JavaScript the search page points to the documents and the FAQ`, async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(url('/tim-kiem/?q=dep+le'));
  const notice = page.locator('#sotay-search-nojs');
  assert.ok(await notice.isVisible());
  assert.match(await notice.textContent(), /cần JavaScript/);
  const links = await notice.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(links.includes(`${SITE}/van-ban/`) && links.includes(`${SITE}/hoi-dap/`), String(links));
  await context.close();
});
