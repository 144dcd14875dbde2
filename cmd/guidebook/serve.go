package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"syscall"

	"guidebook/internal/watch"
)

func init() {
	register(&command{name: "serve", synopsis: "serve [--src DIR] [--addr 127.0.0.1:1313] [--open]",
		summary: "serve the site from memory, rebuilding and reloading the browser on every save", run: cmdServe})
}

func cmdServe(args []string, stdout, stderr io.Writer) int {
	// Ctrl-C and a service manager's SIGTERM end the server cleanly.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serve(ctx, args, stdout, stderr)
}

// serve is cmdServe with the context given, so tests can stop it.
func serve(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("serve", stderr)
	src := fs.String("src", ".", "site directory holding content/ (and optional templates/, assets/)")
	addr := fs.String("addr", watch.DefaultAddr, "`host:port` to listen on; anything but loopback exposes your drafts to the network")
	open := fs.Bool("open", false, "open the site in the default browser (xdg-open)")
	if code, done := parseFlags(fs, args); done {
		return code
	}
	if !watch.LoopbackAddr(*addr) {
		fmt.Fprintf(stderr, "guidebook: warning: %s is not a loopback address: other machines can read the drafts and the live-reload stream\n", *addr)
	}
	s, err := watch.New(watch.Options{
		SiteDir: *src,
		Addr:    *addr,
		Log:     stderr,
		Ready: func(url string) {
			fmt.Fprintf(stdout, "guidebook: serving %s at %s (Ctrl-C to stop)\n", *src, url)
			if *open {
				openBrowser(url, stderr)
			}
		},
	})
	if err != nil {
		fmt.Fprintln(stderr, "guidebook:", err)
		return 2
	}
	if err := s.Serve(ctx); err != nil {
		fmt.Fprintln(stderr, "guidebook:", err)
		return 1
	}
	fmt.Fprintln(stdout, "guidebook: stopped")
	return 0
}

func openBrowser(url string, stderr io.Writer) {
	bin, err := exec.LookPath("xdg-open")
	if err != nil {
		fmt.Fprintf(stderr, "guidebook: --open: xdg-open not found; open %s yourself\n", url)
		return
	}
	cmd := exec.Command(bin, url)
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(stderr, "guidebook: --open: %v\n", err)
		return
	}
	go cmd.Wait() // reap it; xdg-open hands over to the browser and exits
}
