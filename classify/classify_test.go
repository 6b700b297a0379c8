package classify

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// confidence expectations of a case.
type confWant int

const (
	confAny  confWant = iota
	confHigh          // >= ConfidenceThreshold: the desk may act on it
	confSure          // >= 0.7: a clear mail
	confLow           // < ConfidenceThreshold: a person must look
)

// classifyCase is one mail and what Classify must make of it. flags lists the flags
// that must be set, comma-separated; every other flag must be unset, except WantsRefund
// on refund_status questions, which is left open ("where is my refund" both asks about
// and for the money).
type classifyCase struct {
	name    string
	subject string
	text    string
	intent  Intent
	reason  Reason
	lang    string // "" = not checked (mixed-language mail)
	// anyIntent leaves the intent unchecked where two are equally right and only the
	// low confidence matters.
	anyIntent bool
	flags     string
	conf      confWant
}

var flagNames = []string{"used", "unopened", "replacement", "refund", "whole", "one", "gift", "photos"}

func flagsOf(c Reading) map[string]bool {
	return map[string]bool{
		"used": c.Used, "unopened": c.Unopened, "replacement": c.WantsReplacement,
		"refund": c.WantsRefund, "whole": c.WholeOrder, "one": c.OneItem, "gift": c.Gift, "photos": c.MentionsPhotos,
	}
}

func runClassifyCases(t *testing.T, cases []classifyCase) {
	t.Helper()
	for _, tc := range cases {
		name := tc.name
		if name == "" {
			name = tc.subject + " " + tc.text
		}
		t.Run(name, func(t *testing.T) {
			got := Read(tc.subject, tc.text)
			if got.Intent != tc.intent && !tc.anyIntent {
				t.Errorf("intent = %q, want %q (%+v)", got.Intent, tc.intent, got)
			}
			if got.Reason != tc.reason {
				t.Errorf("reason = %q, want %q", got.Reason, tc.reason)
			}
			if tc.lang != "" && got.Language != tc.lang {
				t.Errorf("language = %q, want %q", got.Language, tc.lang)
			}
			want := map[string]bool{}
			for _, f := range strings.Split(tc.flags, ",") {
				if f = strings.TrimSpace(f); f != "" {
					want[f] = true
				}
			}
			have := flagsOf(got)
			for _, f := range flagNames {
				if f == "refund" && tc.intent == IntentRefundStatus && !want[f] {
					continue
				}
				if have[f] != want[f] {
					t.Errorf("flag %s = %v, want %v", f, have[f], want[f])
				}
			}
			switch tc.conf {
			case confHigh:
				if got.Confidence < ConfidenceThreshold {
					t.Errorf("confidence = %.2f, want >= %.2f", got.Confidence, ConfidenceThreshold)
				}
			case confSure:
				if got.Confidence < 0.7 {
					t.Errorf("confidence = %.2f, want >= 0.7", got.Confidence)
				}
			case confLow:
				if got.Confidence >= ConfidenceThreshold {
					t.Errorf("confidence = %.2f, want < %.2f", got.Confidence, ConfidenceThreshold)
				}
			}
			if got.Confidence < 0 || got.Confidence > 1 {
				t.Errorf("confidence %.2f outside 0..1", got.Confidence)
			}
		})
	}
}

func TestClassifyEnglish(t *testing.T) { runClassifyCases(t, append(englishCases, englishMore...)) }
func TestClassifyGerman(t *testing.T)  { runClassifyCases(t, append(germanCases, germanMore...)) }
func TestClassifyDutch(t *testing.T)   { runClassifyCases(t, append(dutchCases, dutchMore...)) }
func TestClassifyFrench(t *testing.T)  { runClassifyCases(t, append(frenchCases, frenchMore...)) }
func TestClassifySpanish(t *testing.T) { runClassifyCases(t, append(spanishCases, spanishMore...)) }
func TestClassifyMixed(t *testing.T)   { runClassifyCases(t, mixedCases) }

func TestClassifyCaseCounts(t *testing.T) {
	for lang, cases := range map[string][]classifyCase{
		"en": englishCases, "de": germanCases, "nl": dutchCases, "fr": frenchCases, "es": spanishCases,
	} {
		if len(cases) < 25 {
			t.Errorf("%s: %d cases, want at least 25", lang, len(cases))
		}
	}
}

