package responder

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"
	"time"
)

func sampleReply() Reply {
	return Reply{
		From:       mail.Address{Name: "Lumina Wear", Address: "support@luminahelp.com"},
		To:         mail.Address{Name: "Anna Müller", Address: "anna@example.com"},
		Subject:    Subject("Rücksendung für Bestellung LW-58213 – bitte um Hilfe"),
		InReplyTo:  "<cust-2@mail.example.com>",
		References: ReplyReferences([]string{"<cust-1@mail.example.com>"}, "<cust-2@mail.example.com>"),
		MessageID:  "k3lrq7a2bc@luminahelp.com",
		Date:       time.Date(2026, 2, 3, 14, 5, 0, 0, time.FixedZone("CET", 3600)),
		Language:   "de",
		Body: "Guten Tag Anna Müller,\n\nIhre Rücksendenummer lautet: RAN-7KQ2X9PD\n\n" +
			strings.Repeat("Eine sehr lange Zeile, die quoted-printable umbrechen muss. ", 5) + "\n" +
			"=3D Gleichheitszeichen und Leerzeichen am Ende \nFrom the start of a line\n.\n",
		Headers: map[string]string{"X-Returnsdesk-Store": "lumina", "X-Returnsdesk-RAN": "RAN-7KQ2X9PD"},
	}
}

// parse reads raw with net/mail as a receiving client would.
func parse(t *testing.T, raw []byte) (*mail.Message, string) {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("ReadMessage: %v\n%s", err, raw)
	}
	body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if err != nil {
		t.Fatalf("decode body: %v", err)
	}
	return msg, strings.ReplaceAll(string(body), "\r\n", "\n")
}

