#!/usr/bin/env bash
# compare.sh times guidebook against Hugo on the same synthetic book.
#
#   bench/compare.sh [-n CHAPTERS] [-r RUNS] [-d] [-k]
#
# It builds guidebook once (go build), writes one book of CHAPTERS chapters
# for each generator with internal/testing/benchbook (the Hugo copy is the same
# text as plain Markdown in a minimal, theme-less site), then runs, RUNS
# times and alternating so that machine noise hits all of them alike:
#
#   guidebook build   (Publish: fingerprinted assets, SRI, plus .gz and .br
#                      copies of every page, which Hugo does not write)
#   guidebook export  (plain pages for file://, no compression: the
#                      like-for-like comparison with Hugo)
#   hugo              (Debian's hugo; installed with apt-get if missing)
#
# and prints the median wall time, the median peak RSS (GNU time's %M) and
# the number of HTML pages each wrote. Before every run the previous
# output folder is moved aside, outside the timing, and all of them are
# deleted at the end: deleting a 2,000-entry tree just before a run made
# ext4 scan its recently freed inodes on every file the next run created
# (recently_deleted() in the kernel profile), ~0.4 s added to both tools
# alike. -d writes the dense stress book
# (benchbook -dense: 4.5x the guide's term density); -k keeps the work
# folder.
set -euo pipefail

n=1000 runs=5 keep=0 dense=""
while getopts "n:r:dk" opt; do
	case $opt in
	n) n=$OPTARG ;;
	r) runs=$OPTARG ;;
	d) dense=-dense ;;
	k) keep=1 ;;
	*) echo "usage: $0 [-n CHAPTERS] [-r RUNS] [-d] [-k]" >&2; exit 2 ;;
	esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/guidebook-bench.XXXXXX")
if [ "$keep" = 1 ]; then echo "work folder: $work"; else trap 'rm -rf "$work"' EXIT; fi

apt_install() {
	local sudo=""
	[ "$(id -u)" = 0 ] || sudo=sudo
	$sudo apt-get install -y "$@" >/dev/null
}
command -v hugo >/dev/null || apt_install hugo
[ -x /usr/bin/time ] || apt_install time

cd "$root"
# The build cache (#17) lives in the work folder, never the user's; the
# cold rows run with --no-cache.
export GUIDEBOOK_CACHE_DIR="$work/cache"
go build -o "$work/guidebook" ./cmd/guidebook
go run ./internal/testing/benchbook/cmd/benchbook -n "$n" -out "$work/gb" $dense
go run ./internal/testing/benchbook/cmd/benchbook -n "$n" -out "$work/hugo" -hugo $dense

# run NAME CMD...: one timed run; appends "seconds rss_kb" to $work/NAME.
run() {
	local name=$1; shift
	if [ -e "$work/out-$name" ]; then
		mv "$work/out-$name" "$work/old/$name.$i"
	fi
	local t0 t1
	t0=$(date +%s%N)
	/usr/bin/time -f "%M" -o "$work/rss" "$@" >/dev/null 2>"$work/err-$name" || {
		cat "$work/err-$name" >&2; exit 1
	}
	t1=$(date +%s%N)
	echo "$(( (t1 - t0) / 1000000 )) $(tail -n1 "$work/rss")" >>"$work/times-$name"
}

mkdir -p "$work/old"
for ((i = 0; i < runs; i++)); do
	run build "$work/guidebook" build --no-cache --src "$work/gb" --out "$work/out-build"
	run hugo hugo --quiet -s "$work/hugo" -d "$work/out-hugo"
	run export "$work/guidebook" export --no-cache --src "$work/gb" --out "$work/out-export"
done

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }
ms() { cut -d' ' -f1 "$work/times-$1" | median; }
rss() { cut -d' ' -f2 "$work/times-$1" | median; }
pages() { find "$work/out-$1" -name '*.html' | wc -l; }

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "$(go version), $(hugo version | cut -d' ' -f1-2)"
echo "book: $n chapters${dense:+ (dense)}, $runs runs each, alternating"
printf '%-18s %10s %12s %8s\n' "" "median ms" "peak RSS MB" "pages"
for name in build export hugo; do
	printf '%-18s %10d %12d %8d\n' "$name" "$(ms $name)" "$(( $(rss $name) / 1024 ))" "$(pages $name)"
done
awk -v b="$(ms build)" -v e="$(ms export)" -v h="$(ms hugo)" 'BEGIN {
	printf "ratio guidebook/hugo: build %.2f, export %.2f\n", b / h, e / h
}'
