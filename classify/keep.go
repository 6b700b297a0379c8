package classify

import (
	"slices"
	"strings"
)

// keepWords say the customer keeps an item, in the lexicon's languages (accents folded).
var keepWords = []string{"keep", "keeping", "keeps", "behalte", "behalten", "houd", "houden", "hou", "garde", "garder",
	"garderai", "conserve", "conserver", "quedo", "quedarme", "quedare", "conservo", "conservar", "mantener",
	"留着", "留下", "保留", "不退",
	"terro", "tenere", "tenerlo", "tenerla", "tenerli", "tenerle", "tenermi", "tenermelo", "tenermela",
	"tenermeli", "tenermele", "teniamo", "terremo", "trattengo", "tratterro", "trattenere", "trattenerlo",
	"trattenerla", "trattenerli", "trattenerle", "conservero", "conservare", "conservarlo", "conservarla",
	"guardo", "guardar", "guardarei", "mantenho", "manter"}

// keepWordSet holds the keep words of one word each; hanKeepWords the Chinese ones,
// which stand as several one-character words.
var keepWordSet, hanKeepWords = func() (map[string]bool, []string) {
	set := map[string]bool{}
	var han []string
	for _, k := range keepWords {
		if strings.ContainsFunc(k, isHan) {
			han = append(han, k)
		} else {
			set[k] = true
		}
	}
	return set, han
}()

// keepPhrases say an item is fine as it is, which keeps it as surely as a keep-word
// ("the earrings are fine", "la pulsera está perfecta"). Present tense only: "it was
// fine for two days" tells of a fault.
var keepPhrases = []string{"is fine", "are fine", "is perfect", "are perfect", "is great", "are great",
	"ist perfekt", "sind perfekt", "ist super", "sind super", "passt perfekt",
	"is prima", "zijn prima", "zijn perfect",
	"est parfait", "est parfaite", "sont parfaits", "sont parfaites", "me plait beaucoup",
	"esta perfecta", "esta perfecto", "estan perfectos", "estan perfectas", "es perfecta", "es perfecto"}

// stayPhrases keep an item in so many words, as a keep-word does: "the cable is
// staying with me". Unlike "it is perfect", which may tell the state of the item
// going back, they say of a use beside them that it is the kept item's.
var stayPhrases = []string{"staying with me", "stays with me", "stay with me", "bleibt bei mir", "blijft bij mij",
	"blijft bij me", "reste avec moi", "restera avec moi", "se queda conmigo"}

// stayPhraseWords are stayPhrases split into words, for matching against a mail's.
var stayPhraseWords = func() [][]string {
	out := make([][]string, len(stayPhrases))
	for i, k := range stayPhrases {
		out[i] = strings.Fields(k)
	}
	return out
}()

// KeepPhrases are the folded phrases by which a customer says an item is fine as it is.
func KeepPhrases() []string { return slices.Clone(keepPhrases) }

// StayPhrases are the folded phrases by which a customer says an item stays with them.
func StayPhrases() []string { return slices.Clone(stayPhrases) }

// KeepWords are the words by which a customer writing in lang says they keep an item
// ("I'm keeping the stand"): what they say of that item is not said of the one they
// send back.
func KeepWords(lang string) []string {
	return append(slices.Clone(keepWords), languageKeepWords[lang]...)
}

// languageKeepWords keep an item only in their own language: Italian "tengo la gonna"
// keeps the skirt, Spanish "tengo el recibo" has the receipt.
var languageKeepWords = map[string][]string{"it": {"tengo", "teniamo"}}

// usedOfKeptItem drops the use a customer states in a sentence that keeps an item:
// "the brush I keep (I have used it anyway)" says nothing of the charger going back.
func (lx *lexicon) usedOfKeptItem(kept []cueMatch, words []textWord, lang int) []cueMatch {
	own := languageKeepWords[classifierLanguages[lang]]
	keeping := map[int]bool{}
	for i, w := range words {
		if (keepWordSet[w.text] || slices.Contains(own, w.text)) && !keepsDoing(words, i) || slices.ContainsFunc(hanKeepWords, func(k string) bool { return wordsAt(words, i, k) }) ||
			slices.ContainsFunc(stayPhraseWords, func(k []string) bool { return phraseAt(words, i, k) }) {
			keeping[w.sentence] = true
		}
	}
	if len(keeping) == 0 {
		return kept
	}
	return slices.DeleteFunc(kept, func(m cueMatch) bool {
		return lx.cues[m.cue].category == lx.cat.used && keeping[words[m.start].sentence]
	})
}

// keepsDoing reports whether the keep word at words[i] goes on doing something
// rather than keeping an item: "I had to keep pinning it", "it keeps on slipping".
func keepsDoing(words []textWord, i int) bool {
	if i+1 >= len(words) || !strings.HasPrefix(words[i].text, "keep") {
		return false
	}
	next := words[i+1].text
	// "keeping everything else" keeps: "-thing" is no verb.
	return next == "on" || len(next) > 4 && strings.HasSuffix(next, "ing") && !strings.HasSuffix(next, "thing")
}

