package classify

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Read reads what the customer wants, and why, from the subject and their own words
// (text without quotes and signature). It never fails: text it cannot read comes back
// as IntentUnknown with zero confidence.
func Read(subject, text string) Reading {
	lx, err := loadLexicon()
	if err != nil {
		// Unreachable once TestLexiconValid passes; a zero-confidence result still
		// sends the mail to a person rather than guessing.
		return Reading{Language: "en"}
	}
	return lx.classify(subject, text)
}

// categoryIDs are the indexes of the categories the decision logic refers to.
type categoryIDs struct {
	intents                          map[Intent]int
	sentBack, notArrived, returnCtx  int
	procedure                        int
	reasons                          map[Reason]int
	used, unopened, replacement      int
	refund, wholeOrder, gift, photos int
	oneItem                          int
	works                            int    // reason.works: the item works, by the customer's account
	sinks                            [3]int // context.none, reason.none, flag.none
}

// sink reports whether category cat is one of the sinks, the phrases that mean none
// of the other cues they contain.
func (c categoryIDs) sink(cat int) bool {
	return cat == c.sinks[0] || cat == c.sinks[1] || cat == c.sinks[2]
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
		procedure:  idx["context.procedure"],
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
		oneItem:     idx["flag.one_item"],
		works:       idx["reason.works"],
		sinks:       [3]int{idx["context.none"], idx["reason.none"], idx["flag.none"]},
		gift:        idx["flag.gift"],
		photos:      idx["flag.photos"],
	}
}

func (lx *lexicon) classify(subject, text string) Reading {
	words := splitWords(subject, true, textWord{})
	words = append(words, splitWords(text, false, continueAfter(words))...)
	matches := lx.findCues(words)
	lang, langSure := lx.detectLanguage(subject, text, words, matches)
	kept := lx.resolve(matches, lang)
	// "No money received yet" is a refund question, not a parcel that did not arrive;
	// so is "todavía no me aparece en la tarjeta".
	kept = lx.explainedInClause(kept, words, lx.cat.intents[IntentRefundStatus], lx.cat.notArrived)
	kept, money := lx.moneyNotArrived(kept, words)
	kept = lx.usedOfKeptItem(kept, words, lang)
	kept = lx.refusedInClause(kept, words)
	kept = lx.setAsideUnchosen(kept, words)
	kept = lx.wholeOrderOfRequest(kept, words)
	kept = lx.returnAsNoun(kept)
	kept = lx.policyRuleCoordinated(kept, words)
	scores, explicit, evidence := lx.score(kept, words, lang, langSure, historySubject.MatchString(subject))
	for _, m := range money {
		c := &lx.cues[m.cue]
		scores[lx.cat.intents[IntentRefundStatus]] += c.weight
		evidence = append(evidence, Evidence{Category: "intent.refund_status", Phrase: c.phrase + " (of a card or an account)",
			Words: matchedWords(words, m), Weight: c.weight})
	}
	for i, m := range orderedOtherThanReceived(words) {
		// The size or colour is wrong because the store sent another than ordered:
		// each one that differs is the store's mistake, not a preference.
		wrong, pref := lx.cat.reasons[ReasonWrongItem], lx.cat.reasons[ReasonSize]
		if m.ordered.kind == kindColour {
			pref = lx.cat.reasons[ReasonColour]
		}
		weight := 0.0
		if i == 0 {
			weight = mismatchWeight
		}
		scores[wrong] += scores[pref] + weight
		scores[pref] = 0
		evidence = append(evidence, Evidence{Category: "reason.wrong_item", Phrase: "(ordered one size or colour, received another)",
			Words: m.String(), Weight: weight})
	}

	if v, ok := wishedVariant(words); ok {
		// "Need the sandals in a 39": another size, asked for.
		ex := lx.cat.intents[IntentExchange]
		scores[ex] += wishedVariantWeight
		explicit[ex] += wishedVariantWeight
		evidence = append(evidence, Evidence{Category: "intent.exchange", Phrase: "(a size asked for)",
			Words: "in " + v.value, Weight: wishedVariantWeight})
	}

	lx.worksAsPreference(scores)

	c := Reading{Language: classifierLanguages[lang], Evidence: evidence}
	c.Reason = lx.pickReason(scores)
	if c.Reason != ReasonNone {
		c.ReasonStrength = scores[lx.cat.reasons[c.Reason]]
	}
	for _, r := range reasonOrder {
		if r.SellerFault() {
			c.FaultStrength = max(c.FaultStrength, scores[lx.cat.reasons[r]])
		} else {
			c.PreferenceStrength = max(c.PreferenceStrength, scores[lx.cat.reasons[r]])
		}
	}
	c.UsedStrength = scores[lx.cat.used]
	c.Used = scores[lx.cat.used] >= flagThreshold
	c.Unopened = scores[lx.cat.unopened] >= flagThreshold
	c.WantsReplacement = scores[lx.cat.replacement] >= flagThreshold
	c.WantsRefund = scores[lx.cat.refund] >= flagThreshold
	// "Both were a present for my husband; one of the two pieces is too tight":
	// the stronger reading of how much of the order is meant wins.
	whole, one := scores[lx.cat.wholeOrder], scores[lx.cat.oneItem]
	c.WholeOrder = whole >= flagThreshold && whole >= one
	c.OneItem = one >= flagThreshold && !c.WholeOrder
	c.Gift = scores[lx.cat.gift] >= flagThreshold
	c.RefundAmounts = lx.refundAmounts(kept, words)
	c.MentionsPhotos = scores[lx.cat.photos] >= flagThreshold
	c.SentBack = scores[lx.cat.sentBack] >= flagThreshold

	trackingShapes := 0.0
	for _, w := range words {
		if trackingShaped(w.text) {
			trackingShapes = trackingShapeWeight
			break
		}
	}
	c.NumberShaped = trackingShapes > 0
	c.ExchangeTargets = exchangeTargets(words)
	either := lx.offeredAsAlternatives(kept, words)
	c.Intent, c.Confidence, c.Also = lx.decideIntent(scores, explicit, c.Reason, trackingShapes, either, words)
	switch {
	case either && c.Intent == IntentReturn:
		c.Alternative = IntentExchange
	case either && c.Intent == IntentExchange:
		c.Alternative = IntentReturn
	}
	if c.Intent == IntentExchange && c.Reason.SellerFault() {
		// Exchanging a faulty item is asking for a replacement.
		c.WantsReplacement = true
	}
	return c
}

