package epub

// navPage is the navigation document: the table of contents (chapters
// and their sections, then the back matter) and the landmarks.
func navPage(b *Book) []byte {
	p := newPage(b, navPath, "Contents", "")
	p.w(`<nav epub:type="toc" role="doc-toc" id="toc" aria-labelledby="gb-toc-title">` + "\n")
	p.w(`<h1 id="gb-toc-title">Contents</h1>` + "\n<ol>\n")
	for _, ch := range b.Chapters {
		p.w(`<li>`)
		p.link(Link{Href: chapterPath(ch.ID), Text: ch.Title})
		writeSections(p, chapterPath(ch.ID), ch.Headings)
		p.w("</li>\n")
	}
	for _, m := range backMatter(b) {
		p.w(`<li>`)
		p.link(Link{Href: m.path, Text: m.title})
		p.w("</li>\n")
	}
	p.w("</ol>\n</nav>\n")

	p.w(`<nav epub:type="landmarks" id="landmarks" aria-labelledby="gb-landmarks-title" hidden="hidden">` + "\n")
	p.w(`<h2 id="gb-landmarks-title">Landmarks</h2>` + "\n<ol>\n")
	landmark := func(typ, path, text string) {
		p.w(`<li><a epub:type="` + typ + `" href="` + esc(up(p.path)+href(path)) + `">` + esc(text) + "</a></li>\n")
	}
	landmark("cover", coverPath, "Cover")
	landmark("toc", navPath+"#toc", "Contents")
	if len(b.Chapters) > 0 {
		landmark("bodymatter", chapterPath(b.Chapters[0].ID), "Start of content")
	}
	for _, m := range backMatter(b) {
		landmark(m.typ, m.path, m.title)
	}
	p.w("</ol>\n</nav>\n")
	return p.end()
}

// writeSections writes a chapter's headings as nested lists: a level
// deeper than the one before opens a list inside the last item, however
// many levels it skips, and a list item never holds two lists (the
// navigation document's rule), so a heading between two open levels
// joins the deeper list.
func writeSections(p *page, chPath string, hs []Heading) {
	if len(hs) == 0 {
		return
	}
	base := hs[0].Level
	for _, h := range hs {
		base = min(base, h.Level)
	}
	var open []int // the levels of the lists still open
	for _, h := range hs {
		for len(open) > 1 && h.Level < open[len(open)-1] {
			if h.Level > open[len(open)-2] {
				open[len(open)-1] = h.Level
				break
			}
			p.w("</li>\n</ol>")
			open = open[:len(open)-1]
		}
		switch {
		case len(open) == 0:
			p.w("\n<ol>\n")
			open = append(open, base)
		case h.Level <= open[len(open)-1]:
			p.w("</li>\n")
		default:
			p.w("\n<ol>\n")
			open = append(open, h.Level)
		}
		p.w(`<li>`)
		p.link(Link{Href: chPath + "#" + h.ID, Text: h.Text})
	}
	for range open {
		p.w("</li>\n</ol>")
	}
}

type matter struct{ typ, path, title string }

// backMatter lists the generated pages after the chapters.
func backMatter(b *Book) []matter {
	var m []matter
	if len(b.Glossary) > 0 {
		m = append(m, matter{"glossary", glossaryPath, "Glossary"})
	}
	if len(b.References) > 0 {
		m = append(m, matter{"bibliography", referencesPath, "References"})
	}
	return m
}
