package classify

import (
	"math"
	"slices"
	"unicode"
)

// How scores become a reason, an intent and a confidence.
const (
	reasonThreshold    = 1.5         // reason phrases must add up to this
	faultReasonMinimum = 2.0         // a seller fault this strong outranks size, colour and mind
	clearReason        = ClearReason // a reason this strong alone suggests a return

	// explicitAsk is the lexicon weight from which a phrase is an explicit request ("I
	// want to return", "money back") rather than a keyword that may be mere context.
	explicitAsk       = 3.0
	askOverridesClaim = 1.5 // an ask this strong makes a reported fault its reason, not a claim

	explainedContext = 0.3 // what is left of a cue another request fully explains
	explainedKeyword = 0.5 // ... and of one it partly explains

	confidenceScale      = 2.2 // score at which confidence reaches 1-1/e, before the margin
	corroboration        = 1.0 // a supporting statement ("it doesn't fit", "I sent it back")
	lostCorroboration    = 1.0 // "my return parcel" makes a lost parcel the return's
	severalRequestsCap   = 0.45
	shortTextWords       = 3    // a text of at most this many words...
	shortHintCap         = 0.45 // ...with only hints (weight < 2) stays below the threshold
	shortKeywordCap      = 0.55 // ...with only keywords (weight < 3) barely passes it
	keywordWeight        = 2.0
	noCueConfidence      = 0.2  // readable text without any intent cue
	reasonOnlyConfidence = 0.35 // a customer reason ("too small") but no request
)

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

