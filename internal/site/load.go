package site

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"

	"guidebook/internal/bib"
	"guidebook/internal/content"
	"guidebook/internal/diag"
	"guidebook/internal/glossary"
	"guidebook/internal/markup"
	"guidebook/internal/pages"
	"guidebook/internal/paths"
	"guidebook/internal/publish"
	"guidebook/internal/theme"
	"guidebook/internal/widgets"
)

// load is the first stage: the book (chapters, glossary, references,
// static files) and the theme (templates, assets). The theme does not
// depend on the book: it loads while the chapters do, and a broken
// template is reported in the same run as broken chapters.
func (b *Builder) load() (*content.Book, error) {
	themeErr := make(chan error, 1)
	go func() { themeErr <- b.loadTheme() }()
	book, err := b.loader.Load(b.opts.ContentDir)
	if !b.keep {
		b.loader = nil // its cache holds every source; a one-shot build loads once
	}
	var errs diag.List
	errs.Add(err)
	errs.Add(<-themeErr)
	return book, errs.Err()
}

// env is what every chapter is resolved against: the glossary's matcher,
// the bibliography, the citation style and the Markdown converter built
// from them.
type env struct {
	gl    *glossary.Glossary
	bib   *bib.Bibliography
	style bib.Style
	lk    paths.Linker

	termsOnce sync.Once
	terms     map[string]*glossary.Term // by id, for the build cache's entries
}

// prepare builds the book's glossary and bibliography (the glossary's
// automaton is the longer of the two, so the bibliography is indexed
// meanwhile) and the Markdown converter, anew only when they changed.
func (b *Builder) prepare(book *content.Book) (*env, error) {
	var refs *bib.Bibliography
	bibErr := make(chan error, 1)
	go func() {
		var err error
		refs, err = b.bibliography(book.References)
		bibErr <- err
	}()
	var errs diag.List
	gl, err := b.glossary(book.Terms)
	errs.Add(err)
	errs.Add(<-bibErr)
	style, err := bib.ParseStyle(book.CitationStyle)
	errs.Add(err)
	if errs.Len() > 0 {
		return nil, errs.Err()
	}
	e := &env{gl: gl, bib: refs, style: style, lk: b.linker()}
	mdKey := hashStrings(gl.Version(), refs.Version(), book.CitationStyle, fmt.Sprint(book.Unsafe, b.opts.Mode), b.tmplKey)
	if mdKey != b.mdKey || b.md == nil {
		b.mdKey = mdKey
		b.chapters = map[string]*chapterState{}
		b.md = markup.New(markup.Options{
			Glossary: gl,
			GlossaryHref: func(t *glossary.Term) string {
				// Every chapter page sits one directory below the root.
				return e.lk.Rel("x/", "glossary/") + "#" + t.ID
			},
			Bibliography: refs,
			CiteStyle:    style,
			Widgets:      &widgets.Extender{Registry: widgets.NewRegistry(b.tmpl.Set), CiteStyle: style},
			Unsafe:       book.Unsafe,
		})
	}
	return e, nil
}

func (b *Builder) linker() paths.Linker { return paths.Linker{Pretty: b.opts.Mode != Export} }

// glossary returns the book's glossary, reusing the last one when the
// terms are the same.
func (b *Builder) glossary(terms []glossary.Term) (*glossary.Glossary, error) {
	key := hashStrings(fmt.Sprintf("%#v", terms))
	if b.gl != nil && key == b.glKey {
		return b.gl, nil
	}
	gl, err := glossary.New(terms)
	if err == nil {
		b.gl, b.glKey = gl, key
	}
	return gl, err
}

// bibliography returns the book's bibliography, reusing the last one when
// the Loader handed back the same entries (it does when the references
// file did not change).
func (b *Builder) bibliography(entries []bib.Entry) (*bib.Bibliography, error) {
	if b.bib != nil && len(entries) == len(b.bibSrc) && (len(entries) == 0 || &entries[0] == &b.bibSrc[0]) {
		return b.bib, nil
	}
	bib, err := bib.NewBibliography(entries)
	if err == nil {
		b.bib, b.bibSrc = bib, entries
	}
	return bib, err
}

func (b *Builder) loadTheme() error {
	if b.tmpl != nil && b.assets != nil {
		return nil
	}
	tmpl, err := theme.LoadTemplates(b.opts.SiteDir)
	// Both are read before either problem is returned, so that one run
	// reports them all.
	assets, assetsErr := theme.LoadAssets(b.opts.SiteDir, b.opts.Mode == Publish)
	if err != nil || assetsErr != nil {
		var errs diag.List
		errs.Add(err)
		errs.Add(assetsErr)
		return errs.Err()
	}
	var tocCode []byte
	if toc, ok := assets.Get(pages.TOCSource); ok {
		tocCode = toc.Data
		assets.Remove(pages.TOCSource)
	}
	css, err := theme.ChromaCSS()
	if err != nil {
		return err
	}
	assets.Add("css/chroma.css", css)
	if b.opts.Minify {
		if err := publish.MinifyAssets(assets); err != nil {
			return err
		}
	}
	h := sha256.New()
	tmpl.Hash(h, b.opts.SiteDir)
	b.tmplKey = hex.EncodeToString(h.Sum(nil))
	for _, a := range assets.All() {
		fmt.Fprintln(h, a.Path, len(a.Data))
		h.Write(a.Data)
	}
	h.Write(tocCode)
	b.tmpl, b.assets, b.siteKey, b.tocCode = tmpl, assets, hex.EncodeToString(h.Sum(nil)), tocCode
	b.pages = map[string]pageCache{}
	return nil
}
