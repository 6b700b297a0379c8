package classify

import (
	"strings"
	"testing"
)

// TestClassifyUsedFlag covers use and its negations in all five languages: trying on
// is not use, "never worn" is not worn.
func TestClassifyUsedFlag(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"I wore it to a party and now I want to return it", true},
		{"Worn twice, the seam ripped", true},
		{"I washed it once and it shrank", true},
		{"I removed the tags already", true},
		{"I only tried it on once", false},
		{"It is unused, never worn and not washed", false},
		{"not worn, tags still attached", false},
		{"I have never used it", false},
		{"Ich habe die Jacke zweimal getragen", true},
		{"Die Jacke ist ungetragen", false},
		{"Ich habe sie nicht getragen, nur anprobiert", false},
		{"Ik heb de schoenen twee keer gedragen", true},
		{"De schoenen zijn ongedragen", false},
		{"Ik heb ze niet gedragen", false},
		{"Je l'ai porté une fois", true},
		{"Je ne l'ai jamais porté", false},
		{"Elle n'a jamais été portée", false},
		{"Lo he usado dos veces", true},
		{"Está sin usar", false},
		{"No lo he usado", false},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			if got := Read("", tc.text).Used; got != tc.want {
				t.Errorf("Used = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestClassifyUnopenedFlag(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"The box is unopened", true},
		{"It is still sealed", true},
		{"I haven't opened it, it's still in its wrapping", true},
		{"I opened it and it was broken", false},
		{"The seal is broken", false},
		{"Die Packung ist ungeöffnet", true},
		{"noch originalverpackt", true},
		{"Ich habe es nicht geöffnet", true},
		{"Het is ongeopend en verzegeld", true},
		{"Ik heb het niet geopend", true},
		{"Le produit est non ouvert", true},
		{"toujours scellé", true},
		{"Je ne l'ai pas ouvert", true},
		{"Está sin abrir", true},
		{"Está precintado", true},
		{"No lo he abierto", true},
		{"Lo abrí y estaba roto", false},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			if got := Read("", tc.text).Unopened; got != tc.want {
				t.Errorf("Unopened = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestClassifyOtherFlags(t *testing.T) {
	tests := []struct {
		text string
		flag string
		want bool
	}{
		{"I received it as a gift", "gift", true},
		{"Es war ein Geschenk von meiner Mutter", "gift", true},
		{"Het was een cadeau", "gift", true},
		{"C'était un cadeau", "gift", true},
		{"Fue un regalo", "gift", true},
		{"Can I pay with a gift card?", "gift", false},
		{"Ich möchte mit einem Geschenkgutschein bezahlen", "gift", false},
		{"I bought it as a gift for my sister", "gift", false},
		{"see attached photos", "photos", true},
		{"Fotos anbei", "photos", true},
		{"foto's bijgevoegd", "photos", true},
		{"photos ci-jointes", "photos", true},
		{"adjunto fotos", "photos", true},
		{"it looks nothing like the photo", "photos", false},
		{"I want to return the whole order", "whole", true},
		{"Ich schicke alle Artikel zurück", "whole", true},
		{"Ik stuur alles terug", "whole", true},
		{"je veux tout renvoyer", "whole", true},
		{"quiero devolver todo el pedido", "whole", true},
		{"everything else is fine, just the shirt is too small", "whole", false},
		{"I want my money back", "refund", true},
		{"I don't want a refund, please send a new one", "refund", false},
		{"I don't want a refund, please send a new one", "replacement", true},
		{"Bitte um Ersatz", "replacement", true},
		{"Je voudrais un remplacement", "replacement", true},
	}
	for _, tc := range tests {
		t.Run(tc.flag+": "+tc.text, func(t *testing.T) {
			if got := flagsOf(Read("", tc.text))[tc.flag]; got != tc.want {
				t.Errorf("%s = %v, want %v", tc.flag, got, tc.want)
			}
		})
	}
}

// TestClassifyNegation checks that a negated request does not count, and that a
// negator outside its clause or reach does not negate.
func TestClassifyNegation(t *testing.T) {
	tests := []struct {
		text   string
		intent Intent
	}{
		{"I don't want to return it, I want an exchange for a bigger size", IntentExchange},
		{"No, I want to return it", IntentReturn},
		{"I don't know how to return it", IntentReturn},
		{"I don't want a refund. Please send a replacement.", IntentExchange},
		{"Ich möchte es nicht umtauschen, sondern zurückschicken", IntentReturn},
		{"Je ne veux pas l'échanger, je veux être remboursé", IntentReturn},
		{"No quiero cambiarlo, quiero devolverlo", IntentReturn},
		{"Order no 1234: return please", IntentReturn},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			if got := Read("", tc.text); got.Intent != tc.intent {
				t.Errorf("intent = %q, want %q (%+v)", got.Intent, tc.intent, got)
			}
		})
	}
}

// TestNegationAcrossOr and TestFalseFriends guard two general mechanisms: a negation
// carries over "or" to the next alternative, and a false friend of another language
// ("sale", dirty in French) counts only in its own language.
func TestNegationAcrossOr(t *testing.T) {
	for _, text := range []string{
		"I'd like to return the dress. It hasn't been worn or washed and the tags are on.",
		"Ich möchte das Kleid zurückgeben, es wurde nicht getragen oder gewaschen.",
		"Je voudrais retourner la robe, elle n'a été ni portée ni lavée.",
	} {
		if c := Read("", text); c.Used {
			t.Errorf("%q: Used, want not used", text)
		}
	}
	if c := Read("", "I want to return the jacket, I wore it once and washed it."); !c.Used {
		t.Errorf("worn and washed: not Used")
	}
}

func TestFalseFriends(t *testing.T) {
	c := Read("", "I'd like to return the dress from my order, I know it was in the sale but it is too long.")
	if c.Reason.SellerFault() {
		t.Errorf("English 'sale' read as a fault: reason %s", c.Reason)
	}
	c = Read("", "Bonjour, le pull est arrivé sale et taché, je voudrais un remboursement.")
	if !c.Reason.SellerFault() {
		t.Errorf("French 'sale' (dirty) not read as damage: reason %q", c.Reason)
	}
}

// TestUsedOnlyInNames: a use word that is the item's own name ("Washed Blue") states
// no use; one the customer tells of does.
func TestUsedOnlyInNames(t *testing.T) {
	names := []string{"Oversized Denim Jacket - Washed Blue / M"}
	if r := Read("", "Ich würde die Jacke in Washed Blue gern zurückschicken, sie ist mir zu kastig."); !r.Used || !r.UsedOnlyInNames(names) {
		t.Errorf("the colour's name: used %v, only in names %v; want both", r.Used, r.UsedOnlyInNames(names))
	}
	if r := Read("", "I washed the jacket once and it shrank. Can I return it?"); !r.Used || r.UsedOnlyInNames([]string{"Oversized Denim Jacket - Indigo / M"}) {
		t.Errorf("a wash told: used %v, only in names %v; want used, not only in names", r.Used, r.UsedOnlyInNames(names))
	}
}

// TestExchangeTargets: what an exchange asks for is read after its "for" or before an
// "instead", in the customer's words, and nowhere else.
func TestExchangeTargets(t *testing.T) {
	for text, want := range map[string]string{
		"Could you swap the jacket for the Ridge overshirt? It is too puffy.":           "the ridge overshirt",
		"¿Me la podéis cambiar directamente por el vestido?":                            "el vestido",
		"Est-ce que je peux renvoyer le pantalon et recevoir la robe à la place ?":      "la robe a la",
		"I love the Ridge overshirt I bought last year. The jacket is too puffy on me.": "",
	} {
		got := strings.Join(Read("", text).ExchangeTargets, " | ")
		if got != want {
			t.Errorf("%q: targets %q, want %q", text, got, want)
		}
	}
}
