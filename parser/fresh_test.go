package parser

import (
	"strings"
	"testing"
)

func TestFreshText(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{
			name: "plain text is kept",
			in:   "Hello,\n\nI want to return it.\n\nAnna",
			want: "Hello,\n\nI want to return it.\n\nAnna",
		},
		{
			name: "top-posted en with wrapped attribution",
			in: "Thanks, I will send it back.\n\nOn Mon, Mar 9, 2026 at 4:12 PM Support <support@example.com>\nwrote:\n\n" +
				"> Your exchange was approved.\n> RMA: 123\n",
			want: "Thanks, I will send it back.",
		},
		{
			name: "bottom-posted de keeps answers between quotes",
			in: "Am 09.03.2026 um 15:00 schrieb Support <s@example.com>:\n> Bitte die Bestellnummer.\n\n" +
				"Die Bestellnummer ist LX100233.\n\n> Und ein Foto.\n\nFoto ist im Anhang.\n",
			want: "Die Bestellnummer ist LX100233.\n\nFoto ist im Anhang.",
		},
		{
			name: "nl attribution with unquoted history cuts",
			in:   "Graag een retourlabel.\n\nOp di 10 mrt. 2026 om 17:00 schreef Lumina <s@example.com>:\nUw retour is goedgekeurd.\n",
			want: "Graag een retourlabel.",
		},
		{
			name: "fr attribution with no-break space before colon",
			in:   "Merci.\n\nLe mar. 10 mars 2026 à 18:30, Alussé <info@alusse.com> a écrit\u00a0:\nBonjour, votre retour...\n",
			want: "Merci.",
		},
		{
			name: "es attribution",
			in:   "Gracias.\n\nEl mar, 10 mar 2026 a las 18:30, Lumina (<s@example.com>) escribió:\nSu devolución...\n",
			want: "Gracias.",
		},
		{
			name: "outlook original message separator en",
			in:   "Please cancel.\n\n-----Original Message-----\nFrom: Support\nSent: Monday\nSubject: x\n\nold text",
			want: "Please cancel.",
		},
		{
			name: "outlook separator de",
			in:   "Bitte stornieren.\n\n-----Ursprüngliche Nachricht-----\nVon: Support\nold",
			want: "Bitte stornieren.",
		},
		{
			name: "outlook separator nl",
			in:   "Graag annuleren.\n-----Oorspronkelijk bericht-----\nold",
			want: "Graag annuleren.",
		},
		{
			name: "outlook separator fr",
			in:   "Merci d'annuler.\n-----Message d'origine-----\nold",
			want: "Merci d'annuler.",
		},
		{
			name: "outlook separator es",
			in:   "Cancelar por favor.\n-----Mensaje original-----\nold",
			want: "Cancelar por favor.",
		},
		{
			name: "header block en",
			in:   "Here is the tracking.\n\nFrom: Support <s@example.com>\nSent: Tuesday, March 10, 2026 5:00 PM\nTo: me\nSubject: Return\n\nold",
			want: "Here is the tracking.",
		},
		{
			name: "header block de",
			in:   "Danke.\n\nVon: Support <s@example.com>\nGesendet: Dienstag, 10. März 2026 17:00\nAn: ich\nBetreff: x\n\nold",
			want: "Danke.",
		},
		{
			name: "header block nl",
			in:   "Dank.\n\nVan: Support <s@example.com>\nVerzonden: dinsdag 10 maart 2026 17:00\nAan: ik\nOnderwerp: x\nold",
			want: "Dank.",
		},
		{
			name: "header block fr with space before colon",
			in:   "Merci.\n\nDe : Support <s@example.com>\nEnvoyé : mardi 10 mars 2026 17:00\nÀ : moi\nObjet : x\nold",
			want: "Merci.",
		},
		{
			name: "header block es in bold from html",
			in:   "Gracias.\n\n*De:* Support <s@example.com>\n*Enviado:* martes\n*Para:* yo\n*Asunto:* x\nold",
			want: "Gracias.",
		},
		{
			name: "underscore separator then header block",
			in:   "See photos.\n\n________________________________\nFrom: Support\nSent: Monday\n\nold",
			want: "See photos.",
		},
		{
			name: "a lone From: line in the text is kept",
			in:   "From: my sister, as a gift.\nI want to exchange it.",
			want: "From: my sister, as a gift.\nI want to exchange it.",
		},
		{
			name: "signature delimiter",
			in:   "Return please.\n-- \nAnna Muller\nStreet 1",
			want: "Return please.",
		},
		{
			name: "signature delimiter without trailing space",
			in:   "Return please.\n--\nAnna Muller",
			want: "Return please.",
		},
		{
			name: "mobile footers",
			in:   "Refund please.\n\nSent from my iPhone\n\n> old",
			want: "Refund please.",
		},
		{
			name: "mobile footer de",
			in:   "Bitte erstatten.\n\nVon meinem iPhone gesendet",
			want: "Bitte erstatten.",
		},
		{
			name: "mobile footer nl",
			in:   "Graag terugbetalen.\nVerzonden vanaf mijn iPhone",
			want: "Graag terugbetalen.",
		},
		{
			name: "mobile footer fr",
			in:   "Remboursement svp.\nEnvoyé de mon iPhone",
			want: "Remboursement svp.",
		},
		{
			name: "mobile footer es",
			in:   "Reembolso por favor.\nEnviado desde mi iPhone",
			want: "Reembolso por favor.",
		},
		{
			name: "Italian attribution and history",
			in:   "Ecco le foto.\n\nIl giorno lun 9 mar 2026 alle ore 10:00 Alussé <service@alusse.example> ha scritto:\n> Ci mandi le foto.",
			want: "Ecco le foto.",
		},
		{
			name: "Portuguese attribution",
			in:   "Segue o número.\n\nEm seg., 9 de mar. de 2026 às 10:00, Alussé <service@alusse.example> escreveu:\n> Qual é o pedido?",
			want: "Segue o número.",
		},
		{
			name: "Italian Outlook header block",
			in:   "È il cappotto.\n\nDa: Alussé <service@alusse.example>\nInviato: lunedì 9 marzo 2026 10:00\nA: Giulia <g@example.it>\nOggetto: Il suo reso\n\nQuale capo?",
			want: "È il cappotto.",
		},
		{
			name: "a secure-mail service named in the customer's own words stays",
			in:   "I write from my Proton Mail address now. Can I return the coat?",
			want: "I write from my Proton Mail address now. Can I return the coat?",
		},
		{
			name: "mobile footer it",
			in:   "Vorrei il rimborso.\nInviato da iPhone",
			want: "Vorrei il rimborso.",
		},
		{
			name: "mobile footer pt",
			in:   "Quero o reembolso.\nEnviado do meu iPhone",
			want: "Quero o reembolso.",
		},
		{
			name: "a secure-mail service's footer in the customer's language",
			in:   "Hoe kan ik ze terugsturen?\n\nGroet,\nFemke\n\nVerzonden met Proton Mail beveiligde e-mail.",
			want: "Hoe kan ik ze terugsturen?\n\nGroet,\nFemke",
		},
		{
			name: "a reply that only quotes has no fresh text",
			in:   "On Mon, 9 Mar 2026 at 10:00, Shop <s@example.com> wrote:\n> Your order LX100233 has shipped.\n> Thanks",
			want: "",
		},
		{
			name: "unmarked history at the start keeps the whole text",
			in:   "On Mon, 9 Mar 2026 at 10:00, Shop <s@example.com> wrote:\nYour order has shipped.\n\nBut it never arrived!",
			want: "On Mon, 9 Mar 2026 at 10:00, Shop <s@example.com> wrote:\nYour order has shipped.\n\nBut it never arrived!",
		},
		{
			name: "forward without comment keeps the forwarded text",
			in:   "-----Original Message-----\nFrom: Shop\nSent: Monday\nOrder AL-204518 confirmed",
			want: "-----Original Message-----\nFrom: Shop\nSent: Monday\nOrder AL-204518 confirmed",
		},
		{
			name: "bare attribution before a quote is dropped",
			in:   "Anna wrote:\n> hello\nMy answer.",
			want: "My answer.",
		},
		{
			name: "bare attribution-like sentence without quote is kept",
			in:   "My friend wrote:\nIt looks broken.",
			want: "My friend wrote:\nIt looks broken.",
		},
		{
			name: "blank lines are collapsed",
			in:   "\n\nA\n\n\n\nB\n\n",
			want: "A\n\nB",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FreshText(tt.in); got != tt.want {
				t.Errorf("FreshText:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestUnflow(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		delsp bool
		want  string
	}{
		{"soft breaks join", "one \ntwo \nthree\nfour", false, "one two three\nfour"},
		{"delsp removes the space", "abc \ndef", true, "abcdef"},
		{"quote depth change ends a paragraph", "> quoted \nnot quoted", false, "> quoted \nnot quoted"},
		{"signature line is not flowed", "text\n-- \nsig", false, "text\n-- \nsig"},
		{"space stuffing removed", "  indented", false, " indented"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := unflow(tt.in, tt.delsp); got != tt.want {
				t.Errorf("unflow(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestOwnForwardedText: the sender's own earlier mail below a forward is found, a
// forwarded mail of anyone else is not.
func TestOwnForwardedText(t *testing.T) {
	own := "Hi,\n\nI sent the note below to the wrong address, so trying here.\n\nOwen\n\n" +
		"From: Owen M <owen@example.ca>\nSent: Wednesday, November 26, 2025 9:14 PM\nTo: orders@luxnome.com\nSubject: Loafers\n\n" +
		"Hello,\n\nThe loafers slip at the heel. Could you send me a 41?\n\nThanks,\nOwen\n"
	if got := OwnForwardedText(own, "Owen@Example.ca"); !strings.HasPrefix(got, "Hello,") || !strings.Contains(got, "send me a 41") {
		t.Errorf("own forwarded mail: %q", got)
	}
	quoted := "Bonjour,\n\nJe vous relance, je n'ai pas eu de réponse à mon message ci-dessous.\n\nÉlodie\n\n" +
		"> Le 16 mars 2026 à 21:47, Élodie Marchand <elodie.marchand@free.fr> a écrit :\n>\n> Bonsoir,\n> Je l'ai mise samedi soir.\n>\n" +
		"> > Le 10 mars 2026, Alussé <service@alusse.example> a écrit :\n> > Votre commande est en route.\n"
	if got := OwnForwardedText(quoted, "elodie.marchand@free.fr"); !strings.HasPrefix(got, "Bonsoir,") || strings.Contains(got, "en route") {
		t.Errorf("own quoted mail under its attribution: %q", got)
	}
	store := "See below.\n\n---------- Forwarded message ---------\nFrom: LuxNome <orders@luxnome.example>\nDate: Sat, 14 Nov 2026\nSubject: Your order\n\nThank you for your purchase!\n"
	if got := OwnForwardedText(store, "aoife@example.ie"); got != "" {
		t.Errorf("a store's forwarded mail read as the customer's: %q", got)
	}
}
