package classify

import (
	"slices"
	"testing"
)

func TestFoldText(t *testing.T) {
	tests := map[string]string{
		"Rücksendung":        "rucksendung",
		"RÜCKSENDUNG":        "rucksendung",
		"Größe":              "grosse",
		"déjà reçu":          "deja recu",
		"Devolución, tamaño": "devolucion, tamano",
		"don’t":              "don't",
		"ŒUVRE":              "oeuvre",
		"ongeëvenaard":       "ongeevenaard",
	}
	for in, want := range tests {
		if got := foldText(in); got != want {
			t.Errorf("foldText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSplitWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"I don't want it", []string{"i", "dont", "want", "it"}},
		{"Je n'ai pas reçu l'article", []string{"je", "n", "ai", "pas", "recu", "l", "article"}},
		{"foto's bijgevoegd", []string{"fotos", "bijgevoegd"}},
		{"c'est qu'il", []string{"c", "est", "qu", "il"}},
		{"Order AL-204518, size 1.5", []string{"order", "al", "204518", "size", "1.5"}},
		{"¿Dónde está mi reembolso?", []string{"donde", "esta", "mi", "reembolso"}},
		{"'quoted' words'", []string{"quoted", "words"}},
	}
	for _, tc := range tests {
		var got []string
		for _, w := range splitWords(tc.in, false, textWord{}) {
			got = append(got, w.text)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("splitWords(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSplitWordsBoundaries(t *testing.T) {
	words := splitWords("No, I want to\nreturn it.\n\nThanks", false, textWord{})
	at := func(w string) textWord {
		for _, x := range words {
			if x.text == w {
				return x
			}
		}
		t.Fatalf("word %q missing", w)
		return textWord{}
	}
	if at("no").clause == at("i").clause {
		t.Error("a comma must end the negation's clause")
	}
	if at("to").sentence != at("return").sentence {
		t.Error("a single line break must not end a sentence (wrapped lines)")
	}
	if at("return").sentence == at("thanks").sentence {
		t.Error("a full stop must end a sentence")
	}
	subject := splitWords("Return", true, textWord{})
	body := splitWords("it", false, continueAfter(subject))
	if subject[0].sentence == body[0].sentence || !subject[0].subject || body[0].subject {
		t.Error("subject and body must be separate sentences and marked")
	}
}

func TestTrackingShaped(t *testing.T) {
	for w, want := range map[string]bool{
		"1z999aa10123456784": true, "3sabcd1234567": true, "rr123456789cn": true,
		"00340434161234567890": true,  // DHL's 20 digits: longer than any order number
		"4917612345678":        false, // a phone number written in one piece
		"1002003004":           false, // digits only and short: could be an order number
		"al204518":             false, "lx100233": false, "returned": false,
	} {
		if got := trackingShaped(w); got != want {
			t.Errorf("trackingShaped(%q) = %v, want %v", w, got, want)
		}
	}
}
