// Developer tool, not a test: screenshots of the main pages for a human to look at.
// Usage: SOTAY_BASE_URL=… SOTAY_OUT=… node screenshots.mjs OUTDIR [dark]
import { mkdirSync } from 'node:fs';
import { launch, url } from './lib.mjs';

const [outDir = '/tmp/sotay-shots', scheme = 'light'] = process.argv.slice(2);
mkdirSync(outDir, { recursive: true });
const pages = {
  home: '/',
  document: '/van-ban/nd-112-2020/',
  law: '/van-ban/luat-80-2025-qh15/',
  faq: '/hoi-dap/ky-luat/',
  search: '/tim-kiem/?q=dep+le',
  section: '/van-ban/',
  documents: '/van-ban/tra-cuu/',
  timeline: '/van-ban/dong-thoi-gian/',
  faqindex: '/hoi-dap/theo-chu-de/',
  topic: '/chu-de/ky-luat-can-bo-cong-chuc/',
};
const browser = await launch();
for (const [vw, name] of [[{ width: 360, height: 740 }, 'mobile'], [{ width: 1280, height: 900 }, 'desktop']]) {
  const ctx = await browser.newContext({ viewport: vw, colorScheme: scheme, deviceScaleFactor: 1 });
  const page = await ctx.newPage();
  for (const [key, path] of Object.entries(pages)) {
    await page.goto(url(path), { waitUntil: 'networkidle' });
    await page.screenshot({ path: `${outDir}/${key}-${name}-${scheme}.png`, fullPage: true });
    // Screen-sized parts of the phone shots, readable at full size.
    if (name === 'mobile') {
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      for (let i = 0; i * 740 < height && i < 6; i++) {
        const clip = { x: 0, y: i * 740, width: 360, height: Math.min(740, height - i * 740) };
        await page.screenshot({ path: `${outDir}/${key}-${name}-${scheme}-${i + 1}.png`, fullPage: true, clip });
      }
    }
  }
  await ctx.close();
}
const ctx = await browser.newContext({ viewport: { width: 800, height: 1100 } });
const page = await ctx.newPage();
await page.goto(url(pages.document), { waitUntil: 'networkidle' });
await page.emulateMedia({ media: 'print' });
await page.screenshot({ path: `${outDir}/document-print.png`, fullPage: true });
await page.pdf({ path: `${outDir}/document-print.pdf`, format: 'A4' });
await browser.close();
console.log(`screenshots in ${outDir}`);
