package classify

import (
	"slices"
	"strings"
)

// maxFuzzyWord is the longest word (in runes) matched with typo tolerance.
const maxFuzzyWord = 32

// negationWindow is how many words before a cue a negator reaches.
const negationWindow = 3

// postNegationWindow is how far after a German or Dutch verb its clause-final negation
// may stand: "getragen habe ich ihn nicht".
const postNegationWindow = 8

// fuzzyPrefixMin is the shortest prefix cue ("rembours*") that tolerates typos. Shorter
// prefixes leave too much of the word unchecked ("annul*" would take "annual",
// "adjunt*" would take "adjust").
const fuzzyPrefixMin = 7

// cueMatch is one cue found in a mail.
type cueMatch struct {
	cue        int32
	start, end int // word positions, end exclusive
	negated    bool
	// typo: a word of it matched only by typo tolerance. Such a match counts only in
	// mail of the cue's own language: across languages a "typo" is another word
	// ("guten" is not Dutch "gaten", "ankle" not Spanish "anule").
	typo bool
}

// wordTerms returns the terms a mail word matches: exactly, by prefix, or, for a word
// the lexicon does not know, by typo tolerance (typo reports that).
func (lx *lexicon) wordTerms(w string) (ids []int32, typo bool) {
	out := lx.exactTerms(w)
	rs := []rune(w)
	// No word of the five languages is anywhere near maxFuzzyWord letters: a longer
	// token is a URL, a code or an attack, and typo tolerance on it costs time that
	// grows with the square of its length.
	if len(out) > 0 || len(rs) == 0 || lx.known[w] || hasDigit(w) || len(rs) > maxFuzzyWord {
		return out, false
	}
	out = lx.typoTerms(w, rs)
	return out, len(out) > 0
}

// exactTerms returns the terms w matches exactly or by prefix.
func (lx *lexicon) exactTerms(w string) []int32 {
	var out []int32
	if id, ok := lx.exact[w]; ok {
		out = append(out, id)
	}
	rs := []rune(w)
	if len(rs) == 0 {
		return out
	}
	for _, id := range lx.prefixes[rs[0]] {
		if strings.HasPrefix(w, lx.terms[id].text) {
			out = append(out, id)
		}
	}
	if len(out) == 0 {
		out = lx.separableTerms(w)
	}
	return out
}

// separablePrefixes are the German and Dutch verb particles that turn a participle
// the lexicon knows into one it does not: "aufgerissen" is "gerissen", "afgebroken"
// "gebroken". Never "un-"/"on-", which negate ("ungetragen" is not "getragen").
var separablePrefixes = []string{"auf", "ab", "aus", "zer", "durch", "ein", "los", "op", "af", "uit", "door", "stuk", "kapot"}

// separableTerms returns the terms of w without a separable prefix, for a rest long
// enough to be a participle of its own.
func (lx *lexicon) separableTerms(w string) []int32 {
	for _, p := range separablePrefixes {
		rest, ok := strings.CutPrefix(w, p)
		if !ok || len(rest) < 6 || !strings.HasPrefix(rest, "ge") {
			continue
		}
		if id, ok := lx.exact[rest]; ok {
			return []int32{id}
		}
	}
	return nil
}

// typoTerms returns the terms w matches one or two typos away.
func (lx *lexicon) typoTerms(w string, rs []rune) []int32 {
	var out []int32
	// A typo of a known word also matches the prefixes that word matches
	// ("cfancelling" is "cancelling", which is "cancel*").
	for _, id := range lx.fuzzy.lookup(w) {
		out = append(out, id)
		corrected := lx.terms[id].text
		for _, pid := range lx.prefixes[[]rune(corrected)[0]] {
			if strings.HasPrefix(corrected, lx.terms[pid].text) && !slices.Contains(out, pid) {
				out = append(out, pid)
			}
		}
	}
	buckets := [][]int32{lx.prefixes[rs[0]]}
	if len(rs) > 1 && rs[1] != rs[0] {
		buckets = append(buckets, lx.prefixes[rs[1]]) // first two letters swapped
	}
	for _, b := range buckets {
		for _, id := range b {
			p := lx.terms[id].text
			if !slices.Contains(out, id) && len([]rune(p)) >= fuzzyPrefixMin && fuzzyPrefix(w, p) {
				out = append(out, id)
			}
		}
	}
	return out
}

