package policy

import (
	"testing"

	"github.com/returnsdesk/returnsdesk/classify"
	"github.com/returnsdesk/returnsdesk/orders"
)

// TestVagueMailIsNeverRefused: whatever the store, order, intent and reason, a request
// read with less than RefuseConfidence never ends in reject, and neither does a
// refusal that rests on a reason the mail does not state clearly.
func TestVagueMailIsNeverRefused(t *testing.T) {
	orderSets := map[string]*orders.Order{
		"long delivered": order(orderSpec{country: "US", created: "2026-01-01T10:00:00Z", delivered: "2026-01-10T10:00:00Z",
			items: []orders.LineItem{item("Linen Dress", "Apparel")}}),
		"final sale": order(orderSpec{country: "US", created: "2026-11-01T10:00:00Z", delivered: "2026-11-05T10:00:00Z",
			items: []orders.LineItem{item("Tee", "Apparel", "final")}}),
		"excluded category": order(orderSpec{country: "US", created: "2026-11-01T10:00:00Z", delivered: "2026-11-05T10:00:00Z",
			items: []orders.LineItem{item("Ring", "Jewelry"), item("Lipstick", "Cosmetics")}}),
		"shipped": order(orderSpec{country: "US", created: "2026-11-01T10:00:00Z", fulfilled: true,
			items: []orders.LineItem{item("Boots", "Shoes", "sale")}}),
	}
	intents := []classify.Intent{classify.IntentReturn, classify.IntentExchange, classify.IntentClaim, classify.IntentCancel}
	reasons := []classify.Reason{classify.ReasonNone, classify.ReasonChangedMind, classify.ReasonSize, classify.ReasonDefective, classify.ReasonDamaged}
	all, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, p := range all {
		for oname, o := range orderSets {
			for _, in := range intents {
				for _, r := range reasons {
					for _, rd := range []classify.Reading{
						{Confidence: 0.3}, {Confidence: classify.ConfidenceThreshold}, {Confidence: classify.RefuseConfidence - 0.01},
						{Confidence: 0.95, ReasonStrength: classify.ClearReason - 0.5},
					} {
						req := Request{At: at("2026-11-20T10:00:00Z"), From: "buyer@example.com", OrderNumber: "X1", Order: o,
							Intent: in, Reason: r, Reading: rd, Photos: 1}
						if r != classify.ReasonNone && rd.ReasonStrength == 0 {
							req.ReasonStrength = classify.ClearReason // only the intent is vague here
						}
						d := p.Decide(req)
						checked++
						vague := rd.Confidence < classify.RefuseConfidence
						weakReason := req.ReasonStrength < classify.ClearReason
						if d.Action == Reject && (vague || weakReason && (d.Code == "reason_not_accepted" || r.SellerFault())) {
							t.Errorf("%s, %s, %s/%s, confidence %.2f, reason strength %.1f: reject/%s (%s)",
								p.ID, oname, in, r, rd.Confidence, req.ReasonStrength, d.Code, d.Why)
						}
					}
				}
			}
		}
	}
	if checked < 1000 {
		t.Fatalf("only %d requests checked", checked)
	}
}

