// Package theme is what pages are rendered through: it loads the
// html/template files (embedded defaults, overridden file by file by a
// site's own templates/), keeps the asset manifest (fingerprinted names and
// Subresource Integrity hashes), and defines the data each template sees
// (Page). The render stage (load → resolve → render → write, in package
// site) fills that data and executes the templates; theme neither reads
// chapters nor writes files.
package theme
