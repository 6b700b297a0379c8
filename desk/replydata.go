package desk

import (
	"io"

	"github.com/returnsdesk/returnsdesk/orders"
	"github.com/returnsdesk/returnsdesk/policy"
	"github.com/returnsdesk/returnsdesk/responder"
)

// replyData fills the template data for a decision. Anything about the order goes in
// only when the sender is the verified buyer (or gift recipient): a sender mismatch,
// an order not found and every holding reply disclose nothing.
func (p *processing) replyData(dec policy.Decision, lang string) responder.Data {
	pol := p.store.Policy
	d := responder.Data{
		Store:            storeInfo(pol, p.mailbox, dec, lang),
		Action:           string(dec.Action),
		Code:             dec.Code,
		CustomerName:     p.customerName(),
		Section:          pol.Translate(lang, dec.Clause.Section),
		Quote:            pol.Translate(lang, dec.Clause.Quote),
		ExchangeUntil:    dec.ExchangeUntil,
		ReturnPossible:   dec.ReturnPossible,
		StoreCredit:      dec.StoreCredit,
		Deadline:         dec.Deadline,
		RefundDue:        dec.RefundDue,
		WantsReplacement: p.req.WantsReplacement,
	}
	if dec.Code == "order_not_found" {
		d.OrderNumberTried = p.req.OrderNumber
	}
	if !discloses(dec) || p.order == nil {
		return d
	}
	d.Order = p.order.Name
	d.Items = itemNames(dec.Items)
	d.CandidateItems = dec.CandidateItems
	d.RAN = p.kase.RAN
	d.RequestedAt = p.kase.AuthorizedAt
	d.TrackingNumber, d.Carrier = p.kase.Tracking, p.kase.Carrier
	if len(p.msg.Tracking) > 0 && dec.Action == policy.Acknowledge {
		d.TrackingNumber, d.Carrier = p.msg.Tracking[0].Number, p.msg.Tracking[0].Carrier
	}
	d.RefundIssued = p.order.RefundIssued() || dec.RefundIssued
	return d
}

// discloses reports whether a reply may speak about the order.
func discloses(dec policy.Decision) bool {
	switch dec.Action {
	case policy.Escalate, policy.Ignore:
		return false
	case policy.RequestInfo:
		return dec.Code == "missing_photos" || dec.Code == "missing_item"
	}
	return true
}

func itemNames(items []orders.LineItem) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.Name)
	}
	return out
}

// storeInfo is the part of the policy the reply quotes, adjusted to the decision:
// an exchange may ship to another address, and the store pays for its own errors.
func storeInfo(pol *policy.Policy, mailbox string, dec policy.Decision, lang string) responder.Store {
	s := responder.Store{
		ID: pol.ID, Name: pol.Name, Mailbox: mailbox,
		ReturnAddress:        pol.Returns.Address,
		PrepaidLabel:         pol.Returns.PrepaidLabel,
		CustomerPaysShipping: pol.Returns.CustomerPaysShipping,
		TrackedShipping:      pol.Returns.TrackedShipping,
		PortalSteps:          translateAll(pol, lang, pol.Returns.PortalSteps),
		RefundTime:           pol.Refunds.Time,
		ResponseTime:         pol.ResponseTime,
		ExchangeFee:          exchangeFee(pol, lang),
		PolicyURL:            pol.PolicyURL,
		OrderNumberExample:   pol.OrderNumber.Example,
	}
	if dec.Action == policy.AuthorizeExchange && len(pol.Exchanges.Address) > 0 {
		s.ReturnAddress = pol.Exchanges.Address
		s.CustomerPaysShipping = pol.Exchanges.CustomerPaysShipping
	}
	if dec.Code == "seller_fault" || dec.Code == "free_exchange" || (dec.Action == policy.AuthorizeExchange && dec.Code == "exchange" && pol.Exchanges.Mode == "not_offered") {
		s.CustomerPaysShipping = false
	}
	return s
}

func exchangeFee(pol *policy.Policy, lang string) string {
	if pol.Exchanges.Fee == 0 {
		return ""
	}
	return responder.FormatMoney(lang, pol.Exchanges.Fee, pol.Currency)
}

func translateAll(pol *policy.Policy, lang string, texts []string) []string {
	out := make([]string, len(texts))
	for i, s := range texts {
		out[i] = pol.Translate(lang, s)
	}
	return out
}

// ranAlphabet is Crockford's base32: no I, L, O or U to misread on a parcel label.
const ranAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// randomCode draws n characters (5 bits each) from r; 10 give 50 bits, which no
// customer guesses from another RAN.
func randomCode(r io.Reader, n int) string {
	buf := make([]byte, n)
	if _, err := io.ReadFull(r, buf); err != nil {
		// crypto/rand does not fail on supported platforms; a broken injected source
		// is a programming error.
		panic("returnsdesk: random source failed: " + err.Error())
	}
	out := make([]byte, n)
	for i, b := range buf {
		out[i] = ranAlphabet[int(b)%len(ranAlphabet)]
	}
	return string(out)
}
