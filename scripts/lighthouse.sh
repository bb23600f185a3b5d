#!/usr/bin/env bash
# Lighthouse scores of the bundled site: home, a document, an FAQ page and the search page.
#
# Builds the site (content/ + site.yaml + themes/default), serves it with the browser tests'
# server (CSP `default-src 'self'`, 127.0.0.1, random port) and runs npm `lighthouse` (v12,
# which still runs on Node 20; fetched by npx on first use) in Debian's Chromium with its
# default mobile settings: a mid-range phone on a throttled slow 4G connection. Prints the four
# category scores per page; the target is 100 everywhere. Not run in CI (scores are figures,
# not pass/fail), but exits 1 if any score is below 100 so it can gate a release by hand.
#
# Usage: bash scripts/lighthouse.sh [REPORT_DIR]   (JSON and HTML reports kept there)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPORTS="${1:-$(mktemp -d /tmp/sotay-lighthouse.XXXXXX)}"
LIGHTHOUSE="lighthouse@12.8.2"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
[[ -x "$CHROME_PATH" ]] || { echo "Chromium not found at $CHROME_PATH (apt-get install chromium)" >&2; exit 2; }
[[ -d "$REPO/tests/browser/node_modules/playwright-core" ]] || (cd "$REPO/tests/browser" && npm ci --ignore-scripts --no-audit --no-fund >/dev/null)
mkdir -p "$REPORTS"

TMP="$(mktemp -d /tmp/sotay-lh-site.XXXXXX)"
SERVER=""
cleanup() {
  # Keep the scores' exit status: the killed server's status must not replace it.
  local status=$?
  if [[ -n "$SERVER" ]]; then kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null || true; fi
  rm -rf "$TMP"
  exit "$status"
}
trap cleanup EXIT INT TERM

(cd "$REPO" && cargo build -q)
"$REPO/target/debug/sotay" build --root "$REPO" --output "$TMP/site" --today 2026-11-29
node "$REPO/tests/browser/server.mjs" "$TMP/site" / >"$TMP/url" &
SERVER=$!
for _ in $(seq 1 100); do [[ -s "$TMP/url" ]] && break; sleep 0.1; done
BASE="$(head -1 "$TMP/url")"

declare -A PAGES=(
  [home]=""
  [document]="van-ban/qd-1847-2018/"
  [faq]="hoi-dap/ky-luat/"
  [search]="tim-kiem/?q=dep+le"
)
FLAGS="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync"
for name in home document faq search; do
  npx --yes "$LIGHTHOUSE" "$BASE${PAGES[$name]}" --quiet \
    --chrome-flags="$FLAGS" \
    --only-categories=performance,accessibility,best-practices,seo \
    --output=json --output=html --output-path="$REPORTS/$name" >/dev/null
done

node - "$REPORTS" <<'JS'
const { readFileSync } = require('node:fs');
const dir = process.argv[2];
const cats = ['performance', 'accessibility', 'best-practices', 'seo'];
let low = 0;
console.log(`${'page'.padEnd(10)}${cats.map((c) => c.padStart(16)).join('')}`);
for (const name of ['home', 'document', 'faq', 'search']) {
  const r = JSON.parse(readFileSync(`${dir}/${name}.report.json`, 'utf8'));
  const scores = cats.map((c) => Math.round(r.categories[c].score * 100));
  low += scores.filter((s) => s < 100).length;
  console.log(`${name.padEnd(10)}${scores.map((s) => String(s).padStart(16)).join('')}`);
  for (const c of cats) {
    for (const ref of r.categories[c].auditRefs) {
      const a = r.audits[ref.id];
      if (ref.weight > 0 && a.score !== null && a.score < 1) console.log(`    ${c}: ${a.id} (${a.score}) ${a.title}`);
    }
  }
}
console.log(`reports: ${dir}`);
process.exit(low ? 1 : 0);
JS
