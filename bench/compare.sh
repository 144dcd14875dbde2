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
# alike. These rows run with --no-cache where guidebook has it.
#
# Then two rows each for the three, as an author or a CI job meets them
# (issue #17), in the same alternating loop:
#
#   same folder   the same sources built into the output of the previous
#                 run, nothing moved aside (guidebook links unchanged files
#                 from it and deletes it later; Hugo overwrites in place);
#                 --no-cache, so only the output is reused
#   warm          one chapter's text edited before each run (outside the
#                 timing), into the same folder, guidebook's cache warm
#                 (--cache-dir in the work folder, where guidebook has it);
#                 Hugo builds everything again
#
# and one row of guidebook alone, the first build a user or a CI job
# without a saved cache meets:
#
#   empty cache   a fresh folder as in the first rows, with a new, empty
#                 --cache-dir each run, which the run fills; compared
#                 with Hugo's first row
#
# -d writes the dense stress book (benchbook -dense: 4.5x the guide's term
# density); -k keeps the work folder.
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

# guidebook's cache flags, if it has a cache (issue #17): cold and
# same-folder runs without it, warm runs with one in the work folder.
# flags CMD FLAG...: the FLAGs (a name and its value, or one name) if
# guidebook CMD has that flag.
# The help is read whole before grep looks at it: with pipefail, grep -q
# quitting at the first match made the pipeline fail now and then (the
# writer's SIGPIPE), and the warm rows ran without their flags.
flags() {
	local help
	help=$("$work/guidebook" "$1" -h 2>&1 || true)
	if grep -q -- "-$2\b" <<<"$help"; then echo "--$2"; [ $# -lt 3 ] || echo "$3"; fi
}
mapfile -t cold < <(flags build no-cache)
mapfile -t cold_x < <(flags export no-cache)
mapfile -t warm < <(flags build cache-dir "$work/cache")
mapfile -t warm_x < <(flags export cache-dir "$work/cache")
# empty CMD I: the flags of an empty cache of its own for run I.
empty() { flags "$1" cache-dir "$work/empty-$1-$2"; }

# edit K: appends a sentence to chapter K of both warm books (outside the
# timing); the other rows build the books as written.
cp -r "$work/gb" "$work/gb-warm"
cp -r "$work/hugo" "$work/hugo-warm"
edit() {
	local f
	f=$(printf 'chapter-%04d.md' $(( $1 % n + 1 )))
	printf '\nEdited before warm run %d.\n' "$1" | tee -a "$work/gb-warm/content/$f" >>"$work/hugo-warm/content/$f"
}

# run NAME CMD...: one timed run; appends "seconds rss_kb" to
# $work/times-NAME. The previous output, $work/out-NAME, is moved aside
# first, unless NAME ends in -same or -warm.
run() {
	local name=$1; shift
	if [ -e "$work/out-$name" ] && [[ $name != *-same && $name != *-warm ]]; then
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

gb=$work/guidebook
mkdir -p "$work/old"
# The same-folder and warm rows start from a previous output (and cache).
i=-1
"$gb" build --src "$work/gb" --out "$work/out-build-same" "${cold[@]}" >/dev/null
"$gb" export --src "$work/gb" --out "$work/out-export-same" "${cold_x[@]}" >/dev/null
hugo --quiet -s "$work/hugo" -d "$work/out-hugo-same"
"$gb" build --src "$work/gb-warm" --out "$work/out-build-warm" "${warm[@]}" >/dev/null
"$gb" export --src "$work/gb-warm" --out "$work/out-export-warm" "${warm_x[@]}" >/dev/null
hugo --quiet -s "$work/hugo-warm" -d "$work/out-hugo-warm"
for ((i = 0; i < runs; i++)); do
	run build "$gb" build --src "$work/gb" --out "$work/out-build" "${cold[@]}"
	run hugo hugo --quiet -s "$work/hugo" -d "$work/out-hugo"
	run export "$gb" export --src "$work/gb" --out "$work/out-export" "${cold_x[@]}"
	run build-same "$gb" build --src "$work/gb" --out "$work/out-build-same" "${cold[@]}"
	run hugo-same hugo --quiet -s "$work/hugo" -d "$work/out-hugo-same"
	run export-same "$gb" export --src "$work/gb" --out "$work/out-export-same" "${cold_x[@]}"
	edit "$i"
	run build-warm "$gb" build --src "$work/gb-warm" --out "$work/out-build-warm" "${warm[@]}"
	run hugo-warm hugo --quiet -s "$work/hugo-warm" -d "$work/out-hugo-warm"
	run export-warm "$gb" export --src "$work/gb-warm" --out "$work/out-export-warm" "${warm_x[@]}"
	mapfile -t empty_b < <(empty build "$i")
	mapfile -t empty_x < <(empty export "$i")
	run build-empty "$gb" build --src "$work/gb" --out "$work/out-build-empty" "${empty_b[@]}"
	run export-empty "$gb" export --src "$work/gb" --out "$work/out-export-empty" "${empty_x[@]}"
done

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }
ms() { cut -d' ' -f1 "$work/times-$1" | median; }
rss() { cut -d' ' -f2 "$work/times-$1" | median; }
pages() { find "$work/out-$1" -name '*.html' | wc -l; }

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "$(go version), $(hugo version | cut -d' ' -f1-2)"
echo "book: $n chapters${dense:+ (dense)}, $runs runs each, alternating"
printf '%-18s %10s %12s %8s\n' "" "median ms" "peak RSS MB" "pages"
for name in build export hugo build-same export-same hugo-same build-warm export-warm hugo-warm build-empty export-empty; do
	printf '%-18s %10d %12d %8d\n' "$name" "$(ms $name)" "$(( $(rss $name) / 1024 ))" "$(pages $name)"
done
# ratio ROW: guidebook build and export against Hugo in the same row.
ratio() {
	awk -v r="$1" -v b="$(ms build$2)" -v e="$(ms export$2)" -v h="$(ms hugo$2)" 'BEGIN {
		printf "ratio guidebook/hugo, %-12s build %.2f, export %.2f\n", r ":", b / h, e / h
	}'
}
ratio "fresh folder" ""
ratio "same folder" -same
ratio "warm" -warm
awk -v b="$(ms build-empty)" -v e="$(ms export-empty)" -v h="$(ms hugo)" 'BEGIN {
	printf "ratio guidebook/hugo, %-12s build %.2f, export %.2f (Hugo of the fresh-folder row)\n", "empty cache:", b / h, e / h
}'
[ ${#warm[@]} -gt 0 ] || echo "(this guidebook has no --cache-dir: the warm rows reuse the output only)"
