package widgets

import (
	"html/template"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"guidebook/internal/calc"
)

// Registry knows which widgets exist: the built-in ones, whose options are
// typed and checked, and any other widget a site supplies a template for.
type Registry struct {
	tmpl     *template.Template
	builtins map[string]builtin
}

// builtin is a widget guidebook ships with typed options.
type builtin struct {
	// options returns fresh options holding the defaults; YAML decodes
	// over them, so an option left out keeps its default.
	options func() checker
}

// checker is implemented by built-in options structs. Check reports what
// strict decoding cannot (ordering, empty strings), at the YAML node
// concerned; CiteKeys are the keys to cite when the block gives no cite.
type checker interface {
	Check(root *yaml.Node) []calc.Problem
	CiteKeys() []string
}

// CiteKeys are the keys the widget cites when its block gives no cite.
func (o *HOMAOptions) CiteKeys() []string { return o.Cite }

// NewRegistry returns a registry whose widgets render with the templates
// named "widgets/NAME.html" in tmpl (nil gives a registry with no
// templates: built-in widgets still parse but cannot render). A template
// for a name that is not built in makes a site widget.
func NewRegistry(tmpl *template.Template) *Registry {
	return &Registry{
		tmpl: tmpl,
		builtins: map[string]builtin{
			"homa-ir":    {options: func() checker { return defaultHOMAOptions() }},
			"calculator": {options: func() checker { return &calc.Spec{} }},
		},
	}
}

// TemplateName is the template a widget renders with.
func TemplateName(widget string) string { return "widgets/" + widget + ".html" }

func (r *Registry) template(name string) *template.Template {
	if r == nil || r.tmpl == nil {
		return nil
	}
	return r.tmpl.Lookup(TemplateName(name))
}

// Names lists the widgets a page can use: the built-in ones and every
// site widget with a template, sorted.
func (r *Registry) Names() []string {
	seen := map[string]bool{}
	for name := range r.builtinMap() {
		seen[name] = true
	}
	if r != nil && r.tmpl != nil {
		for _, t := range r.tmpl.Templates() {
			if name, ok := strings.CutPrefix(t.Name(), "widgets/"); ok && strings.HasSuffix(name, ".html") {
				seen[strings.TrimSuffix(name, ".html")] = true
			}
		}
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (r *Registry) builtinMap() map[string]builtin {
	if r == nil {
		return NewRegistry(nil).builtins
	}
	return r.builtins
}
