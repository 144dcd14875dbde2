package benchbook

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// MaxChapters bounds n: the benchmarks go up to 10,000 chapters, and the
// ids have room for that many ("chapter-10000").
const MaxChapters = 10000

// Sections is the number of "## … {#section-K}" headings in every
// chapter; cross-links target section-1 … section-Sections.
const Sections = 5

// Options tune a synthetic book. The zero value is the book the
// benchmarks use.
type Options struct {
	Seed       uint64 // 0 means 1
	Hugo       bool   // write a minimal Hugo site instead of a guidebook site
	NoWidgets  bool   // leave out the HOMA-IR calculators
	Terms      int    // glossary size; 0 means 200
	References int    // bibliography size; 0 means 500
	// Dense writes a glossary term every ninth word (from all terms) and a
	// citation after every fourth sentence: ~9 terms and ~2.7 citations
	// per kilobyte, 4.5x and 2.2x the densest chapter of the shipped guide.
	// The default is shaped like that chapter instead (see topicTerms).
	Dense bool
}

func (o Options) withDefaults() Options {
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.Terms <= 0 {
		o.Terms = 200
	}
	if o.References <= 0 {
		o.References = 500
	}
	return o
}

// ChapterID is the id (and file stem) of chapter i, counting from 1.
func ChapterID(i int) string { return fmt.Sprintf("chapter-%04d", i) }

// ChapterPath is where Generate writes chapter i below dir.
func ChapterPath(dir string, i int) string {
	return filepath.Join(dir, "content", ChapterID(i)+".md")
}

