package responder

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"text/template"
	"unicode/utf8"
)

// source ranks where a template came from: the operator's override directory wins
// over the built-in tree.
type source int

const (
	fromOverride source = iota
	fromBuiltin
)

// templateFile is one .tmpl file found in a template tree.
type templateFile struct {
	src    source
	store  string // "" for a generic template
	lang   string
	action string // "" for a partial (_name.tmpl)
	name   string // what errors call the file: its path
	text   string
}

var (
	langPattern  = regexp.MustCompile(`^[a-z]{2,3}$`)
	storePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)
)

// collectTemplates reads every .tmpl file of fsys. Accepted paths:
//
//	<lang>/<action>.tmpl, <lang>/_<partial>.tmpl,
//	stores/<store>/<lang>/<action>.tmpl, <store>/<lang>/<action>.tmpl
//
// Any other .tmpl path, an unknown action or a language that is not a two- or
// three-letter code is an error, so that a typo in an override is not silently
// ignored. Files without the .tmpl suffix (READMEs) and dot-directories are skipped.
// displayRoot is prefixed to the paths in error messages.
func collectTemplates(fsys fs.FS, src source, displayRoot string) ([]templateFile, error) {
	var files []templateFile
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != "." && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".tmpl") || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		name := p
		if displayRoot != "" {
			name = filepath.Join(displayRoot, filepath.FromSlash(p))
		}
		f, err := classify(p)
		if err != nil {
			return fmt.Errorf("template %s: %w", name, err)
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return fmt.Errorf("read template %s: %w", name, err)
		}
		if !utf8.Valid(data) {
			return fmt.Errorf("template %s: not valid UTF-8", name)
		}
		f.src, f.name, f.text = src, name, string(data)
		files = append(files, f)
		return nil
	})
	if err != nil {
		return nil, err
	}
	// WalkDir is lexical already; sorting keeps the partial order independent of it.
	sort.Slice(files, func(i, j int) bool { return files[i].name < files[j].name })
	return files, nil
}

// classify reads store, language and action from a template's path.
func classify(p string) (templateFile, error) {
	parts := strings.Split(p, "/")
	var f templateFile
	switch {
	case len(parts) == 2:
		f.lang = parts[0]
	case len(parts) == 3:
		f.store, f.lang = parts[0], parts[1]
	case len(parts) == 4 && parts[0] == "stores":
		f.store, f.lang = parts[1], parts[2]
	default:
		return f, fmt.Errorf("unexpected path (want <lang>/<action>.tmpl or stores/<store>/<lang>/<action>.tmpl)")
	}
	if !langPattern.MatchString(f.lang) {
		return f, fmt.Errorf("language directory %q is not a language code such as \"en\"", f.lang)
	}
	if f.store != "" && !storePattern.MatchString(f.store) {
		return f, fmt.Errorf("store directory %q is not a store id", f.store)
	}
	base := strings.TrimSuffix(path.Base(p), ".tmpl")
	if strings.HasPrefix(base, "_") {
		if f.store != "" {
			return f, fmt.Errorf("shared blocks (_*.tmpl) belong in <lang>/, not in a store directory")
		}
		return f, nil
	}
	if _, ok := Codes[base]; !ok {
		return f, fmt.Errorf("unknown action %q", base)
	}
	f.action = base
	return f, nil
}

// loadOverrides reads the operator's template directory; a missing directory is an
// error because the operator named it.
func loadOverrides(dir string) ([]templateFile, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("template override directory: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("template override directory %s: not a directory", dir)
	}
	return collectTemplates(os.DirFS(dir), fromOverride, dir)
}

// parseAll parses the action templates, each together with the shared blocks of its
// language (built-in first, then the override directory's, which may redefine them).
func parseAll(files []templateFile) (map[templateKey]*template.Template, error) {
	bases := map[string]*template.Template{}
	baseFor := func(lang string) *template.Template {
		if b, ok := bases[lang]; ok {
			return b
		}
		b := template.New("").Funcs(funcMap(lang))
		bases[lang] = b
		return b
	}
	// Partials: built-in before override so that the override's definition wins.
	for _, src := range []source{fromBuiltin, fromOverride} {
		for _, f := range files {
			if f.action != "" || f.src != src {
				continue
			}
			if _, err := baseFor(f.lang).New(f.name).Parse(f.text); err != nil {
				return nil, fmt.Errorf("parse template %s: %w", f.name, err)
			}
		}
	}
	out := map[templateKey]*template.Template{}
	for _, f := range files {
		if f.action == "" {
			continue
		}
		set, err := baseFor(f.lang).Clone()
		if err != nil {
			return nil, fmt.Errorf("prepare template %s: %w", f.name, err)
		}
		t, err := set.New(f.name).Parse(f.text)
		if err != nil {
			return nil, fmt.Errorf("parse template %s: %w", f.name, err)
		}
		k := templateKey{src: f.src, store: f.store, lang: f.lang, action: f.action}
		if prev, dup := out[k]; dup {
			return nil, fmt.Errorf("template %s: same store, language and action as %s", f.name, prev.Name())
		}
		out[k] = t
	}
	return out, nil
}
