package widgets

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"guidebook/internal/calc"
)

// citeRef is a cited key and the YAML scalar it came from (nil for a
// default key), so an unknown key is reported where it is written.
type citeRef struct {
	key  string
	node *yaml.Node
	// group is "" for the widget's own citation, else the part citing
	// it (Node.CiteGroups).
	group string
}

// decode reads a widget block's YAML body. Built-in widgets decode
// strictly (yaml.v3 KnownFields) over their defaults and are then checked;
// site widgets get the mapping as map[string]any. known is false when the
// registry has neither a built-in nor a template of that name.
func (r *Registry) decode(name string, body []byte) (opts any, cites []citeRef, probs []calc.Problem, known bool) {
	b, isBuiltin := r.builtinMap()[name]
	if !isBuiltin && r.template(name) == nil {
		return nil, nil, nil, false
	}
	root, probs := optionsRoot(body)
	if probs != nil {
		return nil, nil, probs, true
	}
	if isBuiltin {
		opts, cites, probs = decodeBuiltin(b, body, root)
	} else {
		opts, probs = decodeSite(root)
	}
	if probs != nil {
		return nil, nil, probs, true
	}
	// The written keys, with their nodes, replace the defaults.
	if written, ok, citeProbs := writtenCites(root); citeProbs != nil {
		return nil, nil, citeProbs, true
	} else if ok {
		cites = written
	}
	// A calculator's bands cite sources of their own, each cited where
	// its band is shown, under its group (see Node.CiteGroups).
	if spec, ok := opts.(*calc.Spec); ok {
		for _, bc := range spec.BandCites(root) {
			cites = append(cites, citeRef{key: bc.Key, node: bc.Node, group: bc.Group})
		}
	}
	return opts, cites, nil, true
}

