package parser

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Ranks of order-number candidates, best first.
const (
	rankExplicit = iota // the store's prefix, or '#'/an order word for prefix-less stores
	rankKeyword         // digits after '#' or an order word, for a store with a prefix
	rankBare            // a lone number of the right length (prefix-less stores only)
)

// orderWords introduce an order number in the five languages. The filler after
// them ("number", "nr.", "n°", ":", "is") may repeat.
var orderNumberContext = regexp.MustCompile(`(?i)(?:^|[^\p{L}\p{N}])(?:` +
	`orders?|order-?number|ordernummer|bestellung|bestellnummer|bestell-?nr|auftrag|auftragsnummer|auftrags-?nr|` +
	`bestelling|bestelnummer|commande|cde|pedido|orden|n\.?[°º]|nr|no|订单号?|订单编号` +
	`)(?:\s*(?:number|nummer|numéro|numero|número|num|nr|no|n\.?[°º]|id|is|ist|est|es|de|du|mijn|my|meine|ma|mon|mi|是|:|：|#|\.|-))*\s*$`)

// FindOrderNumbers returns the order numbers in text that fit the store's
// pattern, in canonical form: the prefix upper-cased followed by the digits
// ("AL204518"; just the digits when the store has no prefix). Best candidates
// come first: the store's prefix (or, without a prefix, '#' or an order word
// such as "order", "Bestellung", "commande", "pedido", "n°") before digits that
// only follow an order word, before bare numbers. A bare number is a last
// resort, offered only for prefix-less stores, and never when it looks like a
// year, a price, a phone number, a postcode or a piece of a longer number.
// The digit count must lie within MinDigits..MaxDigits.
func FindOrderNumbers(text string, p OrderPattern) []string {
	if p.MinDigits <= 0 || p.MaxDigits < p.MinDigits {
		return nil
	}
	prefix := strings.ToUpper(strings.TrimSpace(p.Prefix))
	masked := maskTracking(text)

	type candidate struct {
		number string
		rank   int
		pos    int
	}
	var cands []candidate
	runs := digitRuns(masked)
	for _, run := range runs {
		digits := masked[run.start:run.end]
		if len(digits) < p.MinDigits || len(digits) > p.MaxDigits {
			continue
		}
		// Context checks look at a bounded window: the regexps anchored at the
		// end of "before" would otherwise rescan the whole text for every run.
		before := tail(masked[:run.start], 80)
		after := head(masked[run.end:], 40)
		if followsLetterOrDigit(after) || decimalAfter(after) {
			continue
		}
		rank := -1
		if prefix != "" {
			if hasPrefixBefore(before, prefix) {
				rank = rankExplicit
			} else if !precededByAlnum(before) && hasOrderContext(before) {
				rank = rankKeyword
			}
		} else if !precededByAlnum(before) {
			switch {
			case hasOrderContext(before):
				rank = rankExplicit
			case looksBare(before, after, digits):
				rank = rankBare
			}
		}
		if rank < 0 || looksLikePrice(before, after) || rank != rankExplicit && looksLikeDate(before, after, digits) {
			continue
		}
		cands = append(cands, candidate{number: prefix + digits, rank: rank, pos: run.start})
	}
	// Digits split into groups ("LW 58 214", "order 102 34"): joined, but only where
	// the prefix or an order word says this is the order number.
	for i := range runs {
		digits, end := masked[runs[i].start:runs[i].end], runs[i].end
		before := tail(masked[:runs[i].start], 80)
		for j := i + 1; j < len(runs) && j <= i+2 && groupSeparator(masked[end:runs[j].start]); j++ {
			digits += masked[runs[j].start:runs[j].end]
			end = runs[j].end
			if len(digits) < p.MinDigits || len(digits) > p.MaxDigits || followsLetterOrDigit(head(masked[end:], 4)) {
				continue
			}
			switch {
			case prefix != "" && hasPrefixBefore(before, prefix):
				cands = append(cands, candidate{number: prefix + digits, rank: rankExplicit, pos: runs[i].start})
			case !precededByAlnum(before) && hasOrderContext(before):
				cands = append(cands, candidate{number: prefix + digits, rank: rankKeyword, pos: runs[i].start})
			}
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].rank < cands[j].rank })
	var out []string
	seen := map[string]bool{}
	for _, c := range cands {
		if !seen[c.number] {
			seen[c.number] = true
			out = append(out, c.number)
		}
	}
	return out
}

