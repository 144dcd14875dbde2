#!/bin/sh
# Uploads a site built by "guidebook build" to an S3-compatible bucket
# (Amazon S3, Cloudflare R2, MinIO, ...) with the AWS CLI:
#
#   deploy/s3-sync.sh public s3://my-bucket/guide [aws options, e.g. --endpoint-url URL --delete]
#
# Every file gets the Cache-Control the build's _headers gives it on
# Netlify and Cloudflare Pages (assets/ kept for a year, everything else
# revalidated) and its Content-Type (guessed by the AWS CLI from the
# name). The .gz and .br copies beside the text files are uploaded under
# their own names with the type of the file they compress and
# Content-Encoding: gzip or br; a bucket cannot choose between the copies
# by a browser's Accept-Encoding, but a CDN in front of it can (README.md,
# "Publishing"). The build's own files (.guidebook-output, _headers) stay
# here. aws s3 sync uploads only what changed; options after the two
# folders go to every aws call (with --delete, each call removes the
# remote files of its own kind that the build no longer has).
set -eu
set -f # the patterns below are aws's to match, not the shell's

if [ $# -lt 2 ]; then
	echo "usage: $0 PUBLIC_DIR s3://BUCKET[/PREFIX] [aws options]" >&2
	exit 2
fi
src=${1%/}
dst=${2%/}
shift 2
if [ ! -f "$src/.guidebook-output" ]; then
	echo "$0: $src was not written by guidebook build (no .guidebook-output file)" >&2
	exit 2
fi

asset_cache='public, max-age=31536000, immutable'
page_cache='public, max-age=0, must-revalidate'

# The types whose files get .gz and .br copies (internal/publish), and
# the Content-Type each copy is served with.
types='html:text/html;charset=utf-8
css:text/css;charset=utf-8
js:text/javascript;charset=utf-8
json:application/json
svg:image/svg+xml
txt:text/plain;charset=utf-8
xml:text/xml;charset=utf-8'

# The files themselves: everything but the copies and the build's files.
copies=''
for ext in $(printf '%s\n' "$types" | cut -d: -f1); do
	copies="$copies --exclude *.$ext.gz --exclude *.$ext.br"
done
# $copies is a list of options, split on purpose.
aws s3 sync "$src" "$dst" --exclude 'assets/*' --exclude .guidebook-output --exclude _headers $copies \
	--cache-control "$page_cache" "$@"
aws s3 sync "$src" "$dst" --exclude '*' --include 'assets/*' $copies \
	--cache-control "$asset_cache" "$@"

# The copies, one kind at a time.
printf '%s\n' "$types" | while IFS=: read -r ext type; do
	for enc in gzip:gz br:br; do
		name=${enc%%:*}
		suffix=${enc#*:}
		aws s3 sync "$src" "$dst" --exclude '*' --include "*.$ext.$suffix" --exclude "assets/*" \
			--content-type "$type" --content-encoding "$name" --cache-control "$page_cache" "$@"
		aws s3 sync "$src" "$dst" --exclude '*' --include "assets/*.$ext.$suffix" \
			--content-type "$type" --content-encoding "$name" --cache-control "$asset_cache" "$@"
	done
done
