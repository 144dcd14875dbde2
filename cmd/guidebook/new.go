package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"

	"guidebook/internal/diag"
	"guidebook/internal/srcfile"
	"guidebook/internal/starter"
)

func init() {
	register(&command{name: "new", synopsis: "new DIR | new chapter NAME [--src DIR]",
		summary: "start a book in a new folder, or add a chapter to one", run: cmdNew})
}

func cmdNew(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "chapter" {
		return cmdNewChapter(args[1:], stdout, stderr)
	}
	fs := newFlags("new", stderr)
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "guidebook new: name one folder to create, e.g. guidebook new my-guide")
		fs.Usage()
		return 2
	}
	dir := fs.Arg(0)
	wrote, err := starter.Write(dir)
	if err != nil {
		return newFailed(stderr, err)
	}
	fmt.Fprintf(stdout, "guidebook: wrote a starter book into %s:\n", srcfile.Quote(dir))
	for _, f := range wrote {
		fmt.Fprintf(stdout, "  %s\n", srcfile.Quote(filepath.Join(dir, filepath.FromSlash(f))))
	}
	fmt.Fprintf(stdout, "Next, preview it while you edit, then build it into %s:\n", srcfile.Quote(filepath.Join(dir, "public")))
	fmt.Fprintf(stdout, "  guidebook serve --src %s\n  guidebook build --src %s\n", srcfile.Quote(dir), srcfile.Quote(dir))
	return 0
}

// cmdNewChapter takes NAME among its flags, before or after them.
func cmdNewChapter(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("new", stderr)
	src := fs.String("src", ".", "site directory holding content/")
	var names []string
	for {
		if err := fs.Parse(args); err != nil {
			return flagExit(err)
		}
		if fs.NArg() == 0 {
			break
		}
		names, args = append(names, fs.Arg(0)), fs.Args()[1:]
	}
	if len(names) != 1 {
		fmt.Fprintln(stderr, "guidebook new chapter: name one chapter, e.g. guidebook new chapter getting-started")
		fs.Usage()
		return 2
	}
	dir := filepath.Join(*src, "content")
	file, err := starter.NewChapter(dir, names[0])
	if err != nil {
		return newFailed(stderr, err)
	}
	fmt.Fprintf(stdout, "guidebook: wrote %s\n", srcfile.Quote(filepath.Join(dir, file)))
	return 0
}

func flagExit(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return 2
}

// newFailed reports a refusal (nothing touched, exit 2) or another error.
func newFailed(stderr io.Writer, err error) int {
	// A book that does not load reports its problems a line each, escaped.
	fmt.Fprintln(stderr, "guidebook new:", diag.EscapeLines(err.Error()))
	if errors.Is(err, starter.ErrRefused) {
		return 2
	}
	return 1
}
