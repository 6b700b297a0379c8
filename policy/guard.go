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
	if (d.Code == "window_expired" || d.Code == "claim_window_expired") && req.SentBack && !req.Settled {
		// "You've had it back since June 3 and still nothing on my Visa": a late
		// refusal of an item the store already has answers a return it does not know
		// of (authorised before the desk, or by a person): a person looks.
		return refer("the customer says the item was already sent back")
	}
	for _, also := range req.Also {
		switch also {
		case classify.IntentRefundStatus, classify.IntentTracking, classify.IntentLostParcel:
			// "I sent it back; where is my refund?": the mail is about a return under
			// way as much as about a new one, and a no would answer the wrong one.
			return refer(fmt.Sprintf("the mail also asks %s", also))
		}
	}
	if req.Alternative != "" && req.Alternative != req.Intent && !req.Settled {
		// "Refund it, or failing that exchange it": the other choice the customer
		// offered is the answer when the store can give it.
		other := req
		other.Intent, other.Alternative = req.Alternative, ""
		if alt := p.guard(other, p.decide(other)); alt.Action != Reject {
			return alt
		}
	}
	if req.WantsRefund && req.Intent == classify.IntentExchange && !req.Settled {
		// "I'd like my money back; an exchange is out of the question": a no to an
		// exchange answers what the customer did not ask when the money they asked
		// for would not be refused.
		other := req
		other.Intent, other.Alternative = classify.IntentReturn, ""
		if alt := p.decide(other); alt.Action != Reject {
			return refer(fmt.Sprintf("the mail asks for the money back, which would be %s/%s", alt.Action, alt.Code))
		}
	}
	clearReason := req.ReasonStrength >= classify.ClearReason
	switch {
	case (d.Code == "reason_not_accepted" || d.Code == "exchange_not_offered") && !(preference(req.Reason) && clearReason):
		// Only faults are accepted, or exchanged: refusing needs a stated
		// preference, or a fault the words did not catch is refused.
		return refer("the mail states no clear reason that is not a fault")
	case req.Reason.SellerFault() && !clearReason:
		// Late or excluded claims: refusing needs a clearly stated fault; a weak one
		// may be a preference, which other rules decide.
		return refer("the fault it rests on is not stated clearly")
	case !req.Reason.SellerFault() && (req.FaultStrength >= classify.FaultHint || req.Photos > 0 && req.WantsReplacement) && !req.Settled:
		// The words hint at a fault they do not state clearly, or ask for a new one
		// with photos (what a customer does with a faulty item): were it a fault,
		// would the answer still be a no?
		other := req
		other.Reason, other.ReasonStrength, other.Photos = classify.ReasonDefective, classify.ClearReason, max(req.Photos, 1)
		if alt := p.decide(other); alt.Action != Reject {
			return refer(fmt.Sprintf("a fault the mail does not state clearly would be %s/%s", alt.Action, alt.Code))
		}
	case req.Reason.SellerFault() && req.Intent == classify.IntentReturn && req.Photos == 0 &&
		req.ReasonStrength < classify.ConfirmedFault && !req.Settled:
		// A return asked for, the fault told once and nothing shown: were it no fault,
		// would the answer still be a no?
		other := req
		other.Reason, other.ReasonStrength = classify.ReasonChangedMind, classify.ClearReason
		if alt := p.decide(other); alt.Action == Escalate {
			// The plain return goes to a person anyway (statutory rights): that referral.
			return alt
		} else if alt.Action != Reject {
			return refer(fmt.Sprintf("the fault is told once, without photos, and a plain return would be %s/%s", alt.Action, alt.Code))
		}
	case req.Reason.SellerFault() && req.PreferenceStrength >= classify.ClearReason && !req.Settled:
		// A fault and a preference both stated ("it's not what I bought, and I don't
		// like the fit anyway"): refused as a late claim, would the return the
		// preference asks for be allowed?
		other := req
		other.Reason, other.ReasonStrength = classify.ReasonChangedMind, classify.ClearReason
		if alt := p.decide(other); alt.Action != Reject {
			return refer(fmt.Sprintf("read as the preference it also states, it would be %s/%s", alt.Action, alt.Code))
		}
	}
	if req.Used && req.UsedStrength < classify.ClearReason && !req.Settled {
		// Refused for use on a single word of it ("the colour washes me out"): were
		// the item unused, would it still be a no?
		other := req
		other.Used = false
		if alt := p.decide(other); alt.Action != Reject {
			return refer(fmt.Sprintf("the use it rests on is not stated clearly; unused it would be %s/%s", alt.Action, alt.Code))
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
