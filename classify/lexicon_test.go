package classify

import (
	"strings"
	"testing"
)

// TestLexiconValid is the gate for the embedded lexicon: a syntax error, an unknown
// section or key, or a bad phrase fails here instead of in production.
func TestLexiconValid(t *testing.T) {
	lx, err := parseLexicon(lexiconTOML)
	if err != nil {
		t.Fatalf("embedded lexicon: %v", err)
	}
	for kind, names := range lexiconCategories {
		for _, name := range names {
			cat, ok := lx.catIndex[kind+"."+name]
			if !ok {
				t.Errorf("category %s.%s missing after load", kind, name)
				continue
			}
			if name == "none" {
				continue
			}
			for lang := range classifierLanguages {
				if !lexiconHasCue(lx, cat, lang) {
					t.Errorf("[%s.%s] has no %s phrases", kind, name, classifierLanguages[lang])
				}
			}
		}
	}
	if _, err := loadLexicon(); err != nil {
		t.Errorf("loadLexicon: %v", err)
	}
}

func lexiconHasCue(lx *lexicon, cat, lang int) bool {
	for _, c := range lx.cues {
		if c.category == cat && c.lang == lang {
			return true
		}
	}
	return false
}

// minimalLexicon is a valid lexicon with one phrase per category, for the error tests
// to break in one place at a time.
func minimalLexicon() string {
	var b strings.Builder
	b.WriteString("[negators]\n")
	for _, l := range classifierLanguages {
		b.WriteString(l + ` = ["not"]` + "\n")
	}
	for _, table := range []string{"function_words", "negation_barriers"} {
		b.WriteString("[" + table + "]\n")
		for _, l := range classifierLanguages {
			b.WriteString(l + ` = ["the"]` + "\n")
		}
	}
	for _, kind := range []string{"intent", "context", "reason", "flag"} {
		for _, name := range lexiconCategories[kind] {
			phrase := strings.ReplaceAll(name, "_", " ")
			b.WriteString("[" + kind + "." + name + "]\nweight = 2\nen = [\"" + phrase + "\"]\n")
		}
	}
	return b.String()
}

func TestParseLexiconErrors(t *testing.T) {
	if _, err := parseLexicon([]byte(minimalLexicon())); err != nil {
		t.Fatalf("minimal lexicon: %v", err)
	}
	tests := []struct {
		name    string
		edit    func(string) string
		wantErr string
	}{
		{"not TOML", func(s string) string { return s + "\n[[[" }, "decode lexicon"},
		{"unknown section", func(s string) string { return s + "[intent.refund_now]\nweight = 1\nen = [\"x\"]\n" }, "unknown section [intent.refund_now]"},
		{"unknown key", func(s string) string {
			return strings.Replace(s, "[intent.cancel]\nweight = 2\n", "[intent.cancel]\nweight = 2\nfi = [\"x\"]\n", 1)
		}, `unknown key "intent.cancel.fi"`},
		{"missing section", func(s string) string {
			return strings.Replace(s, "[flag.gift]\nweight = 2\nen = [\"gift\"]\n", "", 1)
		}, "section [flag.gift] is missing"},
		{"zero weight", func(s string) string {
			return strings.Replace(s, "[intent.cancel]\nweight = 2", "[intent.cancel]\nweight = 0", 1)
		}, "weight 0 must be in (0, 10]"},
		{"missing negators", func(s string) string { return strings.Replace(s, "es = [\"not\"]\n", "", 1) }, "negators.es is missing"},
		{"unknown language", func(s string) string {
			return strings.Replace(s, "[negation_barriers]\n", "[negation_barriers]\nsv = [\"the\"]\n", 1)
		}, "negation_barriers.sv: unknown language"},
		{"gap at start", func(s string) string { return strings.Replace(s, `en = ["cancel"]`, `en = ["* cancel"]`, 1) }, "a gap cannot start or end a phrase"},
		{"two gaps", func(s string) string { return strings.Replace(s, `en = ["cancel"]`, `en = ["cancel * ** order"]`, 1) }, "two gaps in a row"},
		{"bad weight", func(s string) string { return strings.Replace(s, `en = ["cancel"]`, `en = ["cancel^x"]`, 1) }, "weight after '^'"},
		{"negation mark inside", func(s string) string { return strings.Replace(s, `en = ["cancel"]`, `en = ["cancel !order"]`, 1) }, "misplaced"},
		{"star inside a word", func(s string) string { return strings.Replace(s, `en = ["cancel"]`, `en = ["can*cel"]`, 1) }, "misplaced"},
		{"punctuation", func(s string) string { return strings.Replace(s, `en = ["cancel"]`, `en = ["cancel, order"]`, 1) }, "unexpected character"},
		{"empty phrase", func(s string) string { return strings.Replace(s, `en = ["cancel"]`, `en = ["  "]`, 1) }, "empty phrase"},
		{"multi-word alternative", func(s string) string { return strings.Replace(s, `en = ["cancel"]`, `en = ["cancel|l'order"]`, 1) }, "more than one word"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseLexicon([]byte(tc.edit(minimalLexicon())))
			if err == nil {
				t.Fatalf("no error, want one containing %q", tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("error %q, want it to contain %q", err, tc.wantErr)
			}
		})
	}
}

func TestCompileCue(t *testing.T) {
	lx, err := parseLexicon([]byte(minimalLexicon()))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		phrase   string
		slots    int
		literals int
		weight   float64
		negOnly  bool
		ownNeg   bool
	}{
		{"send * back^3", 3, 2, 3, false, false},
		{"!opened", 1, 1, 2, true, false},
		{"change d'avis", 3, 3, 2, false, false}, // "d'avis" is two words
		{"rücksend*|retoure", 1, 1, 2, false, false},
		{"not as described^3.5", 3, 3, 3.5, false, true},
		{"ordered ** but * received", 5, 3, 2, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.phrase, func(t *testing.T) {
			c, err := lx.compileCue(tc.phrase, 0, langEN, 2)
			if err != nil {
				t.Fatal(err)
			}
			if len(c.slots) != tc.slots || c.literals != tc.literals || c.weight != tc.weight ||
				c.negOnly != tc.negOnly || c.ownNegator != tc.ownNeg {
				t.Errorf("got slots %d literals %d weight %v negOnly %v ownNegator %v",
					len(c.slots), c.literals, c.weight, c.negOnly, c.ownNegator)
			}
		})
	}
}

// TestClassifyWithBrokenLexicon checks the production fallback: no panic, nothing
// decided.
func TestClassifyWithBrokenLexicon(t *testing.T) {
	if _, err := parseLexicon([]byte("[intent.return]\nweight = -1\n")); err == nil {
		t.Fatal("broken lexicon parsed")
	}
	got := Read("Return", "I want to return this")
	if got.Intent == IntentUnknown {
		t.Fatal("embedded lexicon should classify this; the fallback is only for a broken one")
	}
}
