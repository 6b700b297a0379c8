package parser

import (
	"regexp"
	"strings"
)

// FreshText returns what the sender wrote in this mail: text without quoted
// lines ('>'), reply attributions and the history after them, forwarded or
// Outlook-style original-message blocks, the signature after "-- " and mobile
// "Sent from my ..." footers, in English, German, Dutch, French, Spanish, Italian and
// Portuguese, and the secure-mail services' own.
//
// Quoted lines are removed wherever they are, so bottom-posted and interleaved
// replies keep the customer's words between the quotes. An attribution followed
// by '>' lines only marks a quote; followed by unmarked text (what HTML mailers
// and Outlook produce) it starts the history and everything after it is cut.
// A mail that starts with forwarded or unmarked history (a forward without
// comment, an HTML bottom-post) would lose everything; it is returned whole,
// with quote marks removed. A reply that only quotes gives "": the sender
// wrote nothing.
func FreshText(text string) string {
	lines := strings.Split(strings.ReplaceAll(text, "\u00a0", " "), "\n")
	out := make([]string, 0, len(lines))
	history := false // the scan stopped at quoted history, not at a signature
scan:
	for i := 0; i < len(lines); i++ {
		line := strings.TrimRight(lines[i], " \t\r")
		t := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(t, ">"):
			continue
		case lines[i] == "-- " || line == "--" || mobileFooter.MatchString(t):
			break scan
		case historySeparator.MatchString(t) || headerBlockAt(lines, i) ||
			underscoreLine.MatchString(t) && headerBlockAt(lines, nextNonBlank(lines, i+1)):
			history = true
			break scan
		}
		if n, strong := attributionAt(lines, i); n > 0 {
			j := nextNonBlank(lines, i+n)
			if j < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[j]), ">") {
				i += n - 1 // the attribution of a '>' quote: drop it, keep reading
				continue
			}
			if strong || j >= len(lines) {
				history = j < len(lines)
				break scan
			}
		}
		out = append(out, line)
	}
	fresh := tidyLines(out)
	if fresh == "" && history {
		return unquote(text)
	}
	return fresh
}

// attributionAt reports whether a reply attribution ("On ... wrote:") starts at
// line i, possibly wrapped over up to three lines, and how many lines it takes.
// strong attributions (the dated forms mailers write) also start unmarked
// history; the bare "<name> wrote:" form only counts before '>' lines.
func attributionAt(lines []string, i int) (n int, strong bool) {
	first := strings.TrimSpace(lines[i])
	if first == "" || len(first) > 300 {
		return 0, false
	}
	joined := first
	for k := 0; k < 3 && i+k < len(lines); k++ {
		if k > 0 {
			next := strings.TrimSpace(lines[i+k])
			if next == "" || strings.HasPrefix(next, ">") {
				return 0, false
			}
			joined += " " + next
		}
		if len(joined) > 400 {
			return 0, false
		}
		if !strings.HasSuffix(joined, ":") {
			continue // every attribution ends with a colon; spare the regexps
		}
		if datedAttribution.MatchString(joined) {
			return k + 1, true
		}
		if k == 0 && bareAttribution.MatchString(joined) {
			return 1, false
		}
	}
	return 0, false
}

var (
	// datedAttribution is the "On <date>, <name> wrote:" line of common mailers.
	datedAttribution = regexp.MustCompile(`(?i)^(` +
		`on\s.{4,300}\swrote\s?:` + // en
		`|am\s.{4,300}\sschrieb\b.{0,250}:` + // de: Am 3. März 2026 um 10:00 schrieb X:
		`|.{2,250}\sschrieb\sam\s.{4,250}:` + // de: X schrieb am 03.03.2026:
		`|op\s.{4,300}\sschreef\b.{0,250}:` + // nl: Op 3 mrt. 2026 om 10:00 schreef X:
		`|.{2,250}\sschreef\sop\s.{4,250}:` + // nl: X schreef op 3 maart 2026:
		`|le\s.{4,300}\sa\s[ée]crit\s?:` + // fr: Le 3 mars 2026 à 10:00, X a écrit :
		`|el\s.{4,300}\sescribi[óo]\s?:` + // es: El 3 mar 2026, a las 10:00, X escribió:
		`|il\s.{4,300}\sha\sscritto\s?:` + // it: Il giorno lun 3 mar 2026 alle 10:00 X ha scritto:
		`|(em|no\sdia)\s.{4,300}\sescreveu\s?:` + // pt: Em seg., 3 de mar. de 2026 às 10:00, X escreveu:
		`)$`)
	// bareAttribution is "<name> wrote:" without a date.
	bareAttribution = regexp.MustCompile(`(?i)^.{1,200}\s(wrote|writes|schrieb|schreef|a\s[ée]crit|escribi[óo]|ha\sscritto|escreveu)\s?:$`)

	// historySeparator starts a forwarded or Outlook-quoted original.
	historySeparator = regexp.MustCompile(`(?i)^(` +
		`-{2,}\s*(original message|ursprüngliche nachricht|original-nachricht|oorspronkelijk bericht|` +
		`message d'origine|message d’origine|mensaje original|forwarded message|weitergeleitete nachricht|` +
		`doorgestuurd bericht|message transféré|mensaje reenviado|messaggio originale|messaggio inoltrato|` +
		`mensagem original|mensagem encaminhada)\s*-{2,}` +
		`|begin forwarded message\s?:|anfang der weitergeleiteten nachricht\s?:|begin doorgestuurd bericht\s?:` +
		`|début du message réexpédié\s?:|inicio del mensaje reenviado\s?:` +
		`)$`)

	underscoreLine = regexp.MustCompile(`^_{20,}$`)

	headerFrom = regexp.MustCompile(`(?i)^\*?(from|von|van|de|da)\s?:\*?\s*\S`)
	headerNext = regexp.MustCompile(`(?i)^\*?(sent|date|to|cc|subject|gesendet|datum|an|betreff|verzonden|aan|onderwerp|envoyé|à|objet|enviado|fecha|para|asunto|` +
		`inviato|data|a|oggetto|assunto)\s?:`)

	mobileFooter = regexp.MustCompile(`(?i)^(` +
		`sent from my .{2,40}|sent from (outlook|mail|yahoo|gmail|samsung|aol).{0,40}|sent via .{2,40}|` +
		`get outlook for .{2,20}|` +
		`von meinem .{2,40} gesendet|gesendet von meinem .{2,40}|gesendet (von|mit) (outlook|mail|yahoo|gmx|web\.de).{0,40}|` +
		`outlook für .{2,20} herunterladen|` +
		`(verzonden|verstuurd) (vanaf|van|met) mijn .{2,40}|(verzonden|verstuurd) (vanaf|van|met) (outlook|mail|yahoo).{0,40}|` +
		`outlook voor .{2,20} downloaden|` +
		`envoyé (de|depuis) mon .{2,40}|envoyé (de|depuis) (outlook|mail|yahoo).{0,40}|télécharger outlook pour .{2,20}|` +
		`enviado desde mi .{2,40}|enviado desde (outlook|yahoo|correo).{0,40}|obtener outlook para .{2,20}|` +
		`inviato da(l mio| mio)? .{2,40}|scarica outlook per .{2,20}|enviado (do|de|pelo) (meu |o )?.{2,40}|obter o outlook para .{2,20}|` +
		// Secure-mail services sign every mail in the customer's language:
		// "Verzonden met Proton Mail beveiligde e-mail", "Mit Tuta gesendet".
		`(sent|verzonden|verstuurd|gesendet|mit|envoyé|enviado|inviato) .{0,40}\b(proton ?mail|tuta(nota)?)\b.{0,50}` +
		`)\.?$`)
)

