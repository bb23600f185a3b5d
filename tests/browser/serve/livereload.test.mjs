// Live preview in a real browser: `sotay serve` over tests/fixtures/serve/basic, pages
// loaded in headless Chromium under `Content-Security-Policy: default-src 'self'` (added to
// every response, as a strict host would), files edited on disk.
//
//   node --test tests/browser/serve/
//
// Needs the sotay binary (SOTAY_BIN, default target/debug/sotay: run `cargo build` first),
// Debian's chromium (CHROME_PATH, default /usr/bin/chromium) and tests/browser's npm
// packages (`npm ci` in tests/browser).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../../..');
const bin = process.env.SOTAY_BIN ?? path.join(repo, 'target/debug/sotay');
const PATIENCE = 30_000;

let tmp, site, server, base, browser, page;
const problems = [];

function write(rel, text) {
  const file = path.join(site, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Like an editor: a temporary file renamed over the original.
  fs.writeFileSync(`${file}.tmp`, text);
  fs.renameSync(`${file}.tmp`, file);
}

before(async () => {
  assert.ok(fs.existsSync(bin), `no sotay binary at ${bin}: run cargo build`);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sotay-serve-'));
  site = path.join(tmp, 'site');
  fs.cpSync(path.join(repo, 'tests/fixtures/serve/basic'), site, { recursive: true });
  // A page long enough to scroll.
  const faq = path.join(site, 'content/hoi-dap.md');
  const filler = Array.from({ length: 80 }, (_, i) => `Đoạn văn số ${i + 1} để trang đủ dài.`);
  fs.appendFileSync(faq, `\n${filler.join('\n\n')}\n`);

  server = spawn(bin, ['serve', '--root', site, '--port', '0', '--today', '2026-11-29'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stderr.on('data', () => {});
  base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('sotay serve printed no URL')), PATIENCE);
    let out = '';
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const url = out.match(/http:\/\/\S+/);
      if (url) {
        clearTimeout(timer);
        resolve(url[0]);
      }
    });
    server.on('exit', (code) => reject(new Error(`sotay serve exited with ${code}`)));
  });

  browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext();
  // The event stream never ends, so it is left alone; everything else gets a strict CSP.
  await context.route((url) => !url.pathname.startsWith('/__sotay/events'), async (route) => {
    const response = await route.fetch();
    await route.fulfill({
      response,
      headers: { ...response.headers(), 'content-security-policy': "default-src 'self'" },
    });
  });
  page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(msg.text());
  });
  page.on('pageerror', (error) => problems.push(String(error)));
});

after(async () => {
  await browser?.close();
  server?.kill();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

async function open(rel) {
  await page.goto(new URL(rel, base).href);
  await page.waitForSelector('html[data-sotay-live="on"]', { timeout: PATIENCE });
}

test('a saved page reloads where the reader was', async () => {
  await open('hoi-dap/');
  const before = await page.evaluate(() => {
    // Instant: the theme scrolls smoothly.
    window.scrollTo({ top: 1200, behavior: 'instant' });
    window.sotayMarker = true;
    // Browsers restore the position of a reloaded page themselves, some of the time; turn
    // that off so only the live-reload script can bring the reader back.
    history.scrollRestoration = 'manual';
    return window.scrollY;
  });
  assert.ok(before > 1000, `the page scrolls (${before})`);
  const faq = fs.readFileSync(path.join(site, 'content/hoi-dap.md'), 'utf8');
  write('content/hoi-dap.md', `${faq}\nĐoạn cuối vừa thêm.\n`);
  await page.waitForFunction(
    () => !window.sotayMarker && document.body.textContent.includes('Đoạn cuối vừa thêm.'),
    null,
    { timeout: PATIENCE },
  );
  await page.waitForFunction((y) => Math.abs(window.scrollY - y) < 2, before, {
    timeout: PATIENCE,
  });
});

test('a stylesheet edit applies without reloading the page', async () => {
  const css = fs.readFileSync(path.join(repo, 'themes/default/static/style.css'), 'utf8');
  write('static/style.css', `${css}\nbody { background-color: rgb(1, 2, 3); }\n`);
  await page.waitForFunction(
    () => getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)',
    null,
    { timeout: PATIENCE },
  );
  await page.waitForSelector('html[data-sotay-live="on"]', { timeout: PATIENCE });
  await page.evaluate(() => {
    window.sotayMarker = true;
  });
  write('static/style.css', `${css}\nbody { background-color: rgb(4, 5, 6); }\n`);
  await page.waitForFunction(
    () => getComputedStyle(document.body).backgroundColor === 'rgb(4, 5, 6)',
    null,
    { timeout: PATIENCE },
  );
  assert.equal(await page.evaluate(() => window.sotayMarker), true, 'no reload');
  const sheets = await page.evaluate(
    () => [...document.querySelectorAll('link[rel~="stylesheet"]')].map((l) => new URL(l.href).pathname),
  );
  assert.equal(sheets.filter((s) => /\/style\.[0-9a-f]{10}\.css$/.test(s)).length, 1, sheets.join());
});

test('a broken page shows the error overlay until it is fixed', async () => {
  const faq = fs.readFileSync(path.join(site, 'content/hoi-dap.md'), 'utf8');
  write('content/hoi-dap.md', faq.replace('title: "Hỏi đáp', 'title: ["Hỏi đáp'));
  const overlay = await page.waitForSelector('#sotay-overlay', { timeout: PATIENCE });
  assert.match(await overlay.textContent(), /content\/hoi-dap\.md:\d+:\d+/);
  // Written into the page by the server too: it survives a reload.
  await page.reload();
  const again = await page.waitForSelector('#sotay-overlay', { timeout: PATIENCE });
  assert.match(await again.textContent(), /content\/hoi-dap\.md:\d+:\d+/);
  assert.equal(await again.evaluate((el) => getComputedStyle(el).position), 'fixed', 'styled');
  assert.equal(await again.getAttribute('role'), 'alert');
  // The last good page is still there under it.
  assert.ok(await page.evaluate(() => document.body.textContent.includes('Đoạn cuối vừa thêm.')));
  await page.waitForSelector('html[data-sotay-live="on"]', { timeout: PATIENCE });
  write('content/hoi-dap.md', faq);
  await page.waitForFunction(() => !document.getElementById('sotay-overlay'), null, {
    timeout: PATIENCE,
  });
});

test('no console errors and no CSP violations', () => {
  assert.deepEqual(problems, []);
});