func TestReplyBytesRoundTrip(t *testing.T) {
	r := sampleReply()
	raw, err := r.Bytes()
	if err != nil {
		t.Fatalf("Bytes: %v", err)
	}
	for i, line := range strings.Split(string(raw), "\r\n") {
		if len(line) > 998 {
			t.Errorf("line %d is %d octets long", i+1, len(line))
		}
		if strings.ContainsAny(line, "\r\n") {
			t.Errorf("line %d has a bare CR or LF", i+1)
		}
		for _, c := range []byte(line) {
			if c >= 0x80 {
				t.Fatalf("line %d has 8-bit data: %q", i+1, line)
			}
		}
	}
	msg, body := parse(t, raw)
	h := msg.Header

	from, err := h.AddressList("From")
	if err != nil || len(from) != 1 || *from[0] != r.From {
		t.Errorf("From = %v (%v), want %v", from, err, r.From)
	}
	to, err := h.AddressList("To")
	if err != nil || len(to) != 1 || *to[0] != r.To {
		t.Errorf("To = %v (%v), want %v", to, err, r.To)
	}
	if raw := h.Get("To"); strings.Contains(raw, "ü") || !strings.Contains(raw, "=?") {
		t.Errorf("non-ASCII display name not RFC 2047 encoded: %q", raw)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
	if err != nil || subject != r.Subject {
		t.Errorf("Subject = %q (%v), want %q", subject, err, r.Subject)
	}
	date, err := h.Date()
	if err != nil || !date.Equal(r.Date) {
		t.Errorf("Date = %v (%v), want %v", date, err, r.Date)
	}
	want := map[string]string{
		"Message-Id":                "<k3lrq7a2bc@luminahelp.com>",
		"In-Reply-To":               "<cust-2@mail.example.com>",
		"References":                "<cust-1@mail.example.com> <cust-2@mail.example.com>",
		"Auto-Submitted":            "auto-replied",
		"X-Auto-Response-Suppress":  "All",
		"Content-Language":          "de",
		"Mime-Version":              "1.0",
		"Content-Transfer-Encoding": "quoted-printable",
		"X-Returnsdesk-Store":       "lumina",
		"X-Returnsdesk-Ran":         "RAN-7KQ2X9PD",
	}
	for k, v := range want {
		if got := h.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	mediaType, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil || mediaType != "text/plain" || !strings.EqualFold(params["charset"], "utf-8") {
		t.Errorf("Content-Type = %q", h.Get("Content-Type"))
	}
	if body != r.Body {
		t.Errorf("body round trip:\n got %q\nwant %q", body, r.Body)
	}
	for _, k := range []string{"Bcc", "Cc", "User-Agent", "X-Mailer"} {
		if v := h.Get(k); v != "" {
			t.Errorf("unexpected header %s: %q", k, v)
		}
	}
}

// TestReplyBytesStable: the same Reply renders to the same bytes, so one render
// can be both sent and stored in Sent.
func TestReplyBytesStable(t *testing.T) {
	a, err := sampleReply().Bytes()
	if err != nil {
		t.Fatal(err)
	}
	b, err := sampleReply().Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Errorf("two renders differ:\n%s\n---\n%s", a, b)
	}
}

func TestReplyBytesOptionalHeaders(t *testing.T) {
	r := sampleReply()
	r.InReplyTo, r.References, r.Language, r.Headers = "", nil, "", nil
	r.Headers = map[string]string{"auto-submitted": "auto-generated"}
	raw, err := r.Bytes()
	if err != nil {
		t.Fatalf("Bytes: %v", err)
	}
	msg, _ := parse(t, raw)
	for _, k := range []string{"In-Reply-To", "References", "Content-Language"} {
		if v := msg.Header.Get(k); v != "" {
			t.Errorf("%s = %q, want none", k, v)
		}
	}
	if got := msg.Header["Auto-Submitted"]; len(got) != 1 || got[0] != "auto-generated" {
		t.Errorf("Auto-Submitted = %q, want one auto-generated", got)
	}
}

// TestReplyHeaderInjection: nothing a customer controls can add a header.
func TestReplyHeaderInjection(t *testing.T) {
	const evil = "x\r\nBcc: victim@example.org"
	tests := []struct {
		name   string
		modify func(*Reply)
	}{
		{"display name", func(r *Reply) { r.To.Name = "Anna" + evil }},
		{"display name LF", func(r *Reply) { r.To.Name = "Anna\nBcc: victim@example.org" }},
		{"from name", func(r *Reply) { r.From.Name = evil }},
		{"address", func(r *Reply) { r.To.Address = "anna@example.com" + evil }},
		{"subject", func(r *Reply) { r.Subject = "Re: hi" + evil }},
		{"subject CR only", func(r *Reply) { r.Subject = "Re: hi\rBcc: victim@example.org" }},
		{"in-reply-to", func(r *Reply) { r.InReplyTo = "<a@b>" + evil }},
		{"references", func(r *Reply) { r.References = []string{"a@b" + evil} }},
		{"message id", func(r *Reply) { r.MessageID = "a@b" + evil }},
		{"extra header value", func(r *Reply) { r.Headers = map[string]string{"X-Returnsdesk-Order": evil} }},
		{"extra header name", func(r *Reply) { r.Headers = map[string]string{"X-A\r\nBcc": "v"} }},
		{"extra header sets Bcc", func(r *Reply) { r.Headers = map[string]string{"bcc": "victim@example.org"} }},
		{"extra header sets Subject", func(r *Reply) { r.Headers = map[string]string{"Subject": "other"} }},
		{"language", func(r *Reply) { r.Language = "de" + evil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := sampleReply()
			tt.modify(&r)
			raw, err := r.Bytes()
			if err == nil {
				msg, _ := parse(t, raw)
				t.Fatalf("Bytes accepted it; Bcc = %q\n%s", msg.Header.Get("Bcc"), raw)
			}
		})
	}
	t.Run("error is ErrUnsafeHeader", func(t *testing.T) {
		r := sampleReply()
		r.To.Name = "Anna" + evil
		if _, err := r.Bytes(); !errors.Is(err, ErrUnsafeHeader) {
			t.Errorf("err = %v, want ErrUnsafeHeader", err)
		}
	})
	// The safe path: Subject() flattens the customer's subject, and names that are
	// merely odd are encoded, not refused.
	t.Run("via Subject and odd names", func(t *testing.T) {
		r := sampleReply()
		r.Subject = Subject("hi" + evil)
		r.To.Name = `Anna "the boss" <admin@example.com>, Bcc: victim@example.org`
		raw, err := r.Bytes()
		if err != nil {
			t.Fatalf("Bytes: %v", err)
		}
		msg, _ := parse(t, raw)
		if v := msg.Header.Get("Bcc"); v != "" {
			t.Errorf("Bcc header injected: %q", v)
		}
		to, err := msg.Header.AddressList("To")
		if err != nil || len(to) != 1 || to[0].Address != "anna@example.com" || to[0].Name != r.To.Name {
			t.Errorf("To = %v (%v)", to, err)
		}
		if got := msg.Header.Get("Subject"); got != "Re: hix Bcc: victim@example.org" {
			t.Errorf("Subject = %q", got)
		}
	})
}

func TestReplyBytesRejectsIncomplete(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*Reply)
	}{
		{"no from", func(r *Reply) { r.From = mail.Address{} }},
		{"no to", func(r *Reply) { r.To.Address = "" }},
		{"bad to", func(r *Reply) { r.To.Address = "not an address" }},
		{"no subject", func(r *Reply) { r.Subject = " " }},
		{"no date", func(r *Reply) { r.Date = time.Time{} }},
		{"no message id", func(r *Reply) { r.MessageID = "" }},
		{"message id without domain", func(r *Reply) { r.MessageID = "abc" }},
		{"bad auto-submitted", func(r *Reply) { r.Headers = map[string]string{"Auto-Submitted": "no"} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := sampleReply()
			tt.modify(&r)
			if _, err := r.Bytes(); err == nil {
				t.Fatal("Bytes succeeded")
			}
		})
	}
}

// TestRenderedReplyRoundTrip goes the whole way: render a body, build the mail,
// read it back.
func TestRenderedReplyRoundTrip(t *testing.T) {
	r := newBuiltinRenderer(t)
	for _, lang := range Languages {
		t.Run(lang, func(t *testing.T) {
			d := fullData("lumina", "return")
			body, used, err := r.Render("lumina", lang, "authorize_return", d)
			if err != nil {
				t.Fatal(err)
			}
			rep := sampleReply()
			rep.Body, rep.Language = body, used
			raw, err := rep.Bytes()
			if err != nil {
				t.Fatal(err)
			}
			_, got := parse(t, raw)
			if got != body {
				t.Errorf("body changed in transit:\n got %q\nwant %q", got, body)
			}
		})
	}
}

// TestReplyBytesSloppyIDs: malformed IDs from a customer's client are left out
// instead of failing the reply.
func TestReplyBytesSloppyIDs(t *testing.T) {
	r := sampleReply()
	r.InReplyTo = "<no brackets allowed <here>@x>"
	r.References = []string{"<a@x> <b@x>", "<bad id@x>", "<é@x>", "c@x"}
	raw, err := r.Bytes()
	if err != nil {
		t.Fatalf("Bytes: %v", err)
	}
	msg, _ := parse(t, raw)
	if got := msg.Header.Get("In-Reply-To"); got != "" {
		t.Errorf("In-Reply-To = %q, want none", got)
	}
	if got, want := msg.Header.Get("References"), "<a@x> <b@x> <id@x> <c@x>"; got != want {
		t.Errorf("References = %q, want %q", got, want)
	}
}
