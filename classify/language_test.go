package classify

import "testing"

func TestClassifyLanguage(t *testing.T) {
	tests := []struct {
		name, subject, text, want string
	}{
		// short
		{"en short", "", "wrong size, want to send back", "en"},
		{"de short", "", "Ich möchte das zurückgeben", "de"},
		{"de short no umlauts", "", "ich mochte das zuruckgeben bitte", "de"},
		{"nl short", "", "Ik wil dit retourneren", "nl"},
		{"fr short", "", "je voudrais retourner ma robe", "fr"},
		{"fr short no accents", "", "ca ne me va pas, je veux etre rembourse", "fr"},
		{"es short", "", "Quiero devolver el pedido", "es"},
		{"es short no accents", "", "donde esta mi reembolso", "es"},
		{"subject only de", "Rücksendung", "", "de"},
		{"subject only es", "Devolución", "", "es"},
		{"subject only fr", "Annulation commande", "", "fr"},
		// long
		{"en long", "Return request", "Hello, I received the jacket last week but unfortunately it is too small for me. " +
			"Could you please tell me how I can send it back and when I will get my money? Thank you, Jane", "en"},
		{"de long", "Rücksendung Bestellung LX100233", "Sehr geehrte Damen und Herren, leider passt mir die Jacke nicht, " +
			"sie ist viel zu klein. Ich möchte sie gerne zurückschicken und bitte um Erstattung des Kaufpreises. Mit freundlichen Grüßen", "de"},
		{"nl long", "Retour", "Beste klantenservice, ik heb vorige week een jas besteld maar hij is helaas te klein. " +
			"Kan ik hem terugsturen en wanneer krijg ik mijn geld terug? Met vriendelijke groet", "nl"},
		{"fr long", "Retour commande", "Bonjour, j'ai reçu ma commande hier mais la veste est trop petite. " +
			"Je voudrais la renvoyer et être remboursée. Pouvez-vous m'envoyer une étiquette de retour ? Cordialement", "fr"},
		{"es long", "Devolución", "Hola, recibí mi pedido ayer pero la chaqueta me queda pequeña. " +
			"Quisiera devolverla y que me reembolsen el dinero. ¿Me pueden enviar una etiqueta? Saludos cordiales", "es"},
		// unsure
		{"no words", "", "AL-204518", "en"},
		{"shared word only", "Retour", "", "en"},
		{"empty", "", "", "en"},
		// the body outweighs an English subject written by the store
		{"store subject", "Re: Your order has shipped", "Ich möchte die Bestellung stornieren, bitte nicht versenden", "de"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Read(tc.subject, tc.text).Language; got != tc.want {
				t.Errorf("language = %q, want %q", got, tc.want)
			}
		})
	}
}

func FuzzClassify(f *testing.F) {
	f.Add("Return", "I want to return it, it doesn't fit")
	f.Add("", "Je n'ai toujours pas reçu mon remboursement")
	f.Add("Re: ¿?", "'''\n\n,,, ! * ^ | no no no")
	f.Fuzz(func(t *testing.T, subject, text string) {
		c := Read(subject, text)
		if c.Confidence < 0 || c.Confidence > 1 {
			t.Errorf("confidence %v outside 0..1", c.Confidence)
		}
		if _, ok := languageID(c.Language); !ok {
			t.Errorf("language %q not one of %v", c.Language, classifierLanguages)
		}
		if c.Intent == IntentUnknown && c.Confidence != 0 {
			t.Errorf("unknown intent with confidence %v", c.Confidence)
		}
	})
}
