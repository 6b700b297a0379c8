package parser

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Carriers named in TrackingNumber.Carrier.
const (
	CarrierUPS       = "ups"
	CarrierUSPS      = "usps"
	CarrierDHL       = "dhl"
	CarrierPostNL    = "postnl"
	CarrierRoyalMail = "royalmail"
	CarrierChinaPost = "chinapost"
	CarrierCainiao   = "cainiao"
	CarrierPost      = "post" // an S10 (UPU) number of another national post
)

// FindTracking returns the carrier tracking numbers in text, in order of
// appearance and without duplicates. Customers type numbers with spaces
// ("1Z 999 AA1 01 2345 6784"), so groups of letters and digits separated by
// single spaces are tried joined as well. Every format with a check digit (UPS,
// USPS IMpb, UPU S10, DHL Express) is validated; DHL's 10-digit Express numbers
// are accepted only near a word like "DHL" or "tracking", since ten digits are
// just as often a phone or order number.
func FindTracking(text string) []TrackingNumber {
	var out []TrackingNumber
	seen := map[string]bool{}
	for _, f := range findTrackingSpans(text) {
		if !seen[f.tn.Number] {
			seen[f.tn.Number] = true
			out = append(out, f.tn)
		}
	}
	return out
}

// trackingSpan is a tracking number and where it was found.
type trackingSpan struct {
	tn         TrackingNumber
	start, end int // byte offsets in the text
}

// token is a run of ASCII letters and digits.
type token struct {
	start, end int
}

// maxTrackingLen bounds joined candidates: the longest accepted format has 27
// characters (JJD and 24 digits). maxTrackingGroups bounds the groups a
// customer splits one number into ("1Z 999 AA1 01 2345 6784" has six).
const (
	maxTrackingLen    = 28
	maxTrackingGroups = 8
)

func findTrackingSpans(text string) []trackingSpan {
	return append(validatedSpans(text), introducedSpans(text)...)
}

// introducedRE finds a number the customer introduces as the tracking number
// ("Tracking is ...", "Sendungsnummer: ...", "numéro de suivi ...", "UPS 1Z..."), typed
// whole or in groups of which each holds a digit, whatever its
// carrier: many posts (Colissimo, SF Express, a courier's own format) have numbers
// without a check digit this package knows, and a mistyped check digit is still the
// customer's tracking number.
var introducedRE = regexp.MustCompile(`(?i)(?:tracking(?:\s*(?:number|no\.?|nr\.?|code|id|#))?|track\s*(?:&|and|en|\+)?\s*trace(?:\s*code)?|` +
	`sendungsnummer|sendungsverfolgung|trackingnummer|trackingcode|paketnummer|numéro de suivi|numero de suivi|n° de suivi|suivi|` +
	`número de seguimiento|numero de seguimiento|seguimiento|单号|运单号|快递单号|物流单号|` +
	`colissimo|chronopost|la poste|laposte|bpost|correos|gls|dpd|hermes|sf express|顺丰|yunexpress|` +
	`\bups|\bdhl|\bpostnl|\bfedex|\busps|royal mail|canada post|australia post|swiss post|die post)` +
	`\s*(?:is|ist|lautet|luidt|est|es|is:|:|：|=|-)?\s*(` +
	// A UPU S10 number typed in groups, its letters apart: "LZ 482 913 605 US".
	`(?-i:[A-Z]{2})[ \t\x{00a0}]?(?:[0-9][ \t\x{00a0}]?){8}[0-9][ \t\x{00a0}]?(?-i:[A-Z]{2})|` +
	`[A-Za-z0-9]{10,30}|[A-Za-z0-9]*[0-9][A-Za-z0-9]*(?:[ \t\x{00a0}][A-Za-z0-9]*[0-9][A-Za-z0-9]*){1,7})\b`)

// introducedSpans are the numbers introduced as tracking numbers, of any carrier.
func introducedSpans(text string) []trackingSpan {
	if !mayIntroduce(text) {
		return nil
	}
	var spans []trackingSpan
	for _, m := range introducedRE.FindAllStringSubmatchIndex(text, -1) {
		// Typed in groups ("9400 1118 9922 ..."), each with a digit: one number.
		cand := strings.ToUpper(strings.Join(strings.Fields(text[m[2]:m[3]]), ""))
		if len(cand) < 10 || len(cand) > 30 {
			continue
		}
		digits, letters := 0, 0
		for _, c := range cand {
			if c >= '0' && c <= '9' {
				digits++
			} else {
				letters++
			}
		}
		// Letters and digits mixed, or a long run of digits: not a word or a date.
		if digits < 6 || letters == 0 && digits < 11 {
			continue
		}
		// A number the validators take has their carrier however it was typed
		// ("PostNL3SABCD1234567" run together); one they do not, its shape's.
		carrier := classifyTracking(cand, text, m[2])
		if carrier == "" {
			carrier = carrierOf(cand)
		}
		spans = append(spans, trackingSpan{tn: TrackingNumber{Carrier: carrier, Number: cand}, start: m[2], end: m[3]})
	}
	return spans
}