// FindMistypedOrderNumber returns the first number in text that the store's prefix
// introduces with one digit too few or too many ("LX10405" for a six-digit store), in
// canonical form, or "". The customer gave an order number, mistyped: it is looked up
// and found by none (SPEC: order_not_found), never taken for no number at all.
func FindMistypedOrderNumber(text string, p OrderPattern) string {
	prefix := strings.ToUpper(strings.TrimSpace(p.Prefix))
	if prefix == "" || p.MinDigits <= 1 {
		return ""
	}
	masked := maskTracking(text)
	for _, run := range digitRuns(masked) {
		digits := masked[run.start:run.end]
		if len(digits) != p.MinDigits-1 && len(digits) != p.MaxDigits+1 {
			continue
		}
		after := head(masked[run.end:], 40)
		if hasPrefixBefore(tail(masked[:run.start], 80), prefix) && !followsLetterOrDigit(after) && !decimalAfter(after) {
			return prefix + digits
		}
	}
	return ""
}

// groupSeparator reports whether sep joins two digit groups of one number.
func groupSeparator(sep string) bool { return sep == " " || sep == "-" || sep == "." }

// tail returns the last n bytes of s, moved forward to a rune boundary.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := len(s) - n
	for i < len(s) && !utf8.RuneStart(s[i]) {
		i++
	}
	return s[i:]
}

// head returns the first n bytes of s, cut back to a rune boundary.
func head(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// maskTracking blanks tracking numbers so that their digits are not taken for
// order numbers; offsets are kept.
func maskTracking(text string) string {
	spans := findTrackingSpans(text)
	if len(spans) == 0 {
		return text
	}
	b := []byte(text)
	for _, s := range spans {
		for i := s.start; i < s.end; i++ {
			if b[i] != ' ' {
				b[i] = 'x'
			}
		}
	}
	return string(b)
}

type span struct{ start, end int }

// digitRuns finds runs of ASCII digits.
func digitRuns(s string) []span {
	var runs []span
	start := -1
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] >= '0' && s[i] <= '9' {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			runs = append(runs, span{start, i})
			start = -1
		}
	}
	return runs
}

// hasPrefixBefore reports whether the store prefix ends right before the digits,
// possibly with one separator ("AL204518", "AL-204518", "AL 204518", "#AL-204518"),
// and is not the end of a longer word ("PAL204518", "ALS10482" for prefix "AL"
// has "S" in between and does not match).
func hasPrefixBefore(before, prefix string) bool {
	b := strings.TrimRight(before, " ")
	if r, size := utf8.DecodeLastRuneInString(b); strings.ContainsRune("-_.#/:–", r) {
		b = strings.TrimRight(b[:len(b)-size], " ")
	}
	if len(b) < len(prefix) || !strings.EqualFold(b[len(b)-len(prefix):], prefix) {
		return false
	}
	return !precededByAlnum(b[:len(b)-len(prefix)])
}

// hasOrderContext reports whether an order word, '#' or "n°" leads up to the digits.
func hasOrderContext(before string) bool {
	t := strings.TrimRight(before, " \t")
	if strings.HasSuffix(t, "#") {
		return !precededByAlnum(strings.TrimSuffix(t, "#"))
	}
	w := tail(before, 48)
	return containsAnyFold(w, orderContextHints) && orderNumberContext.MatchString(w)
}

func precededByAlnum(before string) bool {
	r, _ := utf8.DecodeLastRuneInString(before)
	return r != utf8.RuneError && wordRune(r)
}

func followsLetterOrDigit(after string) bool {
	r, _ := utf8.DecodeRuneInString(after)
	return r != utf8.RuneError && wordRune(r)
}

