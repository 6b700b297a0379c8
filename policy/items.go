package policy

import (
	_ "embed"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/BurntSushi/toml"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/returnsdesk/returnsdesk/classify"
	"github.com/returnsdesk/returnsdesk/orders"
)

// namedItems returns the line items the text names, by product title words or SKU.
// Nothing is returned when no item stands out: a word shared by every item names none.
func namedItems(text, lang string, items []orders.LineItem) []orders.LineItem {
	if len(items) < 2 {
		return nil
	}
	keepWords := keepWordsIn(lang)
	upper := strings.ToUpper(text)
	// A word in several items' names ("silk" in a silk dress and a silk scarf) cannot
	// tell them apart: only distinguishing words count.
	titles, variants := make([][]string, len(items)), make([][]string, len(items))
	shared := map[string]int{}
	for i, it := range items {
		title, variant := splitVariant(it)
		titles[i], variants[i] = significantWords(title), significantWords(variant)
		seen := map[string]bool{}
		for _, w := range append(slices.Clone(titles[i]), variants[i]...) {
			if !seen[w] {
				seen[w] = true
				shared[w]++
			}
		}
	}
	// naming tells how surely a clause names each item; a variant's words count half.
	naming := func(words map[string]bool, clause string) (named []float64, any bool) {
		named = make([]float64, len(items))
		for i := range items {
			for _, w := range titles[i] {
				if shared[w] == 1 {
					named[i] += namesWord(words, clause, w)
				}
			}
			for _, w := range variants[i] {
				if shared[w] == 1 {
					named[i] += namesWord(words, clause, w) / 2
				}
			}
			any = any || named[i] > 0
		}
		return named, any
	}
	scores := make([]float64, len(items))
	keptItem := make([]bool, len(items)) // named as kept, however often named besides
	// keep counts the items a keeping clause names (or points back at) as kept: for
	// good by a keep-word, by weight against them by "is fine".
	keep := func(named []float64, surely bool, weight float64) {
		for i, v := range named {
			switch {
			case v <= 0:
			case surely:
				keptItem[i] = true
			default:
				scores[i] -= weight * v
			}
		}
	}
	var topic []float64 // what the previous sentence's first clause named
	var namings []clauseNaming
	for _, sentence := range sentences(text) {
		var previous, first []float64 // what the clause before and the sentence's first clause named
		for k, clause := range clauses(sentence) {
			words := wordSet(clause)
			named, names := naming(words, clause)
			keeps, surely := keepsItem(words, clause, keepWords)
			// "The Oud Noir is wonderful. That one I keep.", "the flask turned out
			// lovely, that I keep": a keep-word with a pronoun points back at the
			// clause before it or, opening a sentence, at the previous one's subject.
			back := previous
			if k == 0 {
				back = topic
			}
			switch {
			case keeps && names:
				// "I'm keeping the tablet stand": an item named next to a keep-word is
				// the one the customer does not mean.
				keep(named, surely, 1)
			case keeps && namesOne(back) && refersBack(clause, keepWords):
				keep(back, surely, 2)
			default:
				for i := range named {
					scores[i] += named[i]
				}
				if names {
					namings = append(namings, clauseNaming{clause, named})
				}
			}
			if k == 0 {
				first = named
			}
			previous = named
		}
		topic = first
	}
	best := 0.0
	kept := 0
	for i, it := range items {
		if keptItem[i] {
			// "Le foulard est parfait, je le garde" after "un foulard en soie pour
			// moi": kept, whatever was said of it before.
			scores[i] = -1
		}
		if it.SKU != "" && len(it.SKU) >= 4 && strings.Contains(upper, strings.ToUpper(it.SKU)) {
			scores[i] = 100
		}
		best = max(best, scores[i])
		if scores[i] < 0 {
			kept++
		}
	}
	if best == 0 && kept > 0 {
		// "I'm keeping the bralette": the customer means the others.
		var rest []orders.LineItem
		for i, it := range items {
			if scores[i] >= 0 {
				rest = append(rest, it)
			}
		}
		return rest
	}
	if best == 0 {
		return nil
	}
	tied := 0
	for i := range items {
		if scores[i] == best {
			tied++
		}
	}
	if tied > 1 {
		// Named alike: the one named where the customer asks ("I'd like to return the
		// Merel belt") before one named in a side question ("is the navy scarf back
		// in stock?").
		asked := askedIn(namings, len(items))
		var ask float64
		for i := range items {
			if scores[i] == best {
				ask = max(ask, asked[i])
			}
		}
		for i := range items {
			if scores[i] == best && ask > 0 && asked[i] < ask {
				scores[i] = 0
			}
		}
	}
	var named []orders.LineItem
	for i, it := range items {
		if scores[i] == best {
			named = append(named, it)
		}
	}
	if len(named) == len(items) {
		return nil
	}
	return named
}

