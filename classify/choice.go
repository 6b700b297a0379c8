package classify

import "slices"

// setAsideUnchosen settles a mail that asks for both the money and a replacement
// when it says which it prefers: "I don't want to wait weeks for a new one, I'd rather
// just get my money back". The other remedy's words then count for nothing, as if
// negated, in the flags and in the intent alike. A preference that is a fallback ("if
// you have none left, I'd prefer my money back") chooses nothing.
func (lx *lexicon) setAsideUnchosen(kept []cueMatch, words []textWord) []cueMatch {
	var refund, replacement []int // indexes into kept
	prefersRefund, prefersReplacement := false, false
	for i, m := range kept {
		if m.negated {
			continue
		}
		cat := lx.cues[m.cue].category
		if cat != lx.cat.refund && cat != lx.cat.replacement {
			continue
		}
		preferred := ratherBefore(words, m.start, preferenceWords) && !conditionalBefore(words, m.start) &&
			!preferenceNegated(words, m.start)
		if cat == lx.cat.refund {
			refund = append(refund, i)
			prefersRefund = prefersRefund || preferred
		} else {
			replacement = append(replacement, i)
			prefersReplacement = prefersReplacement || preferred
		}
	}
	if len(refund) == 0 || len(replacement) == 0 || prefersRefund == prefersReplacement {
		return kept
	}
	aside, askedBy := replacement, lx.cat.intents[IntentExchange]
	if prefersReplacement {
		aside, askedBy = refund, lx.cat.intents[IntentReturn]
	}
	for _, i := range aside {
		flag := kept[i]
		kept[i].negated = true
		for k, m := range kept {
			if lx.cues[m.cue].category == askedBy && m.start < flag.end && flag.start < m.end {
				kept[k].negated = true
			}
		}
	}
	return kept
}

// conditionals open a fallback: "if not", "si no", "sinon", "sonst", "anders".
var conditionals = setOf("if", "otherwise", "else", "failing", "wenn", "falls", "sonst", "ansonsten",
	"als", "anders", "indien", "si", "sinon", "sino", "caso",
	"qualora", "altrimenti", "senno", "semmai", "eventualmente",
	"senao")

// conditionalBefore reports whether the sentence of word i opens with a condition
// before it.
func conditionalBefore(words []textWord, i int) bool {
	for k := i - 1; k >= 0 && words[k].sentence == words[i].sentence; k-- {
		if conditionals[words[k].text] {
			return true
		}
	}
	return false
}

// preferenceNegated: "I'd rather not wait for a replacement" prefers the other.
func preferenceNegated(words []textWord, i int) bool {
	for k := i - 1; k >= 0 && words[k].clause == words[i].clause; k-- {
		if slices.Contains(preferenceWords, words[k].text) {
			return k+1 < len(words) && negatorsAnyLanguage[words[k+1].text]
		}
	}
	return false
}
