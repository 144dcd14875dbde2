#!/usr/bin/env bash
# warm-ab.sh compares two guidebook binaries on warm one-edit builds.
#
#   bench/warm-ab.sh [-n CHAPTERS] [-r RUNS] [-c build|export] OLD NEW
#
# It writes a benchbook of CHAPTERS chapters (default 1,000), warms a
# build cache and an output folder for each binary (their caches are
# apart: the cache keys hold the binary's identity), then RUNS times
# (default 12) appends a sentence to one chapter and runs OLD and NEW one
# after the other, each into its own previous output, and prints the
# median wall time and the median user+system time of each. Alternating
# runs meet the same machine load, so the ratio holds on a busy machine
# where absolute times do not.
set -euo pipefail

n=1000 runs=12 cmd=build
while getopts "n:r:c:" opt; do
	case $opt in
	n) n=$OPTARG ;;
	r) runs=$OPTARG ;;
	c) cmd=$OPTARG ;;
	*) echo "usage: $0 [-n CHAPTERS] [-r RUNS] [-c build|export] OLD NEW" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 2 ] || { echo "usage: $0 [-n CHAPTERS] [-r RUNS] [-c build|export] OLD NEW" >&2; exit 2; }
old=$(realpath "$1") new=$(realpath "$2")
[ -x /usr/bin/time ] || { echo "needs GNU time (/usr/bin/time)" >&2; exit 2; }

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/guidebook-warm-ab.XXXXXX")
trap 'rm -rf "$work"' EXIT
(cd "$root" && go run ./internal/testing/benchbook/cmd/benchbook -n "$n" -out "$work/book")
export GUIDEBOOK_CACHE_DIR="$work/cache"
for b in old new; do
	for _ in 1 2; do "${!b}" "$cmd" --src "$work/book" --out "$work/out-$b" >/dev/null 2>&1; done
done
for i in $(seq "$runs"); do
	printf '\nEdited before run %d.\n' "$i" >>"$work/book/content/chapter-0001.md"
	for b in old new; do
		/usr/bin/time -f "%e %U %S" -a -o "$work/times-$b" "${!b}" "$cmd" --src "$work/book" --out "$work/out-$b" >/dev/null 2>&1
	done
done
median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }
for b in old new; do
	w=$(cut -d' ' -f1 "$work/times-$b" | median)
	c=$(awk '{printf "%.3f\n", $2+$3}' "$work/times-$b" | median)
	echo "$b ($cmd, $n chapters, $runs runs): wall median $w s, user+sys median $c s"
done
