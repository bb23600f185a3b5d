// axe-core on every page of the built site, in Chromium with the site's CSP: no violations,
// in light mode on a phone-sized screen and in dark mode on a desktop-sized one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { LABEL, launch, sitePages, url, watch } from './lib.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const MODES = [
  { name: 'light, 360×740', colorScheme: 'light', viewport: { width: 360, height: 740 } },
  { name: 'dark, 1280×900', colorScheme: 'dark', viewport: { width: 1280, height: 900 } },
];

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

for (const mode of MODES) {
  test(`[${LABEL}] axe: no violations on any page (${mode.name})`, async () => {
    const context = await browser.newContext({ colorScheme: mode.colorScheme, viewport: mode.viewport });
    const page = await context.newPage();
    const problems = watch(page);
    const pages = sitePages();
    assert.ok(pages.length > 10);
    const found = [];
    for (const path of pages) {
      const res = await page.goto(url(path), { waitUntil: 'load' });
      assert.equal(res.status(), 200, `${path}: HTTP ${res.status()}`);
      // evaluate() runs through the debugger protocol, so the page's CSP does not apply to it.
      await page.evaluate(AXE);
      const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
      for (const v of result.violations) {
        const where = v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ');
        found.push(`${path}: ${v.id} (${v.impact}) ${v.help} — ${where}`);
      }
    }
    await context.close();
    assert.deepEqual(found, [], `axe violations:\n${found.join('\n')}`);
    assert.deepEqual(problems, [], problems.join('\n'));
    console.log(`axe (${mode.name}): ${pages.length} pages, no violations`);
  });
}
