// A small static file server for the browser tests: serves a built site from a folder, under
// an optional base path, with `Content-Security-Policy: default-src 'self'` on every response,
// so any inline script or style, or any outside resource, shows up as a console error.
//
// Usage: node server.mjs DIR [BASE_PATH]   (prints "http://127.0.0.1:PORT/BASE_PATH/" once listening)
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.pdf': 'application/pdf',
  '.ico': 'image/x-icon',
};

export const CSP = "default-src 'self'";

/** Starts a server; resolves to { server, url }. */
export function serve(root, basePath = '/', port = 0) {
  const base = basePath.endsWith('/') ? basePath : `${basePath}/`;
  const server = createServer(async (req, res) => {
    const headers = { 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff' };
    const send = (status, body, type = 'text/plain; charset=utf-8') => {
      res.writeHead(status, { ...headers, 'Content-Type': type });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const url = new URL(req.url, 'http://x');
    let path;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      return send(400, 'bad request');
    }
    if (!path.startsWith(base)) {
      return send(404, 'not found');
    }
    const rel = normalize(path.slice(base.length));
    if (rel.startsWith('..') || rel.includes(`${sep}..${sep}`)) {
      return send(403, 'forbidden');
    }
    let file = join(root, rel);
    try {
      const info = await stat(file);
      if (info.isDirectory()) {
        if (!path.endsWith('/')) {
          res.writeHead(301, { ...headers, Location: `${path}/${url.search}` });
          return res.end();
        }
        file = join(file, 'index.html');
      }
      const body = await readFile(file);
      send(200, body, TYPES[extname(file)] || 'application/octet-stream');
    } catch {
      try {
        send(404, await readFile(join(root, '404.html')), TYPES['.html']);
      } catch {
        send(404, 'not found');
      }
    }
  });
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      const url = `http://127.0.0.1:${server.address().port}${base}`;
      resolve({ server, url });
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir, basePath = '/'] = process.argv.slice(2);
  if (!dir) {
    console.error('usage: node server.mjs DIR [BASE_PATH]');
    process.exit(2);
  }
  const { url } = await serve(dir, basePath);
  console.log(url);
}
