// Package publish readies a site for a web server or CDN. It is the
// publishing half of the write stage (load → resolve → render → write):
// each step wraps an output.Output, as Hugo's publisher chains its
// transformers in front of a filesystem, so the pipeline writes every file
// the same way whichever steps a command asks for (Wrap):
//
//   - MinifyPages minifies every HTML page;
//   - HostFiles adds the files a host reads: sitemap.xml (with a base URL),
//     robots.txt and _headers (Netlify / Cloudflare Pages), unless the
//     author ships their own;
//   - Precompress puts .gz and .br siblings beside every text file.
//
// Asset minification (MinifyAssets) runs earlier, on the theme, because an
// asset's fingerprint and SRI hash must be computed on the bytes that are
// served.
//
// Third-party libraries: github.com/tdewolff/minify/v2 (the standard Go
// minifier for HTML, CSS and JS; writing one is a project of its own),
// github.com/andybalholm/brotli (a pure-Go port of the reference brotli
// encoder; the standard library has no brotli) and
// github.com/klauspost/compress/gzip (a widely used, actively maintained
// drop-in for compress/gzip with the same API, whose output any gzip
// reader decodes, and several times faster at the level it replaced; the
// measurements are in bench/README.md).
package publish