// findCues returns every cue occurrence in words, negated ones included (they still
// claim their words, see resolve). "!" cues appear only when negated, and then as
// positive matches.
func (lx *lexicon) findCues(words []textWord) []cueMatch {
	type wordMatch struct {
		terms []int32
		typo  bool
	}
	terms := make([][]int32, len(words))
	typo := make([]bool, len(words))
	cache := make(map[string]wordMatch, len(words))
	for i, w := range words {
		t, ok := cache[w.text]
		if !ok {
			t.terms, t.typo = lx.wordTerms(w.text)
			cache[w.text] = t
		}
		terms[i], typo[i] = t.terms, t.typo
	}

	var out []cueMatch
	seen := map[[2]int32]bool{}
	var pos []int
	for i := range words {
		for _, tid := range terms[i] {
			for _, ci := range lx.byFirst[tid] {
				key := [2]int32{ci, int32(i)}
				if seen[key] {
					continue
				}
				seen[key] = true
				c := &lx.cues[ci]
				var ok bool
				pos, ok = matchSlots(c.slots, 0, i, words, terms, words[i].sentence, pos[:0])
				if !ok {
					continue
				}
				end := pos[len(pos)-1] + 1
				if c.clauseEnd && end < len(words) && words[end].clause == words[end-1].clause && !lx.barriers[words[end].text] {
					// Not the clause's last word, nor before an "und", "aber", "dass".
					continue
				}
				// What the mail is about is its topic however a negation before it
				// goes: "I don't think my return ever made it" is about the return.
				neg := c.category != lx.cat.returnCtx && lx.negated(c, words, i, end, pos)
				if c.negOnly {
					// "I'd rather not get my money back" sets the money aside; it
					// does not miss it, nor does "je n'ai pas besoin d'être
					// remboursée": a wish or need refused is no thing missing. (A
					// sink's negation is what it is about.)
					if !neg || (ratherBefore(words, i, preferenceWords) || lx.wishNegated(c, words, i)) && !lx.cat.sink(c.category) {
						continue
					}
					neg = false
				}
				m := cueMatch{cue: ci, start: i, end: end, negated: neg}
				for _, p := range pos {
					m.typo = m.typo || typo[p]
				}
				out = append(out, m)
			}
		}
	}
	return out
}

// matchSlots matches slots[si:] from word position p, all within one sentence, and
// returns the positions of the word slots. Gaps take as few words as possible.
func matchSlots(slots []slot, si, p int, words []textWord, terms [][]int32, sentence int, pos []int) ([]int, bool) {
	if si == len(slots) {
		return pos, true
	}
	sl := &slots[si]
	if sl.gap > 0 {
		for skip := 0; skip <= sl.gap; skip++ {
			q := p + skip
			if q >= len(words) || words[q].sentence != sentence || sl.inClause && words[q].clause != words[p-1].clause {
				break
			}
			if r, ok := matchSlots(slots, si+1, q, words, terms, sentence, pos); ok {
				return r, true
			}
		}
		return pos, false
	}
	if p >= len(words) || words[p].sentence != sentence || !sl.holdsAny(terms[p]) {
		return pos, false
	}
	return matchSlots(slots, si+1, p+1, words, terms, sentence, append(pos, p))
}

func (sl *slot) holdsAny(ids []int32) bool {
	for _, id := range ids {
		if _, ok := slices.BinarySearch(sl.terms, id); ok {
			return true
		}
	}
	return false
}

