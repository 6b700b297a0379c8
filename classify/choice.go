package classify

// statedChoice settles a mail that asks for both the money and a replacement when it
// says which it prefers: "I don't want to wait weeks for a new one, I'd rather just
// get my money back". It returns the flags to keep. A preference that is a fallback
// ("if you have none left, I'd prefer my money back") chooses nothing.
func (lx *lexicon) statedChoice(kept []cueMatch, words []textWord, refund, replacement bool) (bool, bool) {
	if !refund || !replacement {
		return refund, replacement
	}
	prefersRefund, prefersReplacement := false, false
	for _, m := range kept {
		if m.negated {
			continue
		}
		cat := lx.cues[m.cue].category
		if cat != lx.cat.refund && cat != lx.cat.replacement {
			continue
		}
		if !ratherBefore(words, m.start, preferenceWords) || conditionalBefore(words, m.start) {
			continue
		}
		if cat == lx.cat.refund {
			prefersRefund = true
		} else {
			prefersReplacement = true
		}
	}
	switch {
	case prefersRefund && !prefersReplacement:
		return true, false
	case prefersReplacement && !prefersRefund:
		return false, true
	}
	return refund, replacement
}

// conditionals open a fallback: "if not", "si no", "sinon", "sonst", "anders".
var conditionals = setOf("if", "otherwise", "else", "failing", "wenn", "falls", "sonst", "ansonsten",
	"als", "anders", "indien", "si", "sinon", "sino", "caso")

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