// headerBlockAt reports whether an Outlook-style header block ("From: ...",
// then "Sent:", "To:" or "Subject:" within a few lines) starts at line i.
func headerBlockAt(lines []string, i int) bool {
	if i >= len(lines) || !headerFrom.MatchString(strings.TrimSpace(lines[i])) {
		return false
	}
	for k := i + 1; k < len(lines) && k <= i+5; k++ {
		if headerNext.MatchString(strings.TrimSpace(lines[k])) {
			return true
		}
	}
	return false
}

func nextNonBlank(lines []string, i int) int {
	for i < len(lines) && strings.TrimSpace(lines[i]) == "" {
		i++
	}
	return i
}

// tidyLines drops leading and trailing blank lines and keeps at most one blank
// line in a row.
func tidyLines(lines []string) string {
	out := make([]string, 0, len(lines))
	blank := true
	for _, l := range lines {
		b := strings.TrimSpace(l) == ""
		if b && blank {
			continue
		}
		blank = b
		out = append(out, l)
	}
	for len(out) > 0 && strings.TrimSpace(out[len(out)-1]) == "" {
		out = out[:len(out)-1]
	}
	return strings.Join(out, "\n")
}

// unquote removes quote marks from every line.
func unquote(text string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		t := strings.TrimLeft(l, " ")
		if strings.HasPrefix(t, ">") {
			lines[i] = strings.TrimLeft(t, "> ")
		}
	}
	return tidyLines(lines)
}

// OwnForwardedText returns the body of the first forwarded or quoted original in text
// whose header block ("From: ...", "Sent:", "Subject:") or reply attribution ("On …,
// <sender> wrote:") names sender: the sender's own
// earlier mail ("I sent the note below to the wrong address"), quote marks removed,
// up to the next history block. "" when there is none.
func OwnForwardedText(text, sender string) string {
	sender = strings.ToLower(strings.TrimSpace(sender))
	// Most mail never names its sender in the body: no header block to look for.
	if sender == "" || !containsAnyFold(text, []string{sender}) {
		return ""
	}
	lines := strings.Split(unquote(strings.ReplaceAll(text, "\u00a0", " ")), "\n")
	for i := 0; i < len(lines); i++ {
		var j int
		if n, _ := attributionAt(lines, i); n > 0 && strings.Contains(strings.ToLower(strings.Join(lines[i:i+n], " ")), sender) {
			// "Le 16 mars 2026 à 21:47, Élodie <elodie@…> a écrit :" above her quote.
			j = i + n
		} else {
			t := strings.TrimSpace(lines[i])
			if !headerBlockAt(lines, i) || !strings.Contains(strings.ToLower(t), sender) {
				continue
			}
			// Skip the header block: its lines, then the blank line after it.
			j = i + 1
			for j < len(lines) && headerNext.MatchString(strings.TrimSpace(lines[j])) {
				j++
			}
		}
		var body []string
		for ; j < len(lines); j++ {
			t := strings.TrimSpace(lines[j])
			if historySeparator.MatchString(t) || headerBlockAt(lines, j) || mobileFooter.MatchString(t) {
				break
			}
			if n, _ := attributionAt(lines, j); n > 0 {
				break
			}
			body = append(body, strings.TrimRight(lines[j], " \t\r"))
		}
		return tidyLines(body)
	}
	return ""
}