// refundAmounts are the sums of money in the clauses that ask for a refund: a number
// with two decimals ("41.60", "12,50"), the way prices are written.
func (lx *lexicon) refundAmounts(kept []cueMatch, words []textWord) []float64 {
	var out []float64
	clauses := map[int]bool{}
	for _, m := range kept {
		if !m.negated && lx.cues[m.cue].category == lx.cat.refund {
			clauses[words[m.start].clause] = true
		}
	}
	for _, w := range words {
		if !clauses[w.clause] || !moneyShaped.MatchString(w.text) {
			continue
		}
		if v, err := strconv.ParseFloat(strings.Replace(w.text, ",", ".", 1), 64); err == nil {
			out = append(out, v)
		}
	}
	return out
}

var moneyShaped = regexp.MustCompile(`^[0-9]{1,6}[.,][0-9]{2}$`)

// score adds up the weights of the kept, non-negated matches per category; explicit
// holds the part that comes from explicit requests.
func (lx *lexicon) score(kept []cueMatch, words []textWord, lang int, langSure, subjectIsHistory bool) (scores, explicit []float64, evidence []Evidence) {
	bodyHasIntent, bodyAsks := false, false
	for _, m := range kept {
		cat := lx.cues[m.cue].category
		// Pleasantries and side questions ("thanks", "order number") are no request
		// of the body's own that the subject's would have to yield to.
		if !m.negated && !words[m.start].subject && lx.categories[cat].group == groupIntent && cat != lx.cat.intents[IntentOther] {
			bodyHasIntent = true
			bodyAsks = bodyAsks || lx.cues[m.cue].weight >= explicitAsk
		}
	}
	scores = make([]float64, len(lx.categories))
	explicit = make([]float64, len(lx.categories))
	ordered := slices.Clone(kept)
	slices.SortFunc(ordered, func(a, b cueMatch) int { return a.start - b.start })
	for _, m := range ordered {
		c := &lx.cues[m.cue]
		ev := Evidence{Category: lx.categories[c.category].name, Phrase: c.phrase, Words: matchedWords(words, m), Negated: m.negated}
		if m.negated {
			evidence = append(evidence, ev)
			continue
		}
		w := c.weight
		// A cue of another language than the mail's (when that is clear) is more
		// likely a false friend ("pas" is "just" in Dutch, "envie" is French).
		if langSure && c.lang != lang && c.lang != langEN {
			w *= foreignCueFactor
		}
		// English cues count in every mail, but not on a word of the mail's own
		// language that only looks English: "dies" is "this" in German, "bent" is
		// "are" in Dutch.
		if langSure && c.lang == langEN && lang != langEN && m.end-m.start == 1 && lx.falseFriends[lang][words[m.start].text] {
			ev.FalseFriend = true
			evidence = append(evidence, ev)
			continue
		}
		// The subject is often the store's own ("Re: Your order has shipped"); what
		// it asks for speaks for the customer only when the body does not. A reason
		// or a statement in it is the customer's as much as the body's. A reply's or a
		// forward's subject is the earlier mail's, history like a quote: beside an
		// explicit request of the body's own it asks for nothing ("Re: cancel order 1"
		// above "now I'd like to send order 2 back").
		if words[m.start].subject && bodyHasIntent && lx.categories[c.category].group == groupIntent {
			if subjectIsHistory && bodyAsks {
				w = 0
			} else {
				w *= subjectFactor
			}
		}
		scores[c.category] += w
		if c.weight >= explicitAsk {
			explicit[c.category] += w
		}
		ev.Weight = w
		evidence = append(evidence, ev)
	}
	return scores, explicit, evidence
}