// Generate writes a book of n chapters into dir, which is created if
// needed. A guidebook site is dir/content/{book.yaml, glossary.yaml,
// references.bib, chapter-NNNN.md}; with opts.Hugo, dir is a Hugo site
// (config.toml, content/, layouts/_default/). Existing files of the same
// names are overwritten; nothing else in dir is touched.
func Generate(dir string, n int, opts Options) error {
	if n < 1 || n > MaxChapters {
		return fmt.Errorf("benchbook: %d chapters: want 1 to %d", n, MaxChapters)
	}
	opts = opts.withDefaults()
	g := newGen(n, opts)
	files := map[string][]byte{}
	if opts.Hugo {
		for name, data := range hugoSite {
			files[name] = []byte(data)
		}
	} else {
		files["content/book.yaml"] = []byte(bookYAML)
		files["content/glossary.yaml"] = g.glossaryYAML()
		files["content/references.bib"] = g.referencesBib()
	}
	for i := 1; i <= n; i++ {
		files["content/"+ChapterID(i)+".md"] = g.chapter(i)
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

const bookYAML = `title: "Synthetic Benchmark Book"
description: "Generated chapters for timing guidebook; the text is nonsense with the shape of the real guide."
language: en
author: "benchbook"
citation-style: numbered
references: references.bib
glossary: glossary.yaml
`

// hugoSite is the smallest Hugo site that gives one page per chapter plus
// a home page listing them: no theme, no taxonomies, feeds or sitemap.
// Code is highlighted with classes, as guidebook does, and each chapter
// page carries its own table of contents, as guidebook's does.
var hugoSite = map[string]string{
	"config.toml": `baseURL = "http://example.org/"
title = "Synthetic Benchmark Book"
languageCode = "en"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[markup.highlight]
  noClasses = false
[markup.goldmark.parser.attribute]
  title = true
`,
	"layouts/_default/baseof.html": `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ .Title }} · {{ .Site.Title }}</title></head>
<body>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
`,
	"layouts/_default/single.html": `{{ define "main" }}<article>
<h1>{{ .Title }}</h1>
<nav aria-label="On this page">{{ .TableOfContents }}</nav>
{{ .Content }}
<nav>{{ with .Prev }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }} {{ with .Next }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
</article>{{ end }}
`,
	"layouts/_default/list.html": `{{ define "main" }}<h1>{{ .Site.Title }}</h1>
<ol>{{ range .Pages.ByWeight }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ol>{{ end }}
`,
}

type gen struct {
	n     int
	opts  Options
	terms []term
	topic []term // the terms the chapter being written talks about
}

// Term and citation density. The shipped guide's densest chapter
// (content/intermediate.md) links 19 distinct terms and cites 14 times in
// 11.5 KB; a real chapter keeps coming back to a handful of its own
// terms. So each chapter draws its term mentions from its own topic of
// topicTerms terms, about one word in termEvery, and cites after one
// sentence in citeEvery: ~19 distinct terms and ~11 citations per ~10 KB
// chapter, while the 200-term glossary is still used throughout the book.
const (
	topicTerms = 24
	termEvery  = 30
	citeEvery  = 8
)

type term struct {
	name, alias, definition string
}

func newGen(n int, opts Options) *gen {
	g := &gen{n: n, opts: opts}
	r := rand.New(rand.NewPCG(opts.Seed, 0))
	// Two-word names from a fixed grid, shuffled: unique, realistic
	// phrases that the glossary matcher must find inside running text.
	var names []string
	for _, a := range termAdjectives {
		for _, b := range termNouns {
			names = append(names, a+" "+b)
		}
	}
	r.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
	for i := 0; i < opts.Terms; i++ {
		name := names[i%len(names)]
		if i >= len(names) {
			name = fmt.Sprintf("%s %d", name, i/len(names)+1)
		}
		t := term{name: capitalize(name), definition: g.sentences(r, 2, false)}
		if i%5 == 0 {
			t.alias = strings.ReplaceAll(name, " ", "-")
		}
		g.terms = append(g.terms, t)
	}
	return g
}

func (g *gen) glossaryYAML() []byte {
	var b bytes.Buffer
	b.WriteString("# Generated by internal/benchbook.\n")
	for _, t := range g.terms {
		fmt.Fprintf(&b, "- term: %q\n", t.name)
		if t.alias != "" {
			fmt.Fprintf(&b, "  aliases: [%q]\n", t.alias)
		}
		fmt.Fprintf(&b, "  definition: %q\n", t.definition)
	}
	return b.Bytes()
}

func (g *gen) referencesBib() []byte {
	r := rand.New(rand.NewPCG(g.opts.Seed, 1))
	var b bytes.Buffer
	for k := 1; k <= g.opts.References; k++ {
		fmt.Fprintf(&b, "@article{key%d,\n", k)
		fmt.Fprintf(&b, "  author  = {%s, %c. and %s, %c. and others},\n",
			capitalize(pick(r, surnames)), 'A'+rune(r.IntN(26)), capitalize(pick(r, surnames)), 'A'+rune(r.IntN(26)))
		fmt.Fprintf(&b, "  title   = {%s},\n", strings.TrimSuffix(g.sentence(r, false), "."))
		fmt.Fprintf(&b, "  journal = {Journal of %s %s},\n", capitalize(pick(r, termAdjectives)), capitalize(pick(r, journalNouns)))
		fmt.Fprintf(&b, "  volume  = {%d},\n", 1+r.IntN(90))
		p := 1 + r.IntN(900)
		fmt.Fprintf(&b, "  pages   = {%d--%d},\n", p, p+3+r.IntN(20))
		fmt.Fprintf(&b, "  year    = {%d}\n}\n\n", 1980+r.IntN(45))
	}
	return b.Bytes()
}

// chapter writes chapter i. Each chapter draws from its own stream, so a
// chapter's text does not depend on n (chapter 7 of a 100-chapter book is
// chapter 7 of a 10,000-chapter book, links aside).
func (g *gen) chapter(i int) []byte {
	r := rand.New(rand.NewPCG(g.opts.Seed, uint64(i)+2))
	hugo := g.opts.Hugo
	g.topic = g.terms
	if !g.opts.Dense {
		g.topic = make([]term, min(topicTerms, len(g.terms)))
		for k, j := range r.Perm(len(g.terms))[:len(g.topic)] {
			g.topic[k] = g.terms[j]
		}
	}
	var b bytes.Buffer
	title := fmt.Sprintf("Chapter %d: %s", i, titleCase(g.phrase(r, 3)))
	summary := g.sentence(r, false)
	b.WriteString("---\n")
	fmt.Fprintf(&b, "title: %q\n", title)
	if hugo {
		fmt.Fprintf(&b, "weight: %d\ndescription: %q\n", i, summary)
	} else {
		fmt.Fprintf(&b, "order: %d\nsummary: %q\n", i, summary)
	}
	b.WriteString("---\n\n")
	for p := 0; p < 2; p++ {
		b.WriteString(g.paragraph(r, 4+r.IntN(3)))
		b.WriteString("\n\n")
	}
	widget := !g.opts.NoWidgets && (i-1)%20 == 0
	for s := 1; s <= Sections; s++ {
		fmt.Fprintf(&b, "## %s {#section-%d}\n\n", titleCase(g.phrase(r, 2+r.IntN(3))), s)
		for p := 0; p < 2+r.IntN(2); p++ {
			b.WriteString(g.paragraph(r, 3+r.IntN(4)))
			b.WriteString("\n\n")
		}
		switch s {
		case 1:
			b.WriteString(g.crossLinks(r, i))
		case 2:
			fmt.Fprintf(&b, "### %s\n\n", titleCase(g.phrase(r, 3)))
			b.WriteString(g.list(r))
		case 3:
			if i%3 == 0 {
				b.WriteString(g.table(r))
			}
		case 4:
			if i%4 == 0 {
				b.WriteString(codeBlocks[i/4%len(codeBlocks)])
				b.WriteString("\n")
			}
			if widget {
				b.WriteString(g.paragraph(r, 2))
				b.WriteString("\n\n")
				if hugo {
					b.WriteString("*The HOMA-IR calculator appears here in the guidebook edition.*\n\n")
				} else {
					fmt.Fprintf(&b, "```widget homa-ir\ncite: [key%d]\n```\n\n", 1+r.IntN(g.opts.References))
				}
			}
		case 5:
			fmt.Fprintf(&b, "> %s\n\n", g.sentences(r, 2, true))
		}
	}
	return b.Bytes()
}

// crossLinks links to other chapters in the three forms the guide uses: a
// bare wikilink, a labelled wikilink and a Markdown link to the .md file.
// Hugo gets plain links to the built pages.
func (g *gen) crossLinks(r *rand.Rand, i int) string {
	if g.n < 2 {
		return ""
	}
	other := func() int {
		j := 1 + r.IntN(g.n-1)
		if j >= i {
			j++
		}
		return j
	}
	a, b, c := other(), other(), other()
	sa, sb, sc := 1+r.IntN(Sections), 1+r.IntN(Sections), 1+r.IntN(Sections)
	label := g.phrase(r, 3)
	if g.opts.Hugo {
		return fmt.Sprintf("Compare [chapter %d, section %d](../%s/#section-%d), [%s](../%s/#section-%d) and [the same idea elsewhere](../%s/#section-%d).\n\n",
			a, sa, ChapterID(a), sa, label, ChapterID(b), sb, ChapterID(c), sc)
	}
	return fmt.Sprintf("Compare [[%s#section-%d]], [[%s#section-%d|%s]] and [the same idea elsewhere](%s.md#section-%d).\n\n",
		ChapterID(a), sa, ChapterID(b), sb, label, ChapterID(c), sc)
}

func (g *gen) list(r *rand.Rand) string {
	var b strings.Builder
	for k := 0; k < 3+r.IntN(3); k++ {
		fmt.Fprintf(&b, "- %s\n", g.sentence(r, true))
	}
	b.WriteString("\n")
	return b.String()
}

func (g *gen) table(r *rand.Rand) string {
	var b strings.Builder
	b.WriteString("| Parameter | Group A | Group B | Placebo |\n| --- | ---: | ---: | ---: |\n")
	for k := 0; k < 4+r.IntN(3); k++ {
		fmt.Fprintf(&b, "| %s | %+.2f | %+.2f | %+.2f |\n", g.terms[r.IntN(len(g.terms))].name,
			r.Float64()*4-3, r.Float64()*4-3, r.Float64()*0.6-0.3)
	}
	b.WriteString("\n")
	return b.String()
}

// paragraph is k sentences with terms and citations in them.
func (g *gen) paragraph(r *rand.Rand, k int) string {
	return g.sentences(r, k, true)
}

func (g *gen) sentences(r *rand.Rand, k int, rich bool) string {
	parts := make([]string, k)
	for j := range parts {
		parts[j] = g.sentence(r, rich)
	}
	return strings.Join(parts, " ")
}

// sentence is 10 to 22 words. A rich sentence may use glossary terms (by
// name, alias or an explicit [[term:…]] mark) and end in a citation.
func (g *gen) sentence(r *rand.Rand, rich bool) string {
	n := 10 + r.IntN(13)
	words := make([]string, 0, n+4)
	every, citeEach := termEvery, citeEvery
	if g.opts.Dense {
		every, citeEach = 9, 4
	}
	for len(words) < n {
		if rich && r.IntN(every) == 0 {
			t := g.topic[r.IntN(len(g.topic))]
			switch {
			case t.alias != "" && r.IntN(2) == 0:
				words = append(words, t.alias)
			case r.IntN(25) == 0 && !g.opts.Hugo: // IntN first: Hugo's text stays the same
				words = append(words, "[[term:"+t.name+"|"+strings.ToLower(t.name)+"]]")
			default:
				words = append(words, strings.ToLower(t.name))
			}
			continue
		}
		words = append(words, pick(r, vocabulary))
	}
	s := capitalize(strings.Join(words, " "))
	// The draws happen for Hugo's copy too, so that both copies carry the
	// same words and differ only in the citation marks.
	if rich && r.IntN(citeEach) == 0 {
		a, b, two := 1+r.IntN(g.opts.References), 1+r.IntN(g.opts.References), r.IntN(5) == 0
		switch {
		case g.opts.Hugo:
		case two:
			s += fmt.Sprintf(" [@key%d; @key%d]", a, b)
		default:
			s += fmt.Sprintf(" [@key%d]", a)
		}
	}
	return s + "."
}

func (g *gen) phrase(r *rand.Rand, k int) string {
	words := make([]string, k)
	for j := range words {
		words[j] = pick(r, vocabulary)
	}
	return strings.Join(words, " ")
}

func pick(r *rand.Rand, from []string) string { return from[r.IntN(len(from))] }

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func titleCase(s string) string {
	f := strings.Fields(s)
	for i, w := range f {
		f[i] = capitalize(w)
	}
	return strings.Join(f, " ")
}

var codeBlocks = []string{
	"```python\ndef homa_ir(glucose_mg_dl, insulin_uu_ml):\n    \"\"\"Fasting glucose (mg/dL) x fasting insulin (uU/mL) / 405.\"\"\"\n    if glucose_mg_dl <= 0 or insulin_uu_ml <= 0:\n        raise ValueError(\"values must be positive\")\n    return glucose_mg_dl * insulin_uu_ml / 405\n\nfor g, i in [(90, 5), (100, 12), (126, 20)]:\n    print(f\"{g:>4} {i:>3} {homa_ir(g, i):.2f}\")\n```\n",
	"```go\n// QUICKI is 1 / (log10(insulin) + log10(glucose)).\nfunc QUICKI(glucose, insulin float64) float64 {\n\treturn 1 / (math.Log10(insulin) + math.Log10(glucose))\n}\n```\n",
	"```yaml\nstudy:\n  arms: [treatment, placebo]\n  weeks: 12\n  outcome: homa-ir\n  dose_mg: 500\n```\n",
	"```json\n{\"participants\": 120, \"weeks\": 16, \"outcomes\": [\"HbA1c\", \"fasting glucose\", \"HOMA-IR\"]}\n```\n",
}

var termAdjectives = []string{
	"hepatic", "renal", "muscular", "adipose", "pancreatic", "mitochondrial", "cellular", "vascular",
	"neural", "intestinal", "systemic", "oxidative", "metabolic", "endocrine", "glycolytic", "lipid",
	"cortical", "basal", "postprandial", "nocturnal",
}

var termNouns = []string{
	"kinase", "transporter", "receptor", "signalling", "clearance", "uptake", "oxidation", "flux",
	"turnover", "reserve", "threshold", "tolerance", "response", "marker", "pathway", "cascade",
	"balance", "capacity", "load", "sensitivity",
}

var journalNouns = []string{"Medicine", "Nutrition", "Physiology", "Endocrinology", "Research", "Science", "Studies"}

var surnames = []string{
	"garcia", "smith", "nakamura", "okafor", "ivanova", "rossi", "müller", "chen", "kowalski", "haddad",
	"silva", "larsen", "dubois", "kaur", "moreau", "novak", "tanaka", "osei", "lindqvist", "fischer",
}

// vocabulary is ordinary running text of a health guide, so paragraphs
// have the word lengths and the near-miss prefixes ("insulin" before
// "insulin receptor") the glossary matcher meets in the real book.
var vocabulary = strings.Fields(`the a of and to in is that for with as on by this it are be or from at
which their more can your body cells insulin glucose blood sugar energy muscle liver fat tissue response
signal hormone levels over time after meal exercise sleep stress diet fiber protein study trial group
participants results showed modest improvement reduction increase effect effects evidence suggests may
might often usually rarely long term short daily weekly dose doses supplement supplements magnesium
chromium berberine vitamin zinc compound compounds clinical research researchers measured measure fasting
value values higher lower normal range early late first second third several many most some few each
people adults patients healthy obese older younger women men risk factor factors disease diabetes type
heart kidney brain gut microbiome inflammation oxidative damage repair function role mechanism pathway
process step steps balance change changes habit habits lifestyle activity walking training resistance
aerobic carbohydrate carbohydrates meals breakfast dinner snack portion portions whole grains vegetables
fruit beans nuts seeds oil olive fish eggs water coffee tea alcohol tobacco weight waist pressure
cholesterol triglycerides marker markers index calculation formula estimate estimates sample samples
laboratory assay population populations age sex differ differs vary varies cut-off threshold guide guidance
clinician doctor advice treatment therapy medication metformin comparable similar different however
although because while when where whether before during between without within across toward through
consistent limited strong weak clear unclear important useful practical simple complex gradual rapid`)