// negated reports whether a negator of the cue's language (or English) stands within
// negationWindow words before the cue, in the same clause and with no barrier word
// ("how", "ob", "si") in between, or inside one of the cue's gaps. A cue that spells
// out its own negation is not negated again from before; a negator followed by a number
// is not one ("order no 1234").
func (lx *lexicon) negated(c *cue, words []textWord, start, end int, pos []int) bool {
	isNeg := func(i int) bool {
		w := words[i].text
		if !lx.negates(w, c.lang) {
			return false
		}
		if rather, ok := comparatives[w]; ok && (c.negOnly || !ratherBefore(words, i, rather)) {
			// "smaller than I'd pictured" negates nothing; and what is set aside
			// ("rather a size L than my money back") is not a thing missed, which
			// the "!" cues are about.
			return false
		}
		// "A keyboard should not break in six weeks": a negated "should" says what
		// ought to be, and so that it is not: the fault stands.
		if normative[w] || i+1 < len(words) && normative[words[i+1].text] || i > 0 && normative[words[i-1].text] {
			return false
		}
		if i+1 >= len(words) {
			return true
		}
		// "order no 1234" is not a negation, nor is "not even a week ago", "nog geen
		// week binnen", "keine zwei Tage": there the negation is of the time.
		return !hasDigit(words[i+1].text) && !negatesTime(words, i+1, c.lang)
	}
	clause := words[start].clause
	lookBack := !c.ownNegator && !lx.barriers[words[start].text]
	if lookBack && !c.negOnly && setAsideByPreference(words, start) {
		return true
	}
	reach := negationWindow
	for i := start - 1; lookBack && i >= 0 && i >= start-reach; i-- {
		// "hasn't been worn or washed": a negation carries over "or" to the next
		// alternative, so the coordinator widens the reach instead of ending it.
		if words[i].clause != clause {
			break
		}
		if isNeg(i) {
			// "I hope it isn't too late to send it back": the negation is of the
			// degree ("too late"), not of what it would be too late for.
			if i+1 < start && degreeWords[words[i+1].text] {
				break
			}
			return true
		}
		if coordinators[words[i].text] {
			reach += 2
			continue
		}
		// "I didn't want to take the tag off", "je ne veux pas l'enlever": a negated
		// wish or need governs the verb it introduces, so the chain of will and the
		// infinitive's marker carry the negation on.
		if verbChain[words[i].text] {
			reach++
			continue
		}
		if lx.barriers[words[i].text] {
			break
		}
	}
	for i := start; i < end; i++ {
		if !slices.Contains(pos, i) && isNeg(i) {
			return true
		}
	}
	if consideredThenDropped(words, start, end) {
		return true
	}
	// German and Dutch put the negation after the verb, often at the end of the
	// clause: "einen Ersatz brauche ich nicht", "terugsturen wil ik niet". Every
	// language may refuse after naming: "an exchange is not an option".
	if !c.ownNegator {
		for i := end; i < len(words) && words[i].clause == words[end-1].clause && !lx.barriers[words[i].text]; i++ {
			if !isNeg(i) {
				continue
			}
			// A refusal's tail closes the whole clause, however long; a bare clause-final
			// negation reaches postNegationWindow words back.
			if refusalTail(words, i+1) || wishRefused(words, i) && clauseEndsWithin(words, i, 1) ||
				postNegation[c.lang] && i < end+postNegationWindow && clauseEndsWithin(words, i, 1) {
				return true
			}
		}
	}
	return false
}

// wishNegated reports whether the words before word i in its clause are a negated
// wish or need that governs it: "I don't want to be refunded", "no necesito que me
// lo devuelvan", as against "I haven't been refunded".
func (lx *lexicon) wishNegated(c *cue, words []textWord, i int) bool {
	for k := i - 1; k >= 0 && k >= i-negationWindow-3 && words[k].clause == words[i].clause; k-- {
		w := words[k].text
		if neededWords[w] {
			return true
		}
		if !verbChain[w] && !lx.negates(w, c.lang) {
			return false
		}
	}
	return false
}

