package policy

import (
	"testing"
	"time"

	"github.com/returnsdesk/returnsdesk/classify"
	"github.com/returnsdesk/returnsdesk/orders"
	"github.com/returnsdesk/returnsdesk/parser"
)

// TestFollowUpOnAuthorisedCase: once a RAN is issued, the window was judged; later
// mails are status, tracking, the same authorisation, or for a person — never a late
// refusal, however late they come.
func TestFollowUpOnAuthorisedCase(t *testing.T) {
	dress := item("Linen Dress", "Apparel")
	authorised := Case{RAN: "LW-ABCDEFGHJK", AuthorizedAt: at("2026-10-10T10:00:00Z")}
	late := at("2026-12-01T10:00:00Z") // 61 days after delivery: far out of every window
	base := func() Request {
		return Request{At: late, From: "buyer@example.com", OrderNumber: "X1", Case: authorised,
			Order: order(orderSpec{country: "US", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{dress}})}
	}
	tests := []struct {
		name   string
		edit   func(*Request)
		action Action
		code   string
	}{
		{"the same request again within days: the same authorisation, as then", func(r *Request) {
			r.At = authorised.AuthorizedAt.Add(3 * 24 * time.Hour)
			r.Intent, r.Reason, r.Confidence, r.ReasonStrength = classify.IntentReturn, classify.ReasonSize, 0.9, 3
		}, AuthorizeReturn, "return"},
		{"the same words weeks later: news of the return", func(r *Request) {
			r.Intent, r.Reason, r.Confidence, r.ReasonStrength = classify.IntentReturn, classify.ReasonSize, 0.9, 3
		}, StatusUpdate, "refund_status"},
		{"sent it back, where is my money", func(r *Request) {
			r.Intent, r.Confidence, r.SentBack = classify.IntentReturn, 0.8, true
		}, StatusUpdate, "refund_status"},
		{"angry and vague, about the money", func(r *Request) {
			r.Intent, r.Confidence, r.WantsRefund = classify.IntentOther, 0.2, true
		}, StatusUpdate, "refund_status"},
		{"vague, about nothing in particular", func(r *Request) {
			r.Intent, r.Confidence = classify.IntentOther, 0.2
		}, Escalate, "needs_review"},
		{"a tracking number", func(r *Request) {
			r.Intent, r.Confidence = classify.IntentReturn, 0.7
			r.Tracking = []parser.TrackingNumber{{Carrier: "postnl", Number: "3SABCD1234567"}}
		}, Acknowledge, "tracking_received"},
		{"refund question", func(r *Request) {
			r.Intent, r.Confidence = classify.IntentRefundStatus, 0.4
		}, StatusUpdate, "refund_status"},
		{"lost return parcel with its tracking number", func(r *Request) {
			r.Intent, r.Confidence = classify.IntentLostParcel, 0.5
			r.Tracking = []parser.TrackingNumber{{Carrier: "dhl", Number: "JJD014600003840297153"}}
		}, Escalate, "lost_parcel"},
		{"an exchange on top", func(r *Request) {
			r.Intent, r.Confidence = classify.IntentExchange, 0.9
		}, Escalate, "needs_review"},
		{"money instead of the exchange, in time: the return, decided anew", func(r *Request) {
			r.Case.Exchange, r.At = true, authorised.AuthorizedAt.Add(3*24*time.Hour)
			r.Intent, r.Reason, r.Confidence, r.ReasonStrength, r.WantsRefund = classify.IntentReturn, classify.ReasonSize, 0.9, 3, true
		}, AuthorizeReturn, "return"},
		{"money instead of the exchange, weeks later: judged as of the exchange, no late refusal", func(r *Request) {
			r.Case.Exchange = true
			r.Intent, r.Reason, r.Confidence, r.ReasonStrength, r.WantsRefund = classify.IntentReturn, classify.ReasonSize, 0.9, 3, true
		}, AuthorizeReturn, "return"},
		{"money after the exchange's parcel went back: where it stands", func(r *Request) {
			r.Case.Exchange, r.SentBack = true, true
			r.Intent, r.Confidence, r.WantsRefund = classify.IntentReturn, 0.9, true
		}, StatusUpdate, "refund_status"},
	}
	p := builtinPolicy(t, "lumina")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := base()
			tc.edit(&req)
			d := p.Decide(req)
			if d.Action != tc.action || d.Code != tc.code {
				t.Errorf("got %s/%s (%s), want %s/%s", d.Action, d.Code, d.Why, tc.action, tc.code)
			}
		})
	}
}

