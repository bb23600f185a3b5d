#!/usr/bin/env bash
# Two or more sotay binaries building the same site, interleaved: for judging one change.
#
#   benches/compare.sh SITE RUNS BIN...
#
# Example, with the corpus of benches/build.sh and the binary before a change kept aside:
#   cp target/release/sotay /tmp/sotay-before   # then make the change and build again
#   bash benches/compare.sh /dev/shm/sotay-bench-10000 9 /tmp/sotay-before target/release/sotay
#
# Each run builds into an empty folder on tmpfs (removed outside the timing), binaries take
# turns so machine noise hits all alike, and the medians of wall time, peak RSS, user and
# system CPU are printed per binary. Check that the outputs are the same with `diff -r`
# separately: this only times.
set -euo pipefail
export LC_ALL=C

[[ $# -ge 3 ]] || { echo "usage: benches/compare.sh SITE RUNS BIN..." >&2; exit 2; }
SITE=$1
RUNS=$2
shift 2
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "compare.sh: RUNS must be a positive integer" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "compare.sh: needs /usr/bin/time (apt install time)" >&2; exit 2; }
OUT=/dev/shm/sotay-compare-out
TMP=$(mktemp -d)
trap 'rm -rf "$TMP" "$OUT"' EXIT

for ((i = 1; i <= RUNS; i++)); do
    for ((b = 1; b <= $#; b++)); do
        bin=${!b}
        rm -rf "$OUT"
        /usr/bin/time -f '%e %M %U %S' -o "$TMP/time" \
            "$bin" build --root "$SITE" --output "$OUT" --today 2026-11-29 >/dev/null 2>"$TMP/err" ||
            { cat "$TMP/err" >&2; echo "compare.sh: $bin failed" >&2; exit 1; }
        tail -n1 "$TMP/time" >>"$TMP/$b"
    done
done

# median FILE COLUMN
median() {
    cut -d' ' -f"$2" "$1" | sort -g | awk '{v[NR]=$1} END{print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'
}
printf '%-40s %8s %12s %8s %8s\n' binary wall_s peak_rss_MB user_s sys_s
for ((b = 1; b <= $#; b++)); do
    printf '%-40s %8.2f %12.1f %8.2f %8.2f\n' "${!b}" "$(median "$TMP/$b" 1)" \
        "$(awk -v k="$(median "$TMP/$b" 2)" 'BEGIN{print k/1024}')" \
        "$(median "$TMP/$b" 3)" "$(median "$TMP/$b" 4)"
done
echo "medians of $RUNS interleaved runs on $SITE"