// neededWords want or need what follows them.
var neededWords = setOf("want", "wanted", "need", "needed", "wish", "besoin", "veux", "voulais", "voudrais", "souhaite",
	"brauche", "brauchte", "will", "wollte", "mochte", "wil", "wilde", "hoef", "hoefde", "quiero", "queria", "quise",
	"necesito", "necesitaba",
	"voglio", "vorrei", "volevo", "bisogno", "serve",
	"quero", "preciso", "precisava", "gostaria")

// degreeWords after a negation make it one of degree: "not too late", "nicht zu spät".
var degreeWords = map[string]bool{"too": true, "zu": true, "te": true, "trop": true, "demasiado": true}

// comparatives are the negators that set something aside only after a word of
// preference in their clause: "I'd rather have a refund than a replacement", "liever
// een maat L dan mijn geld terug", "lieber ... als", "plutôt ... que".
var comparatives = map[string][]string{
	"than": {"rather", "sooner"}, "dan": {"liever", "eerder"}, "als": {"lieber", "eher"}, "que": {"plutot", "prefere", "prefererais"},
}

// setAsideByPreference reports whether word i stands after the "than" of a
// preference in its clause, however far: "I'd rather just get my money back than mess
// around trying another size" sets the other size aside. ("Que" only as "plutôt
// que": after "je préfère que" comes what is preferred.)
func setAsideByPreference(words []textWord, i int) bool {
	for k := i - 1; k > 0 && words[k].clause == words[i].clause; k-- {
		w := words[k].text
		if w == "que" {
			if words[k-1].text == "plutot" {
				return true
			}
			continue
		}
		if rather, ok := comparatives[w]; ok && ratherBefore(words, k, rather) {
			return true
		}
	}
	return false
}

// preferenceWords say what the customer would rather have, in every language.
var preferenceWords = []string{"rather", "prefer", "liever", "lieber", "plutot", "prefere", "prefiero", "preferiria",
	"piuttosto", "preferisco", "preferirei", "preferiamo", "preferiremmo", "preferibilmente",
	"prefiro", "preferia", "preferimos", "preferiamos", "preferencia"}

// ratherBefore reports whether one of rather stands before word i in its clause.
func ratherBefore(words []textWord, i int, rather []string) bool {
	for k := i - 1; k >= 0 && words[k].clause == words[i].clause; k-- {
		if slices.Contains(rather, words[k].text) {
			return true
		}
	}
	return false
}

// timeWords are the units of time per language (accents folded), and the small words
// that may stand between a negator and one ("not even a week", "nog geen twee dagen").
var timeWords = [...]map[string]bool{
	langEN: {"day": true, "days": true, "week": true, "weeks": true, "month": true, "months": true, "hours": true},
	langDE: {"tag": true, "tage": true, "woche": true, "wochen": true, "monat": true, "monate": true, "stunden": true},
	langNL: {"dag": true, "dagen": true, "week": true, "weken": true, "maand": true, "maanden": true},
	langFR: {"jour": true, "jours": true, "semaine": true, "semaines": true, "mois": true},
	langES: {"dia": true, "dias": true, "semana": true, "semanas": true, "mes": true, "meses": true},
	langZH: {"天": true, "周": true, "月": true},
	langIT: {"giorno": true, "giorni": true, "settimana": true, "settimane": true, "mese": true, "mesi": true, "ore": true},
	langPT: {"dia": true, "dias": true, "semana": true, "semanas": true, "mes": true, "meses": true, "horas": true},
}

var timeFillers = map[string]bool{"a": true, "an": true, "one": true, "two": true, "even": true, "een": true, "twee": true,
	"eens": true, "ein": true, "eine": true, "einen": true, "zwei": true, "mal": true, "un": true, "une": true, "deux": true,
	"meme": true, "una": true, "dos": true, "siquiera": true}

// negatesTime reports whether the words from i on are a span of time in the cue's
// language ("week", "a week", "even two weeks"), which a negator before them negates.
func negatesTime(words []textWord, i, lang int) bool {
	for k := i; k < len(words) && k < i+3; k++ {
		w := words[k].text
		if timeWords[lang][w] {
			return true
		}
		if !timeFillers[w] {
			return false
		}
	}
	return false
}

