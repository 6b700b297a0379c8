package policy

import (
	"fmt"

	"github.com/returnsdesk/returnsdesk/classify"
)

// confident reports whether the request's intent is read at least this surely.
func (r Request) confident(threshold float64) bool {
	return r.Settled || r.Intent != classify.IntentUnknown && r.Confidence >= threshold
}

// guard is the asymmetric safety of the engine: a refusal needs a surer reading than
// any other answer, and one that rests on the customer's reason needs that reason
// stated clearly. A refusal read less surely goes to a person instead; it never
// reaches the customer. The thresholds are classify's (classify/confidence.go).
//
// A refusal rests on the reason when the other reading would not have been refused:
// "sale items only when defective", "only faults are accepted", a claim window
// shorter than the return window. guard finds that out by deciding the request once
// more with the other kind of reason.
func (p *Policy) guard(req Request, d Decision) Decision {
	if d.Action != Reject {
		return d
	}
	refer := func(why string) Decision {
		e := decide(Escalate, "needs_review", fmt.Sprintf("would refuse (%s: %s), but %s", d.Code, d.Why, why))
		e.Clause = d.Clause
		return e
	}
	if !req.confident(classify.RefuseConfidence) {
		return refer(fmt.Sprintf("the request is read with confidence %.2f only", req.Confidence))
	}
	clearReason := req.ReasonStrength >= classify.ClearReason
	switch {
	case d.Code == "reason_not_accepted" && !(preference(req.Reason) && clearReason):
		// Only faults are accepted: refusing needs a stated preference, or a fault
		// the words did not catch is refused.
		return refer("the mail states no clear reason that is not a fault")
	case req.Reason.SellerFault() && !clearReason:
		// Late or excluded claims: refusing needs a clearly stated fault; a weak one
		// may be a preference, which other rules decide.
		return refer("the fault it rests on is not stated clearly")
	case !req.Reason.SellerFault() && req.FaultStrength > 0 && !req.Settled:
		// The words hint at a fault they do not state clearly: were it one, would the
		// answer still be a no?
		other := req
		other.Reason, other.ReasonStrength, other.Photos = classify.ReasonDefective, classify.ClearReason, max(req.Photos, 1)
		if alt := p.decide(other); alt.Action != Reject {
			return refer(fmt.Sprintf("a fault the mail does not state clearly would be %s/%s", alt.Action, alt.Code))
		}
	}
	return d
}

// preference reports whether a reason is the customer's own (fit, taste, mind).
func preference(r classify.Reason) bool {
	switch r {
	case classify.ReasonChangedMind, classify.ReasonSize, classify.ReasonColour:
		return true
	}
	return false
}
