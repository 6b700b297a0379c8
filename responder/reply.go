package responder

import (
	"bytes"
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"sort"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// ErrUnsafeHeader is returned by Reply.Bytes when a header value holds a line break
// or another control character: written as it is, it could add headers of its own.
var ErrUnsafeHeader = errors.New("header value contains a line break or control character")

// Reply is one outgoing mail: a reply to a customer, a reminder or a staff mail.
// Message IDs (MessageID, InReplyTo, References) are bare, without angle brackets,
// as NewMessageID and ReplyReferences return them; bracketed ones are accepted too.
type Reply struct {
	From, To   mail.Address
	Subject    string
	InReplyTo  string    // empty for a mail that starts a thread (staff escalations)
	References []string  // oldest first, see ReplyReferences
	MessageID  string    // required, see NewMessageID
	Date       time.Time // required: the caller's clock, so replays are reproducible
	Language   string    // Content-Language, e.g. "de"; may be empty
	Body       string    // plain text, as Renderer.Render returns it
	// Headers are extra header fields, e.g. X-Returnsdesk-Store, X-Returnsdesk-RAN.
	// The fields Bytes writes itself cannot be set here, except Auto-Submitted,
	// which may be "auto-generated" (RFC 3834) for the scheduled mails instead of
	// the default "auto-replied".
	Headers map[string]string
}

// reservedHeaders are written by Bytes from the Reply's fields (or must never be
// sent, like Bcc); Headers cannot set them.
var reservedHeaders = map[string]bool{
	"from": true, "sender": true, "reply-to": true, "to": true, "cc": true, "bcc": true,
	"subject": true, "date": true, "message-id": true, "in-reply-to": true, "references": true,
	"mime-version": true, "content-type": true, "content-transfer-encoding": true,
	"content-language": true, "return-path": true, "x-auto-response-suppress": true,
}

var languageTag = regexp.MustCompile(`^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$`)

// Bytes renders the reply as a complete MIME message: a single text/plain UTF-8
// quoted-printable part, Auto-Submitted and X-Auto-Response-Suppress (against mail
// loops), In-Reply-To and References for threading, non-ASCII names and subjects
// RFC 2047-encoded. Call it once and use the same bytes for sending and for the
// copy in Sent. Any header value with CR, LF or another control character is
// refused with ErrUnsafeHeader.
func (r Reply) Bytes() ([]byte, error) {
	msg, err := r.message()
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.Grow(len(r.Body) + 1024)
	if _, err := msg.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("write reply: %w", err)
	}
	return buf.Bytes(), nil
}

// message checks every header value and builds the go-mail message.
func (r Reply) message() (*gomail.Msg, error) {
	from, err := checkAddress("From", r.From)
	if err != nil {
		return nil, err
	}
	to, err := checkAddress("To", r.To)
	if err != nil {
		return nil, err
	}
	if err := checkHeaderValue("Subject", r.Subject); err != nil {
		return nil, err
	}
	if strings.TrimSpace(r.Subject) == "" {
		return nil, errors.New("reply: empty subject")
	}
	if r.Date.IsZero() {
		return nil, errors.New("reply: no date")
	}
	id, ok := bareMessageID(r.MessageID)
	if !ok || !strings.Contains(id, "@") {
		return nil, fmt.Errorf("reply: invalid Message-ID %q", r.MessageID)
	}
	if r.Language != "" && !languageTag.MatchString(r.Language) {
		return nil, fmt.Errorf("reply: invalid language %q", r.Language)
	}

	msg := gomail.NewMsg(
		gomail.WithCharset(gomail.CharsetUTF8),
		gomail.WithEncoding(gomail.EncodingQP),
		gomail.WithNoDefaultUserAgent(),
	)
	msg.SetAddrHeaderFromMailAddress(gomail.HeaderFrom, from)
	msg.SetAddrHeaderFromMailAddress(gomail.HeaderTo, to)
	msg.Subject(r.Subject)
	msg.SetMessageIDWithValue(id)
	msg.SetDateWithValue(r.Date)
	// A customer's client may send sloppy IDs; an unusable one is left out rather
	// than failing the reply, but a line break is an attack and is refused.
	if err := checkHeaderValue("In-Reply-To", r.InReplyTo); err != nil {
		return nil, err
	}
	if parent, ok := bareMessageID(r.InReplyTo); ok {
		msg.SetGenHeader(gomail.HeaderInReplyTo, "<"+parent+">")
	}
	var refs []string
	for _, ref := range r.References {
		if err := checkHeaderValue("References", ref); err != nil {
			return nil, err
		}
		for _, id := range splitMessageIDs(ref) {
			refs = append(refs, "<"+id+">")
		}
	}
	if len(refs) > 0 {
		// One value: go-mail joins several values with ", ", which is wrong here.
		msg.SetGenHeader(gomail.HeaderReferences, strings.Join(refs, " "))
	}
	if r.Language != "" {
		msg.SetGenHeader(gomail.HeaderContentLang, r.Language)
	}
	msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-replied")
	msg.SetGenHeader(gomail.HeaderXAutoResponseSuppress, "All")
	if err := setExtraHeaders(msg, r.Headers); err != nil {
		return nil, err
	}
	body := r.Body
	if !strings.HasSuffix(body, "\n") {
		body += "\n"
	}
	msg.SetBodyString(gomail.TypeTextPlain, body)
	return msg, nil
}

// setExtraHeaders adds Reply.Headers in a stable order.
func setExtraHeaders(msg *gomail.Msg, headers map[string]string) error {
	names := make([]string, 0, len(headers))
	for name := range headers {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		value := headers[name]
		if !validFieldName(name) {
			return fmt.Errorf("reply: invalid header name %q", name)
		}
		lower := strings.ToLower(name)
		if reservedHeaders[lower] {
			return fmt.Errorf("reply: header %s is set from the reply's fields", name)
		}
		if lower == "auto-submitted" {
			if value != "auto-replied" && value != "auto-generated" {
				return fmt.Errorf("reply: Auto-Submitted must be auto-replied or auto-generated, not %q", value)
			}
			name = "Auto-Submitted"
		}
		if err := checkHeaderValue(name, value); err != nil {
			return err
		}
		msg.SetGenHeader(gomail.Header(name), value)
	}
	return nil
}

// checkAddress refuses addresses that are empty, unparsable or carry control
// characters in the display name.
func checkAddress(field string, a mail.Address) (*mail.Address, error) {
	if err := checkHeaderValue(field, a.Name); err != nil {
		return nil, err
	}
	if err := checkHeaderValue(field, a.Address); err != nil {
		return nil, err
	}
	if a.Address == "" {
		return nil, fmt.Errorf("reply: no %s address", field)
	}
	parsed, err := mail.ParseAddress("<" + a.Address + ">")
	if err != nil || parsed.Address != a.Address {
		return nil, fmt.Errorf("reply: invalid %s address %q", field, a.Address)
	}
	return &mail.Address{Name: a.Name, Address: a.Address}, nil
}

// checkHeaderValue refuses CR, LF and other control characters (tab is allowed).
func checkHeaderValue(field, v string) error {
	for _, r := range v {
		if r == '\t' {
			continue
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029' {
			return fmt.Errorf("reply: %s %q: %w", field, v, ErrUnsafeHeader)
		}
	}
	return nil
}

// validFieldName reports whether name is an RFC 5322 field name: printable ASCII
// without spaces or colons.
func validFieldName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c <= ' ' || c >= 0x7f || c == ':' {
			return false
		}
	}
	return true
}
