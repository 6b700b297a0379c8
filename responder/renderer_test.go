package responder

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// writeTree writes files (path -> content) below dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for p, content := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestLookupOrder removes the layers one by one and checks which template wins:
// override store, override generic, built-in store, built-in generic, then the
// same four in English.
func TestLookupOrder(t *testing.T) {
	builtin := fstest.MapFS{
		"de/acknowledge.tmpl":                 {Data: []byte("builtin de\n")},
		"stores/shop/de/acknowledge.tmpl":     {Data: []byte("builtin shop de\n")},
		"en/acknowledge.tmpl":                 {Data: []byte("builtin en\n")},
		"stores/shop/en/acknowledge.tmpl":     {Data: []byte("builtin shop en\n")},
		"en/reject.tmpl":                      {Data: []byte("builtin en reject\n")},
		"stores/other/fr/authorize_return.tm": {Data: []byte("not a template: ignored\n")},
		"README.md":                           {Data: []byte("ignored\n")},
	}
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"shop/de/acknowledge.tmpl": "override shop de\n",
		"de/acknowledge.tmpl":      "override de\n",
		"shop/en/reject.tmpl":      "override shop en reject\n",
	})
	steps := []struct {
		remove     func()
		want, lang string
	}{
		{func() {}, "override shop de", "de"},
		{func() { os.Remove(filepath.Join(dir, "shop/de/acknowledge.tmpl")) }, "override de", "de"},
		{func() { os.Remove(filepath.Join(dir, "de/acknowledge.tmpl")) }, "builtin shop de", "de"},
		{func() { delete(builtin, "stores/shop/de/acknowledge.tmpl") }, "builtin de", "de"},
		{func() { delete(builtin, "de/acknowledge.tmpl") }, "builtin shop en", "en"},
		{func() { delete(builtin, "stores/shop/en/acknowledge.tmpl") }, "builtin en", "en"},
	}
	for _, step := range steps {
		step.remove()
		r, err := NewRenderer(builtin, dir)
		if err != nil {
			t.Fatalf("NewRenderer: %v", err)
		}
		body, used, err := r.Render("shop", "de", "acknowledge", Data{})
		if err != nil {
			t.Fatalf("Render: %v", err)
		}
		if got := strings.TrimSpace(body); got != step.want || used != step.lang {
			t.Errorf("got %q in %q, want %q in %q", got, used, step.want, step.lang)
		}
	}
	// The English override of one store beats built-in English for that store only.
	r, err := NewRenderer(builtin, dir)
	if err != nil {
		t.Fatal(err)
	}
	for store, want := range map[string]string{"shop": "override shop en reject", "else": "builtin en reject"} {
		body, _, err := r.Render(store, "nl", "reject", Data{})
		if err != nil {
			t.Fatal(err)
		}
		if strings.TrimSpace(body) != want {
			t.Errorf("store %s: got %q, want %q", store, strings.TrimSpace(body), want)
		}
	}
}

