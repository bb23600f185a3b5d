// The site as nginx serves it (tests/nginx/nginx.conf.template, run by tests/browser/run.sh):
// precompressed files sent as they are, the base path, redirects, 404 page and headers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { BASE_URL, OUT, sitePages } from '../browser/lib.mjs';

const BASE_PATH = new URL(BASE_URL).pathname;

/** A raw GET: the body as sent (not decompressed), with status and headers. */
function get(path, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path.replace(/^\//, ''), BASE_URL), { headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

function* textFiles() {
  for (const page of sitePages()) yield page.endsWith('/') ? `${page}index.html` : page;
  for (const extra of ['/sitemap.xml', '/atom.xml', '/robots.txt']) yield extra;
}

test('every text file of the build has .gz and .br copies that decompress to it', () => {
  let count = 0;
  for (const rel of textFiles()) {
    const file = join(OUT, rel);
    const original = readFileSync(file);
    assert.ok(existsSync(`${file}.gz`) && existsSync(`${file}.br`), `${rel} has .gz and .br`);
    assert.ok(gunzipSync(readFileSync(`${file}.gz`)).equals(original), `${rel}.gz`);
    assert.ok(brotliDecompressSync(readFileSync(`${file}.br`)).equals(original), `${rel}.br`);
    count++;
  }
  assert.ok(count > 10);
});

test('nginx sends the precompressed page the browser asks for', async () => {
  const original = readFileSync(join(OUT, 'van-ban/index.html'));
  const gz = await get('/van-ban/', { 'Accept-Encoding': 'gzip' });
  assert.equal(gz.status, 200);
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.ok(gz.body.equals(readFileSync(join(OUT, 'van-ban/index.html.gz'))), 'the .gz file is sent as it is');
  assert.ok(gunzipSync(gz.body).equals(original));
  const br = await get('/van-ban/', { 'Accept-Encoding': 'br, gzip' });
  assert.equal(br.headers['content-encoding'], 'br');
  assert.ok(brotliDecompressSync(br.body).equals(original));
  const plain = await get('/van-ban/');
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.ok(plain.body.equals(original));
  assert.match(plain.headers['content-type'], /^text\/html; charset=utf-8$/);
  assert.equal(plain.headers['content-security-policy'], "default-src 'self'");
  assert.match(plain.headers.vary ?? '', /Accept-Encoding/);
});

test('hashed stylesheet is precompressed and cached for good; pages are revalidated', async () => {
  const html = readFileSync(join(OUT, 'index.html'), 'utf8');
  const css = html.match(/href="([^"]*style\.[0-9a-f]{10}\.css)"/)[1].replaceAll('&#x2F;', '/');
  assert.ok(css.startsWith(BASE_PATH), css);
  const res = await get(css.slice(BASE_PATH.length - 1), { 'Accept-Encoding': 'gzip' });
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-encoding'], 'gzip');
  assert.match(res.headers['content-type'], /^text\/css/);
  assert.match(res.headers['cache-control'], /immutable/);
  assert.equal(res.headers['content-security-policy'], "default-src 'self'");
  const page = await get('/');
  assert.equal(page.headers['cache-control'], 'no-cache');
});

test('base path: folders redirect to their slash form, unknown paths get the 404 page', async () => {
  const redirect = await get('/van-ban');
  assert.equal(redirect.status, 301);
  assert.equal(redirect.headers.location, `${BASE_PATH}van-ban/`);
  const missing = await get('/khong-co/', { 'Accept-Encoding': 'gzip' });
  assert.equal(missing.status, 404);
  const body = missing.headers['content-encoding'] === 'gzip' ? gunzipSync(missing.body) : missing.body;
  assert.match(body.toString('utf8'), /Không tìm thấy trang/);
  const page = readFileSync(join(OUT, 'index.html'), 'utf8');
  assert.ok(page.includes(`href="${BASE_PATH}`), 'links carry the base path');
});