// optionsRoot parses the body and returns its top-level mapping, nil for
// an empty body.
func optionsRoot(body []byte) (*yaml.Node, []calc.Problem) {
	var doc yaml.Node
	if err := yaml.Unmarshal(body, &doc); err != nil {
		return nil, yamlProblems(err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, nil
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return nil, nil
	}
	if root.Kind != yaml.MappingNode {
		return nil, []calc.Problem{{Node: root, Msg: "widget options must be a YAML mapping (key: value lines)"}}
	}
	return root, nil
}

// decodeBuiltin decodes a built-in's options strictly over its defaults,
// checks them, and returns its default citations.
func decodeBuiltin(b builtin, body []byte, root *yaml.Node) (any, []citeRef, []calc.Problem) {
	o := b.options()
	if root != nil {
		dec := yaml.NewDecoder(bytes.NewReader(body))
		dec.KnownFields(true)
		if err := dec.Decode(o); err != nil && !errors.Is(err, io.EOF) {
			return nil, nil, yamlProblems(err)
		}
	}
	if probs := o.Check(root); probs != nil {
		return nil, nil, probs
	}
	var cites []citeRef
	for _, k := range o.CiteKeys() {
		cites = append(cites, citeRef{key: k})
	}
	return o, cites, nil
}

// decodeSite decodes a site widget's options as a plain mapping.
func decodeSite(root *yaml.Node) (any, []calc.Problem) {
	m := map[string]any{}
	if root != nil {
		if err := root.Decode(&m); err != nil {
			return nil, yamlProblems(err)
		}
	}
	return m, nil
}

// writtenCites reads the cite option; ok is false when it is not written.
func writtenCites(root *yaml.Node) (cites []citeRef, ok bool, probs []calc.Problem) {
	v := calc.MapValue(root, "cite")
	if v == nil {
		return nil, false, nil
	}
	var items []*yaml.Node
	switch {
	case v.Kind == yaml.SequenceNode:
		items = v.Content
	case v.Kind == yaml.ScalarNode && v.Tag == "!!null":
	case v.Kind == yaml.ScalarNode:
		items = []*yaml.Node{v}
	default:
		return nil, true, []calc.Problem{{Node: v, Msg: "cite: give a list of citation keys, such as [lan2015]"}}
	}
	for _, it := range items {
		key := strings.TrimPrefix(strings.TrimSpace(it.Value), "@")
		if it.Kind != yaml.ScalarNode || key == "" || strings.ContainsAny(key, " \t\n,;[]") {
			probs = append(probs, calc.Problem{Node: it, Msg: "cite: each entry must be one citation key, such as lan2015"})
			continue
		}
		cites = append(cites, citeRef{key: key, node: it})
	}
	return cites, true, probs
}

var (
	// yaml.v3 locates syntax errors as "yaml: line N: msg" and type errors
	// as "line N: msg" (one per problem inside a *yaml.TypeError).
	yamlLineMsg  = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
	unknownField = regexp.MustCompile(`^field (.+) not found in type \S+$`)
	cannotDecode = regexp.MustCompile("^cannot unmarshal !!(\\w+)(?: `(.*)`)? into (\\S+)$")
)

// yamlProblems turns a yaml.v3 error into located problems with messages
// written for authors rather than Go programmers.
func yamlProblems(err error) []calc.Problem {
	var msgs []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	} else {
		msgs = []string{err.Error()}
	}
	probs := make([]calc.Problem, 0, len(msgs))
	for _, m := range msgs {
		line := 0
		if sm := yamlLineMsg.FindStringSubmatch(m); sm != nil {
			line, _ = strconv.Atoi(sm[1])
			m = sm[2]
		}
		m = strings.TrimPrefix(m, "yaml: ")
		if parserError(m) {
			// yaml.v3 (decode.go, parser.fail) reports a parser error's
			// line 0-based, and leaves out line 0 altogether; scanner
			// and type errors are 1-based.
			line++
		}
		if p := unknownField.FindStringSubmatch(m); p != nil {
			m = fmt.Sprintf("unknown option %q", p[1])
		} else if p := cannotDecode.FindStringSubmatch(m); p != nil {
			what := yamlKinds[p[1]]
			if what == "" {
				what = p[1]
			}
			if p[2] != "" {
				what += fmt.Sprintf(" %q", p[2])
			}
			m = fmt.Sprintf("cannot use %s as %s", what, goTypeWords(p[3]))
		}
		var n *yaml.Node
		if line > 0 {
			n = &yaml.Node{Line: line}
		}
		probs = append(probs, calc.Problem{Node: n, Msg: "bad widget options: " + m})
	}
	return probs
}

// parserErrors are the problems yaml.v3's parser (not its scanner)
// reports (gopkg.in/yaml.v3 parserc.go).
var parserErrors = []string{
	"did not find expected ',' or ']'", "did not find expected ',' or '}'", "did not find expected '-' indicator",
	"did not find expected <document start>", "did not find expected key", "did not find expected node content",
	"found duplicate %TAG directive", "found duplicate %YAML directive", "found incompatible YAML document",
	"found undefined tag handle",
}

func parserError(msg string) bool {
	for _, p := range parserErrors {
		if msg == p {
			return true
		}
	}
	return false
}

var yamlKinds = map[string]string{
	"str": "text", "int": "the number", "float": "the number", "bool": "the boolean",
	"seq": "a list", "map": "a mapping", "null": "an empty value", "timestamp": "the date",
}

func goTypeWords(t string) string {
	switch {
	case t == "float64" || t == "*float64" || strings.HasPrefix(t, "int"):
		return "a number"
	case t == "bool":
		return "true or false"
	case t == "string":
		return "text"
	case t == "[]widgets.Band":
		return "a list of bands"
	case t == "widgets.Band":
		return "a band ({max: 1.0, label: \"…\"})"
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case strings.HasPrefix(t, "map["), strings.HasPrefix(t, "widgets."), strings.HasPrefix(t, "calc."):
		return "a mapping"
	}
	return t
}
