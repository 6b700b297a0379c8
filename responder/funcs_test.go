package responder

import (
	"strings"
	"testing"
	"text/template"
	"time"
)

func TestFormatDate(t *testing.T) {
	d := time.Date(2026, 3, 2, 23, 30, 0, 0, time.UTC)
	first := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		lang string
		t    time.Time
		want string
	}{
		{"en", d, "2 March 2026"},
		{"de", d, "2. März 2026"},
		{"nl", d, "2 maart 2026"},
		{"fr", d, "2 mars 2026"},
		{"fr", first, "1er mars 2026"},
		{"es", d, "2 de marzo de 2026"},
		{"it", d, "2 marzo 2026"},
		{"it", first, "1º marzo 2026"},
		{"pt", d, "2 de março de 2026"},
		{"sv", d, "2 March 2026"}, // a language without month names: English
		{"de", time.Time{}, ""},
		// The day is the one of the time's own location.
		{"en", d.In(time.FixedZone("CST", 8*3600)), "3 March 2026"},
	}
	for _, tt := range tests {
		if got := formatDate(tt.lang, tt.t); got != tt.want {
			t.Errorf("formatDate(%s, %v) = %q, want %q", tt.lang, tt.t, got, tt.want)
		}
	}
	if got := formatDateTime("en", d); got != "2 March 2026, 23:30 UTC" {
		t.Errorf("formatDateTime = %q", got)
	}
	if got := formatDateTime("de", d); got != "2. März 2026, 23:30 Uhr UTC" {
		t.Errorf("formatDateTime de = %q", got)
	}
}

func TestFormatPeriod(t *testing.T) {
	tests := []struct{ lang, in, want string }{
		{"en", "10 business days", "10 business days"},
		{"de", "10 business days", "10 Werktagen"},
		{"de", "1 business day", "1 Werktag"},
		{"de", "5-10 business days", "5–10 Werktagen"},
		{"de", "5 to 10 business days", "5–10 Werktagen"},
		{"nl", "5–7 Business Days", "5–7 werkdagen"},
		{"fr", "24 hours", "24 heures"},
		{"fr", "24 business hours", "24 heures ouvrées"},
		{"es", "10 working days", "10 días hábiles"},
		{"es", "30 calendar days", "30 días"},
		{"nl", "24 hours", "24 uur"},
		{"de", "two weeks", "two weeks"}, // not understood: as written
		{"xx", "10 business days", "10 business days"},
	}
	for _, tt := range tests {
		if got := formatPeriod(tt.lang, tt.in); got != tt.want {
			t.Errorf("formatPeriod(%s, %q) = %q, want %q", tt.lang, tt.in, got, tt.want)
		}
	}
}

func TestListFuncs(t *testing.T) {
	tmpl := template.Must(template.New("t").Funcs(funcMap("en")).Parse(
		`{{join ", " .}}|{{lines "> " .}}|{{numbered .}}|{{indent "  " "a\nb\n"}}|{{oneOf "b" "a" "b"}}{{oneOf "c" "a"}}`))
	var b strings.Builder
	if err := tmpl.Execute(&b, []string{"x", "y"}); err != nil {
		t.Fatal(err)
	}
	if want := "x, y|> x\n> y|1. x\n2. y|  a\n  b|truefalse"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}