// mixedCases cover edge cases across languages: empty and unreadable text, several
// requests in one mail, subject-only mail and language mixes.
var mixedCases = []classifyCase{
	{name: "empty", intent: IntentUnknown, lang: "en", conf: confLow},
	{name: "only an order number", text: "AL-204518", intent: IntentUnknown, lang: "en", conf: confLow},
	{name: "another script", text: "Я хочу вернуть товар, размер слишком мал", intent: IntentUnknown, lang: "en", conf: confLow},
	{name: "Chinese", text: "我想退货，尺码太小了", intent: IntentReturn, reason: ReasonSize, lang: "zh", conf: confHigh},
	{name: "greeting only", text: "Hello, thanks!", intent: IntentOther, lang: "en", conf: confLow},
	{name: "subject carries the request", subject: "Return AL-204518", intent: IntentReturn, lang: "en", conf: confHigh},
	{name: "subject in German", subject: "Rücksendung", intent: IntentReturn, lang: "de", conf: confHigh},
	{name: "subject Umtausch", subject: "Umtausch", text: "Bestellung LX100233", intent: IntentExchange, lang: "de"},
	{name: "subject Annulation", subject: "Annulation commande", text: "ALS10482", intent: IntentCancel, lang: "fr"},
	{name: "subject Devolución", subject: "Devolución", text: "pedido #10234", intent: IntentReturn, lang: "es"},
	{name: "subject Retour is Dutch or French", subject: "Retour", text: "LW-58213", intent: IntentReturn, lang: "en"},
	{name: "English and German", text: "Hallo, I want to return die Schuhe, zu klein", intent: IntentReturn, reason: ReasonSize},
	{name: "Spanish with English", text: "hola, quiero devolver this jacket, it's too big", intent: IntentReturn, reason: ReasonSize},
	{name: "return and refund question", text: "I want to return the shirt. Also, where is my refund for the shoes I sent back last month?",
		anyIntent: true, lang: "en", flags: "refund", conf: confLow},
	{name: "cancel and exchange", text: "Please cancel order 1234. And can I exchange the boots from order 1200 for a bigger size?",
		intent: IntentExchange, reason: ReasonSize, lang: "en", conf: confLow},
	{name: "reason without request", text: "too small", intent: IntentReturn, reason: ReasonSize, lang: "en", conf: confLow},
	{name: "no cue at all", text: "Do you ship to Canada?", intent: IntentOther, lang: "en", conf: confLow},
	{name: "reply to a shipping notice", subject: "Re: Your order #1234 has shipped", text: "Please cancel it, I don't need it anymore.",
		intent: IntentCancel, reason: ReasonChangedMind, lang: "en", conf: confHigh},
}

// TestClassifyConcurrent runs Classify from several goroutines, as the daemon's mailbox
// workers do; run with -race to check the lexicon is only read after loading.
func TestClassifyConcurrent(t *testing.T) {
	want := Read("", englishCases[0].text)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, tc := range germanCases {
				Read(tc.subject, tc.text)
			}
			if got := Read("", englishCases[0].text); !reflect.DeepEqual(got, want) {
				t.Errorf("concurrent result %+v, want %+v", got, want)
			}
		}()
	}
	wg.Wait()
}

func BenchmarkClassify(b *testing.B) {
	mails := []struct{ subject, text string }{
		{"Return AL-204518", "Hi, I'd like to return my order AL-204518, the dress doesn't fit and I never wore it. Could you send me a return label? Thanks, Anna"},
		{"Rücksendung", "Guten Tag, ich habe die Jacke letzte Woche zurückgeschickt, Sendungsnummer 00340434161234567890. Wann bekomme ich mein Geld zurück? Mit freundlichen Grüßen"},
		{"", "Bonjour, le colis est arrivé endommagé, photos ci-jointes. Je voudrais un remplacement s'il vous plaît."},
		{"Pedido 10234", strings.Repeat("Hola, quiero cambiar la talla de las zapatillas porque me quedan pequeñas. ", 8)},
	}
	if _, err := loadLexicon(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	bytes := 0
	for _, m := range mails {
		bytes += len(m.subject) + len(m.text)
	}
	b.SetBytes(int64(bytes / len(mails)))
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		m := mails[i%len(mails)]
		Read(m.subject, m.text)
	}
}

func ExampleRead() {
	c := Read("Return AL-204518", "Hi, I'd like to return my order, it doesn't fit.")
	fmt.Println(c.Intent, c.Reason, c.Language, c.Confidence >= ConfidenceThreshold)
	// Output: return size en true
}

// TestClassifyLongTokens: a hostile mail of one endless word must not stall the
// classifier (typo tolerance on long tokens grew with the square of their length:
// without the bound this test does not finish).
func TestClassifyLongTokens(t *testing.T) {
	for _, n := range []int{100, 1000, 64 << 10} {
		if c := Read("", strings.Repeat("a", n)); c.Intent == IntentReturn {
			t.Errorf("%d letters read as a return", n)
		}
		if c := Read("", "I want to return my dress "+strings.Repeat("e", n)+" please"); c.Intent != IntentReturn {
			t.Errorf("a return with a %d-letter token: intent %q", n, c.Intent)
		}
	}
}
