#!/usr/bin/env bash
# Side-by-side build benchmark: sotay vs Hugo on the same synthetic Vietnamese corpus.
#
#   benches/build.sh [PAGES] [RUNS]        (defaults: 10000 pages, 5 runs each)
#
# Generates the corpus with the gen_corpus example into /dev/shm (tmpfs: the virtual disk
# makes write times noisy and growing from run to run), then builds it RUNS times with each
# of sotay (default theme), sotay-min (the minimal templates of peers/sotay, the markup of
# Hugo's peer templates) and hugo, interleaved so machine noise hits all alike, and prints
# per-run figures and medians. See benches/README.md.
set -euo pipefail
export LC_ALL=C

PAGES=${1:-10000}
RUNS=${2:-5}
SEED=1
SECTIONS=20
TODAY=2026-11-29

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
CORPUS=/dev/shm/sotay-bench-$PAGES
STAMP=$CORPUS.stamp
SOTAY_OUT=/dev/shm/sotay-bench-out
MIN_SITE=/dev/shm/sotay-bench-min-$PAGES
HUGO_SITE=/dev/shm/hugo-bench-site-$PAGES
HUGO_OUT=/dev/shm/hugo-bench-out
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

die() { echo "build.sh: $*" >&2; exit 1; }
[[ $PAGES =~ ^[1-9][0-9]*$ ]] || die "PAGES must be a positive integer"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer"