// clauseNaming is a clause that names items, and how surely it names each.
type clauseNaming struct {
	clause string
	named  []float64
}

// askedIn sums, per item, how surely it is named in clauses that ask for a return, an
// exchange, a cancellation or a claim by themselves. Read only when items tie: it
// reads those clauses once more.
func askedIn(namings []clauseNaming, n int) []float64 {
	asked := make([]float64, n)
	for _, c := range namings {
		switch r := classify.Read("", c.clause); r.Intent {
		case classify.IntentReturn, classify.IntentExchange, classify.IntentCancel, classify.IntentClaim:
			if r.Confidence < classify.ConfidenceThreshold {
				continue
			}
			for i, v := range c.named {
				asked[i] += v
			}
		}
	}
	return asked
}

// sentences splits text at sentence ends and line breaks.
func sentences(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool { return strings.ContainsRune(".!?\n。！？", r) })
}

// namesOne reports whether a clause's naming points at exactly one item.
func namesOne(named []float64) bool {
	n := 0
	for _, v := range named {
		if v > 0 {
			n++
		}
	}
	return n == 1
}

// clauses splits a sentence at commas, semicolons and "but" (in Chinese too), so
// that "return the sleeve, I keep the earbuds" names the one and keeps the other.
func clauses(text string) []string {
	// "but" starts a clause of its own even where customers write no comma: "return
	// the sleeve but the earbuds I keep".
	text = butWords.ReplaceAllString(text, "\n")
	// So does a dash between words: "just the stand coming back - I'm keeping the keyboard".
	text = dashBreak.ReplaceAllString(text, "\n")
	return strings.FieldsFunc(text, func(r rune) bool { return strings.ContainsRune(".!?;,\n。！？；，", r) })
}

var dashBreak = regexp.MustCompile(`\s[-–—]+\s`)

var butWords = regexp.MustCompile(`(?i)\s(but|pero|aber|maar|mais|sondern|however|though)\s|但是|不过`)

// anaphors are the pronouns by which a clause points back at an item named before it
// ("that one I keep", "I'll keep it", "dies behalte ich"); articleAnaphors also
// stand before a noun ("das Kleid"), so they point back only right before the
// keep-word ("das behalte ich", "die houd ik", "je la garde"); rest words say the
// clause means the items not named ("I'll keep the rest").
var anaphors = wordSetOf("that", "this", "it", "those", "these", "them", "dies", "diese", "dat", "deze", "hem",
	"celui", "celle", "ceux", "ese", "esa", "eso", "esto", "este", "esta")

var articleAnaphors = wordSetOf("das", "die", "den", "ihn", "het", "le", "la", "les", "lo", "los", "las")

var restWords = wordSetOf("rest", "others", "other", "remaining", "andere", "anderen", "ubrigen", "overige",
	"autres", "reste", "resto", "demas", "otros", "otras")

