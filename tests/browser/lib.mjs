// Shared helpers for the browser tests (run by run.sh, which sets the environment):
//   SOTAY_BASE_URL  URL of the served site, ending in its base path and "/"
//   SOTAY_OUT       folder of the built site that is being served
//   SOTAY_LABEL     short name of the server (shown in test names: "node-csp", "nginx")
import { chromium } from 'playwright-core';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export const BASE_URL = process.env.SOTAY_BASE_URL;
export const OUT = process.env.SOTAY_OUT;
export const LABEL = process.env.SOTAY_LABEL || 'site';

if (!BASE_URL || !OUT) {
  throw new Error('SOTAY_BASE_URL and SOTAY_OUT must be set (run tests/browser/run.sh)');
}

/** Flags from the project brief: Debian's Chromium, headless, nothing phoning home. */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}

/** Absolute URL of a site path such as "/van-ban/" (the base path is added). */
export function url(path) {
  return new URL(path.replace(/^\//, ''), BASE_URL).href;
}

/** Site paths ("/", "/van-ban/x/", "/404.html") of every HTML page in the output. */
export function sitePages(dir = OUT) {
  const pages = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.html')) {
        const rel = relative(dir, full).split(sep).join('/');
        pages.push(`/${rel.replace(/(^|\/)index\.html$/, '$1')}`);
      }
    }
  };
  walk(dir);
  return pages.sort();
}

/**
 * Records everything that should never happen on a page: console errors and warnings
 * (CSP violations are reported there), uncaught exceptions, failed requests and responses
 * with an error status. `allow(problem)` can excuse an expected one (a 404 test).
 */
export function watch(page) {
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') {
      problems.push(`console ${msg.type()}: ${msg.text()} (${page.url()})`);
    }
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message} (${page.url()})`));
  page.on('requestfailed', (req) => {
    // Moving on to the next page cancels the browser's own favicon fetch: not a site problem.
    if (req.url().endsWith('.svg') && req.resourceType() === 'other' && req.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  return problems;
}

/** Every URL a page requested, to check that nothing leaves the site's origin. */
export function requests(page) {
  const seen = [];
  page.on('request', (req) => seen.push(req.url()));
  return seen;
}
