// Bytes a fresh browser downloads for one query, and the query time once the files are in,
// for sotay's search and for Pagefind over the same built site, in headless Chromium.
//
//   node benches/search-bytes.mjs SITE_DIR [--pagefind] [QUERY...]
//
// SITE_DIR is a `sotay build` output; with --pagefind it must also hold a Pagefind bundle in
// SITE_DIR/pagefind (made by `pagefind --site SITE_DIR`). Each query runs in a new browser
// context (empty cache): sotay's is `search(q, 5)` of the client module (ranking plus the
// data of the top 5 results), Pagefind's is `pagefind.search(q)` plus `data()` of its top 5
// results. Bytes are each fetched file gzip-compressed (level 6, what servers commonly use;
// files that are already gzip, like Pagefind's index chunks, count as they are), plus, for
// sotay, the client module that every page loads. The HTML page itself is not counted.
// Query time: the median of 5 more runs of the same call once every file is cached.
import { chromium } from 'playwright-core';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { createServer } from 'node:http';

const args = process.argv.slice(2);
const dir = args.shift();
const withPagefind = args[0] === '--pagefind' && args.shift();
const QUERIES = args.length ? args : [
  'văn hóa', 'cán bộ', 'kỷ luật', 'dép lê', 'tham nhũng', 'nhũng nhiễu', 'trang phục',
  'thủ tục', 'hiệu lực', 'dep le',
];

const gz = (path) => {
  const b = readFileSync(path);
  return b[0] === 0x1f && b[1] === 0x8b ? b.length : gzipSync(b, { level: 6 }).length;
};
const client = readdirSync(dir).find((f) => /^search\.[0-9a-f]+\.js$/.test(f));
// A plain static server. sotay is measured under `default-src 'self'`; Pagefind needs
// 'wasm-unsafe-eval' added to compile its WebAssembly, so its requests get that.
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm', '.css': 'text/css' };
const server = createServer((req, res) => {
  let path = join(dir, decodeURIComponent(new URL(req.url, 'http://x').pathname));
  if (path.endsWith('/')) path += 'index.html';
  const csp = req.headers.referer?.includes('pagefind') || req.url.includes('pagefind') ? "default-src 'self' 'wasm-unsafe-eval'" : "default-src 'self'";
  try {
    const body = readFileSync(path);
    res.writeHead(200, { 'Content-Type': TYPES[path.slice(path.lastIndexOf('.'))] || 'application/octet-stream', 'Content-Security-Policy': csp });
    res.end(body);
  } catch {
    res.writeHead(404);
    res.end();
  }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

async function measure(q, engine) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${url}404.html${engine === 'sotay' ? '' : '?pagefind'}`);
  const files = [];
  page.on('requestfinished', (r) => files.push(new URL(r.url()).pathname));
  const run = engine === 'sotay'
    ? async ([src, q]) => {
      const m = await import(src);
      const t = performance.now();
      const hits = await m.search(q, 5);
      return { n: hits.length, ms: performance.now() - t, top: hits.map((h) => h.url) };
    }
    : async ([, q]) => {
      const pf = await import('/pagefind/pagefind.js');
      await pf.init();
      const t = performance.now();
      const r = await pf.search(q);
      const top = await Promise.all(r.results.slice(0, 5).map((x) => x.data()));
      return { n: r.results.length, ms: performance.now() - t, top: top.map((d) => d.url) };
    };
  const first = await page.evaluate(run, [`/${client}`, q]);
  await page.waitForTimeout(50);
  const cold = [...files];
  const times = [];
  for (let i = 0; i < 5; i++) times.push((await page.evaluate(run, [`/${client}`, q])).ms);
  times.sort((a, b) => a - b);
  await context.close();
  let bytes = engine === 'sotay' ? gz(join(dir, client)) : 0;
  const parts = {};
  for (const f of new Set(cold)) {
    const path = join(dir, decodeURIComponent(f));
    if (!existsSync(path) || !/^\/(search|pagefind)\//.test(f)) continue;
    const b = gz(path);
    bytes += b;
    const kind = f.split('/').slice(0, 3).join('/');
    parts[kind] = (parts[kind] || 0) + b;
  }
  return { bytes, files: new Set(cold).size, ms: times[2], found: first.n, parts };
}

const kb = (b) => (b / 1024).toFixed(1);
console.log(`client module ${client}: ${kb(gz(join(dir, client)))} KB gzip`);
const rows = [];
for (const q of QUERIES) {
  const s = await measure(q, 'sotay');
  const p = withPagefind ? await measure(q, 'pagefind') : null;
  rows.push([q, s, p]);
  const detail = Object.entries(s.parts).map(([k, v]) => `${k.replace('/search/', '')} ${kb(v)}`).join(', ');
  console.log(
    `${q.padEnd(14)} sotay ${kb(s.bytes).padStart(6)} KB in ${String(s.files).padStart(2)} files, ${s.ms.toFixed(1).padStart(5)} ms warm (${detail})` +
    (p ? ` | pagefind ${kb(p.bytes).padStart(6)} KB in ${String(p.files).padStart(2)} files, ${p.ms.toFixed(1).padStart(5)} ms warm, ${p.found} found` : ''),
  );
}
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const two = rows.filter(([q]) => q.split(' ').length === 2);
console.log(`median over ${two.length} two-word queries: sotay ${kb(median(two.map((r) => r[1].bytes)))} KB, max ${kb(Math.max(...two.map((r) => r[1].bytes)))} KB, query ${median(two.map((r) => r[1].ms)).toFixed(1)} ms` +
  (withPagefind ? ` | pagefind ${kb(median(two.map((r) => r[2].bytes)))} KB, max ${kb(Math.max(...two.map((r) => r[2].bytes)))} KB, query ${median(two.map((r) => r[2].ms)).toFixed(1)} ms` : ''));
await browser.close();
server.close();