// TestGuardReadsTheWholeMail: a refusal the mail's other words put in doubt goes to a
// person: a refund question beside the request, use stated by one weak word, a new one
// asked for with photos, a late claim beside a clear preference the store would take
// back.
func TestGuardReadsTheWholeMail(t *testing.T) {
	dress := item("Linen Dress", "Apparel")
	delivered := order(orderSpec{country: "US", delivered: "2026-11-01T10:00:00Z", items: []orders.LineItem{dress}})
	lumina, luxnome := builtinPolicy(t, "lumina"), builtinPolicy(t, "luxnome")
	base := Request{At: at("2026-11-20T10:00:00Z"), From: "buyer@example.com", OrderNumber: "X1", Order: delivered}
	for _, tc := range []struct {
		name string
		p    *Policy
		edit func(*Request)
	}{
		{"a late return that also asks where the refund is", lumina, func(r *Request) {
			r.At = at("2026-12-20T10:00:00Z")
			r.Intent, r.Reading = classify.IntentReturn, classify.Reading{Confidence: 0.9, Also: []classify.Intent{classify.IntentRefundStatus}}
		}},
		{"used on one weak word", lumina, func(r *Request) {
			r.Intent, r.Reason = classify.IntentReturn, classify.ReasonChangedMind
			r.Reading = classify.Reading{Confidence: 0.9, ReasonStrength: 3, Used: true, UsedStrength: 2}
		}},
		{"a new one asked for with photos, read as a preference", luxnome, func(r *Request) {
			r.Intent, r.Reason = classify.IntentReturn, classify.ReasonSize
			r.Reading, r.Photos = classify.Reading{Confidence: 0.9, ReasonStrength: 2.5, WantsReplacement: true}, 1
		}},
		{"a late claim beside a clear preference", lumina, func(r *Request) {
			r.Intent, r.Reason = classify.IntentReturn, classify.ReasonDefective
			r.Reading, r.Photos = classify.Reading{Confidence: 0.9, ReasonStrength: 3, PreferenceStrength: 3}, 1
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := base
			tc.edit(&req)
			if d := tc.p.Decide(req); d.Action != Escalate {
				t.Errorf("%s/%s (%s), want a referral", d.Action, d.Code, d.Why)
			}
			// The same request read without the doubt is the store's normal no.
			req.Also, req.UsedStrength, req.PreferenceStrength, req.WantsReplacement = nil, 3, 0, false
			if d := tc.p.Decide(req); d.Action != Reject {
				t.Errorf("without the doubt: %s/%s (%s), want the rejection", d.Action, d.Code, d.Why)
			}
		})
	}
}

// TestAlternativeTheStoreCanGive: "refund it, or else exchange it" in a store that only
// exchanges is the exchange, not the refusal of the refund; "exchange it, or else
// refund it" where exchanges are not offered is the return.
func TestAlternativeTheStoreCanGive(t *testing.T) {
	boots := item("Trail Boots", "Shoes")
	delivered := order(orderSpec{country: "US", created: "2026-11-14T10:00:00Z", delivered: "2026-11-18T10:00:00Z", items: []orders.LineItem{boots}})
	for _, tc := range []struct {
		store       string
		intent, alt classify.Intent
		wantAction  Action
		wantNo      string
	}{
		{"alustoora", classify.IntentReturn, classify.IntentExchange, AuthorizeExchange, "no_refunds"},
		{"alinora", classify.IntentExchange, classify.IntentReturn, AuthorizeReturn, "exchange_not_offered"},
	} {
		t.Run(tc.store, func(t *testing.T) {
			p := builtinPolicy(t, tc.store)
			req := Request{At: at("2026-11-20T10:00:00Z"), From: "buyer@example.com", OrderNumber: "X1", Order: delivered,
				Intent: tc.intent, Reason: classify.ReasonSize,
				Reading: classify.Reading{Confidence: 0.9, ReasonStrength: 3, PreferenceStrength: 3}}
			if d := p.Decide(req); d.Action != Reject || d.Code != tc.wantNo {
				t.Fatalf("alone: %s/%s (%s), want reject/%s", d.Action, d.Code, d.Why, tc.wantNo)
			}
			req.Alternative = tc.alt
			if d := p.Decide(req); d.Action != tc.wantAction {
				t.Errorf("with the alternative offered: %s/%s (%s), want %s", d.Action, d.Code, d.Why, tc.wantAction)
			}
		})
	}
}

// TestExchangeRefusedWhereMoneyWasAsked: "my money back, an exchange is out of the
// question" read as an exchange is not refused as a late exchange when the money the
// customer asked for would not be refused (an EU customer of a store without refunds
// is for a person).
func TestExchangeRefusedWhereMoneyWasAsked(t *testing.T) {
	blanket := item("Bouclé Throw", "Home")
	late := Request{At: at("2026-11-20T10:00:00Z"), From: "buyer@example.com", OrderNumber: "X1",
		Order:  order(orderSpec{country: "DE", created: "2026-10-20T10:00:00Z", delivered: "2026-10-25T10:00:00Z", items: []orders.LineItem{blanket}}),
		Intent: classify.IntentExchange, Reason: classify.ReasonColour,
		Reading: classify.Reading{Confidence: 0.9, ReasonStrength: 3, PreferenceStrength: 3, WantsRefund: true}}
	p := builtinPolicy(t, "alustoora")
	if d := p.Decide(late); d.Action != Escalate {
		t.Errorf("asked for the money: %s/%s (%s), want a referral", d.Action, d.Code, d.Why)
	}
	late.WantsRefund = false
	if d := p.Decide(late); d.Action != Reject || d.Code != "window_expired" {
		t.Errorf("an exchange alone: %s/%s (%s), want reject/window_expired", d.Action, d.Code, d.Why)
	}
}

