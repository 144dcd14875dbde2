package bibfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"guidebook/internal/bib"
	"guidebook/internal/diag"
)

// cslTypes normalises CSL item types to the vocabulary bib.Entry.Type uses.
var cslTypes = map[string]string{
	"article": "article", "article-journal": "article", "article-magazine": "article", "article-newspaper": "article",
	"book": "book", "chapter": "chapter", "paper-conference": "conference", "report": "report",
	"thesis": "thesis", "webpage": "webpage", "post-weblog": "webpage", "post": "webpage",
}

// parseCSLJSON reads a CSL-JSON array. Each item is decoded on its own so
// that every entry knows the line it starts on.
func parseCSLJSON(file string, data []byte) ([]bib.Entry, error) {
	errs := &diag.List{}
	pos := func(off int64) diag.Pos {
		line, col := diag.LineCol(data, int(off))
		return diag.Pos{File: file, Line: line, Col: col}
	}
	jsonErr := func(err error, at int64) error {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			// A Decoder's offsets count from its last buffer refill;
			// Unmarshal of the whole file gives the true one.
			var v any
			if errors.As(json.Unmarshal(data, &v), &se) {
				at = se.Offset - 1
			}
		case errors.As(err, &te):
			at = te.Offset
		case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
			at = int64(len(data))
			err = errors.New("unexpected end of JSON input")
		}
		errs.Add(diag.Errorf(pos(at), "invalid CSL-JSON: %v", err))
		return errs
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, jsonErr(err, 0)
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		errs.Addf(pos(0), "CSL-JSON must be an array of references")
		return nil, errs
	}
	var entries []bib.Entry
	for dec.More() {
		start := skipJSONSpace(data, dec.InputOffset())
		var item map[string]any
		if err := dec.Decode(&item); err != nil {
			return entries, jsonErr(err, start)
		}
		if e, err := cslEntry(item, pos(start)); err != nil {
			errs.Add(err)
		} else {
			entries = append(entries, e)
		}
	}
	if _, err := dec.Token(); err != nil {
		return entries, jsonErr(err, dec.InputOffset())
	}
	return entries, errs.Err()
}

func skipJSONSpace(data []byte, off int64) int64 {
	for off < int64(len(data)) && strings.IndexByte(" \t\r\n,", data[off]) >= 0 {
		off++
	}
	return off
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

// parseCSLYAML reads CSL-YAML: a list of references, or a mapping whose
// `references:` holds the list (the form pandoc writes).
func parseCSLYAML(file string, data []byte) ([]bib.Entry, error) {
	errs := &diag.List{}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line := 0
		if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
			line, _ = strconv.Atoi(m[1])
		}
		errs.Addf(diag.Pos{File: file, Line: line}, "invalid CSL-YAML: %s", strings.TrimPrefix(err.Error(), "yaml: "))
		return nil, errs
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	list := doc.Content[0]
	if list.Kind == yaml.MappingNode {
		var refs *yaml.Node
		for i := 0; i+1 < len(list.Content); i += 2 {
			if list.Content[i].Value == "references" {
				refs = list.Content[i+1]
			}
		}
		if refs == nil {
			errs.Addf(diag.Pos{File: file, Line: list.Line, Col: list.Column}, "CSL-YAML mapping has no references: list")
			return nil, errs
		}
		list = refs
	}
	if list.Kind != yaml.SequenceNode {
		errs.Addf(diag.Pos{File: file, Line: list.Line, Col: list.Column}, "CSL-YAML must be a list of references")
		return nil, errs
	}
	var entries []bib.Entry
	for _, n := range list.Content {
		pos := diag.Pos{File: file, Line: n.Line, Col: n.Column}
		if n.Kind != yaml.MappingNode {
			errs.Addf(pos, "reference is not a mapping")
			continue
		}
		var item map[string]any
		if err := n.Decode(&item); err != nil {
			errs.Addf(pos, "invalid reference: %s", strings.TrimPrefix(err.Error(), "yaml: "))
			continue
		}
		if e, err := cslEntry(item, pos); err != nil {
			errs.Add(err)
		} else {
			entries = append(entries, e)
		}
	}
	return entries, errs.Err()
}

// cslEntry maps one decoded CSL item (from JSON or YAML alike, so the two
// formats cannot disagree) to an bib.Entry.
func cslEntry(item map[string]any, pos diag.Pos) (bib.Entry, error) {
	if item == nil {
		return bib.Entry{}, diag.Errorf(pos, "reference is not a mapping")
	}
	e := bib.Entry{Key: scalar(item["id"]), Pos: pos}
	if e.Key == "" {
		return bib.Entry{}, diag.Errorf(pos, "reference has no id")
	}
	e.Type = cslTypes[scalar(item["type"])]
	if e.Type == "" {
		e.Type = "misc"
	}
	for _, field := range []string{"author", "editor"} {
		if v, ok := item[field]; ok {
			ps, err := cslNames(v)
			if err != nil {
				return bib.Entry{}, diag.Errorf(pos, "reference %q: %s: %v", e.Key, field, err)
			}
			if len(ps) > 0 {
				e.Authors = ps
				break
			}
		}
	}
	e.Title = scalar(item["title"])
	e.Container = scalar(item["container-title"])
	e.Publisher = scalar(item["publisher"])
	e.Volume = scalar(item["volume"])
	e.Issue = scalar(item["issue"])
	e.Pages = scalar(item["page"])
	e.Year = cslYear(item["issued"])
	e.DOI = scalar(item["DOI"])
	e.URL = scalar(item["URL"])
	e.Note = scalar(item["note"])
	return e, nil
}

// scalar is a CSL value as text: CSL-JSON writes numbers where it likes
// ("volume": 161) and YAML reads "2021" as an integer.
func scalar(v any) string {
	switch v := v.(type) {
	case string:
		return bib.CollapseSpace(v)
	case json.Number:
		return v.String()
	case int, int64, uint64, float64:
		return fmt.Sprint(v)
	}
	return ""
}

func cslNames(v any) ([]bib.Person, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, errors.New("expected a list of names")
	}
	var out []bib.Person
	for _, n := range list {
		m, ok := n.(map[string]any)
		if !ok {
			return nil, errors.New("expected a name with family/given or literal")
		}
		p := bib.Person{
			Family:  strings.TrimSpace(scalar(m["non-dropping-particle"]) + " " + scalar(m["family"])),
			Given:   strings.TrimSpace(scalar(m["given"]) + " " + scalar(m["dropping-particle"])),
			Literal: scalar(m["literal"]),
		}
		if s := scalar(m["suffix"]); s != "" {
			p.Given += ", " + s
		}
		if p.Literal == "others" || p.Family == "others" && p.Given == "" {
			p = bib.EtAl
		}
		out = append(out, p)
	}
	return out, nil
}

// cslYear reads the year from {"date-parts": [[2015, 3]]}, {"raw": "..."},
// {"literal": "..."}, {"year": 2015} or a bare year.
func cslYear(v any) string {
	switch v := v.(type) {
	case map[string]any:
		if parts, ok := v["date-parts"].([]any); ok && len(parts) > 0 {
			if first, ok := parts[0].([]any); ok && len(first) > 0 {
				return scalar(first[0])
			}
		}
		for _, k := range []string{"year", "raw", "literal"} {
			if y := yearOf(scalar(v[k])); y != "" {
				return y
			}
		}
	case []any:
		if len(v) > 0 {
			return cslYear(v[0])
		}
	default:
		return yearOf(scalar(v))
	}
	return ""
}