// coordinators join alternatives that share one negation: "not worn or washed",
// "nicht getragen oder gewaschen", "ni porté ni lavé", "sin usar o lavar".
var coordinators = map[string]bool{"or": true, "nor": true, "oder": true, "noch": true, "ou": true, "ni": true, "o": true}

// consideredWords say the customer weighed an option ("I had thought of exchanging
// it"); contrastWords set it aside when they follow it in the sentence ("... but in
// the end no, I'd rather have my money back").
var (
	consideredWords = map[string]bool{
		"thought": true, "considered": true, "planned": true, "pondered": true,
		"pense": true, "envisage": true, "pensais": true,
		"uberlegt": true, "gedacht": true, "erwogen": true,
		"overwogen": true, "bedacht": true,
		"pensado": true, "pensaba": true, "planteado": true,
	}
	contrastWords = map[string]bool{"but": true, "mais": true, "aber": true, "maar": true, "pero": true, "doch": true, "toch": true}
)

// consideredThenDropped reports whether the cue at start..end is an option the
// customer weighed (a word of consideration before it, in its clause) and then set
// aside (a "but" after it, in its sentence).
func consideredThenDropped(words []textWord, start, end int) bool {
	weighed := false
	for i := start - 1; i >= 0 && words[i].clause == words[start].clause; i-- {
		if consideredWords[words[i].text] {
			weighed = true
			break
		}
	}
	if !weighed {
		return false
	}
	for i := end; i < len(words) && words[i].sentence == words[start].sentence; i++ {
		if contrastWords[words[i].text] {
			return true
		}
	}
	return false
}

// normative are the words of what ought to be ("shouldn't", "no debería", "sollte
// nicht", "ne devrait pas", "hoort niet"): negated, they complain of a fact.
var normative = map[string]bool{
	"shouldnt": true, "should": true, "ought": true, "supposed": true,
	"deberia": true, "deberian": true, "debe": true, "deben": true,
	"devrait": true, "devraient": true, "doit": true, "doivent": true,
	"sollte": true, "sollten": true, "soll": true, "durfte": true,
	"hoort": true, "hoorde": true, "zou": true, "zouden": true,
}

// verbChain are the words of will, need and ability, and the infinitive markers,
// between a negator and the verb it negates ("didn't want to take", "wollte nicht
// abnehmen", "ne veux pas enlever").
var verbChain = map[string]bool{
	"want": true, "wanted": true, "need": true, "needed": true, "like": true, "to": true, "try": true, "tried": true,
	"dare": true, "bother": true, "manage": true, "managed": true,
	"wollte": true, "wolle": true, "will": true, "mochte": true, "musste": true, "zu": true,
	"wilde": true, "wil": true, "hoefde": true, "te": true,
	"veux": true, "voulais": true, "voulu": true, "voulait": true, "ai": true, "pu": true,
	"quise": true, "queria": true, "quiero": true,
	// A need too: "je n'ai pas besoin d'être remboursée", "no necesito que me lo cambien".
	"besoin": true, "d": true, "de": true, "etre": true, "qu": true, "on": true, "be": true, "get": true,
	"necesito": true, "necesitaba": true, "brauche": true, "brauchte": true,
	// French and Spanish clitics stand between the negation and its verb: "sans que
	// je vous le renvoie", "no quiero que me lo cambien".
	"je": true, "il": true, "elle": true, "nous": true, "vous": true, "me": true, "se": true,
	"le": true, "la": true, "les": true, "lui": true, "leur": true, "y": true, "que": true,
	"lo": true, "los": true, "las": true, "nos": true, "os": true,
}

// refusalTails end a clause that refuses what it names: "ein Umtausch kommt nicht in
// Frage", "ruilen is geen optie", "an exchange is not an option / out of the question".
var refusalTails = [][]string{
	{"in", "frage"}, {"infrage"}, {"in", "betracht"}, {"option"}, {"optie"}, {"in", "aanmerking"},
	{"an", "option"}, {"of", "the", "question"}, {"une", "option"}, {"una", "opcion"},
}