// TestUnnamedFaultAsksForPhotosFirst: a claim whose fault the words do not name asks
// for photos where every fault needs them, and goes to a person once photos are there
// or where the store does not handle claims.
func TestUnnamedFaultAsksForPhotosFirst(t *testing.T) {
	claim := Request{At: at("2026-11-05T10:00:00Z"), From: "buyer@example.com", OrderNumber: "X1",
		Order:  order(orderSpec{country: "US", created: "2026-10-28T10:00:00Z", delivered: "2026-11-01T10:00:00Z", items: []orders.LineItem{item("Desk Lamp", "Home")}}),
		Intent: classify.IntentClaim, Reading: classify.Reading{Confidence: 0.8}}
	for _, tc := range []struct {
		store  string
		photos int
		action Action
		code   string
	}{
		{"alinora", 0, RequestInfo, "missing_photos"},
		{"lumina", 0, RequestInfo, "missing_photos"},
		{"alinora", 2, Escalate, "needs_review"},
		{"alustoora", 0, Escalate, "needs_review"},
	} {
		req := claim
		req.Photos = tc.photos
		if d := builtinPolicy(t, tc.store).Decide(req); d.Action != tc.action || d.Code != tc.code {
			t.Errorf("%s, %d photos: %s/%s (%s), want %s/%s", tc.store, tc.photos, d.Action, d.Code, d.Why, tc.action, tc.code)
		}
	}
}

// TestSomeoneElseIsAskedFirst: mail from another address than the order's is asked
// to come from the order's address, however vaguely it reads (SPEC §3 step 4 comes
// before the reading of the request), and nothing is decided on the order.
func TestSomeoneElseIsAskedFirst(t *testing.T) {
	req := Request{At: at("2026-11-05T10:00:00Z"), From: "partner@example.com", OrderNumber: "X1",
		Order:  order(orderSpec{country: "NL", delivered: "2026-11-01T10:00:00Z", items: []orders.LineItem{item("Ankle Boots", "Shoes")}}),
		Intent: classify.IntentReturn, Reading: classify.Reading{Confidence: 0.3}}
	for _, store := range []string{"lumina", "alusse", "alinora", "alustoora", "luxnome"} {
		if d := builtinPolicy(t, store).Decide(req); d.Action != RequestInfo || d.Code != "sender_mismatch" {
			t.Errorf("%s: %s/%s (%s), want request_info/sender_mismatch", store, d.Action, d.Code, d.Why)
		}
	}
}

// TestFaultToldOnceInAReturn: a customer asking for a plain return whose mail holds
// one fault word and no photos is not refused as a late claim where the return would
// be given; a fault stated firmly, or shown, is refused as late.
func TestFaultToldOnceInAReturn(t *testing.T) {
	lumina := builtinPolicy(t, "lumina")
	req := Request{At: at("2026-11-20T10:00:00Z"), From: "buyer@example.com", OrderNumber: "X1",
		Order:  order(orderSpec{country: "US", delivered: "2026-11-01T10:00:00Z", items: []orders.LineItem{item("Wool Coat", "Apparel")}}),
		Intent: classify.IntentReturn, Reason: classify.ReasonDamaged, Reading: classify.Reading{Confidence: 0.9, ReasonStrength: classify.ClearReason}}
	if d := lumina.Decide(req); d.Action != Escalate {
		t.Errorf("told once: %s/%s (%s), want a referral", d.Action, d.Code, d.Why)
	}
	firm := req
	firm.ReasonStrength = classify.ConfirmedFault
	if d := lumina.Decide(firm); d.Action != Reject || d.Code != "claim_window_expired" {
		t.Errorf("stated firmly: %s/%s (%s), want reject/claim_window_expired", d.Action, d.Code, d.Why)
	}
	shown := req
	shown.Photos = 2
	if d := lumina.Decide(shown); d.Action != Reject || d.Code != "claim_window_expired" {
		t.Errorf("shown: %s/%s (%s), want reject/claim_window_expired", d.Action, d.Code, d.Why)
	}
}

