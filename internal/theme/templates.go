package theme

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync"

	"html/template"
	"io/fs"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"guidebook"
	"guidebook/internal/diag"
	"guidebook/internal/srcfile"
)

// Templates are the parsed page and widget templates.
type Templates struct {
	Set *template.Template
	// Sources maps each template file to where it came from, for messages.
	Sources map[string]string
}

// LoadTemplates parses the embedded templates, replacing any file that
// siteDir/templates also has (a site overrides a page without copying the
// rest). siteDir may be empty.
func LoadTemplates(siteDir string) (*Templates, error) {
	files := map[string][]byte{}
	sources := map[string]string{}
	err := fs.WalkDir(guidebook.Files, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		data, err := guidebook.Files.ReadFile(p)
		name := strings.TrimPrefix(p, "templates/")
		files[name], sources[name] = data, "(built-in) templates/"+name
		return err
	})
	if err != nil {
		return nil, err
	}
	if siteDir != "" {
		err := walkSiteDir(siteDir, "templates", srcfile.MaxText, func(name string, data []byte) {
			if strings.HasSuffix(name, ".html") {
				files[name], sources[name] = data, "templates/"+name
			}
		})
		if err != nil {
			return nil, err
		}
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	set := template.New("").Option("missingkey=error").Funcs(template.FuncMap{"dict": dict})
	var errs diag.List
	for _, n := range names {
		if _, err := set.New(n).Parse(string(files[n])); err != nil {
			errs.Add(templateError(sources[n], err))
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return &Templates{Set: set, Sources: sources}, nil
}

// html/template reports "template: name:LINE: msg" or, at execution,
// "template: name:LINE:COL: executing ...". Both become file:line.
var tmplPos = regexp.MustCompile(`^template: ([^:]+):(\d+)(?::(\d+))?: ?(.*)$`)

func templateError(file string, err error) error {
	m := tmplPos.FindStringSubmatch(err.Error())
	if m == nil {
		return diag.Errorf(diag.Pos{File: file}, "template: %v", err)
	}
	line, _ := strconv.Atoi(m[2])
	col, _ := strconv.Atoi(m[3])
	return diag.Errorf(diag.Pos{File: file, Line: line, Col: col}, "template: %s", m[4])
}

// Execute runs the named template, turning an execution error into one
// located in the template file that failed.
func (t *Templates) Execute(name string, data any) ([]byte, error) {
	var out []byte
	err := t.ExecuteFunc(name, data, func(b []byte) error {
		// Copied out at its exact size: growing a fresh buffer page
		// after page had the runtime zeroing and copying megabytes (a
		// sixth of a large book's build).
		out = bytes.Clone(b)
		return nil
	})
	return out, err
}

// ExecuteFunc runs the named template into a pooled buffer and hands the
// result to use, which must not keep it: a page written straight to disk
// needs no copy of its own.
func (t *Templates) ExecuteFunc(name string, data any, use func([]byte) error) error {
	b := buffers.Get().(*bytes.Buffer)
	defer buffers.Put(b)
	b.Reset()
	if err := t.Set.ExecuteTemplate(b, name, data); err != nil {
		// The error names the file that failed, which may be a partial
		// rather than the page template that was executed.
		file := t.Sources[name]
		if m := tmplPos.FindStringSubmatch(err.Error()); m != nil && t.Sources[m[1]] != "" {
			file = t.Sources[m[1]]
		}
		return templateError(file, err)
	}
	return use(b.Bytes())
}

var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Has reports whether a template exists.
func (t *Templates) Has(name string) bool { return t.Set.Lookup(name) != nil }

// dict builds a map for passing several values to a sub-template:
// {{template "script" (dict "Page" . "Name" "js/x.js")}}.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, errors.New("dict needs key and value pairs")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, errors.New("dict keys must be strings")
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// walkSiteDir reads the files of siteDir/sub (templates/ or assets/) under
// srcfile's rules and hands each to use by its slash-separated name inside
// sub. Hidden files (editors' lock and swap files) are skipped. Every problem is collected, named
// "sub/name" as the author reaches it from the site folder; a missing sub
// is no problem.
func walkSiteDir(siteDir, sub string, limit int64, use func(name string, data []byte)) error {
	root := filepath.Join(siteDir, sub)
	files := srcfile.NewRoot(siteDir)
	var errs diag.List
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(root, p)
		name := filepath.ToSlash(rel)
		pos := diag.Pos{File: srcfile.Quote(path.Join(sub, name))}
		if errors.Is(err, fs.ErrNotExist) && p == root {
			return filepath.SkipDir
		}
		if err != nil {
			errs.Addf(pos, "cannot read: %v", err)
			return nil
		}
		if p == root {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") && !d.IsDir() {
			return nil // editors' lock and swap files
		}
		if err := srcfile.CheckName(d.Name()); err != nil {
			errs.Addf(pos, "%v", err)
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		data, err := files.Read(p, limit)
		if err != nil {
			errs.Addf(pos, "%v", readReason(err))
			return nil
		}
		use(name, data)
		return nil
	})
	if err != nil {
		errs.Addf(diag.Pos{File: sub}, "cannot read: %v", err)
	}
	return errs.Err()
}

// readReason is srcfile's refusal as it is, or the system's reason for a
// failed read.
func readReason(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("cannot read: %w", pe.Err)
	}
	return err
}

// Hash writes what the templates are made of into h, for a cache key
// that must change with any of them: each template's name and source, in
// name order, and the bytes of every file under siteDir/templates
// (Sources only names them). siteDir may be empty.
func (t *Templates) Hash(h io.Writer, siteDir string) {
	names := make([]string, 0, len(t.Sources))
	for n := range t.Sources {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintln(h, n, t.Sources[n])
	}
	if siteDir == "" {
		return
	}
	files := srcfile.NewRoot(siteDir)
	filepath.WalkDir(filepath.Join(siteDir, "templates"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if data, err := files.Read(p, srcfile.MaxText); err == nil {
				h.Write(data)
			}
		}
		return nil
	})
}
