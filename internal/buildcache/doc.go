// Package buildcache is the persistent build cache of build and export:
// a folder of entries, each the bytes of one product of the pipeline (a
// chapter's resolve products, a rendered page, a compressed copy), named
// by a key that hashes everything the product depends on. Package site
// decides what a key covers; this package stores bytes under keys.
//
// The store's rules, each because a cached build must be byte-identical
// to a cold one and must never fail because of the cache:
//
//   - Every key is mixed with the guidebook binary's identity (Version):
//     a rebuilt guidebook never reads what another one wrote.
//   - An entry carries a checksum of its key and bytes, verified on every
//     read; a corrupted, truncated or misplaced entry is a miss, removed.
//   - An entry is written to a temporary file in its own folder and
//     renamed into place, so two builds sharing a cache see either the
//     whole entry or none.
//   - A cache folder that cannot be created or written turns the cache
//     off for the run with one warning; the build goes on.
//   - After a build, Close evicts the least recently used entries above
//     the size cap.
//   - The folder holds Marker; Clean deletes only a folder holding it,
//     and Open refuses a folder inside the site's sources or an output
//     folder (internal/outdir's rules).
package buildcache
