package parser

import (
	"mime"
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-message"
	gomail "github.com/emersion/go-message/mail"
	"github.com/emersion/go-message/textproto"
	"golang.org/x/text/encoding/charmap"
)

// readHeaderFields fills the header-derived fields of msg. Every field is read on
// its own, so one broken field never hides the others.
func readHeaderFields(msg *Message, h textproto.Header) {
	msg.MessageID = firstOf(MessageIDs(h.Get("Message-Id")))
	msg.InReplyTo = MessageIDs(h.Get("In-Reply-To"))
	msg.References = MessageIDs(strings.Join(h.Values("References"), " "))
	msg.Subject = decodeHeaderText(h.Get("Subject"))
	msg.ReturnPath = returnPath(h)
	msg.AuthResults = h.Values("Authentication-Results")

	if v := h.Get("From"); v != "" {
		if a, ok := parseFrom(v); ok {
			msg.From = a
		} else {
			msg.problem("header: unreadable From")
		}
	} else {
		msg.problem("header: no From")
	}
	msg.Recipients = recipients(h)
	if v := h.Get("Reply-To"); v != "" {
		// Only web-form relays are answered there (see desk); an unreadable one is
		// no reason to doubt the rest.
		if a, ok := parseFrom(v); ok {
			msg.ReplyTo = a
		}
	}

	if v := h.Get("Date"); v != "" {
		if t, ok := parseDate(v); ok {
			msg.Date = t
		} else {
			msg.problem("header: unreadable Date %q", truncate(v, 80))
		}
	}
}

var msgIDPattern = regexp.MustCompile(`<([^<>\s]+)>`)