// introducers hold, lower-cased, a part of every word introducedRE starts with: a
// text without any cannot match, and most mail is spared the expression's scan.
var introducers = []string{"track", "sendungs", "paketnummer", "suivi", "seguimiento", "单号", "colissimo",
	"chronopost", "post", "correos", "gls", "dpd", "hermes", "sf express", "顺丰", "yunexpress", "ups", "dhl", "fedex",
	"royal mail"}

func mayIntroduce(text string) bool {
	lower := strings.ToLower(text)
	for _, w := range introducers {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}

// carrierOf names the carrier of a number no validator took, where its shape says it:
// "1Z" is UPS, "JJD" DHL; otherwise the carrier is unknown ("").
func carrierOf(n string) string {
	switch {
	case strings.HasPrefix(n, "1Z"):
		return CarrierUPS
	case strings.HasPrefix(n, "JJD"):
		return CarrierDHL
	}
	return ""
}

func validatedSpans(text string) []trackingSpan {
	toks := alnumTokens(text)
	var spans []trackingSpan
	var joined []byte
	var ends [maxTrackingGroups]int // length of joined after each token
	for i := 0; i < len(toks); {
		// Join the run of space-separated tokens starting at i once; the
		// candidates are its prefixes at token boundaries.
		joined = joined[:0]
		n := 0
		for j := i; j < len(toks) && n < maxTrackingGroups; j++ {
			if j > i && !singleSpace(text[toks[j-1].end:toks[j].start]) {
				break
			}
			if len(joined)+toks[j].end-toks[j].start > maxTrackingLen {
				break
			}
			for _, c := range []byte(text[toks[j].start:toks[j].end]) {
				if c >= 'a' && c <= 'z' {
					c -= 'a' - 'A'
				}
				joined = append(joined, c)
			}
			ends[n] = len(joined)
			n++
		}
		// The longest candidate first, so that "1Z 999 AA1 ..." is taken whole
		// and not as a shorter number inside it.
		matched := false
		for k := n - 1; k >= 0; k-- {
			if ends[k] < 10 {
				break
			}
			cand := string(joined[:ends[k]])
			if carrier := classifyTracking(cand, text, toks[i].start); carrier != "" {
				spans = append(spans, trackingSpan{
					tn:    TrackingNumber{Carrier: carrier, Number: cand},
					start: toks[i].start, end: toks[i+k].end,
				})
				i += k + 1
				matched = true
				break
			}
		}
		if !matched {
			i++
		}
	}
	return spans
}

// alnumTokens splits text into runs of ASCII letters and digits. A run touching
// a non-ASCII letter is part of a word and not kept.
func alnumTokens(text string) []token {
	var toks []token
	start := -1
	for i := 0; i <= len(text); {
		var c rune = -1
		size := 1
		if i < len(text) {
			c, size = utf8.DecodeRuneInString(text[i:])
		}
		if c >= 0 && c < utf8.RuneSelf && (c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
			if start < 0 {
				start = i
			}
		} else {
			if start >= 0 && !(c >= utf8.RuneSelf && unicode.IsLetter(c)) && !precededByLetter(text, start) {
				toks = append(toks, token{start, i})
			}
			start = -1
		}
		i += size
	}
	return toks
}

func precededByLetter(text string, i int) bool {
	if i == 0 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return r >= utf8.RuneSelf && unicode.IsLetter(r)
}

// singleSpace reports whether the gap between two tokens is one space, as
// customers type inside a number (a tab or no-break space counts too).
func singleSpace(gap string) bool {
	return gap == " " || gap == "\t" || gap == "\u00a0"
}

// classifyTracking returns the carrier of a candidate (upper-case, no spaces),
// or "" when it is not a tracking number. at is the candidate's offset in text,
// for the context DHL Express numbers need.
func classifyTracking(c, text string, at int) string {
	n := len(c)
	switch {
	case n == 18 && strings.HasPrefix(c, "1Z") && allAlnum(c[2:]) && upsCheck(c):
		return CarrierUPS
	case n == 13 && isS10(c):
		switch c[11:] {
		case "US":
			return CarrierUSPS
		case "GB":
			return CarrierRoyalMail
		case "CN":
			return CarrierChinaPost
		case "NL":
			return CarrierPostNL
		case "DE":
			return CarrierDHL
		}
		return CarrierPost
	case n >= 20 && n <= 22 && allDigits(c) && c[0] == '9' && c[1] >= '2' && c[1] <= '5' && mod10Check(c):
		return CarrierUSPS
	case n == 16 && strings.HasPrefix(c, "LP") && allDigits(c[2:]):
		return CarrierCainiao
	case n >= 13 && n <= 15 && strings.HasPrefix(c, "3S") && allLetters(c[2:6]) && allDigits(c[6:]):
		return CarrierPostNL
	case n >= 13 && n <= 27 && strings.HasPrefix(c, "JJD") && allDigits(c[3:]):
		return CarrierDHL
	case n >= 12 && n <= 24 && strings.HasPrefix(c, "JVGL") && allDigits(c[4:]):
		return CarrierDHL
	case n == 20 && strings.HasPrefix(c, "00340434") && allDigits(c) && mod10Check(c):
		// DHL Paket's parcel label: an SSCC under DHL's GS1 prefix 340434.
		return CarrierDHL
	case n == 10 && allDigits(c) && c[0] != '0' && mod7Check(c) && nearTrackingWord(text, at):
		return CarrierDHL
	}
	return ""
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func allLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return s != ""
}

func allAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// isS10 validates a UPU S10 number: two letters, eight digits, a check digit
// (weights 8 6 4 2 3 5 9 7; 11 - sum mod 11, where 10 gives 0 and 11 gives 5)
// and a two-letter country code.
func isS10(c string) bool {
	if !allLetters(c[:2]) || !allDigits(c[2:11]) || !allLetters(c[11:]) {
		return false
	}
	weights := [8]int{8, 6, 4, 2, 3, 5, 9, 7}
	sum := 0
	for i, w := range weights {
		sum += int(c[2+i]-'0') * w
	}
	check := 11 - sum%11
	switch check {
	case 10:
		check = 0
	case 11:
		check = 5
	}
	return int(c[10]-'0') == check
}

// upsCheck validates the last character of a 1Z number: over the 15 characters
// after "1Z" (letters counted as (code-63) mod 10), odd positions weigh 1 and
// even positions 2.
func upsCheck(c string) bool {
	body := c[2:17]
	sum := 0
	for i := 0; i < len(body); i++ {
		v := upsValue(body[i])
		if i%2 == 1 {
			v *= 2
		}
		sum += v
	}
	check := (10 - sum%10) % 10
	return c[17] >= '0' && c[17] <= '9' && int(c[17]-'0') == check
}

func upsValue(b byte) int {
	if b >= '0' && b <= '9' {
		return int(b - '0')
	}
	return int(b-63) % 10
}

// mod10Check validates the GS1-style check digit of USPS IMpb numbers: from the
// right, excluding the check digit, digits weigh 3, 1, 3, ...
func mod10Check(c string) bool {
	sum := 0
	for i, k := len(c)-2, 0; i >= 0; i, k = i-1, k+1 {
		v := int(c[i] - '0')
		if k%2 == 0 {
			v *= 3
		}
		sum += v
	}
	return int(c[len(c)-1]-'0') == (10-sum%10)%10
}

// mod7Check validates a DHL Express waybill: the first nine digits mod 7 give
// the tenth.
func mod7Check(c string) bool {
	v := 0
	for i := 0; i < 9; i++ {
		v = v*10 + int(c[i]-'0')
	}
	return v%7 == int(c[9]-'0')
}

// trackingWords are the words that make a bare 10-digit number a DHL waybill.
var trackingWords = []string{"dhl", "tracking", "track", "waybill", "awb", "sendungsnummer",
	"sendungsverfolgung", "zendingnummer", "volgnummer", "suivi", "seguimiento", "envío", "paket", "parcel", "colis", "pakket"}

// nearTrackingWord reports whether a tracking word appears shortly before at,
// on the same or the previous line.
func nearTrackingWord(text string, at int) bool {
	start := at - 80
	if start < 0 {
		start = 0
	}
	for start > 0 && !utf8.RuneStart(text[start]) {
		start--
	}
	window := strings.ToLower(text[start:at])
	if i := strings.LastIndex(strings.TrimRight(window, "\n"), "\n\n"); i >= 0 {
		window = window[i:] // not across a paragraph break
	}
	for _, w := range trackingWords {
		if strings.Contains(window, w) {
			return true
		}
	}
	return false
}
