#!/usr/bin/env bash
# Browser checks of the bundled site (content/ + site.yaml + themes/default), in two rounds:
#
#   1. "node": the site built into a temporary folder, served by server.mjs on 127.0.0.1
#      (random port) with `Content-Security-Policy: default-src 'self'`.
#   2. "nginx": the site built with --precompress and a base path, served by Debian's nginx
#      with gzip_static/brotli_static (tests/nginx/nginx.conf.template), as a real host would.
#
# Each round runs every tests/browser/*.test.mjs with node's test runner (round 2 also runs
# tests/nginx/*.test.mjs). A test file learns where the site is from the environment:
#
#   SOTAY_BASE_URL  URL of the site's home, ending in the base path and "/"
#                   (http://127.0.0.1:PORT/ or http://127.0.0.1:PORT/vanhoacongvu/)
#   SOTAY_OUT       folder holding the built files that are being served
#   SOTAY_SERVER    "node" or "nginx"
#   SOTAY_LABEL     same as SOTAY_SERVER, for test names
#   SOTAY_VNU_JAR   path of vnu.jar (Nu Html Checker)
#   CHROME_PATH     Chromium to drive (default /usr/bin/chromium)
#
# Installs what is missing: Debian's chromium, nginx, the nginx brotli module, a Java
# runtime and a Vietnamese-capable font (apt), and the npm packages of package-lock.json (npm ci). Servers it starts are
# stopped when it exits. Usage: bash tests/browser/run.sh [--only node|nginx]
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
ONLY="${2:-}"
if [[ "${1:-}" != "--only" ]]; then ONLY=""; fi
TODAY=2026-11-29

log() { printf '\n== %s\n' "$*" >&2; }

# --- tools -------------------------------------------------------------------------------
missing=()
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
command -v nginx >/dev/null || missing+=(nginx)
[[ -f /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ]] || missing+=(libnginx-mod-http-brotli-static)
command -v java >/dev/null || missing+=(default-jre-headless)
# A font with every Vietnamese diacritic, so layouts are measured as readers see them.
fc-list 2>/dev/null | grep -qi "dejavu sans" || missing+=(fonts-dejavu-core)
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [[ ! -d "$HERE/node_modules/playwright-core" || ! -d "$HERE/node_modules/axe-core" || ! -f "$HERE/node_modules/vnu-jar/build/dist/vnu.jar" ]]; then
  log "npm ci"
  (cd "$HERE" && npm ci --ignore-scripts --no-audit --no-fund >/dev/null)
fi
export SOTAY_VNU_JAR="$HERE/node_modules/vnu-jar/build/dist/vnu.jar"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"

log "cargo build"
(cd "$REPO" && cargo build -q)
SOTAY="$REPO/target/debug/sotay"

# --- servers, stopped on exit ------------------------------------------------------------
TMP="$(mktemp -d /tmp/sotay-browser.XXXXXX)"
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

# Waits until a URL answers (the server is up) or fails after ~10 s.
wait_for() {
  local url="$1" i
  for i in $(seq 1 100); do
    if node -e "fetch(process.argv[1]).then(r=>process.exit(r.status<500?0:1),()=>process.exit(1))" "$url"; then
      return 0
    fi
    sleep 0.1
  done
  echo "server at $url did not start" >&2
  return 1
}

FAILED=0
run_tests() {
  local label="$1"
  shift
  log "tests against $label: $SOTAY_BASE_URL"
  if ! SOTAY_SERVER="$label" SOTAY_LABEL="$label" node --test --test-reporter=spec "$@"; then
    FAILED=1
  fi
}

# --- round 1: node server with CSP ------------------------------------------------------------
if [[ -z "$ONLY" || "$ONLY" == node ]]; then
  log "build (node round)"
  OUT="$TMP/site"
  "$SOTAY" build --root "$REPO" --output "$OUT" --today "$TODAY"
  node "$HERE/server.mjs" "$OUT" / >"$TMP/node-url" &
  PIDS+=($!)
  for _ in $(seq 1 100); do [[ -s "$TMP/node-url" ]] && break; sleep 0.1; done
  export SOTAY_OUT="$OUT" SOTAY_BASE_URL="$(head -1 "$TMP/node-url")"
  wait_for "$SOTAY_BASE_URL"
  run_tests node "$HERE"/*.test.mjs
fi

# --- round 2: nginx, precompressed, under a base path ---------------------------------------
if [[ -z "$ONLY" || "$ONLY" == nginx ]]; then
  PORT="$(free_port)"
  BASE="/vanhoacongvu/"
  ROOT="$TMP/www"
  OUT="$ROOT${BASE%/}"
  log "build (nginx round, --precompress, base path $BASE)"
  mkdir -p "$ROOT" "$TMP/nginx/tmp"
  "$SOTAY" build --root "$REPO" --output "$OUT" --today "$TODAY" \
    --base-url "http://127.0.0.1:$PORT$BASE" --precompress
  # nginx's workers may run as another user: let them read the site.
  chmod -R a+rX "$TMP"
  sed -e "s|@PREFIX@|$TMP/nginx|g" -e "s|@ROOT@|$ROOT|g" -e "s|@PORT@|$PORT|g" \
    "$REPO/tests/nginx/nginx.conf.template" >"$TMP/nginx/nginx.conf"
  nginx -t -q -e "$TMP/nginx/error.log" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf"
  nginx -e "$TMP/nginx/error.log" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" &
  PIDS+=($!)
  export SOTAY_OUT="$OUT" SOTAY_BASE_URL="http://127.0.0.1:$PORT$BASE"
  wait_for "$SOTAY_BASE_URL"
  run_tests nginx "$HERE"/*.test.mjs "$REPO"/tests/nginx/*.test.mjs
fi

if ((FAILED)); then
  log "browser checks FAILED"
  exit 1
fi
log "browser checks passed"
