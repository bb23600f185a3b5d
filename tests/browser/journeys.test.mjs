// Reader journeys in Chromium, against the served site (CSP `default-src 'self'` on every
// response), once with JavaScript and once without. Every page visited must load with no
// console error or warning (CSP violations are reported there), no failed request and no
// request outside the site's origin.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, LABEL, launch, requests, sitePages, url, watch } from './lib.mjs';

const ORIGIN = new URL(BASE_URL).origin;
const BASE_PATH = new URL(BASE_URL).pathname;

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** A fresh page with its problems and requests recorded. */
async function open(options = {}) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, ...options });
  const page = await context.newPage();
  return { context, page, problems: watch(page), seen: requests(page) };
}

function assertClean({ problems, seen }) {
  assert.deepEqual(problems, [], problems.join('\n'));
  const outside = seen.filter((u) => !u.startsWith(`${ORIGIN}/`));
  assert.deepEqual(outside, [], `requests outside the site: ${outside.join(', ')}`);
}

/**
 * Polls a condition from Node, because `page.waitForFunction` needs the page's own timers,
 * which do not run with JavaScript disabled.
 */
async function until(page, fn, arg, what) {
  for (let i = 0; i < 50; i++) {
    if (await page.evaluate(fn, arg)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
}

const sitePath = (page) => decodeURI(new URL(page.url()).pathname);
const h1 = (page) => page.locator('h1').first().innerText();

for (const javaScriptEnabled of [true, false]) {
  const js = javaScriptEnabled ? 'with JavaScript' : 'without JavaScript';

  describe(`[${LABEL}] journeys ${js}`, () => {
    test('home → a document → a document it cites → back', async () => {
      const t = await open({ javaScriptEnabled });
      const { page } = t;
      await page.goto(BASE_URL);
      assert.equal(await page.getAttribute('html', 'lang'), 'vi');
      // The search box comes first on the home page, before the main content.
      const search = page.locator('form[role="search"]').first();
      assert.equal(await search.getAttribute('action'), `${BASE_PATH}tim-kiem/`);
      assert.ok(await page.locator('#sotay-q').isVisible());
      const searchTop = (await search.boundingBox()).y;
      const h1Top = (await page.locator('h1').boundingBox()).y;
      assert.ok(searchTop < h1Top, 'search box is above the title on the home page');

      // The home page cites documents in its text; follow the first one.
      const first = page.locator('main a.cite').first();
      const firstHref = (await first.getAttribute('href')).split('#')[0];
      await Promise.all([page.waitForURL((u) => u.pathname === firstHref), first.click()]);
      assert.match(sitePath(page), /\/van-ban\/[^/]+\/$/);
      const docTitle = await h1(page);
      const docPath = sitePath(page);
      assert.ok(await page.locator('nav.crumbs a[aria-current="page"]').count(), 'breadcrumbs end on the page');

      // A document cited by this one.
      const cites = page.locator(`main a.cite:not([href^="${docPath}"])`);
      assert.ok((await cites.count()) > 0, `${docPath} cites another document`);
      const next = cites.first();
      const nextHref = (await next.getAttribute('href')).split('#')[0];
      await Promise.all([page.waitForURL((u) => u.pathname === nextHref), next.click()]);
      assert.notEqual(await h1(page), docTitle);
      assert.match(sitePath(page), /\/van-ban\/[^/]+\/$/);

      await page.goBack();
      assert.equal(sitePath(page), docPath);
      assert.equal(await h1(page), docTitle);
      assertClean(t);
      await t.context.close();
    });

    test('FAQ list → a FAQ page → a question’s anchor', async () => {
      const t = await open({ javaScriptEnabled });
      const { page } = t;
      await page.goto(url('/'));
      await page.locator('nav.menu a', { hasText: 'Hỏi – đáp' }).click();
      await page.waitForURL((u) => u.pathname === `${BASE_PATH}hoi-dap/`);
      const faqLink = page.locator('main .cards a').first();
      const faqHref = await faqLink.getAttribute('href');
      await Promise.all([page.waitForURL((u) => u.pathname === faqHref), faqLink.click()]);

      // The questions are a navigable list; each links to its answer's heading.
      const questions = page.locator('nav.questions a');
      const count = await questions.count();
      assert.ok(count >= 2, `a FAQ page lists its questions (found ${count})`);
      const q = questions.nth(count - 1);
      const anchor = (await q.getAttribute('href')).replace(/^#/, '');
      const text = (await q.innerText()).trim();
      await q.click();
      await until(page, (a) => location.hash === `#${a}`, anchor, 'the URL to show the anchor');
      const heading = page.locator(`[id="${anchor}"]`);
      assert.equal((await heading.innerText()).trim(), text);
      const inView = (a) => {
        const r = document.getElementById(a).getBoundingClientRect();
        return r.top >= 0 && r.top < innerHeight / 2;
      };
      await until(page, inView, anchor, 'the answer to scroll into view');

      // The answer's link works on its own, as when shared.
      const shared = `${page.url().split('#')[0]}#${anchor}`;
      const t2 = await open({ javaScriptEnabled });
      await t2.page.goto(shared);
      await until(t2.page, inView, anchor, 'the shared answer to scroll into view');
      assert.ok(await t2.page.evaluate((a) => document.querySelector(':target')?.id === a, anchor));
      assertClean(t);
      assertClean(t2);
      await t.context.close();
      await t2.context.close();
    });

    test('header search form sends a query without diacritics to the search page', async () => {
      const t = await open({ javaScriptEnabled });
      const { page } = t;
      await page.goto(url('/van-ban/'));
      await page.fill('#sotay-q', 'dep le');
      await Promise.all([page.waitForURL((u) => u.pathname === `${BASE_PATH}tim-kiem/`), page.press('#sotay-q', 'Enter')]);
      assert.equal(new URL(page.url()).searchParams.get('q'), 'dep le');
      assert.match(await h1(page), /Tìm kiếm/);
      if (!javaScriptEnabled) {
        // Without JavaScript the page says so and points to the lists that work without it.
        const notice = page.locator('main .notice');
        assert.ok(await notice.isVisible(), 'the no-JavaScript notice is shown');
        assert.ok((await notice.locator('a').count()) >= 1);
      }
      assertClean(t);
      await t.context.close();
    });

    test('skip link is the first thing a keyboard reaches and moves focus to the content', async () => {
      const t = await open({ javaScriptEnabled });
      const { page } = t;
      await page.goto(url('/hoi-dap/'));
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => ({
        cls: document.activeElement.className,
        top: document.activeElement.getBoundingClientRect().top,
        outline: getComputedStyle(document.activeElement).outlineStyle,
      }));
      assert.equal(focused.cls, 'skip');
      assert.ok(focused.top >= 0, 'skip link is visible when focused');
      assert.notEqual(focused.outline, 'none', 'focus is visible');
      await page.keyboard.press('Enter');
      await until(page, () => location.hash === '#sotay-main', null, 'the skip link to be followed');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'sotay-main');
      assertClean(t);
      await t.context.close();
    });

    test('an unknown address shows the styled 404 page', async () => {
      const t = await open({ javaScriptEnabled });
      const { page } = t;
      const res = await page.goto(url('/khong-co-trang-nay/'));
      assert.equal(res.status(), 404);
      assert.equal(await h1(page), 'Không tìm thấy trang');
      const bg = await page.evaluate(() => getComputedStyle(document.querySelector('header.site')).backgroundColor);
      assert.notEqual(bg, 'rgba(0, 0, 0, 0)', 'the stylesheet loaded on the 404 page');
      const home = page.locator('main a', { hasText: 'về trang chủ' });
      await Promise.all([page.waitForURL((u) => u.pathname === BASE_PATH), home.click()]);
      // The 404 itself is the only expected problem.
      const rest = t.problems.filter((p) => !p.includes('khong-co-trang-nay') && !p.includes('404 (Not Found)'));
      assertClean({ problems: rest, seen: t.seen });
      await t.context.close();
    });
  });
}

describe(`[${LABEL}] presentation`, () => {
  test('a printed document page shows title, status, metadata and address, not the navigation', async () => {
    const t = await open({ viewport: { width: 800, height: 1100 } });
    const { page } = t;
    await page.goto(url('/van-ban/nd-112-2020/'));
    await page.emulateMedia({ media: 'print' });
    for (const hidden of ['nav.menu', 'header.site form[role="search"]', 'nav.crumbs', '.skip', '.foot-links']) {
      assert.equal(await page.locator(hidden).first().isVisible(), false, `${hidden} is not printed`);
    }
    const address = page.locator('main .print-only');
    assert.ok(await address.isVisible(), 'the page address is printed');
    assert.match(await address.innerText(), new RegExp(`${BASE_PATH}van-ban/nd-112-2020/`));
    assert.ok(await page.locator('h1').isVisible());
    for (const shown of ['.status-banner', 'table.meta-table', '.source']) {
      assert.ok(await page.locator(shown).first().isVisible(), `${shown} is printed`);
    }
    const meta = await page.locator('table.meta-table').innerText();
    for (const row of ['Số ký hiệu', '112/2020/NĐ-CP', 'Cơ quan ban hành', 'Ngày ban hành', 'Tình trạng']) {
      assert.ok(meta.includes(row), `the printed metadata shows ${row}`);
    }
    // The official text's address is written out on paper.
    const after = await page.evaluate(() => getComputedStyle(document.querySelector('.source a'), '::after').content);
    assert.ok(after.includes('http'), `the source link prints its address (${after})`);
    await page.emulateMedia({ media: 'screen' });
    assert.equal(await address.isVisible(), false, 'the address line is for print only');
    assertClean(t);
    await t.context.close();
  });

  test('every page fits a 360 px phone and has no inline style, script or event handler', async () => {
    const t = await open({ javaScriptEnabled: false });
    const wide = [];
    const inline = [];
    for (const path of sitePages()) {
      await t.page.goto(url(path));
      const found = await t.page.evaluate(() => ({
        width: document.documentElement.scrollWidth,
        styles: document.querySelectorAll('style, [style]').length,
        scripts: [...document.querySelectorAll('script:not([src])')].filter((s) => s.type !== 'application/ld+json').length,
        handlers: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => a.name.startsWith('on'))).length,
      }));
      if (found.width > 360) wide.push(`${path}: ${found.width}px`);
      if (found.styles + found.scripts + found.handlers) inline.push(`${path}: ${JSON.stringify(found)}`);
    }
    assert.deepEqual(wide, [], 'pages wider than the screen');
    assert.deepEqual(inline, [], 'inline styles or scripts (blocked by the CSP)');
    assertClean(t);
    await t.context.close();
  });

  test('header links and buttons are large enough to tap', async () => {
    const t = await open();
    await t.page.goto(url('/'));
    const small = await t.page.evaluate(() =>
      [...document.querySelectorAll('header.site a, header.site button, header.site input')]
        .map((el) => ({ text: el.textContent || el.name, r: el.getBoundingClientRect() }))
        .filter(({ r }) => r.height < 44 || r.width < 44)
        .map(({ text, r }) => `${text}: ${Math.round(r.width)}×${Math.round(r.height)}`));
    assert.deepEqual(small, []);
    await t.context.close();
  });

  test('dark mode follows the system setting, smooth scrolling respects reduced motion', async () => {
    const lum = (rgb) => {
      const [r, g, b] = rgb.match(/\d+/g).map(Number);
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const style = async (options) => {
      const t = await open(options);
      await t.page.goto(url('/'));
      const s = await t.page.evaluate(() => ({
        bg: getComputedStyle(document.body).backgroundColor,
        fg: getComputedStyle(document.body).color,
        scroll: getComputedStyle(document.documentElement).scrollBehavior,
      }));
      await t.context.close();
      return s;
    };
    const light = await style({ colorScheme: 'light', reducedMotion: 'no-preference' });
    const dark = await style({ colorScheme: 'dark', reducedMotion: 'reduce' });
    assert.ok(lum(light.bg) > 200 && lum(light.fg) < 60, `light: ${light.fg} on ${light.bg}`);
    assert.ok(lum(dark.bg) < 60 && lum(dark.fg) > 200, `dark: ${dark.fg} on ${dark.bg}`);
    assert.equal(light.scroll, 'smooth');
    assert.equal(dark.scroll, 'auto');
  });

  test('stylesheets and scripts have content-hashed names and load from the site', async () => {
    const t = await open();
    await t.page.goto(url('/van-ban/nd-112-2020/'));
    const assets = await t.page.evaluate(() => [
      ...[...document.querySelectorAll('link[rel="stylesheet"]')].map((l) => l.href),
      ...[...document.querySelectorAll('script[src]')].map((s) => s.src),
    ]);
    assert.ok(assets.length >= 1);
    for (const a of assets) {
      assert.match(new URL(a).pathname, new RegExp(`^${BASE_PATH}.*\\.[0-9a-f]{10}\\.(css|js|mjs)$`), a);
    }
    assertClean(t);
    await t.context.close();
  });
});
