package parser

import (
	"math"
	"unicode"
)

// ConfidenceThreshold is the Classification.Confidence below which the caller hands
// the mail to a person instead of deciding on the intent.
const ConfidenceThreshold = 0.5

// Classify reads what the customer wants, and why, from the subject and their own words
// (text without quotes and signature). It never fails: text it cannot read comes back
// as IntentUnknown with zero confidence.
func Classify(subject, text string) Classification {
	lx, err := loadLexicon()
	if err != nil {
		// Unreachable once TestLexiconValid passes; a zero-confidence result still
		// sends the mail to a person rather than guessing.
		return Classification{Language: "en"}
	}
	return lx.classify(subject, text)
}

// Tuning of how cue weights become decisions. Weights themselves live in lexicon.toml.
const (
	flagThreshold       = 2.0 // flag phrases must add up to this
	reasonThreshold     = 1.5 // reason phrases must add up to this
	faultReasonMinimum  = 2.0 // a seller-fault reason this strong outranks size, colour, mind
	askOverridesClaim   = 1.5 // an explicit ask this strong makes a fault report its reason, not a claim
	foreignCueFactor    = 0.5 // cues of another language than the (clearly detected) mail's
	subjectFactor       = 0.6 // subject cues when the body has intent cues of its own
	trackingShapeWeight = 1.5 // a word shaped like a tracking number
	confidenceScale     = 2.2 // score at which confidence reaches 1-1/e before the margin
	corroboration       = 1.0 // a supporting statement ("it doesn't fit", "I sent it back")
	severalRequestsCap  = 0.45
	shortTextWords      = 3 // a text this short...
	shortTextCap        = 0.55
	noCueConfidence     = 0.2  // readable text without any intent cue
	reasonOnlyConfident = 0.35 // a customer reason ("too small") but no ask
	clearReason         = 2.5  // a reason this strong alone suggests a return
	lostCorroboration   = 1.0  // "my return parcel" makes a lost parcel the return's
)

// categoryIDs are the indexes of the categories the decision logic refers to.
type categoryIDs struct {
	intents                          map[Intent]int
	sentBack, notArrived, returnCtx  int
	reasons                          map[Reason]int
	used, unopened, replacement      int
	refund, wholeOrder, gift, photos int
}

func newCategoryIDs(idx map[string]int) categoryIDs {
	return categoryIDs{
		intents: map[Intent]int{
			IntentReturn: idx["intent.return"], IntentExchange: idx["intent.exchange"],
			IntentClaim: idx["intent.claim"], IntentCancel: idx["intent.cancel"],
			IntentRefundStatus: idx["intent.refund_status"], IntentTracking: idx["intent.tracking"],
			IntentLostParcel: idx["intent.lost_parcel"], IntentOther: idx["intent.other"],
		},
		sentBack:   idx["context.sent_back"],
		notArrived: idx["context.not_arrived"],
		returnCtx:  idx["context.return_context"],
		reasons: map[Reason]int{
			ReasonChangedMind: idx["reason.changed_mind"], ReasonSize: idx["reason.size"],
			ReasonColour: idx["reason.colour"], ReasonDefective: idx["reason.defective"],
			ReasonDamaged: idx["reason.damaged"], ReasonWrongItem: idx["reason.wrong_item"],
			ReasonNotAsDescribed: idx["reason.not_as_described"],
		},
		used:        idx["flag.used"],
		unopened:    idx["flag.unopened"],
		replacement: idx["flag.wants_replacement"],
		refund:      idx["flag.wants_refund"],
		wholeOrder:  idx["flag.whole_order"],
		gift:        idx["flag.gift"],
		photos:      idx["flag.photos"],
	}
}

// intentOrder fixes the order in which ties are broken.
var intentOrder = []Intent{
	IntentReturn, IntentExchange, IntentClaim, IntentCancel, IntentRefundStatus,
	IntentTracking, IntentLostParcel, IntentOther,
}

