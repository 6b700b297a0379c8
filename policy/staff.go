package policy

import (
	"fmt"
	"slices"

	"github.com/returnsdesk/returnsdesk/classify"
	"github.com/returnsdesk/returnsdesk/responder"
)

// Approve is the decision staff take when they answer a referral with "approve": what
// the policy gives once the doubt that made the desk refer the request is settled in
// the customer's favour. A statutory-rights referral becomes the withdrawal; a late or
// unclear claim the store's remedy for a fault; a return or exchange the store's own
// authorisation. What the policy needs first (an order number, photos) is still asked.
func (p *Policy) Approve(req Request, flagCode string) Decision {
	req.Settled = true
	req.ReasonStrength = max(req.ReasonStrength, classify.ClearReason)
	d := p.decide(req)
	switch d.Action {
	case AuthorizeReturn, AuthorizeExchange, ReplaceOrRefund, CancelOrder, RedirectPortal, RequestInfo:
		d.Why = "approved by staff: " + d.Why
		return d.finish()
	}
	var a Decision
	switch {
	case req.Intent == classify.IntentCancel:
		a = decide(CancelOrder, "cancel", "cancellation approved by staff")
	case req.Reason.SellerFault():
		a = p.approvedClaim(req)
	case req.Intent == classify.IntentExchange && p.Exchanges.Mode == "keep_and_exchange":
		a = decide(AuthorizeExchange, "keep_and_exchange", "exchange approved by staff")
	case req.Intent == classify.IntentExchange:
		a = decide(AuthorizeExchange, "exchange", "exchange approved by staff")
		a.Deadline = p.shipBy(req.At)
	case flagCode == "statutory_rights" || d.Code == "statutory_rights":
		a = decide(AuthorizeReturn, "eu_withdrawal", "statutory withdrawal granted by staff")
		a.Clause = p.Withdrawal.Clause
		a.Deadline = p.shipBy(req.At)
	default:
		a = decide(AuthorizeReturn, "return", "return approved by staff")
		a.Deadline = p.shipBy(req.At)
	}
	a.Items = d.Items
	if len(a.Items) == 0 && req.Order != nil {
		a.Items = req.Order.Items
	}
	return a.finish()
}

// approvedClaim is the store's remedy for a fault staff accepted.
func (p *Policy) approvedClaim(req Request) Decision {
	wantsReplacement := req.Intent == classify.IntentExchange || req.WantsReplacement
	switch {
	case p.Claims.Mode == "replace_or_refund":
		return decide(ReplaceOrRefund, "claim", fmt.Sprintf("%s item: claim approved by staff", req.Reason))
	case wantsReplacement:
		d := decide(AuthorizeExchange, "exchange", fmt.Sprintf("%s item: replacement approved by staff", req.Reason))
		d.Deadline = p.shipBy(req.At)
		return d
	}
	d := decide(AuthorizeReturn, "seller_fault", fmt.Sprintf("%s item: return approved by staff", req.Reason))
	d.Deadline = p.shipBy(req.At)
	return d
}

// StaffReply is the decision for a staff "reject <code>" or "ask <code>": the normal
// rejection, quoting the clause the code rests on, or the normal request for
// information. ok is false for a code that is not one of the action's (SPEC §3,
// responder.Codes).
func (p *Policy) StaffReply(action Action, code string) (Decision, bool) {
	switch action {
	case Reject:
		if !slices.Contains(responder.Codes[string(Reject)], code) {
			return Decision{}, false
		}
		return reject(code, p.clauseFor(code), "rejected by staff").finish(), true
	case RequestInfo:
		if !slices.Contains(responder.Codes[string(RequestInfo)], code) {
			return Decision{}, false
		}
		return decide(RequestInfo, code, "asked by staff").finish(), true
	}
	return Decision{}, false
}

// clauseFor is the policy passage a rejection code rests on.
func (p *Policy) clauseFor(code string) Clause {
	r, n := p.Returns, p.NonReturnable
	switch code {
	case "window_expired":
		return orClause(r.WindowClause, p.Claims.WindowClause)
	case "claim_window_expired":
		return p.Claims.WindowClause
	case "non_returnable":
		return orClause(n.CategoryClause, n.PersonalisedClause)
	case "final_sale":
		return orClause(n.FinalSaleClause, n.CategoryClause)
	case "sale_item":
		return orClause(n.SaleClause, n.CategoryClause)
	case "used_item":
		return r.ConditionClause
	case "no_refunds":
		return r.Clause
	case "reason_not_accepted":
		return orClause(r.ReasonClause, r.Clause)
	case "exchange_not_offered":
		return p.Exchanges.Clause
	case "already_shipped", "cancellation_window_passed":
		return p.Cancellation.Clause
	}
	return Clause{}
}

// StaffStatus is the status reply staff ask for ("refund-issued"): the refund is
// reported as issued whatever the order export says yet.
func StaffStatus(why string) Decision {
	d := decide(StatusUpdate, "refund_status", why)
	d.RefundIssued = true
	return d.finish()
}