// pickReason prefers a clear seller fault (it decides who pays), then the strongest
// reason; ties go by reasonOrder. A fault outranks a preference only when it is read
// at least as strongly or is clear on its own: a lone "hole" (of a strap) does not
// outweigh "it is too tight and I don't like it".
func (lx *lexicon) pickReason(scores []float64) Reason {
	preference := max(scores[lx.cat.reasons[ReasonSize]], scores[lx.cat.reasons[ReasonColour]], scores[lx.cat.reasons[ReasonChangedMind]])
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
		if best != ReasonNone && (!faultOnly || bestScore >= faultReasonMinimum && (bestScore >= preference || bestScore >= clearReason)) {
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
// either says the mail offers a return and an exchange as alternatives
// (offeredAsAlternatives).
func (lx *lexicon) decideIntent(scores, explicit []float64, reason Reason, trackingShapes float64, either bool, words []textWord) (Intent, float64, []Intent) {
	s := make(map[Intent]float64, len(intentOrder))
	for _, in := range intentOrder {
		s[in] = scores[lx.cat.intents[in]]
	}
	sentBack := scores[lx.cat.sentBack]
	returnCtx := scores[lx.cat.returnCtx]

	// "I sent it back; when do I get my money?": once the item is on its way back,
	// asking for the money asks where it is, unless there is a new parcel number to
	// give or the refund question is asked in so many words beside it (then the
	// return is a request of its own).
	ownReturnAsk := explicit[lx.cat.intents[IntentReturn]] >= explicitAsk
	if sentBack >= flagThreshold && s[IntentReturn] > 0 && trackingShapes == 0 && (s[IntentRefundStatus] < explicitAsk || !ownReturnAsk) &&
		scores[lx.cat.refund] >= flagThreshold {
		s[IntentRefundStatus] += s[IntentReturn]
		s[IntentReturn] = 0
	}
	// Having sent the parcel back, with or without the number, is the tracking message.
	// Tracking words with no number to give ("the tracking number I sent you last
	// week") speak of the parcel but give nothing: half a cue.
	if trackingShapes == 0 {
		s[IntentTracking] *= explainedKeyword
	}
	trackingWords := s[IntentTracking] + trackingShapes
	s[IntentTracking] += sentBack + trackingShapes

	// "How do I go about it?" after a reason to send the item back, and no request
	// named: the return. A fault's question is its claim (below), any other request's
	// its own.
	if proc := scores[lx.cat.procedure]; proc > 0 && reason != ReasonNone && !reason.SellerFault() &&
		max(s[IntentReturn], s[IntentExchange], s[IntentCancel], s[IntentRefundStatus], s[IntentTracking], s[IntentLostParcel]) < keywordWeight {
		s[IntentReturn] += proc
	}

	// A parcel that did not arrive is the return parcel when the mail speaks of a
	// return; otherwise it is the order on its way to the customer.
	// Only a parcel sent back can be a lost return: a request to return something
	// ("it has not even been a week since it arrived, can I return it?") is not.
	if na := scores[lx.cat.notArrived]; na > 0 {
		if sentBack+returnCtx+s[IntentLostParcel] > 0 {
			s[IntentLostParcel] += na + min(returnCtx, lostCorroboration)
		} else {
			s[IntentOther] += na
		}
	}

	// The more specific request explains the other cues: a lost return parcel or a
	// refund question mentions the return and its tracking number; a cancellation or an
	// exchange mentions the money or sending back. An explicit request to return next to
	// a refund question is a second request, though, and stays.
	// "How long will the refund take?" asked with the request itself is part of the
	// request: a refund is awaited only once something was sent back.
	// explained marks the intents another request accounts for: they are part of it,
	// not a second request.
	explained := map[Intent]bool{}
	// "I registered the return and dropped the parcel off; the number is ...": the
	// return under way is what the tracking message is about, not a second request.
	if sentBack >= flagThreshold && trackingWords >= explicitAsk && !ownReturnAsk {
		s[IntentReturn] *= explainedKeyword
		explained[IntentReturn] = true
	}
	request := max(explicit[lx.cat.intents[IntentReturn]], s[IntentCancel], explicit[lx.cat.intents[IntentExchange]])
	if sentBack == 0 && request >= explicitAsk {
		s[IntentRefundStatus] *= explainedKeyword
		explained[IntentRefundStatus] = true
	}
	switch {
	case s[IntentLostParcel] >= keywordWeight:
		// A lost return parcel is lost, tracking number or not (SPEC §3): its number,
		// the refund it holds up and the exchange it was for are part of the loss.
		s[IntentTracking] = 0
		s[IntentReturn] *= explainedContext
		s[IntentExchange] *= explainedContext
		s[IntentRefundStatus] *= explainedKeyword
	case s[IntentLostParcel] > 0:
		s[IntentTracking] *= explainedContext
		s[IntentReturn] *= explainedContext
		s[IntentRefundStatus] *= explainedKeyword
	case s[IntentRefundStatus] > 0:
		s[IntentTracking] *= explainedContext
		ret := explicit[lx.cat.intents[IntentReturn]]
		s[IntentReturn] = ret + explainedKeyword*(s[IntentReturn]-ret)
	}
	// A hint of another size in a side question ("will the ivory be back in a size
	// S?") does not explain away an explicit "send it back".
	// For a fault, sending the item back is how either remedy begins: beside a
	// request for the right or a working one, and no word of money, "I'll send the
	// black one back" is the exchange's return, not a request for a refund.
	faultSwap := reason.SellerFault() && (s[IntentExchange] >= keywordWeight || scores[lx.cat.replacement] >= flagThreshold) &&
		scores[lx.cat.refund] < flagThreshold
	if s[IntentCancel] > 0 || s[IntentExchange] > 0 && s[IntentExchange] >= explicit[lx.cat.intents[IntentReturn]] || faultSwap {
		s[IntentReturn] *= explainedKeyword
		explained[IntentReturn] = true
	}
	// Questions the desk does not handle, asked only in passing ("do you restock the
	// black one?", "thanks") beside an explicit request, leave that request standing;
	// the reply's holding text invites the rest.
	// So does a clearly told fault: "a new one, if you still have the tan in stock".
	clearFault := reason.SellerFault() && scores[lx.cat.reasons[reason]] >= clearReason
	if explicit[lx.cat.intents[IntentOther]] == 0 && (max(request, s[IntentRefundStatus], s[IntentTracking]) >= explicitAsk || clearFault) {
		s[IntentOther] *= explainedContext
	}

	// A damaged, faulty or wrong item is a claim unless the customer asks for one
	// remedy; "a new one or my money back" (both asked for) leaves the remedy to the
	// store: a claim.
	// That claim is itself the customer's ask: a side question ("do you ship with
	// tracking?") does not override it.
	remedyLeftToStore := reason.SellerFault() && scores[lx.cat.refund] >= flagThreshold &&
		scores[lx.cat.replacement] >= flagThreshold
	if remedyLeftToStore {
		s[IntentClaim] += s[IntentExchange] + s[IntentReturn]
		s[IntentExchange], s[IntentReturn] = 0, 0
	}
	ask := 0.0
	for _, in := range []Intent{IntentReturn, IntentExchange, IntentCancel, IntentRefundStatus, IntentTracking, IntentLostParcel} {
		ask = max(ask, s[in])
	}
	switch {
	case remedyLeftToStore:
		s[IntentClaim] += scores[lx.cat.reasons[reason]]
	case ask >= askOverridesClaim:
		s[IntentClaim] = 0
	case reason.SellerFault():
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

	// A cancellation and a return of the same order are one request ("cancel it and
	// send me the label to return it"): what they mean depends on whether the
	// parcel has arrived, which the policy knows. The one does not compete with the
	// other for the confidence either.
	// So are a return and an exchange offered as alternatives ("can I send it back for
	// a refund, or else swap it for the silver one?"): the store's rules choose.
	oneRequest := best == IntentCancel || best == IntentReturn
	if oneRequest {
		explained[IntentReturn], explained[IntentCancel] = true, true
	}
	if either && (best == IntentReturn || best == IntentExchange) {
		oneRequest = true
		explained[IntentReturn], explained[IntentExchange] = true, true
	}
	if oneRequest {
		explained[best] = false
		second = 0
		for _, in := range intentOrder {
			if in != best && !explained[in] {
				second = max(second, s[in])
			}
		}
	}
	content := contentWords(words)
	if first == 0 {
		switch {
		case content == 0:
			return IntentUnknown, 0, nil
		case reason != ReasonNone && scores[lx.cat.reasons[reason]] >= clearReason:
			// "too small" alone: most likely a return, but nobody asked for one.
			return IntentReturn, reasonOnlyConfidence, nil
		}
		return IntentOther, noCueConfidence, nil
	}

	// Supporting statements make the request more certain: a reason for a return or
	// exchange, the parcel already sent back for a refund question, photos of a fault.
	strength := first
	switch {
	case (best == IntentReturn || best == IntentExchange) && reason != ReasonNone:
		strength += corroboration
	case best == IntentRefundStatus && sentBack+returnCtx > 0:
		strength += corroboration
	case best == IntentClaim && scores[lx.cat.photos] >= flagThreshold:
		strength += corroboration
	}
	conf := (1 - math.Exp(-strength/confidenceScale)) * (0.5 + 0.5*(first-second)/first)
	if content <= shortTextWords {
		switch {
		case first < keywordWeight:
			conf = min(conf, shortHintCap)
		case first < explicitAsk:
			conf = min(conf, shortKeywordCap)
		}
	}
	// Two explicit requests the logic above did not reconcile ("cancel order 1, and
	// exchange the boots of order 2") are for a person to untangle.
	requests := 0
	var also []Intent
	for _, in := range intentOrder {
		if in != IntentOther && in != IntentClaim && !explained[in] && s[in] >= explicitAsk {
			requests++
			if in != best {
				also = append(also, in)
			}
		}
	}
	if requests > 1 {
		conf = min(conf, severalRequestsCap)
	}
	return best, math.Round(conf*100) / 100, also
}

// contentWords counts words of three letters or more, and a Chinese word for every two
// characters: a text without any is unreadable for this classifier (empty, only
// numbers, or a script it does not read).
func contentWords(words []textWord) int {
	n, han := 0, 0
	for _, w := range words {
		if r := []rune(w.text); len(r) == 1 && isHan(r[0]) {
			han++
			continue
		}
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
	return n + han/2
}

// latinExtendedBEnd is the last code point of the Latin scripts the lexicon reads.
const latinExtendedBEnd = 0x24F

// alternativeWords join two requests as a choice: "return it or exchange it", "refund
// it; if that is not possible, swap it", "sonst", "sinon".
var alternativeWords = []string{"or", "ou", "oder", "of", "o", "u", "或", "还是",
	"otherwise", "else", "failing", "alternatively", "option", "possible",
	"sonst", "ansonsten", "anderenfalls", "moglich", "anders", "mogelijk", "sinon", "autrement", "sino", "posible", "否则", "不行",
	"oppure", "altrimenti", "senno", "alternativa", "alternativamente", "eventualmente", "possibile", "opzione",
	"senao", "caso", "contrario", "opcao", "possivel"}

// alternativeReach is how many words may stand between the two requests of a choice.
const alternativeReach = 12

// offeredAsAlternatives reports whether a return and an exchange cue stand close
// together with an "or" between them.
func (lx *lexicon) offeredAsAlternatives(kept []cueMatch, words []textWord) bool {
	ret, exch := lx.cat.intents[IntentReturn], lx.cat.intents[IntentExchange]
	for _, a := range kept {
		if a.negated || lx.cues[a.cue].category != ret {
			continue
		}
		for _, b := range kept {
			if b.negated || lx.cues[b.cue].category != exch {
				continue
			}
			first, second := a, b
			if b.start < a.start {
				first, second = b, a
			}
			if second.start < first.end || second.start-first.end > alternativeReach {
				continue
			}
			for i := first.end; i < second.start; i++ {
				if slices.ContainsFunc(alternativeWords, func(w string) bool { return wordsAt(words, i, w) }) {
					return true
				}
			}
		}
	}
	return false
}
