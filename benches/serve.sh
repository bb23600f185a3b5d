#!/usr/bin/env bash
# Live-preview benchmark: how fast `sotay serve` turns a save into a reload, and how many
# requests per second it serves.
#
#   benches/serve.sh [PAGES] [RUNS]        (defaults: 10000 pages, 20 saves)
#
# 1. Builds sotay, gen_corpus and serve_latency in release; installs wrk with apt if missing.
# 2. Generates the synthetic corpus into /dev/shm (kept between runs; regenerated when the
#    page count changes) and copies it, so the edits never touch the generated corpus.
# 3. Starts `sotay serve --port 0` on it and waits for the first build.
# 4. serve_latency: saves one page RUNS times (write to a temporary file, rename over the
#    page, 1.5 s apart) and times each save until the SSE `reload` event; then does the same
#    for an edit of the base template (every page rendered again) and of site.yaml (a full
#    rebuild). Prints median and p90.
# 5. wrk -t2 -c4 -d10s on a page of the site, from loopback: requests/s and errors.
# See benches/README.md.
set -euo pipefail
export LC_ALL=C

PAGES=${1:-10000}
RUNS=${2:-20}
TODAY=2026-11-29
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
CORPUS=/dev/shm/sotay-serve-corpus-$PAGES
SITE=/dev/shm/sotay-serve-site-$PAGES
TMP=$(mktemp -d)
SERVER=

cleanup() {
    if [[ -n $SERVER ]]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
    rm -rf "$TMP"
}
trap cleanup EXIT
die() { echo "serve.sh: $*" >&2; exit 1; }
[[ $PAGES =~ ^[1-9][0-9]*$ ]] || die "PAGES must be a positive integer"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer"

if ! command -v wrk >/dev/null 2>&1; then
    SUDO=
    if ((EUID != 0)); then SUDO=sudo; fi
    echo "installing wrk ..." >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >/dev/null
fi

echo "building sotay, gen_corpus and serve_latency (release) ..." >&2
cargo build --release --quiet --bin sotay --example gen_corpus --example serve_latency
SOTAY=$ROOT/target/release/sotay

if [[ ! -f $CORPUS/site.yaml ]]; then
    echo "generating $PAGES pages into $CORPUS ..." >&2
    "$ROOT/target/release/examples/gen_corpus" --pages "$PAGES" --out "$CORPUS" --force >&2
fi
rm -rf "$SITE"
cp -r "$CORPUS" "$SITE"
echo "Markdown: $(du -sb "$SITE/content" | cut -f1) bytes in $PAGES pages" >&2

"$SOTAY" serve --root "$SITE" --port 0 --today "$TODAY" --verbose >"$TMP/out" 2>"$TMP/err" &
SERVER=$!
for _ in $(seq 1 300); do
    grep -q 'http://' "$TMP/out" && break
    kill -0 "$SERVER" 2>/dev/null || { cat "$TMP/err" >&2; die "sotay serve exited"; }
    sleep 0.2
done
URL=$(grep -o 'http://[^ ]*' "$TMP/out") || die "no URL printed"
echo "first build: $(grep -m1 '^✓' "$TMP/err")"
echo "serving $URL"

"$ROOT/target/release/examples/serve_latency" --url "$URL" --root "$SITE" --runs "$RUNS"

# The indexing thread's own times (from --verbose): updates in place and builds from nothing.
median() { sort -n | awk '{a[NR]=$1} END {if (NR) printf "median %.0f ms (%d runs)", a[int((NR+1)/2)], NR; else printf "none"}'; }
echo "search index updated in place: $(sed -n 's/.*chỉ mục tìm kiếm cập nhật sau \([0-9]*\) ms.*/\1/p' "$TMP/err" | median)"
echo "search index built from nothing: $(sed -n 's/.*chỉ mục tìm kiếm mới sau \([0-9]*\) ms.*/\1/p' "$TMP/err" | median)"
echo "live index made after it (from nothing): $(sed -n 's/.*giữ chỉ mục tìm kiếm để cập nhật từng trang: \([0-9]*\) ms.*/\1/p' "$TMP/err" | median)"
echo "server memory: $(awk '/VmHWM/ {printf "peak %.0f MB", $2/1024}' /proc/$SERVER/status), $(awk '/VmRSS/ {printf "now %.0f MB", $2/1024}' /proc/$SERVER/status)"
echo "shards rewritten per update: $(sed -n 's/.*viết lại \([0-9]*\)\/\([0-9]*\) mảnh.*/\1/p' "$TMP/err" | median | sed 's/ ms//')"

# A content page of the largest section (the one serve_latency edits), and the home page.
# (No `| head` here: with pipefail, the writer's SIGPIPE would end the script.)
PAGE= ; MOST=0
for dir in "$SITE"/content/*/; do
    pages=("$dir"*.md)
    if ((${#pages[@]} > MOST)); then MOST=${#pages[@]}; PAGE=$(basename "$dir"); fi
done
FIRST=
for f in "$SITE/content/$PAGE"/*.md; do
    [[ $(basename "$f") == _index.md ]] || { FIRST=$(basename "$f"); break; }
done
PAGE_URL="$URL$PAGE/${FIRST%.md}/"
curl -sf -o /dev/null "$PAGE_URL" || die "page $PAGE_URL not served"
for target in "$PAGE_URL" "$URL"; do
    echo "wrk -t2 -c4 -d10s $target"
    wrk -t2 -c4 -d10s "$target" | tee "$TMP/wrk"
    rps=$(awk '/Requests\/sec/ {print $2}' "$TMP/wrk")
    errors=$(awk '/Socket errors|Non-2xx/ {print}' "$TMP/wrk")
    echo "requests/s: $rps; errors: ${errors:-none}"
done
