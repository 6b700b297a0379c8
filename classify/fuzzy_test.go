package classify

import (
	"slices"
	"testing"
)

func TestOSADistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"return", "return", 0},
		{"retrun", "return", 1},    // transposition
		{"refnud", "refund", 1},    // transposition
		{"exchage", "exchange", 1}, // deletion
		{"rembousement", "remboursement", 1},
		{"anuleren", "annuleren", 1},
		{"rucksendnug", "rucksendung", 1},
		{"ungetragen", "getragen", 2},
		{"abc", "xyz", 3},
	}
	for _, tc := range tests {
		if got := osaDistance(tc.a, tc.b, 3); got != tc.want {
			t.Errorf("osaDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
	if got := osaDistance("abcdef", "uvwxyz", 1); got != 2 {
		t.Errorf("early exit: got %d, want limit+1 = 2", got)
	}
}

// TestTypoTolerance checks which mail words reach which lexicon words.
func TestTypoTolerance(t *testing.T) {
	lx, err := loadLexicon()
	if err != nil {
		t.Fatal(err)
	}
	reaches := func(word, target string) bool {
		ids, _ := lx.wordTerms(word)
		for _, id := range ids {
			if lx.terms[id].text == target {
				return true
			}
		}
		return false
	}
	tests := []struct {
		word, target string
		want         bool
	}{
		{"retrun", "return", true},
		{"exchage", "exchange", true},
		{"refnud", "refund", true},         // prefix term refund*
		{"rembousement", "rembours", true}, // prefix term rembours*
		{"anuleren", "annuler", true},
		{"rucksendnug", "rucksend", true},
		{"zurueckschicken", "zuruckschick", true}, // "ue" for "ü"
		{"reembolzo", "reembols", true},
		// guards
		{"ungetragen", "getragen", false}, // a known word is never corrected
		{"ongedragen", "gedragen", false}, // and the first letter must agree
		{"onbeschadigd", "beschadig", false},
		{"annual", "annul", false}, // short prefixes take no typos
		{"red", "rot", false},      // short words take no typos
		{"while", "white", false},
	}
	for _, tc := range tests {
		if got := reaches(tc.word, tc.target); got != tc.want {
			t.Errorf("%q reaches %q = %v, want %v (terms %v)", tc.word, tc.target, got, tc.want, termTexts(lx, first(lx.wordTerms(tc.word))))
		}
	}
}

func termTexts(lx *lexicon, ids []int32) []string {
	var out []string
	for _, id := range ids {
		s := lx.terms[id].text
		if lx.terms[id].prefix {
			s += "*"
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

func TestDeletionVariants(t *testing.T) {
	got := deletionVariants("abc", 1)
	if want := []string{"abc", "bc", "ac", "ab"}; !slices.Equal(got, want) {
		t.Errorf("deletionVariants(abc, 1) = %q, want %q", got, want)
	}
	two := deletionVariants("abc", 2)
	for _, want := range []string{"a", "b", "c"} {
		if !slices.Contains(two, want) {
			t.Errorf("deletionVariants(abc, 2) lacks %q", want)
		}
	}
}

func first(ids []int32, _ bool) []int32 { return ids }