// TestLateRefusalOfAnItemSentBack: a late claim whose customer says the store already
// has the item is no refusal but a person's: the return it answers is one the desk
// does not know of.
func TestLateRefusalOfAnItemSentBack(t *testing.T) {
	luxnome := builtinPolicy(t, "luxnome")
	dress := item("Linen Dress", "Apparel")
	req := Request{At: at("2026-12-20T10:00:00Z"), From: "buyer@example.com", OrderNumber: "X1",
		Order:  order(orderSpec{country: "US", delivered: "2026-11-01T10:00:00Z", items: []orders.LineItem{dress}}),
		Intent: classify.IntentReturn, Reason: classify.ReasonDefective, Photos: 1,
		Reading: classify.Reading{Confidence: 0.9, ReasonStrength: 3.5}}
	if d := luxnome.Decide(req); d.Action != Reject || d.Code != "window_expired" {
		t.Fatalf("a late claim: %s/%s, want reject/window_expired", d.Action, d.Code)
	}
	req.SentBack = true
	if d := luxnome.Decide(req); d.Action != Escalate {
		t.Errorf("a late claim of an item already sent back: %s/%s (%s), want a referral", d.Action, d.Code, d.Why)
	}
}

// TestRefundOfAnotherSum: a refund asked of a sum the order does not show (duties, a
// fee) goes to a person, late or not; one of the item's own price is the return.
func TestRefundOfAnotherSum(t *testing.T) {
	all, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	coat := item("Harbour Trench Coat", "Apparel")
	coat.Price = 189
	o := order(orderSpec{country: "GB", created: "2026-01-01T10:00:00Z", delivered: "2026-01-10T10:00:00Z", items: []orders.LineItem{coat}})
	for _, p := range all {
		for _, c := range []struct {
			amounts []float64
			refused bool // the window is long over: the return is refused
		}{{[]float64{41.60}, false}, {[]float64{189}, true}} {
			req := Request{At: at("2026-11-20T10:00:00Z"), From: "buyer@example.com", OrderNumber: "X1", Order: o,
				Intent: classify.IntentReturn, Reason: classify.ReasonChangedMind,
				Reading: classify.Reading{Confidence: 0.9, ReasonStrength: 3, WantsRefund: true, RefundAmounts: c.amounts}}
			d := p.Decide(req)
			switch {
			case !c.refused && (d.Action != Escalate || d.Code != "needs_review"):
				t.Errorf("%s: a refund of %v, not the coat's price: %s/%s (%s), want escalate/needs_review", p.ID, c.amounts, d.Action, d.Code, d.Why)
			case c.refused && d.Action == Escalate && d.Code == "needs_review" && d.Why == "the refund asked for is of a sum the order does not show":
				t.Errorf("%s: a refund of the coat's own price was taken for another sum", p.ID)
			}
		}
	}
}

// TestItemNamedWhereAsked: of two items named alike, the one named in the clause that
// asks is meant, not the one of a side question; named alike in asking clauses both,
// none stands out.
func TestItemNamedWhereAsked(t *testing.T) {
	items := []orders.LineItem{item("Merel Leather Belt", "Accessories"), item("Alba Silk Scarf", "Accessories")}
	got := namedItems("I'd like to return the Merel belt, it's just not needed. Is the Alba scarf coming back in stock in navy?", "en", items)
	if len(got) != 1 || got[0].Name != "Merel Leather Belt" {
		t.Errorf("named %v, want the belt", got)
	}
	if got := namedItems("I'd like to return the Merel belt. I'd also like to return the Alba scarf.", "en", items); len(got) != 0 {
		t.Errorf("both asked for: named %v, want none standing out", got)
	}
}

// TestKeepWordsOfTheLanguage: "tengo" keeps an item in Italian mail ("tengo la gonna")
// and nothing in Spanish, where it is "I have".
func TestKeepWordsOfTheLanguage(t *testing.T) {
	items := []orders.LineItem{{Name: "Cappotto Lana - Grigio / S", SKU: "C1"}, {Name: "Gonna Plissé - Nero / S", SKU: "G1"}}
	got := namedItems("Vorrei restituire il cappotto, tengo la gonna.", "it", items)
	if len(got) != 1 || got[0].SKU != "C1" {
		t.Errorf("Italian: named %v, want the coat alone", got)
	}
	if got := namedItems("Quiero devolver el cappotto y la gonna, tengo el recibo.", "es", items); len(got) == 1 {
		t.Errorf("Spanish: named %v, want both (\"tengo\" keeps nothing)", got)
	}
}