func wordSetOf(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// refersBack reports whether a clause that names no item points with a pronoun at
// one named before: the pronoun opens the clause or follows the keep-word.
func refersBack(clause string, keepWords []string) bool {
	words := strings.FieldsFunc(fold(clause), notLetterOrDigit)
	if len(words) == 0 || slices.ContainsFunc(words, func(w string) bool { return restWords[w] }) {
		return false
	}
	keep := func(i int) bool { return i < len(words) && slices.Contains(keepWords, words[i]) }
	if anaphors[words[0]] || articleAnaphors[words[0]] && keep(1) {
		return true
	}
	for i := range words[:len(words)-1] {
		if keep(i) && anaphors[words[i+1]] {
			return true
		}
	}
	// "je le garde", "ik hou hem": the pronoun right before the keep-word, with
	// nothing but the subject before it ("la gourde je la garde" names a thing).
	for i := 0; i+1 < len(words) && subjectPronouns[words[i]]; i++ {
		if (anaphors[words[i+1]] || articleAnaphors[words[i+1]]) && keep(i+2) {
			return true
		}
	}
	return false
}

var subjectPronouns = wordSetOf("i", "je", "j", "ich", "ik", "yo", "we", "nous", "wir", "wij", "me")

// stayPhrases and keepPhrases are classify's, and so are the keep-words of each
// language, read once: keepsItem runs for every clause.
var stayPhrases, keepPhrases = classify.StayPhrases(), classify.KeepPhrases()

var keepWordsByLanguage = func() map[string][]string {
	m := map[string][]string{}
	for _, lang := range append(classify.Languages(), "") {
		m[lang] = classify.KeepWords(lang)
	}
	return m
}()

func keepWordsIn(lang string) []string {
	if k, ok := keepWordsByLanguage[lang]; ok {
		return k
	}
	return keepWordsByLanguage[""]
}

// keepsItem reports whether a clause says the customer keeps what it names, and
// whether surely: "I keep the scarf", "the cable stays with me" keep an item however
// often it is named besides; "the sleeves are fine" may praise a part of the item
// going back, and only weighs against it.
func keepsItem(words map[string]bool, clause string, keepWords []string) (keeps, surely bool) {
	for _, k := range keepWords {
		if words[k] || strings.ContainsFunc(k, isHan) && strings.Contains(clause, k) {
			return true, true
		}
	}
	padded := " " + strings.Join(strings.FieldsFunc(fold(clause), notLetterOrDigit), " ") + " "
	for _, k := range stayPhrases {
		if strings.Contains(padded, " "+k+" ") {
			return true, true
		}
	}
	for _, k := range keepPhrases {
		if strings.Contains(padded, " "+k+" ") {
			return true, false
		}
	}
	return false, false
}

// splitVariant separates "Linen Dress - Blue / M" into title and variant.
func splitVariant(it orders.LineItem) (title, variant string) {
	name := it.Name
	if it.Product != nil && it.Product.Title != "" && strings.HasPrefix(name, it.Product.Title) {
		return it.Product.Title, strings.TrimPrefix(name, it.Product.Title)
	}
	if i := strings.LastIndex(name, " - "); i > 0 {
		return name[:i], name[i+3:]
	}
	return name, ""
}

var titleStopwords = map[string]bool{"the": true, "and": true, "with": true, "for": true, "set": true, "size": true, "pack": true}

func significantWords(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(fold(s), notLetterOrDigit) {
		if len(w) >= 3 && !titleStopwords[w] {
			out = append(out, w)
		}
	}
	return out
}

// namesWord tells how surely a clause names the title word w: 1 by the word itself
// (or its plural), in English as the catalogue writes it or by one of its words in the
// customer's language (itemwords.toml); less by a word that only shares its stem or
// ends a compound with it ("Steppjacke", and "overshirt" for a "shirt"); 0 not at all.
func namesWord(words map[string]bool, clause, w string) float64 {
	best := matchesWord(words, w)
	for _, syn := range productWords()[w] {
		if strings.ContainsFunc(syn, isHan) {
			if strings.Contains(clause, syn) {
				return 1
			}
			continue
		}
		best = max(best, matchesWord(words, syn))
	}
	return best
}

// stemMatch is what a stem or compound match counts for beside a word's own.
const stemMatch = 0.75

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

//go:embed itemwords.toml
var itemWordsTOML []byte

// productWords is itemwords.toml: a product word -> the other words of its lines, in
// the customers' languages, folded.
var productWords = sync.OnceValue(func() map[string][]string {
	var f struct {
		Words map[string][]string `toml:"words"`
	}
	if _, err := toml.Decode(string(itemWordsTOML), &f); err != nil {
		// TestItemWords holds the file valid; a broken one names items in English only.
		return nil
	}
	// The words of one line name each other: a catalogue may be written in French
	// ("Boucles d'oreilles Lune") and the customer write "earrings".
	out := make(map[string][]string, len(f.Words))
	for en, list := range f.Words {
		group := []string{fold(en)}
		for _, w := range list {
			group = append(group, fold(w))
		}
		for _, w := range group {
			for _, other := range group {
				if other != w && !slices.Contains(out[w], other) {
					out[w] = append(out[w], other)
				}
			}
		}
	}
	return out
})

// matchesWord tells whether the customer's words name the title word w: the word
// itself or its plural (1), or, as customers name products in their own language, a
// word that shares its first five letters ("Jacke" for a "Jacket", "robe" for
// "robes") or ends a compound with it ("Steppjacke") (stemMatch).
func matchesWord(words map[string]bool, w string) float64 {
	if words[w] || words[w+"s"] || words[w+"es"] || (len(w) > 4 && words[strings.TrimSuffix(w, "s")]) {
		return 1
	}
	if len(w) < stemLetters {
		return 0
	}
	for cw := range words {
		if len(cw) >= stemLetters && (sharesStem(cw, w) || len(cw) > len(w) && strings.HasSuffix(cw, w[:stemLetters])) {
			return stemMatch
		}
	}
	return 0
}

// stemLetters is how many first letters make two words one product word.
const stemLetters = 5

func sharesStem(a, b string) bool {
	return len(a) >= stemLetters && len(b) >= stemLetters && a[:stemLetters] == b[:stemLetters] &&
		max(len(a), len(b))-stemLetters <= 3
}

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.FieldsFunc(fold(s), notLetterOrDigit) {
		m[w] = true
	}
	return m
}