// wordRune reports whether r continues a word an order number could be part of.
// Chinese and Japanese are written without spaces, so their characters are word
// boundaries here: "订单AL-204518的" holds the order number AL-204518.
func wordRune(r rune) bool {
	if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) {
		return false
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

var (
	decimalPart  = regexp.MustCompile(`^[.,]\d`)
	currencyNext = regexp.MustCompile(`(?i)^\s?(€|\$|£|¥|eur\b|euro|usd\b|gbp\b|dollar|pounds?\b|rmb\b|cny\b|yuan)`)
	currencyPrev = regexp.MustCompile(`(?i)(€|\$|£|¥|eur|usd|gbp|us\$|rmb|cny)\s?$`)
	phonePrev    = regexp.MustCompile(`(?i)(tel|phone|telefon|telefoon|téléphone|teléfono|mobile|mobil|handy|móvil|cell|fax|whatsapp)\.?\s*(number|nummer|nr|no|:)*[\s:.]*\+?[\d\s()/-]*$`)
	postcodePrev = regexp.MustCompile(`(?i)(plz|zip|postcode|post code|postal code|postleitzahl|code postal|código postal|cp|c\.p\.)\.?\s*:?\s*$`)
	cityNext     = regexp.MustCompile(`^ \p{Lu}\p{Ll}+`)
	statePrev    = regexp.MustCompile(`\b[A-Z]{2}\s$`)
	monthWord    = regexp.MustCompile(`(?i)(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mär|mai|okt|dez|mrt|mei|okt|janv|févr|mars|avr|juin|juil|août|sept|déc|ene|abr|ago|dic|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|januar|februar|märz|juni|juli|oktober|dezember|januari|februari|maart|juni|juli|augustus|oktober|janvier|février|avril|juillet|septembre|octobre|novembre|décembre)[a-zé]*\.?,?\s*(\d{1,2}(st|nd|rd|th)?,?\s*)?$`)
)

// Cheap substring tests that must pass before the context regexps run; they
// keep FindOrderNumbers fast on long texts full of numbers.
var (
	orderContextHints = []string{"#", "ord", "best", "auftrag", "comman", "cde", "pedido", "n°", "nº", "nr", "no", "订单"}
	phoneHints        = []string{"tel", "phon", "fon", "mob", "handy", "móvil", "cell", "fax", "whatsapp"}
	postcodeHints     = []string{"plz", "zip", "post", "code", "cp", "c.p"}
)

// containsAnyFold reports whether s, lower-cased, contains one of the
// lower-case words.
func containsAnyFold(s string, words []string) bool {
	s = strings.ToLower(s)
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func decimalAfter(after string) bool { return decimalPart.MatchString(after) }

func looksLikePrice(before, after string) bool {
	return currencyNext.MatchString(head(after, 12)) || currencyPrev.MatchString(tail(before, 8))
}

// looksLikeDate reports a year: 1900..2099 next to a date separator or a month name.
func looksLikeDate(before, after, digits string) bool {
	if len(digits) != 4 || !(strings.HasPrefix(digits, "19") || strings.HasPrefix(digits, "20")) {
		return false
	}
	b := strings.TrimRight(before, " ")
	if strings.HasSuffix(b, ".") || strings.HasSuffix(b, "/") || strings.HasSuffix(b, "-") ||
		strings.HasPrefix(after, "-") || strings.HasPrefix(after, "/") || monthWord.MatchString(tail(before, 24)) {
		return true
	}
	return false
}

// looksBare accepts a lone number as a last-resort order number: not a year,
// not part of a spaced or dashed number (phone, IBAN, tracking), not a postcode.
func looksBare(before, after, digits string) bool {
	if len(digits) == 4 && (strings.HasPrefix(digits, "19") || strings.HasPrefix(digits, "20")) {
		return false
	}
	if strings.HasSuffix(before, "+") {
		return false
	}
	if w := tail(before, 40); containsAnyFold(w, phoneHints) && phonePrev.MatchString(w) {
		return false
	}
	if w := tail(before, 24); containsAnyFold(w, postcodeHints) && postcodePrev.MatchString(w) {
		return false
	}
	// Digit groups: "06 12345678", "0049-170-12345".
	if len(before) >= 2 && (before[len(before)-1] == ' ' || before[len(before)-1] == '-' || before[len(before)-1] == '/') &&
		before[len(before)-2] >= '0' && before[len(before)-2] <= '9' {
		return false
	}
	if len(after) >= 2 && (after[0] == ' ' || after[0] == '-' || after[0] == '/') && after[1] >= '0' && after[1] <= '9' {
		return false
	}
	if strings.HasPrefix(after, ":") || strings.HasPrefix(after, "h") || strings.HasPrefix(after, "%") {
		return false // a time, a quantity
	}
	// A postcode before a city ("10115 Berlin", "75008 Paris") or after a US
	// state ("IL 60601").
	if cityNext.MatchString(after) && (len(before) == 0 || strings.ContainsAny(before[len(before)-1:], " \n,")) {
		line := before[strings.LastIndexByte(before, '\n')+1:]
		if strings.TrimSpace(line) == "" || strings.HasSuffix(strings.TrimSpace(line), ",") {
			return false
		}
	}
	if statePrev.MatchString(tail(before, 4)) {
		return false
	}
	return true
}