// TestOverridePartials: an override directory may redefine a language's shared
// blocks, and may add a language of its own.
func TestOverridePartials(t *testing.T) {
	builtin := fstest.MapFS{
		"en/_partials.tmpl":   {Data: []byte(`{{define "signoff"}}Regards{{end}}`)},
		"en/acknowledge.tmpl": {Data: []byte("Thanks.\n\n{{template \"signoff\" .}}\n")},
	}
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"en/_mine.tmpl":       `{{define "signoff"}}Cheers, {{.Store.Name}}{{end}}`,
		"sv/acknowledge.tmpl": "Tack, {{date .Deadline}}.\n",
	})
	r, err := NewRenderer(builtin, dir)
	if err != nil {
		t.Fatalf("NewRenderer: %v", err)
	}
	body, _, err := r.Render("x", "en", "acknowledge", Data{Store: Store{Name: "Shop"}})
	if err != nil {
		t.Fatal(err)
	}
	if want := "Thanks.\n\nCheers, Shop\n"; body != want {
		t.Errorf("body = %q, want %q", body, want)
	}
	body, used, err := r.Render("x", "sv", "acknowledge", Data{Deadline: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	// A language without month names of its own formats dates in English.
	if used != "sv" || body != "Tack, 2 March 2026.\n" {
		t.Errorf("got %q in %q", body, used)
	}
}

func TestNewRendererErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope")
	notDir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notDir, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		fsys     fstest.MapFS
		override string
		want     []string // substrings of the error
	}{
		{"parse error names file and line",
			fstest.MapFS{"en/reject.tmpl": {Data: []byte("Hello\n\n{{end}}\n")}},
			"", []string{"en/reject.tmpl:3", "unexpected {{end}}"}},
		{"unknown function",
			fstest.MapFS{"de/reject.tmpl": {Data: []byte("a\n{{shout .Code}}\n")}},
			"", []string{"de/reject.tmpl:2", "shout"}},
		{"unknown field fails the start-up check",
			fstest.MapFS{"en/escalate.tmpl": {Data: []byte("{{.Orderr}}\n")}},
			"", []string{"en/escalate.tmpl:1", "Orderr"}},
		{"template that needs data fails the start-up check",
			fstest.MapFS{"en/reject.tmpl": {Data: []byte("{{if eq .Code \"final_sale\"}}{{index .Items 0}}{{end}}\n")}},
			"", []string{"en/reject.tmpl", "final_sale", "index"}},
		{"undefined partial",
			fstest.MapFS{"en/reject.tmpl": {Data: []byte("{{template \"nope\" .}}\n")}},
			"", []string{"en/reject.tmpl", "nope"}},
		{"unknown action",
			fstest.MapFS{"en/rejct.tmpl": {Data: []byte("x\n")}},
			"", []string{"en/rejct.tmpl", "unknown action"}},
		{"bad language directory",
			fstest.MapFS{"english/reject.tmpl": {Data: []byte("x\n")}},
			"", []string{"english/reject.tmpl", "language"}},
		{"too deep",
			fstest.MapFS{"a/b/c/d/reject.tmpl": {Data: []byte("x\n")}},
			"", []string{"a/b/c/d/reject.tmpl", "unexpected path"}},
		{"partial in a store directory",
			fstest.MapFS{"stores/shop/en/_x.tmpl": {Data: []byte("x\n")}},
			"", []string{"stores/shop/en/_x.tmpl", "belong in <lang>/"}},
		{"not UTF-8",
			fstest.MapFS{"en/reject.tmpl": {Data: []byte("caf\xe9\n")}},
			"", []string{"en/reject.tmpl", "UTF-8"}},
		{"missing override directory", fstest.MapFS{}, missing, []string{"override", "nope"}},
		{"override is a file", fstest.MapFS{}, notDir, []string{"not a directory"}},
		{"duplicate store template",
			fstest.MapFS{"shop/en/reject.tmpl": {Data: []byte("a\n")}, "stores/shop/en/reject.tmpl": {Data: []byte("b\n")}},
			"", []string{"same store, language and action"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewRenderer(tt.fsys, tt.override)
			if err == nil {
				t.Fatal("NewRenderer succeeded")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
	if _, err := NewRenderer(nil, ""); err == nil {
		t.Error("NewRenderer(nil) succeeded")
	}
}

func TestOverrideErrorNamesOSPath(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"lumina/en/reject.tmpl": "ok\n{{end}}\n"})
	_, err := NewRenderer(fstest.MapFS{}, dir)
	if err == nil {
		t.Fatal("NewRenderer succeeded")
	}
	if want := filepath.Join(dir, "lumina", "en", "reject.tmpl") + ":2"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not name %q", err, want)
	}
}

func TestTidyBody(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a", "a\n"},
		{"\n\n a  \n\n\n\nb\t\n", " a\n\nb\n"},
		{"a\r\nb\r\n\r\n\r\nc", "a\nb\n\nc\n"},
		{"a \u00a0\n", "a\n"},
		{"", ""},
		{"\n \n", ""},
	}
	for _, tt := range tests {
		if got := tidyBody(tt.in); got != tt.want {
			t.Errorf("tidyBody(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSingleLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Anna", "Anna"},
		{" Anna  Maria ", "Anna Maria"},
		{"a\r\nb", "a b"},
		{"a\x00b\tc", "a b c"},
		{"a\u2028b", "a b"},
		{"x\u202Ey\u2066z", "xyz"},
	}
	for _, tt := range tests {
		if got := singleLine(tt.in); got != tt.want {
			t.Errorf("singleLine(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	long := strings.Repeat("é", 200)
	if got := []rune(truncateRunes(long, maxNameRunes)); len(got) != maxNameRunes {
		t.Errorf("truncateRunes kept %d runes, want %d", len(got), maxNameRunes)
	}
}