// reasonOrder breaks ties between reasons: the store's faults first.
var reasonOrder = []Reason{
	ReasonWrongItem, ReasonDamaged, ReasonDefective, ReasonNotAsDescribed,
	ReasonSize, ReasonColour, ReasonChangedMind,
}

func (lx *lexicon) classify(subject, text string) Classification {
	subjectWords := splitWords(subject, true, textWord{})
	words := append(subjectWords, splitWords(text, false, continueAfter(subjectWords))...)
	matches := lx.findCues(words)
	lang, langSure := lx.detectLanguage(subject, text, words, matches)
	kept := lx.resolve(matches, lang)
	scores, explicit := lx.score(kept, words, lang, langSure)

	c := Classification{Language: classifierLanguages[lang]}
	c.Reason = lx.pickReason(scores)
	c.Used = scores[lx.cat.used] >= flagThreshold
	c.Unopened = scores[lx.cat.unopened] >= flagThreshold
	c.WantsReplacement = scores[lx.cat.replacement] >= flagThreshold
	c.WantsRefund = scores[lx.cat.refund] >= flagThreshold
	c.WholeOrder = scores[lx.cat.wholeOrder] >= flagThreshold
	c.Gift = scores[lx.cat.gift] >= flagThreshold
	c.MentionsPhotos = scores[lx.cat.photos] >= flagThreshold

	trackingShapes := 0.0
	for _, w := range words {
		if trackingShaped(w.text) {
			trackingShapes = trackingShapeWeight
			break
		}
	}
	c.Intent, c.Confidence = lx.decideIntent(scores, explicit, c.Reason, trackingShapes, words)
	if c.Intent == IntentExchange && c.Reason.SellerFault() {
		// Exchanging a faulty item is asking for a replacement.
		c.WantsReplacement = true
	}
	return c
}

// explicitAsk is the lexicon weight from which a phrase is an explicit request ("I
// want to return", "money back") rather than a keyword that may be mere context.
const explicitAsk = 3.0

// score adds up the weights of the kept, non-negated matches per category; explicit
// holds the part that comes from explicit requests.
func (lx *lexicon) score(kept []cueMatch, words []textWord, lang int, langSure bool) (scores, explicit []float64) {
	bodyHasIntent := false
	for _, m := range kept {
		if !m.negated && !words[m.start].subject && lx.categories[lx.cues[m.cue].category].group == groupIntent {
			bodyHasIntent = true
			break
		}
	}
	scores = make([]float64, len(lx.categories))
	explicit = make([]float64, len(lx.categories))
	for _, m := range kept {
		if m.negated {
			continue
		}
		c := &lx.cues[m.cue]
		w := c.weight
		if langSure && c.lang != lang && c.lang != langEN {
			w *= foreignCueFactor
		}
		if words[m.start].subject && bodyHasIntent {
			w *= subjectFactor
		}
		scores[c.category] += w
		if c.weight >= explicitAsk {
			explicit[c.category] += w
		}
	}
	return scores, explicit
}

// pickReason prefers a clear seller fault (it decides who pays), then the strongest
// reason; ties go by reasonOrder.
func (lx *lexicon) pickReason(scores []float64) Reason {
	best, bestScore := ReasonNone, 0.0
	for _, faultOnly := range []bool{true, false} {
		for _, r := range reasonOrder {
			if faultOnly && !r.SellerFault() {
				continue
			}
			s := scores[lx.cat.reasons[r]]
			if s > bestScore {
				best, bestScore = r, s
			}
		}
		if best != ReasonNone && (!faultOnly || bestScore >= faultReasonMinimum) {
			break
		}
		best, bestScore = ReasonNone, 0
	}
	if bestScore < reasonThreshold {
		return ReasonNone
	}
	return best
}

