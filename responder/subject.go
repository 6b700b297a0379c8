package responder

import "regexp"

// replyPrefix matches the reply markers mail clients put before a subject: English
// "Re:"/"RE:", German "AW:"/"Antw:", Dutch "Antw:", French "Réf :"/"RE :", Nordic
// "SV:"/"VS:", Italian "R:"/"RIF:", Polish "Odp:", Turkish "Ynt:", Portuguese "Res:",
// Chinese "回复:", with counters such as "Re[2]:" or "Re(2):". Forward markers
// ("Fwd:", "WG:", "TR:", "RV:") are not replies: "Re: Fwd: x" is right.
var replyPrefix = regexp.MustCompile(`(?i)^(re|aw|antw|antwort|sv|vs|r|rif|odp|ynt|res|réf|rép|回复|答复|回覆)\s*(\[\d+\]|\(\d+\)|\^\d+)?\s*\.?\s*[:：]`)

// DefaultSubject is the reply subject when the customer's mail had none.
const DefaultSubject = "Re: your message"

// Subject returns the subject of a reply to a mail whose subject was original:
// "Re: " + original, unless original already starts with a reply marker, in which
// case it is kept as it is rather than stacked ("Re: AW: x"). Line breaks and other
// control characters become spaces, so the result is always safe as a header value.
func Subject(original string) string {
	s := singleLine(original)
	if s == "" {
		return DefaultSubject
	}
	if replyPrefix.MatchString(s) {
		return s
	}
	return "Re: " + s
}
