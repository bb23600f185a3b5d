#!/usr/bin/env bash
# Search benchmark: per-query download (gzip) and query time in Chromium, sotay next to
# Pagefind on the same built site, index size, the index's share of the build time and its
# build time next to tantivy's on the same documents, at several corpus sizes. Prints
# figures; asserts nothing.
#
#   benches/search.sh [SIZES...]        default: 1000 10000  (100000 works but is slow, and
#                                       Pagefind is skipped above 10000 pages: see README)
#
# Needs: cargo, node 20, Debian's chromium (installed with apt if missing), npm packages of
# benches/package.json (pagefind, playwright-core; installed with npm if missing).
set -euo pipefail
export LC_ALL=C
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
SIZES=("$@")
((${#SIZES[@]})) || SIZES=(1000 10000)
TODAY=2026-11-29
RUNS=5

[[ -x /usr/bin/chromium ]] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
[[ -d benches/node_modules/pagefind && -d benches/node_modules/playwright-core ]] ||
    (cd benches && npm install --no-audit --no-fund >/dev/null)
PAGEFIND=$ROOT/benches/node_modules/.bin/pagefind

echo "building sotay and gen_corpus (release) ..." >&2
cargo build --release --quiet --example gen_corpus --example index_share --bin sotay
SOTAY=$ROOT/target/release/sotay
GEN=$ROOT/target/release/examples/gen_corpus
SHARE=$ROOT/target/release/examples/index_share
echo "building the tantivy peer (release; its own crate, benches/peers/tantivy) ..." >&2
cargo build --release --quiet --manifest-path benches/peers/tantivy/Cargo.toml --target-dir target/peers
PEER=$ROOT/target/peers/release/tantivy_peer

client=$(ls themes/default/static/search.js)
echo "client module: $(wc -c <"$client") bytes, $(gzip -6c "$client" | wc -c) bytes gzip -6"

for n in "${SIZES[@]}"; do
    corpus=/dev/shm/sotay-search-$n
    out=/dev/shm/sotay-search-out-$n
    if [[ ! -f $corpus/manifest.json ]]; then
        echo "generating $n pages ..." >&2
        "$GEN" --pages "$n" --out "$corpus" --force >/dev/null
    fi
    echo
    echo "== $n pages ($(du -sb "$corpus/content" | cut -f1) bytes of Markdown)"
    # Build time: the search phase against the rest of the build (median of RUNS builds).
    for _ in $(seq "$RUNS"); do
        rm -rf "$out"
        "$SOTAY" build --root "$corpus" --output "$out" --today "$TODAY" --verbose 2>&1 |
            awk '$1=="search"{s=$2} $1=="total"{t=$2} $1=="write"{w=$2} END{print s, t, w}'
    done | sort -n -k1 | awk -v runs="$RUNS" '
        NR==int((runs+1)/2){printf "build (median of %d): search phase %.0f ms of %.0f ms (%.0f%% added to the other phases; pages and index files are written as they are made), then the last files and the move into place %.0f ms\n", runs, $1, $2, 100*$1/($2-$1), $3}'
    # Whole builds with and without the index, taking turns, each in its own process.
    "$SHARE" "$corpus" "/dev/shm/sotay-search-share-$n" "$RUNS"
    rm -rf "/dev/shm/sotay-search-share-$n"
    # The same documents indexed by tantivy, taking turns with sotay's index in one process.
    "$PEER" "$corpus" "/dev/shm/sotay-search-peer-$n" "$RUNS" | sed 's/^/index peer: /'
    rm -rf "/dev/shm/sotay-search-peer-$n"
    files=$(find "$out/search" -type f | wc -l)
    echo "index: $(du -sb "$out/search" | cut -f1) bytes in $files files ($(du -sb "$out/search/r" | cut -f1) of them result text); whole output $(du -sb "$out" | cut -f1) bytes"
    pf=()
    if ((n <= 10000)); then
        start=$(date +%s%N)
        "$PAGEFIND" --site "$out" --output-path "$out/pagefind" >/dev/null 2>&1
        echo "pagefind: indexed in $((($(date +%s%N) - start) / 1000000)) ms, $(du -sb "$out/pagefind" | cut -f1) bytes"
        pf=(--pagefind)
    fi
    node benches/search-bytes.mjs "$out" "${pf[@]}"
done
