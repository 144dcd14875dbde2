// Package watch is guidebook's watch mode (`guidebook serve`): it builds
// the site in memory, serves it over HTTP, rebuilds it when a source file
// changes and tells open browser tabs to reload.
//
// It adds no stage to the pipeline (load -> resolve -> render -> write); it
// drives the same site.Builder as `guidebook build` in site.Serve mode, over
// and over, writing into an output.Memory that an HTTP handler serves, so
// public/ is never touched. The
// Builder's caches (parsed chapters by source hash, pages by input hash)
// make a rebuild after a one-chapter edit re-parse one chapter and
// re-render the pages whose inputs changed; an edit under templates/ or
// assets/ calls Builder.InvalidateTheme first.
//
// Three parts, each testable alone:
//
//   - Watcher (watcher.go) turns fsnotify events below content/,
//     templates/ and assets/ into debounced batches of changed paths. It
//     watches every directory (inotify is not recursive), adds folders
//     created later, and ignores editors' scratch files; watching
//     directories rather than files is what makes save-by-rename editors
//     (vim, JetBrains safe write) work.
//   - Server.Rebuild (server.go) runs one build, keeps the last good
//     output, compares it with the previous one and publishes one event:
//     "reload" with the changed pages, "css" when only stylesheets changed
//     (watch mode keeps asset names stable, so the browser swaps the
//     <link> in place), or "error" with the problems as a JSON list; a
//     good build whose author lint findings changed (package lint) first
//     publishes "warnings" with them, which the client shows in a panel
//     that blocks nothing. It prints one line per rebuild ("rebuilt in
//     6ms: content/academic.md (1 page)"), and the findings when they
//     change.
//   - Server.Handler (http.go) serves the last good build (directory URLs,
//     404.html with status 404, Cache-Control: no-store), the client
//     script at /__guidebook/livereload.js (assets/js/livereload.js,
//     injected through site.Options.Head), the Server-Sent Events stream
//     at /__guidebook/events and /__guidebook/status, which a tab asks on
//     every connect so that a page loaded while the build is broken shows
//     the error overlay too. Listening on loopback, it answers only
//     requests whose Host is a loopback name or address (DNS rebinding).
//
// Server-Sent Events rather than WebSockets: the traffic is one-way, the
// standard library serves it, and the browser's EventSource reconnects by
// itself. github.com/fsnotify/fsnotify is the only third-party library:
// it is the portable wrapper over inotify/kqueue/ReadDirectoryChangesW
// that the Go ecosystem (Hugo included) uses, and polling would either
// miss the 100 ms latency goal or burn CPU on large books.
package watch
