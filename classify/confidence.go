package classify

// How sure a reading must be before the desk acts on it alone: every threshold the
// decision depends on is here. The costs are not symmetric: a wrong refusal costs a
// customer (and the store its trust in the bot), a wrong authorisation costs the store
// a parcel, a wrong referral costs staff a minute. So acting needs a confident
// reading, refusing a more confident one, and below either the mail goes to a person
// (or the customer is asked) instead.
const (
	// ConfidenceThreshold is the Reading.Confidence from which the desk acts on the
	// intent at all; below it the mail is escalated for review.
	ConfidenceThreshold = 0.5
	// RefuseConfidence is the Reading.Confidence a refusal needs; a refusal read
	// less surely is escalated instead.
	RefuseConfidence = 0.6
	// ClearReason is the ReasonStrength a refusal that rests on the reason needs:
	// "change of mind is not accepted" needs a stated preference, "reported too late
	// for a claim" a stated fault.
	ClearReason = 2.5
	// ConfirmedFault is the ReasonStrength from which a fault is more than one word
	// of it: a refusal for a late claim of a customer who asked for a plain return,
	// without photos, needs it, or a fault word about something else ("the washing
	// machine leaked") would refuse the return the store would give.
	ConfirmedFault = 3.5
	// FaultHint is the FaultStrength from which words that state no fault clearly
	// still make a refusal ask whether the mail tells of one ("it's dead"); below it
	// a single weak word ("same thing as I said") hints at nothing.
	FaultHint = 1.5
)
