package cite

import (
	"sort"
	"strings"
	"testing"

	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/css"
	"golang.org/x/net/html"

	"guidebook"
)

// cssRule is a top-level rule of a stylesheet: its selectors and
// declarations, in source order.
type cssRule struct {
	selectors []string
	decls     map[string]string
}

// topLevelRules parses a stylesheet and returns the rules outside any
// at-rule (@media rules only adjust the page for dark mode and print).
func topLevelRules(t *testing.T, src []byte) []cssRule {
	t.Helper()
	p := css.NewParser(parse.NewInputBytes(src), false)
	var rules []cssRule
	depth := 0
	var cur *cssRule
	for {
		gt, _, data := p.Next()
		switch gt {
		case css.ErrorGrammar:
			if p.Err() != nil && p.Err().Error() != "EOF" {
				t.Fatalf("guidebook.css: %v", p.Err())
			}
			return rules
		case css.BeginAtRuleGrammar:
			depth++
		case css.EndAtRuleGrammar:
			depth--
		case css.BeginRulesetGrammar:
			var sel strings.Builder
			for _, v := range p.Values() {
				sel.Write(v.Data)
			}
			rules = append(rules, cssRule{decls: map[string]string{}})
			cur = &rules[len(rules)-1]
			if depth > 0 {
				cur = &cssRule{decls: map[string]string{}}
			}
			for _, s := range strings.Split(sel.String(), ",") {
				cur.selectors = append(cur.selectors, strings.TrimSpace(s))
			}
		case css.DeclarationGrammar:
			if cur != nil {
				var v strings.Builder
				for _, t := range p.Values() {
					v.Write(t.Data)
				}
				cur.decls[string(data)] = strings.TrimSpace(v.String())
			}
		case css.EndRulesetGrammar:
			cur = nil
		}
	}
}

// classStyle is what the top-level rules whose selector is a compound of
// classes only (".a" or ".a.b") set for an element with classes, applied
// by specificity and then source order, as a browser would.
func classStyle(rules []cssRule, classes []string, props ...string) string {
	has := map[string]bool{}
	for _, c := range classes {
		has[c] = true
	}
	type match struct {
		spec, order int
		decls       map[string]string
	}
	var ms []match
	for i, r := range rules {
		for _, s := range r.selectors {
			parts := strings.Split(strings.TrimPrefix(s, "."), ".")
			ok := strings.HasPrefix(s, ".")
			for _, p := range parts {
				ok = ok && p != "" && !strings.ContainsAny(p, " >+~:[") && has[p]
			}
			if ok {
				ms = append(ms, match{len(parts), i, r.decls})
			}
		}
	}
	sort.SliceStable(ms, func(i, j int) bool {
		if ms[i].spec != ms[j].spec {
			return ms[i].spec < ms[j].spec
		}
		return ms[i].order < ms[j].order
	})
	var out []string
	for _, p := range props {
		v := "unset"
		for _, m := range ms {
			if d, ok := m.decls[p]; ok {
				v = d
			}
		}
		out = append(out, p+":"+v)
	}
	return strings.Join(out, ";")
}

// Single and grouped citations take one style, in either citation style:
// every character of a citation (brackets and separators included, its
// tooltip excepted) sits in an element the stylesheet gives the same font
// size and vertical alignment; numbered citations are superscript,
// author-year ones are not.
func TestCitationStyleConsistent(t *testing.T) {
	data, err := guidebook.Files.ReadFile("assets/css/guidebook.css")
	if err != nil {
		t.Fatal(err)
	}
	rules := topLevelRules(t, data)
	bib := testBibliography(t)
	const md = "One [@lan2015] two [@lan2015; @guo2021] three [see @costello2016, p. 700; @volpe2013] four.\n"
	for _, style := range []Style{Numbered, AuthorYear} {
		t.Run(style.String(), func(t *testing.T) {
			out, errs, _ := convert(t, bib, style, nil, md)
			if errs != "" {
				t.Fatal(errs)
			}
			doc, err := html.Parse(strings.NewReader(out))
			if err != nil {
				t.Fatal(err)
			}
			var para *html.Node
			var find func(n *html.Node)
			find = func(n *html.Node) {
				if n.Type == html.ElementNode && n.Data == "p" && para == nil {
					para = n
				}
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					find(c)
				}
			}
			find(doc)
			var prose []string
			styles := map[string][]string{} // style -> citation texts in it
			var visit func(n *html.Node, styled []string)
			visit = func(n *html.Node, styled []string) {
				if n.Type == html.ElementNode {
					cls := strings.Fields(attrOf(n, "class"))
					for _, c := range cls {
						if c == "gb-tip" {
							return
						}
						if c == "gb-cite" || c == "gb-cite-mark" || c == "gb-cite-missing" {
							styled = cls
						}
					}
				}
				if n.Type == html.TextNode {
					if n.Parent == para {
						prose = append(prose, n.Data)
						return
					}
					if styled == nil {
						t.Errorf("citation text %q is in no citation element", n.Data)
						return
					}
					s := classStyle(rules, styled, "font-size", "vertical-align")
					styles[s] = append(styles[s], n.Data)
				}
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					visit(c, styled)
				}
			}
			visit(para, nil)
			if got := strings.Join(prose, "|"); got != "One | two | three | four." {
				t.Errorf("text outside citation elements: %q (brackets or separators left in the prose?)", got)
			}
			if len(styles) != 1 {
				t.Fatalf("citation texts take %d styles, want one: %q", len(styles), styles)
			}
			for s, texts := range styles {
				super := strings.Contains(s, "vertical-align:super")
				if super != (style == Numbered) {
					t.Errorf("%s citations are styled %q (%q)", style, s, texts)
				}
			}
		})
	}
}

func attrOf(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}