// TestCancelAfterDeliveryIsWithdrawal: "cancel" of an order the customer already has,
// within the statutory cooling-off period, is decided as a withdrawal; before delivery
// the store's cancellation rule applies.
func TestCancelAfterDeliveryIsWithdrawal(t *testing.T) {
	finalSale := item("Linen Trousers", "Apparel", "final")
	p := builtinPolicy(t, "lumina")
	cancel := func(country, delivered, sent string) Decision {
		o := order(orderSpec{country: country, created: "2026-11-10T10:00:00Z", delivered: delivered, items: []orders.LineItem{finalSale}})
		return p.Decide(Request{At: at(sent), From: "buyer@example.com", OrderNumber: "X1", Order: o,
			Intent: classify.IntentCancel, Reading: classify.Reading{Confidence: 0.9}})
	}
	if d := cancel("GB", "2026-11-19T10:00:00Z", "2026-11-25T10:00:00Z"); d.Action != AuthorizeReturn || d.Code != "eu_withdrawal" {
		t.Errorf("GB, day 6 after delivery: %s/%s (%s), want authorize_return/eu_withdrawal", d.Action, d.Code, d.Why)
	}
	// Past the cooling-off period, or without the right, a delivered order is still
	// returned, not cancelled: the store's own terms decide (this item is final sale).
	if d := cancel("GB", "2026-11-19T10:00:00Z", "2026-12-10T10:00:00Z"); d.Action != Reject || d.Code != "final_sale" {
		t.Errorf("GB, day 21 after delivery: %s/%s (%s), want reject/final_sale", d.Action, d.Code, d.Why)
	}
	if d := cancel("US", "2026-11-19T10:00:00Z", "2026-11-25T10:00:00Z"); d.Action != Reject || d.Code != "final_sale" {
		t.Errorf("US, no statutory right: %s/%s (%s), want reject/final_sale", d.Action, d.Code, d.Why)
	}
	// Not delivered yet: the store's cancellation rule.
	if d := cancel("US", "", "2026-11-12T10:00:00Z"); d.Action != Reject || d.Code != "cancellation_window_passed" {
		t.Errorf("US, not yet delivered: %s/%s (%s), want reject/cancellation_window_passed", d.Action, d.Code, d.Why)
	}
}

// TestReturnBeforeShippingIsCancellation: asking to send back an order that has not
// shipped is cancelling it.
func TestReturnBeforeShippingIsCancellation(t *testing.T) {
	p := builtinPolicy(t, "lumina")
	req := Request{At: at("2026-11-20T18:00:00Z"), From: "buyer@example.com", OrderNumber: "X1",
		Order:  order(orderSpec{country: "AU", created: "2026-11-20T08:00:00Z", items: []orders.LineItem{item("Velvet Dress", "Apparel")}}),
		Intent: classify.IntentReturn, Reading: classify.Reading{Confidence: 0.9}}
	if d := p.Decide(req); d.Action != CancelOrder {
		t.Errorf("%s/%s (%s), want cancel_order", d.Action, d.Code, d.Why)
	}
}

// TestRefundInsteadOfExchange: a store that gives no refunds refuses one asked in
// place of the exchange it authorised, whenever asked; the exchange still stands.
func TestRefundInsteadOfExchange(t *testing.T) {
	p := builtinPolicy(t, "alustoora")
	abaya := item("Abaya", "Apparel")
	authorised := Case{RAN: "ALU-ABCDEFGHJK", AuthorizedAt: at("2026-10-05T15:00:00Z"), Exchange: true}
	req := Request{At: at("2026-10-06T15:00:00Z"), From: "buyer@example.com", OrderNumber: "X1", Case: authorised,
		Order: order(orderSpec{country: "US", created: "2026-09-30T15:00:00Z", delivered: "2026-10-03T15:00:00Z", items: []orders.LineItem{abaya}})}
	req.Intent, req.Reason, req.Confidence, req.ReasonStrength, req.WantsRefund = classify.IntentReturn, classify.ReasonChangedMind, 0.9, 3, true
	if d := p.Decide(req); d.Action != Reject || d.Code != "no_refunds" {
		t.Errorf("got %s/%s (%s), want reject/no_refunds", d.Action, d.Code, d.Why)
	}
}
