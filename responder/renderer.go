package responder

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"text/template"
	"unicode"
)

// templateKey finds one parsed template; store is "" for a generic one.
type templateKey struct {
	src    source
	store  string
	lang   string
	action string
}

// Renderer renders reply bodies from parsed templates. It is immutable after
// NewRenderer and safe for concurrent use.
type Renderer struct {
	templates map[templateKey]*template.Template
}

// NewRenderer parses every template of fsys (normally templates.FS) and, when
// overrideDir is not empty, of that directory, which must then exist. Both trees
// use the same layout:
//
//	<lang>/<action>.tmpl                 generic template of a language
//	<lang>/_<name>.tmpl                  shared {{define}} blocks of that language
//	stores/<store>/<lang>/<action>.tmpl  a store's own template
//	<store>/<lang>/<action>.tmpl         the same, shorter (override directory)
//
// Shared blocks of the override directory may redefine the built-in ones, and it may
// add languages. Render looks a template up in this order: override store, override
// generic, built-in store, built-in generic; then the same four in English.
//
// Each template is then rendered once for every code of its action with an empty
// Data (store name only), so a template that would fail on missing data fails here,
// at start, rather than on a customer's mail. Errors name the file and, where the
// template package knows it, the line.
func NewRenderer(fsys fs.FS, overrideDir string) (*Renderer, error) {
	if fsys == nil {
		return nil, errors.New("new renderer: no template file system")
	}
	files, err := collectTemplates(fsys, fromBuiltin, "")
	if err != nil {
		return nil, err
	}
	if overrideDir != "" {
		more, err := loadOverrides(overrideDir)
		if err != nil {
			return nil, err
		}
		files = append(files, more...)
	}
	parsed, err := parseAll(files)
	if err != nil {
		return nil, err
	}
	r := &Renderer{templates: parsed}
	if err := r.check(); err != nil {
		return nil, err
	}
	return r, nil
}

// check renders every template for every code of its action from an empty Data.
func (r *Renderer) check() error {
	for k, t := range r.templates {
		for _, code := range Codes[k.action] {
			d := Data{
				Store:    Store{ID: k.store, Name: "Example Store"},
				Language: k.lang,
				Action:   k.action,
				Code:     code,
			}
			if err := t.Execute(io.Discard, d); err != nil {
				return fmt.Errorf("check template %s with code %s: %w", t.Name(), code, err)
			}
		}
	}
	return nil
}

// lookup finds the template for (store, lang, action): override store, override
// generic, built-in store, built-in generic; then the same in English.
func (r *Renderer) lookup(store, lang, action string) (*template.Template, string) {
	langs := []string{lang}
	if lang != FallbackLanguage {
		langs = append(langs, FallbackLanguage)
	}
	for _, l := range langs {
		for _, k := range []templateKey{
			{fromOverride, store, l, action},
			{fromOverride, "", l, action},
			{fromBuiltin, store, l, action},
			{fromBuiltin, "", l, action},
		} {
			if t, ok := r.templates[k]; ok {
				return t, l
			}
		}
	}
	return nil, ""
}

// Language returns the language Render would use for action in lang: lang itself when
// it has a template, else English. Data that is worded per language (policy quotes)
// is prepared in it.
func (r *Renderer) Language(store, lang, action string) string {
	_, used := r.lookup(store, normalizeLanguage(lang), action)
	return used
}

// Render renders the body of action for store in lang (a code such as "de" or
// "de-AT"; empty means English), falling back to English when the language has no
// template. It returns the body and the language actually used. d.Language and
// d.Action are set here; customer-supplied strings are flattened to one line.
func (r *Renderer) Render(store, lang, action string, d Data) (body, usedLang string, err error) {
	lang = normalizeLanguage(lang)
	t, used := r.lookup(store, lang, action)
	if t == nil {
		return "", "", fmt.Errorf("render %s for store %q: no template in %q or %q", action, store, lang, FallbackLanguage)
	}
	d.Language, d.Action = used, action
	sanitizeData(&d)
	var b strings.Builder
	if err := t.Execute(&b, d); err != nil {
		return "", "", fmt.Errorf("render %s/%s for store %q: %w", action, d.Code, store, err)
	}
	return tidyBody(b.String()), used, nil
}

// normalizeLanguage turns "DE", "de-AT" or "de_AT" into "de"; empty means English.
func normalizeLanguage(lang string) string {
	lang = strings.ToLower(strings.TrimSpace(lang))
	if i := strings.IndexAny(lang, "-_"); i >= 0 {
		lang = lang[:i]
	}
	if lang == "" {
		return FallbackLanguage
	}
	return lang
}

// maxNameRunes caps a display name in a greeting; longer ones are spam or abuse.
const maxNameRunes = 80

// sanitizeData flattens the customer-controlled strings to one line, so that a
// display name cannot add lines of its own to the reply (text/template never
// evaluates data, so "{{.RAN}}" in a name already prints literally).
func sanitizeData(d *Data) {
	d.CustomerName = truncateRunes(singleLine(d.CustomerName), maxNameRunes)
	d.OrderNumberTried = singleLine(d.OrderNumberTried)
	d.TrackingNumber = singleLine(d.TrackingNumber)
	d.Carrier = singleLine(d.Carrier)
	d.CustomerEmail = singleLine(d.CustomerEmail)
	d.ThreadSubject = singleLine(d.ThreadSubject)
	d.Items = singleLines(d.Items)
	d.CandidateItems = singleLines(d.CandidateItems)
}

func singleLines(list []string) []string {
	if list == nil {
		return nil
	}
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = singleLine(s)
	}
	return out
}

// singleLine replaces control characters with spaces, drops bidirectional
// overrides (which can make text read differently from what it is), and collapses
// runs of white space.
func singleLine(s string) string {
	clean := true
	for _, r := range s {
		if unicode.IsControl(r) || isBidiControl(r) || r == '\u2028' || r == '\u2029' {
			clean = false
			break
		}
	}
	if clean && !strings.Contains(s, "  ") && strings.TrimSpace(s) == s {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case isBidiControl(r):
		case unicode.IsControl(r), r == '\u2028', r == '\u2029':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

func isBidiControl(r rune) bool {
	return (r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069') || r == '\u200E' || r == '\u200F'
}

func truncateRunes(s string, n int) string {
	i := 0
	for pos := range s {
		if i == n {
			return strings.TrimSpace(s[:pos])
		}
		i++
	}
	return s
}

// tidyBody makes template output a clean mail body: LF line ends, no trailing
// blanks, at most one empty line in a row, none at the start, exactly one newline
// at the end. Templates can then leave optional paragraphs empty without care.
func tidyBody(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	var b strings.Builder
	b.Grow(len(s) + 1)
	blank := true // suppresses empty lines at the start
	for line := range strings.SplitSeq(s, "\n") {
		line = strings.TrimRight(line, " \t\u00a0")
		if line == "" {
			blank = true
			continue
		}
		if blank && b.Len() > 0 {
			b.WriteByte('\n')
		}
		blank = false
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.String()
}
