// Package classify reads what a customer's own words ask for: intent, reason, language
// and the statements that change a decision (used, unopened, a stated remedy), with a
// confidence and the evidence each reading rests on. It takes the parser's cleaned new
// text; quoted history, signatures and the desk's own earlier replies are never its input.
package classify

import "fmt"

// Intent is what the customer asks for.
type Intent string

const (
	IntentUnknown      Intent = ""
	IntentReturn       Intent = "return"        // send it back for a refund ("I want my money back")
	IntentExchange     Intent = "exchange"      // another size, colour or a replacement
	IntentClaim        Intent = "claim"         // reports a damaged, faulty or wrong item without asking for a remedy
	IntentCancel       Intent = "cancel"        // cancel the order
	IntentRefundStatus Intent = "refund_status" // where is my refund / how is my return going
	IntentTracking     Intent = "tracking"      // here is the tracking number of my return parcel
	IntentLostParcel   Intent = "lost_parcel"   // my return parcel got lost
	IntentOther        Intent = "other"         // a question or remark the desk does not handle
)

// Reason is why the customer wants it.
type Reason string

const (
	ReasonNone           Reason = ""
	ReasonChangedMind    Reason = "changed_mind"     // does not want it any more, did not like it
	ReasonSize           Reason = "size"             // does not fit: too small, too big
	ReasonColour         Reason = "colour"           // wants another colour
	ReasonDefective      Reason = "defective"        // does not work, broke
	ReasonDamaged        Reason = "damaged"          // arrived damaged
	ReasonWrongItem      Reason = "wrong_item"       // not what was ordered (also a wrong size or colour sent)
	ReasonNotAsDescribed Reason = "not_as_described" // differs from description or pictures
)

// SellerFault reports whether the reason is the store's fault (a claim).
func (r Reason) SellerFault() bool {
	switch r {
	case ReasonDefective, ReasonDamaged, ReasonWrongItem, ReasonNotAsDescribed:
		return true
	}
	return false
}

// Reading is what the text says, as opposed to how the mail is built.
type Reading struct {
	Intent     Intent
	Reason     Reason
	Language   string  // "en", "de", "nl", "fr", "es"; "en" when unsure
	Confidence float64 // 0..1: how sure the classifier is of Intent

	// ReasonStrength is the lexicon weight behind Reason (0 when none): 2 is a clear
	// keyword, 3 an unmistakable phrase. See ClearReason.
	ReasonStrength float64
	// FaultStrength is the strongest fault (defective, damaged, wrong, not as
	// described) the words hint at, picked as Reason or not: a refusal of a mail
	// with a hint of a fault is checked against the fault it may be.
	FaultStrength float64
	// PreferenceStrength is the strongest preference (size, colour, mind) the words
	// state, picked as Reason or not.
	PreferenceStrength float64
	// UsedStrength is the weight behind Used: a refusal for use needs it clear.
	UsedStrength float64
	// Also lists the other requests the mail makes in so many words beside Intent
	// ("... and where is my refund?"): a refusal of the one must not ignore the other.
	Also []Intent
	// Alternative is the request the customer offers as their other choice ("can I
	// send it back for a refund, or else swap it?"): a return for an exchange or the
	// reverse. A refusal of the one is no answer while the other can be given.
	Alternative Intent

	Used             bool // the customer says the item was worn, used, washed or altered, or its tags removed
	Unopened         bool // the customer says it is unopened, sealed, in its original wrapping
	WantsReplacement bool // asks for a new one / replacement rather than money
	WantsRefund      bool // asks for money back
	WholeOrder       bool // speaks of the whole order / all items
	OneItem          bool // one of several items, not said which ("one of the pieces", "the others I keep")
	// RefundAmounts are the sums of money the customer asks to have refunded, in the
	// clause of the ask ("I want that £41.60 refunded"): the policy compares them with
	// the order, as a refund of another sum (duties, a fee, a difference) is no return.
	RefundAmounts  []float64
	Gift           bool // says the item was a gift they received
	MentionsPhotos bool // says photos are attached ("see attached pictures")
	SentBack       bool // says the item is already on its way back ("I shipped it last Friday")
	NumberShaped   bool // holds a word shaped like a parcel number, known to the parser or not
	// ExchangeTargets are the customer's words for what an exchange asks for ("the
	// Ridge overshirt" of "swap it for the Ridge overshirt").
	ExchangeTargets []string

	// Evidence lists the lexicon phrases the reading rests on, in text order, so that
	// a reviewer can see why a mail got its decision (replay --explain).
	Evidence []Evidence
}

// Evidence is one lexicon phrase found in the customer's words.
type Evidence struct {
	Category string  // lexicon section, e.g. "intent.return", "reason.size", "flag.used"
	Phrase   string  // the lexicon phrase as written
	Words    string  // the customer's words it matched (folded)
	Weight   float64 // what it added; 0 when negated
	Negated  bool    // "I don't want a refund": found, but counts for nothing
	// FalseFriend: an English cue on a word of the mail's own language ("dies" is
	// "this" in German): found, but counts for nothing.
	FalseFriend bool
}

// WithFactsOf adds to a reading what an earlier mail of the customer's that asked
// the same told of the item: its use or seal, a gift, and its reason when this one
// gives none. The request stays this reading's.
func (r Reading) WithFactsOf(earlier Reading) Reading {
	r.Used = r.Used || earlier.Used
	r.UsedStrength = max(r.UsedStrength, earlier.UsedStrength)
	r.Unopened = r.Unopened || earlier.Unopened
	r.Gift = r.Gift || earlier.Gift
	if r.Reason == ReasonNone {
		r.Reason, r.ReasonStrength = earlier.Reason, earlier.ReasonStrength
		r.FaultStrength = max(r.FaultStrength, earlier.FaultStrength)
		r.PreferenceStrength = max(r.PreferenceStrength, earlier.PreferenceStrength)
	}
	for _, e := range earlier.Evidence {
		e.Category = "earlier mail: " + e.Category
		r.Evidence = append(r.Evidence, e)
	}
	return r
}

func (e Evidence) String() string {
	neg := ""
	switch {
	case e.Negated:
		neg = " (negated)"
	case e.FalseFriend:
		neg = " (a word of the mail's language)"
	}
	return fmt.Sprintf("%s %q <- %q %.1f%s", e.Category, e.Words, e.Phrase, e.Weight, neg)
}