// MessageIDs extracts the message identifiers of a Message-ID, In-Reply-To or
// References value, without angle brackets. Mailers that drop
// the brackets are common enough (and the IDs matter for threading) that bare
// tokens containing '@' are accepted when no bracketed ID is present.
func MessageIDs(v string) []string {
	var ids []string
	seen := map[string]bool{}
	add := func(id string) {
		id = strings.Trim(id, " \t\"',;")
		if id != "" && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	for _, m := range msgIDPattern.FindAllStringSubmatch(v, -1) {
		add(m[1])
	}
	if len(ids) == 0 {
		for _, tok := range strings.Fields(v) {
			if strings.Contains(tok, "@") {
				add(strings.Trim(tok, "<>"))
			}
		}
	}
	return ids
}

func firstOf(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

var wordDecoder = &mime.WordDecoder{CharsetReader: message.CharsetReader}

// encodedWord matches one RFC 2047 encoded word.
var encodedWord = regexp.MustCompile(`=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=`)

// decodeHeaderText decodes RFC 2047 words. When the whole value does not decode
// (one word in an unknown charset, a broken word), each word is decoded on its
// own and the undecodable ones are kept as they are. Raw 8-bit headers that are
// not UTF-8 are read as windows-1252, the usual culprit.
func decodeHeaderText(v string) string {
	if v == "" {
		return ""
	}
	s, err := wordDecoder.DecodeHeader(v)
	if err != nil {
		s = encodedWord.ReplaceAllStringFunc(v, func(w string) string {
			if d, err := wordDecoder.Decode(w); err == nil {
				return d
			}
			return w
		})
	}
	return collapseSpace(validUTF8(s))
}

// validUTF8 returns s as valid UTF-8, reading invalid input as windows-1252.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	if d, err := charmap.Windows1252.NewDecoder().String(s); err == nil && utf8.ValidString(d) {
		return d
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

func collapseSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

var addrSpec = regexp.MustCompile(`[\p{L}\p{N}!#$%&'*+/=?^_` + "`" + `{|}~.\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)*`)

// parseFrom reads a From value. net/mail is strict (unquoted dots and commas in
// names, stray brackets...), so on failure the first addr-spec in the value is
// taken and the text before it becomes the display name.
func parseFrom(v string) (mail.Address, bool) {
	if a, err := gomail.ParseAddress(v); err == nil {
		a.Name = collapseSpace(validUTF8(a.Name))
		return *a, true
	}
	if l, err := gomail.ParseAddressList(v); err == nil && len(l) > 0 {
		l[0].Name = collapseSpace(validUTF8(l[0].Name))
		return *l[0], true
	}
	text := decodeHeaderText(v)
	if loc := addrSpec.FindStringIndex(text); loc != nil {
		a := mail.Address{Address: strings.Trim(text[loc[0]:loc[1]], ".")}
		a.Name = displayName(text[:loc[0]], text[loc[1]:])
		return a, true
	}
	// "Name <local>" without a domain, as mail systems write ("<MAILER-DAEMON>").
	if i, j := strings.IndexByte(text, '<'), strings.IndexByte(text, '>'); i >= 0 && j > i {
		a := mail.Address{Address: strings.TrimSpace(text[i+1 : j]), Name: displayName(text[:i], "")}
		return a, a.Address != "" || a.Name != ""
	}
	// A bare local name ("From: mailer-daemon") still says who wrote.
	if tok := strings.Trim(text, " \t\"'"); tok != "" && !strings.ContainsAny(tok, " \t<>\"") {
		return mail.Address{Address: tok}, true
	}
	return mail.Address{}, false
}

// displayName takes the name from the text before an address, or from an
// "addr (Name)" comment after it.
func displayName(before, after string) string {
	name := before
	if i := strings.LastIndexByte(name, '<'); i >= 0 {
		name = name[:i]
	}
	if name = strings.Trim(name, " \t\"'<>,;:"); name != "" {
		return name
	}
	if i, j := strings.IndexByte(after, '('), strings.LastIndexByte(after, ')'); i >= 0 && j > i {
		return strings.TrimSpace(after[i+1 : j])
	}
	return ""
}

var recipientFields = []string{"To", "Cc", "Delivered-To", "X-Original-To"}

// recipients lists the lower-cased addresses the mail was sent to, which is how
// the desk finds the store's mailbox.
func recipients(h textproto.Header) []string {
	var out []string
	seen := map[string]bool{}
	add := func(addr string) {
		addr = strings.ToLower(strings.Trim(strings.TrimSpace(addr), "<>."))
		if addr != "" && strings.Contains(addr, "@") && !seen[addr] {
			seen[addr] = true
			out = append(out, addr)
		}
	}
	for _, key := range recipientFields {
		for _, v := range h.Values(key) {
			if l, err := gomail.ParseAddressList(v); err == nil {
				for _, a := range l {
					add(a.Address)
				}
				continue
			}
			for _, a := range addrSpec.FindAllString(decodeHeaderText(v), -1) {
				add(a)
			}
		}
	}
	return out
}

// returnPath gives "<>" for the null return path of bounces and auto-replies and
// the bare address otherwise. The topmost field is the one the last MTA wrote.
func returnPath(h textproto.Header) string {
	if !h.Has("Return-Path") {
		return ""
	}
	v := strings.TrimSpace(h.Values("Return-Path")[0])
	inner := strings.TrimSpace(strings.Trim(v, "<> \t"))
	if inner == "" {
		return "<>"
	}
	if a := addrSpec.FindString(inner); a != "" {
		return a
	}
	return inner
}

// dateLayouts are tried after net/mail.ParseDate, for the dates real mailers write.
var dateLayouts = []string{
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04 -0700",
	"Mon, 2 Jan 06 15:04:05 -0700",
	"Mon, 2 Jan 06 15:04:05 MST",
	"2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04:05 MST",
	"2 Jan 06 15:04:05 -0700",
	"Mon, 2 January 2006 15:04:05 -0700",
	"Mon 2 Jan 2006 15:04:05 -0700",
	"Mon, Jan 2 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 -0700 MST",
	"Mon, 2 Jan 2006 15:04:05",
	"2 Jan 2006 15:04:05",
	"Monday, January 2, 2006 3:04 PM",
	"Monday, January 2, 2006 3:04:05 PM -0700",
	time.ANSIC,
	time.UnixDate,
	time.RubyDate,
	time.RFC3339,
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05",
	"02.01.2006 15:04:05",
	"02.01.2006 15:04",
	"2006/01/02 15:04:05",
}

var dateComment = regexp.MustCompile(`\([^)]*\)`)

// parseDate is tolerant: comments, doubled spaces, a missing or misspelt weekday
// and zone names are all seen in the wild. A date that cannot be read gives false.
func parseDate(v string) (time.Time, bool) {
	if t, err := mail.ParseDate(v); err == nil {
		return t, true
	}
	s := collapseSpace(dateComment.ReplaceAllString(v, " "))
	s = strings.TrimRight(s, " ,.")
	candidates := []string{s}
	// Drop a weekday the layouts cannot read ("Thur,", "Mo.,", "lun.").
	if i := strings.IndexByte(s, ','); i > 0 && i < 12 {
		candidates = append(candidates, strings.TrimSpace(s[i+1:]))
	}
	for _, c := range candidates {
		if t, err := mail.ParseDate(c); err == nil {
			return t, true
		}
		for _, layout := range dateLayouts {
			if t, err := time.Parse(layout, c); err == nil {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