# --- tools -----------------------------------------------------------------------------
missing=()
command -v hugo >/dev/null 2>&1 || missing+=(hugo)
[[ -x /usr/bin/time ]] || missing+=(time)
if ((${#missing[@]})); then
    SUDO=
    if ((EUID != 0)); then
        command -v sudo >/dev/null 2>&1 || die "need root or sudo to install: ${missing[*]}"
        SUDO=sudo
    fi
    echo "installing ${missing[*]} ..." >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

echo "building sotay and gen_corpus (release) ..." >&2
cargo build --release --quiet --example gen_corpus --bin sotay
SOTAY=$ROOT/target/release/sotay
GEN=$ROOT/target/release/examples/gen_corpus

# --- corpus ----------------------------------------------------------------------------
# Regenerate only when the parameters, the training text (content/*.md) or the generator
# source changed since the last generation.
stamp() {
    echo "pages=$PAGES seed=$SEED sections=$SECTIONS"
    find content -name '*.md' -print0 2>/dev/null | LC_ALL=C sort -z | xargs -0r cat | sha256sum
    cat benches/gen_corpus.rs benches/gen_corpus/*.rs | sha256sum
}
stamp >"$TMP/stamp"
if [[ -f $STAMP && -d $CORPUS/content ]] && cmp -s "$TMP/stamp" "$STAMP"; then
    echo "corpus $CORPUS is up to date" >&2
else
    rm -rf "$CORPUS" "$STAMP"
    "$GEN" --pages "$PAGES" --out "$CORPUS" --seed "$SEED" --sections "$SECTIONS" --training content
    cp "$TMP/stamp" "$STAMP"
fi
MD_BYTES=$(du -sb "$CORPUS/content" | cut -f1)

# sotay-min: the same content (a symlink) with the minimal templates of peers/sotay, the
# markup Hugo's peer templates produce; "sotay" is the full default theme.
rm -rf "$MIN_SITE"
mkdir -p "$MIN_SITE"
cp "$CORPUS/site.yaml" "$MIN_SITE/"
cp -r benches/peers/sotay/templates "$MIN_SITE/templates"
ln -s "$CORPUS/content" "$MIN_SITE/content"

# Hugo works on its own copy: peer config and templates plus the same content.
rm -rf "$HUGO_SITE"
cp -r benches/peers/hugo "$HUGO_SITE"
cp -r "$CORPUS/content" "$HUGO_SITE/content"

# --- runs ------------------------------------------------------------------------------
# Each run starts from an empty output directory (removed outside the timing), so neither
# tool can reuse a previous build. /usr/bin/time reports wall seconds and peak RSS (KB).
sotay_cmd() { "$SOTAY" build --root "$CORPUS" --output "$SOTAY_OUT" --today "$TODAY" "$@"; }
hugo_cmd() { hugo --quiet --destination "$HUGO_OUT"; }
# timed TOOL: one timed build; leaves "wall_s rss_kb" in $TMP/time and appends it to $TMP/TOOL.
timed() {
    local tool=$1 ok=1
    if [[ $tool == sotay || $tool == sotay-min ]]; then
        local root=$CORPUS
        [[ $tool == sotay-min ]] && root=$MIN_SITE
        rm -rf "$SOTAY_OUT"
        /usr/bin/time -f '%e %M' -o "$TMP/time" \
            "$SOTAY" build --root "$root" --output "$SOTAY_OUT" --today "$TODAY" \
            >"$TMP/out" 2>"$TMP/err" || ok=0
    else
        rm -rf "$HUGO_OUT"
        (cd "$HUGO_SITE" && /usr/bin/time -f '%e %M' -o "$TMP/time" \
            hugo --quiet --destination "$HUGO_OUT" >"$TMP/out" 2>"$TMP/err") || ok=0
    fi
    if ((!ok)); then
        cat "$TMP/out" "$TMP/err" >&2
        die "$tool build failed"
    fi
    tail -n1 "$TMP/time" >>"$TMP/$tool"
}

echo
echo "corpus: $CORPUS ($PAGES pages; Markdown $MD_BYTES bytes = $(awk -v b="$MD_BYTES" 'BEGIN{printf "%.1f", b/1e6}') MB, du -sb content)"
echo "hugo: $(hugo version 2>/dev/null | head -n1)"
echo "machine: $(nproc) cores; output on tmpfs ($SOTAY_OUT, $HUGO_OUT)"
echo

# One verbose sotay build first: shows the phase timings and doubles as a warm-up.
echo "sotay build --verbose (phase timings, not counted):"
rm -rf "$SOTAY_OUT"
if ! sotay_cmd --verbose >"$TMP/out" 2>"$TMP/err"; then
    cat "$TMP/out" "$TMP/err" >&2
    die "sotay build failed"
fi
cat "$TMP/out" "$TMP/err" | sed 's/^/  /'
rm -rf "$HUGO_OUT"
(cd "$HUGO_SITE" && hugo_cmd >/dev/null 2>&1) || die "hugo build failed (warm-up)"
echo

printf '%-4s %-9s %8s %12s\n' run tool wall_s peak_rss_MB
: >"$TMP/sotay"
: >"$TMP/sotay-min"
: >"$TMP/hugo"
# The order turns each run (sotay, sotay-min, hugo; then sotay-min, hugo, sotay; …): a build
# right after Hugo's pays for the memory Hugo just gave back (~50 ms more system time for
# sotay, measured), so each tool follows each other tool equally often.
TOOLS=(sotay sotay-min hugo)
for ((i = 1; i <= RUNS; i++)); do
    for ((t = 0; t < 3; t++)); do
        tool=${TOOLS[$(((i - 1 + t) % 3))]}
        timed "$tool"
        read -r wall rss < <(tail -n1 "$TMP/time")
        printf '%-4s %-9s %8.2f %12.1f\n' "$i" "$tool" "$wall" "$(awk -v k="$rss" 'BEGIN{print k/1024}')"
    done
done

# median FILE COLUMN
median() {
    cut -d' ' -f"$2" "$1" | sort -g | awk '{v[NR]=$1} END{print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'
}
S_WALL=$(median "$TMP/sotay" 1)
S_RSS=$(median "$TMP/sotay" 2)
M_WALL=$(median "$TMP/sotay-min" 1)
M_RSS=$(median "$TMP/sotay-min" 2)
H_WALL=$(median "$TMP/hugo" 1)
H_RSS=$(median "$TMP/hugo" 2)

echo
echo "median of $RUNS runs:"
printf '%-9s %8s %10s %12s\n' tool wall_s pages/s peak_rss_MB
for t in sotay:$S_WALL:$S_RSS sotay-min:$M_WALL:$M_RSS hugo:$H_WALL:$H_RSS; do
    IFS=: read -r name wall rss <<<"$t"
    awk -v n="$name" -v w="$wall" -v r="$rss" -v p="$PAGES" \
        'BEGIN{printf "%-9s %8.2f %10.0f %12.1f\n", n, w, (w > 0 ? p / w : 0), r / 1024}'
done
awk -v sw="$S_WALL" -v hw="$H_WALL" -v sr="$S_RSS" -v hr="$H_RSS" \
    'BEGIN{printf "hugo/sotay (default theme): wall time %.2fx, peak RSS %.2fx\n", (sw > 0 ? hw / sw : 0), (sr > 0 ? hr / sr : 0)}'
awk -v sw="$M_WALL" -v hw="$H_WALL" -v sr="$M_RSS" -v hr="$H_RSS" \
    'BEGIN{printf "hugo/sotay-min (equivalent minimal templates): wall time %.2fx, peak RSS %.2fx\n", (sw > 0 ? hw / sw : 0), (sr > 0 ? hr / sr : 0)}'
