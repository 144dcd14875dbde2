// Package render turns resolved chapters into pages: it loads the
// html/template files (embedded defaults, overridden file by file by a
// site's own templates/), keeps the asset manifest (fingerprinted names and
// Subresource Integrity hashes), and builds the data each template sees. It
// is the third stage (load → resolve → render → write); it neither reads
// chapters nor writes files.
package render