// phraseAt reports whether the words of phrase stand at words[i], in one sentence.
func phraseAt(words []textWord, i int, phrase []string) bool {
	if i+len(phrase) > len(words) {
		return false
	}
	for k, p := range phrase {
		if words[i+k].text != p || words[i+k].sentence != words[i].sentence {
			return false
		}
	}
	return true
}

// wordsAt reports whether the word s stands at words[i]: a Chinese word of several
// characters as that many one-character words (splitWords makes each its own).
func wordsAt(words []textWord, i int, s string) bool {
	if !strings.ContainsFunc(s, isHan) {
		return words[i].text == s
	}
	for _, r := range s {
		if i >= len(words) || words[i].text != string(r) {
			return false
		}
		i++
	}
	return true
}

// wholeOrderOfRequest drops the weak whole-order hints ("alles", "todo", "both")
// that stand in no clause asking for something: "me llegó todo súper rápido", "con
// etiquetas y todo" say nothing of what goes back.
func (lx *lexicon) wholeOrderOfRequest(kept []cueMatch, words []textWord) []cueMatch {
	asking := map[int]bool{}
	for _, m := range kept {
		switch lx.cues[m.cue].category {
		case lx.cat.intents[IntentReturn], lx.cat.intents[IntentExchange], lx.cat.intents[IntentCancel], lx.cat.intents[IntentClaim]:
			if !m.negated {
				asking[words[m.start].clause] = true
			}
		}
	}
	return slices.DeleteFunc(kept, func(m cueMatch) bool {
		c := &lx.cues[m.cue]
		return c.category == lx.cat.wholeOrder && c.weight < flagThreshold && !asking[words[m.start].clause]
	})
}

// returnAsNoun drops the bare keyword "return" where it is the noun of "the
// return", "my return": "has the return been checked in?" asks about the return, it
// does not ask for one. Requests built on the word ("return request", "I want to
// return") are phrases of their own and stay.
func (lx *lexicon) returnAsNoun(kept []cueMatch) []cueMatch {
	var contexts []cueMatch
	for _, m := range kept {
		if lx.cues[m.cue].category == lx.cat.returnCtx {
			contexts = append(contexts, m)
		}
	}
	if len(contexts) == 0 {
		return kept
	}
	return slices.DeleteFunc(kept, func(m cueMatch) bool {
		c := &lx.cues[m.cue]
		if c.category != lx.cat.intents[IntentReturn] || c.literals != 1 || c.weight >= explicitAsk {
			return false
		}
		return slices.ContainsFunc(contexts, func(k cueMatch) bool { return k.start <= m.start && m.end <= k.end })
	})
}

// onlyWords open the policy's own "only faulty items" phrases (reason.none), and
// orWords join a second kind of item to them: "alleen kapotte of verkeerd geleverde
// spullen" quotes the rule twice and tells no fault of the customer's item.
var (
	onlyWords = map[string]bool{"only": true, "alleen": true, "enkel": true, "nur": true, "que": true,
		"seulement": true, "uniquement": true, "solo": true, "solamente": true}
	orWords = map[string]bool{"or": true, "and": true, "of": true, "en": true, "oder": true, "und": true,
		"ou": true, "et": true, "o": true, "y": true}
)

// policyRuleCoordinated drops the reason cues joined by "or" to a policy phrase the
// reason.none sink caught.
func (lx *lexicon) policyRuleCoordinated(kept []cueMatch, words []textWord) []cueMatch {
	var drop []int // word positions where a joined reason may start
	for _, m := range kept {
		if lx.cues[m.cue].category != lx.cat.sinks[1] || !onlyWords[words[m.start].text] {
			continue
		}
		if e := m.end; e < len(words)-1 && orWords[words[e].text] && words[e].clause == words[m.start].clause {
			drop = append(drop, e+1, e+2)
		}
	}
	if len(drop) == 0 {
		return kept
	}
	return slices.DeleteFunc(kept, func(m cueMatch) bool {
		return lx.categories[lx.cues[m.cue].category].group == groupReason && slices.Contains(drop, m.start)
	})
}

// UsedOnlyInNames reports whether the reading states use and every statement of it is
// words of one of names (the order's item names): "Washed Blue" names a colour, not a
// wash.
func (r Reading) UsedOnlyInNames(names []string) bool {
	folded := make([]string, len(names))
	for i, n := range names {
		folded[i] = " " + strings.Join(strings.Fields(foldText(n)), " ") + " "
	}
	found := false
	for _, e := range r.Evidence {
		if e.Category != "flag.used" || e.Negated || e.Weight == 0 {
			continue
		}
		found = true
		if !slices.ContainsFunc(folded, func(n string) bool { return strings.Contains(n, " "+e.Words+" ") }) {
			return false
		}
	}
	return found
}