// explainedInClause drops the matches of category `explained` that share a clause
// with a match of category `by`, which says what those words are about.
func (lx *lexicon) explainedInClause(kept []cueMatch, words []textWord, by, explained int) []cueMatch {
	clauses := map[int]bool{}
	for _, m := range kept {
		if !m.negated && lx.cues[m.cue].category == by {
			clauses[words[m.start].clause] = true
		}
	}
	if len(clauses) == 0 {
		return kept
	}
	return slices.DeleteFunc(kept, func(m cueMatch) bool {
		return lx.cues[m.cue].category == explained && clauses[words[m.start].clause]
	})
}

// refusedInClause negates the other words of a request refused in the same clause:
// "no me interesa cambiarla por otra talla" refuses the other size too, "I don't want
// an exchange for a smaller size" the smaller size.
func (lx *lexicon) refusedInClause(kept []cueMatch, words []textWord) []cueMatch {
	type refusal struct{ category, clause int }
	refused := map[refusal]bool{}
	for _, m := range kept {
		c := lx.cues[m.cue].category
		if m.negated && lx.categories[c].group == groupIntent && c != lx.cat.intents[IntentOther] {
			refused[refusal{c, words[m.start].clause}] = true
		}
	}
	if len(refused) == 0 {
		return kept
	}
	for i, m := range kept {
		if refused[refusal{lx.cues[m.cue].category, words[m.start].clause}] {
			kept[i].negated = true
		}
	}
	return kept
}

// moneyNotArrived takes out a "has not arrived" said of a card, an account or PayPal:
// it is the refund question it asks ("todavía no me aparece en la tarjeta"), and the
// caller counts it for that.
func (lx *lexicon) moneyNotArrived(kept []cueMatch, words []textWord) (rest, money []cueMatch) {
	clauses := map[int]bool{}
	for _, w := range words {
		if moneyPlaces[w.text] {
			clauses[w.clause] = true
		}
	}
	if len(clauses) == 0 {
		return kept, nil
	}
	rest = kept[:0]
	for _, m := range kept {
		if lx.cues[m.cue].category == lx.cat.notArrived && !m.negated && clauses[words[m.start].clause] {
			money = append(money, m)
			continue
		}
		rest = append(rest, m)
	}
	return rest, money
}

// moneyPlaces are where a refund shows: a card, an account, a statement, PayPal.
var moneyPlaces = setOf("card", "account", "bank", "statement", "paypal", "visa", "mastercard", "amex",
	"karte", "kreditkarte", "konto", "bankkonto", "kontoauszug", "kaart", "creditcard", "rekening", "bankrekening",
	"afschrift", "carte", "compte", "releve", "tarjeta", "cuenta", "banco", "extracto", "carta", "conto", "estratto",
	"cartao", "conta", "extrato", "账户", "卡")

func matchedWords(words []textWord, m cueMatch) string {
	parts := make([]string, 0, m.end-m.start)
	for _, w := range words[m.start:m.end] {
		parts = append(parts, w.text)
	}
	return strings.Join(parts, " ")
}

// historySubject is a subject taken over from an earlier mail: a reply's or a
// forward's prefix, in the mail clients' languages.
var historySubject = regexp.MustCompile(`(?i)^\s*(?:re|aw|antw|antwort|sv|vs|r|rif|ref|wg|fw|fwd|tr|trans|doorst|rv|enc|回复|答复|转发)\s*(?:\[\d+\])?\s*[:：]`)

// Weights that turn cue scores into flags and score adjustments; the cue weights
// themselves live in lexicon.toml.
const (
	flagThreshold       = 2.0 // flag phrases must add up to this
	foreignCueFactor    = 0.5 // cues of another language than the (clearly detected) mail's
	subjectFactor       = 0.6 // subject cues when the body has intent cues of its own
	trackingShapeWeight = 1.5 // a word shaped like a tracking number
	digitTrackingLength = 14  // a digit run this long is a parcel number, not an order's or a phone's
)

// worksAsPreference counts "it works fine", "nothing wrong with it" as a preference
// reason, but only where the mail tells no fault clearly: "nothing wrong with them at
// first sight ... then the sole came loose" is a fault found later.
func (lx *lexicon) worksAsPreference(scores []float64) {
	works := scores[lx.cat.works]
	if works == 0 {
		return
	}
	scores[lx.cat.works] = 0
	for _, r := range reasonOrder {
		if r.SellerFault() && scores[lx.cat.reasons[r]] >= clearReason {
			return
		}
	}
	scores[lx.cat.reasons[ReasonChangedMind]] += works
}
