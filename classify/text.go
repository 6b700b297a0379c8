package classify

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// textWord is one normalised word of a mail. sentence and clause number the spans the
// word belongs to: a cue phrase never spans two sentences, and a negator only reaches
// words of its own clause ("No, I want to return it" does not negate "return").
type textWord struct {
	text     string
	sentence int
	clause   int
	subject  bool
}

// foldText lower-cases s and strips accents so that "Rücksendung", "rucksendung" and
// "RÜCKSENDUNG" compare equal, and customers who type without accents ("je voudrais
// retourner", "devolucion") match the lexicon.
func foldText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		r = unicode.ToLower(r)
		switch r {
		case 'ß':
			b.WriteString("ss")
		case 'æ':
			b.WriteString("ae")
		case 'œ':
			b.WriteString("oe")
		case 'ø':
			b.WriteByte('o')
		case 'ł':
			b.WriteByte('l')
		case 'đ':
			b.WriteByte('d')
		case '’', '‘', '`', '´', 'ʼ', '′':
			b.WriteByte('\'')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// elisions are the clitics French and Italian write before an apostrophe ("j'ai",
// "l'article", "n'est", "qu'il", "dell'ordine", "un'altra", "dov'è"). They are split
// off so that "n'ai pas reçu" yields the negator "n" and the verb "ai"; every other
// apostrophe is dropped, which turns English contractions into single words ("don't" ->
// "dont") and Dutch plurals into plain ones ("foto's" -> "fotos").
var elisions = map[string]bool{
	"c": true, "d": true, "j": true, "l": true, "m": true, "n": true, "s": true, "t": true,
	"qu": true, "jusqu": true, "lorsqu": true, "puisqu": true, "quoiqu": true,
	"dell": true, "all": true, "nell": true, "dall": true, "sull": true, "coll": true, "un": true, "quest": true,
	"quell": true, "dov": true, "v": true, "com": true, "cos": true, "tutt": true, "anch": true, "senz": true,
	"nessun": true, "buon": true, "qual": true,
}

// boundary strengths between two words.
const (
	noBreak = iota
	clauseBreak
	sentenceBreak
)

// splitWords folds s and splits it into words with sentence and clause numbers. A single
// line break is a space (mail clients wrap lines mid-sentence); a blank line ends a
// sentence.
func splitWords(s string, subject bool, start textWord) []textWord {
	s = foldText(s)
	var words []textWord
	sentence, clause := start.sentence, start.clause
	pending := noBreak
	var cur []rune
	newlines := 0

	emit := func() {
		if len(cur) == 0 {
			return
		}
		raw := string(cur)
		cur = cur[:0]
		switch pending {
		case sentenceBreak:
			sentence++
			clause++
		case clauseBreak:
			clause++
		}
		pending = noBreak
		for _, w := range splitElisions(raw) {
			words = append(words, textWord{text: w, sentence: sentence, clause: clause, subject: subject})
		}
	}
	brk := func(strength int) {
		emit()
		if strength > pending {
			pending = strength
		}
	}

	runes := []rune(s)
	for i, r := range runes {
		if r != '\n' && r != '\r' && !unicode.IsSpace(r) {
			newlines = 0
		}
		switch {
		case isHan(r):
			// Chinese has no spaces between words: every character is a word, and the
			// lexicon writes its Chinese phrases character by character.
			brk(noBreak)
			cur = append(cur, r)
			emit()
		case isWordRune(r):
			cur = append(cur, r)
		case r == '\'':
			// Keep an apostrophe only between letters ("don't", "j'ai").
			if len(cur) > 0 && i+1 < len(runes) && unicode.IsLetter(runes[i+1]) {
				cur = append(cur, r)
			} else {
				brk(noBreak)
			}
		case r == '\n':
			newlines++
			if newlines >= 2 {
				brk(sentenceBreak)
			} else {
				brk(noBreak)
			}
		case r == '\r':
			emit()
		case strings.ContainsRune(".!?;:…¿¡。！？；：", r):
			// A dot between digits ("1.5") stays in the number. Abbreviations ("z.B.",
			// "Nr.") do end a sentence here: rare, and it only shortens a cue's reach.
			if r == '.' && len(cur) > 0 && i+1 < len(runes) && unicode.IsDigit(runes[i+1]) && unicode.IsDigit(cur[len(cur)-1]) {
				cur = append(cur, r)
				continue
			}
			brk(sentenceBreak)
		case r == ',' && len(cur) > 0 && i+1 < len(runes) && unicode.IsDigit(runes[i+1]) && unicode.IsDigit(cur[len(cur)-1]):
			// A decimal comma ("41,60 €") stays in the number, as a dot does.
			cur = append(cur, r)
		case strings.ContainsRune(",()[]{}\"«»“”„/|–—，、（）【】《》「」", r):
			brk(clauseBreak)
		default:
			brk(noBreak)
		}
	}
	emit()
	return words
}

// isHan reports whether r is a Chinese character.
func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// splitElisions handles one word that may contain apostrophes.
func splitElisions(w string) []string {
	if !strings.ContainsRune(w, '\'') {
		return []string{w}
	}
	var out []string
	for {
		i := strings.IndexByte(w, '\'')
		if i < 0 {
			break
		}
		head, rest := w[:i], w[i+1:]
		if elisions[head] && len(rest) >= 2 {
			out = append(out, head)
			w = rest
			continue
		}
		w = head + rest
	}
	if w != "" {
		out = append(out, w)
	}
	return out
}

// continueAfter returns where a second splitWords call continues numbering, so that the
// subject and the body never share a sentence.
func continueAfter(words []textWord) textWord {
	if len(words) == 0 {
		return textWord{}
	}
	last := words[len(words)-1]
	return textWord{sentence: last.sentence + 1, clause: last.clause + 1}
}

// hasDigit reports whether w is a number or an order/tracking code rather than a
// word: it contains a digit.
func hasDigit(w string) bool {
	return strings.IndexFunc(w, unicode.IsDigit) >= 0
}

// trackingShaped reports whether w has the shape of a parcel tracking number:
// letters and digits mixed, at least 10 long ("1z999aa10123456784", "3sabcd1234567",
// "rr123456789cn"), or a digit run longer than any order number or phone number
// written in one piece ("003404341612345678", DHL's and USPS's numbers).
func trackingShaped(w string) bool {
	if len(w) < 10 || len(w) > 35 {
		return false
	}
	if len(w) >= digitTrackingLength && strings.Trim(w, "0123456789") == "" {
		return true
	}
	letters, digits := 0, 0
	for _, r := range w {
		switch {
		case r >= 'a' && r <= 'z':
			letters++
		case r >= '0' && r <= '9':
			digits++
		default:
			return false
		}
	}
	return letters >= 1 && digits >= 6
}