// wishRefused reports whether the negation at word i closes a wish turned down,
// German and Dutch style, with the thing wished for fronted however far before it:
// "einen Umtausch gegen eine andere Farbe oder Größe möchte ich nicht", "een nieuwe
// wil ik niet".
func wishRefused(words []textWord, i int) bool {
	if i < 2 || words[i-2].clause != words[i].clause {
		return false
	}
	return wishVerbs[words[i-2].text] && firstPersons[words[i-1].text]
}

var wishVerbs = map[string]bool{"mochte": true, "will": true, "wollen": true, "brauche": true, "benotige": true,
	"wil": true, "wilde": true, "hoef": true, "wens": true}

var firstPersons = map[string]bool{"ich": true, "wir": true, "ik": true, "we": true, "wij": true}

// refusalTail reports whether a refusal tail starts at word i, in one clause.
func refusalTail(words []textWord, i int) bool {
	for _, tail := range refusalTails {
		end := i + len(tail)
		if end > len(words) {
			continue
		}
		ok := true
		for k, w := range tail {
			ok = ok && words[i+k].text == w && words[i+k].clause == words[i].clause
		}
		if ok {
			return true
		}
	}
	return false
}

// postNegation marks the languages whose main clauses negate after the verb.
var postNegation = map[int]bool{langDE: true, langNL: true}

// clauseEndsWithin reports whether the clause of word i ends at most n words after it.
func clauseEndsWithin(words []textWord, i, n int) bool {
	last := i + n + 1
	return last >= len(words) || words[last].clause != words[i].clause
}

// resolve keeps, within each group, the most specific of overlapping matches: more
// fixed words first, then a match that counts over a negated one (which says nothing),
// then a cue of the mail's language (then English), then the heavier cue, then the
// tighter span. "where is my refund" thereby hides its "refund".
func (lx *lexicon) resolve(matches []cueMatch, lang int) []cueMatch {
	langRank := func(l int) int {
		switch l {
		case lang:
			return 0
		case langEN:
			return 1
		}
		return 2
	}
	sorted := slices.Clone(matches)
	slices.SortStableFunc(sorted, func(a, b cueMatch) int {
		ca, cb := &lx.cues[a.cue], &lx.cues[b.cue]
		switch {
		case (langRank(ca.lang) == 2) != (langRank(cb.lang) == 2):
			// Another language's cue never takes the words of one of the mail's own
			// (or English): Italian "un regalo" in Spanish mail is the Spanish gift,
			// however many words the Italian phrase fixes.
			return langRank(ca.lang) - langRank(cb.lang)
		case ca.literals != cb.literals:
			return cb.literals - ca.literals
		case a.negated != b.negated:
			if a.negated {
				return 1
			}
			return -1
		case langRank(ca.lang) != langRank(cb.lang):
			// The mail's own language explains its words before a heavier cue of
			// another ("cancel" is English in English mail, not Spanish "cancel*").
			return langRank(ca.lang) - langRank(cb.lang)
		case ca.weight != cb.weight:
			if ca.weight > cb.weight {
				return -1
			}
			return 1
		case a.end-a.start != b.end-b.start:
			return (a.end - a.start) - (b.end - b.start)
		}
		return a.start - b.start
	})
	var kept []cueMatch
	for _, m := range sorted {
		if c := &lx.cues[m.cue]; (c.ownLanguage || m.typo) && c.lang != lang {
			continue
		}
		g := lx.categories[lx.cues[m.cue].category].group
		// "My return" only says what the mail is about: it never takes the words of a
		// request ("send them back to you") away from it.
		aside := func(c int) bool { return c == lx.cat.returnCtx }
		overlaps := slices.ContainsFunc(kept, func(k cueMatch) bool {
			return lx.categories[lx.cues[k.cue].category].group == g && k.start < m.end && m.start < k.end &&
				!aside(lx.cues[k.cue].category) && !aside(lx.cues[m.cue].category)
		})
		if !overlaps {
			kept = append(kept, m)
		}
	}
	return kept
}
