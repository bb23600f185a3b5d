// Page weight: everything a page loads (HTML, stylesheet, scripts, icon…), each file
// gzip-compressed as a server sends it, must stay within the budget. Every document page is
// measured in Chromium; the figures are printed, the heaviest one is checked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { BASE_URL, LABEL, OUT, launch, sitePages, url } from './lib.mjs';

/** The budget from the theme issue: a document page, all it loads, at most 30 KB gzipped. */
const BUDGET = 30 * 1024;
const BASE_PATH = new URL(BASE_URL).pathname;

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** The built file behind a same-site URL. */
function fileFor(u) {
  let path = decodeURIComponent(new URL(u).pathname);
  assert.ok(path.startsWith(BASE_PATH), `${u} is under the base path`);
  path = path.slice(BASE_PATH.length);
  if (path === '' || path.endsWith('/')) path += 'index.html';
  return join(OUT, path);
}

const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;

test(`[${LABEL}] every document page, all it loads included, is at most 30 KB gzipped`, async () => {
  const docs = sitePages().filter((p) => p.endsWith('/') && readFileSync(join(OUT, p, 'index.html'), 'utf8').includes('<body class="k-document">'));
  assert.ok(docs.length >= 5, `document pages found: ${docs.length}`);
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const rows = [];
  for (const path of docs) {
    const page = await context.newPage();
    const loaded = new Set();
    page.on('requestfinished', (req) => loaded.add(req.url().split('#')[0].split('?')[0]));
    await page.goto(url(path), { waitUntil: 'networkidle' });
    await page.close();
    const files = [...loaded].map((u) => ({ u, bytes: gz(fileFor(u)) }));
    const total = files.reduce((a, f) => a + f.bytes, 0);
    rows.push({ path, total, files });
  }
  await context.close();
  rows.sort((a, b) => b.total - a.total);
  const heaviest = rows[0];
  console.log(`page weight (gzip -9, all requests) of ${rows.length} document pages:`);
  for (const r of rows) console.log(`  ${(r.total / 1024).toFixed(1).padStart(5)} KB  ${r.path} (${r.files.length} files)`);
  console.log(`heaviest: ${heaviest.path}`);
  for (const f of heaviest.files) console.log(`  ${(f.bytes / 1024).toFixed(1).padStart(5)} KB  ${new URL(f.u).pathname}`);
  assert.ok(heaviest.files.some((f) => f.u.endsWith('.css')), 'the stylesheet is counted');
  assert.ok(heaviest.total <= BUDGET, `${heaviest.path}: ${heaviest.total} bytes > ${BUDGET}`);
});