// decideIntent combines intent and context scores into one intent and a confidence.
func (lx *lexicon) decideIntent(scores, explicit []float64, reason Reason, trackingShapes float64, words []textWord) (Intent, float64) {
	s := make(map[Intent]float64, len(intentOrder))
	for _, in := range intentOrder {
		s[in] = scores[lx.cat.intents[in]]
	}
	sentBack := scores[lx.cat.sentBack]
	returnCtx := scores[lx.cat.returnCtx]

	// Having sent the parcel back, with or without the number, is the tracking message.
	s[IntentTracking] += sentBack + trackingShapes

	// A parcel that did not arrive is the return parcel when the mail speaks of a
	// return; otherwise it is the order on its way to the customer.
	if na := scores[lx.cat.notArrived]; na > 0 {
		if sentBack+returnCtx+s[IntentReturn]+s[IntentLostParcel] > 0 {
			s[IntentLostParcel] += na + min(returnCtx, lostCorroboration)
		} else {
			s[IntentOther] += na
		}
	}

	// The more specific request explains the other cues: a lost return parcel or a
	// refund question mentions the return and its tracking number; a cancellation or an
	// exchange mentions the money or sending back. An explicit request to return next to
	// a refund question is a second request, though, and stays.
	switch {
	case s[IntentLostParcel] > 0:
		s[IntentTracking] *= 0.3
		s[IntentReturn] *= 0.3
		s[IntentRefundStatus] *= 0.5
	case s[IntentRefundStatus] > 0:
		s[IntentTracking] *= 0.3
		ret := explicit[lx.cat.intents[IntentReturn]]
		s[IntentReturn] = ret + 0.5*(s[IntentReturn]-ret)
	}
	if s[IntentCancel] > 0 || s[IntentExchange] > 0 {
		s[IntentReturn] *= 0.5
	}

	// A damaged, faulty or wrong item is a claim unless the customer asks for a remedy.
	ask := 0.0
	for _, in := range []Intent{IntentReturn, IntentExchange, IntentCancel, IntentRefundStatus, IntentTracking, IntentLostParcel} {
		ask = max(ask, s[in])
	}
	if ask >= askOverridesClaim {
		s[IntentClaim] = 0
	} else if reason.SellerFault() {
		s[IntentClaim] += scores[lx.cat.reasons[reason]]
	}

	best, first, second := IntentUnknown, 0.0, 0.0
	for _, in := range intentOrder {
		switch v := s[in]; {
		case v > first:
			best, first, second = in, v, first
		case v > second:
			second = v
		}
	}

	content := contentWords(words)
	if first == 0 {
		switch {
		case content == 0:
			return IntentUnknown, 0
		case reason != ReasonNone && scores[lx.cat.reasons[reason]] >= clearReason:
			// "too small" alone: most likely a return, but nobody asked for one.
			return IntentReturn, reasonOnlyConfident
		}
		return IntentOther, noCueConfidence
	}

	// Supporting statements make the request more certain: a reason for a return or
	// exchange, the parcel already sent back for a refund question.
	strength := first
	switch {
	case (best == IntentReturn || best == IntentExchange) && reason != ReasonNone:
		strength += corroboration
	case best == IntentRefundStatus && sentBack+returnCtx > 0:
		strength += corroboration
	}
	conf := (1 - math.Exp(-strength/confidenceScale)) * (0.5 + 0.5*(first-second)/first)
	if content <= shortTextWords && first < explicitAsk {
		conf = min(conf, shortTextCap)
	}
	// Two explicit requests the logic above did not reconcile ("cancel order 1, and
	// exchange the boots of order 2") are for a person to untangle.
	requests := 0
	for _, in := range intentOrder {
		if in != IntentOther && in != IntentClaim && s[in] >= explicitAsk {
			requests++
		}
	}
	if requests > 1 {
		conf = min(conf, severalRequestsCap)
	}
	return best, math.Round(conf*100) / 100
}

// contentWords counts words of three letters or more: a text without any is
// unreadable for this classifier (empty, only numbers, or another script).
func contentWords(words []textWord) int {
	n := 0
	for _, w := range words {
		letters := 0
		for _, r := range w.text {
			if unicode.IsLetter(r) && r <= latinExtendedBEnd {
				letters++
			}
		}
		if letters >= 3 && !hasDigit(w.text) {
			n++
		}
	}
	return n
}

// latinExtendedBEnd is the last code point of the Latin scripts the lexicon reads.
const latinExtendedBEnd = 0x24F