func notLetterOrDigit(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

var accentFolder = transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)

// fold lower-cases and strips accents, so "Écharpe" matches "echarpe".
func fold(s string) string {
	out, _, err := transform.String(accentFolder, strings.ToLower(s))
	if err != nil {
		return strings.ToLower(s)
	}
	return out
}

// mentionsPostcode reports whether text contains the postcode, ignoring case, spaces
// and dashes ("1071 AB", "1071ab", "1071-AB").
func mentionsPostcode(text, zip string) bool {
	z := compactAlnum(zip)
	if len(z) < 3 {
		return false
	}
	// Compare within runs of letters, digits, spaces and dashes so a postcode split by
	// a space still matches, but digits of unrelated numbers are not glued together.
	for _, run := range strings.FieldsFunc(text, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == ' ' || r == '-')
	}) {
		c := compactAlnum(run)
		for i := strings.Index(c, z); i >= 0; {
			before := i == 0 || !isDigit(c[i-1]) || !isDigit(z[0])
			after := i+len(z) == len(c) || !isDigit(c[i+len(z)]) || !isDigit(z[len(z)-1])
			if before && after {
				return true
			}
			next := strings.Index(c[i+1:], z)
			if next < 0 {
				break
			}
			i += 1 + next
		}
	}
	return false
}

func compactAlnum(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }
