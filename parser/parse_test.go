package parser

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func parseFixture(t *testing.T, name string) *Message {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("read fixture: %v", err)
	}
	msg, err := Parse(bytes.NewReader(raw), DefaultOptions())
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return msg
}

// want describes what a fixture must parse to; empty fields are not checked.
type want struct {
	messageID  string
	inReplyTo  []string
	from       string // "Name <addr>", or just the address when there is no name
	recipients []string
	subject    string
	date       string // RFC 3339
	returnPath string
	machine    MachineKind
	bounceOf   []string
	text       []string // substrings of Text
	notText    []string // must not be in Text
	fresh      string   // exact FreshText
	photos     int
	atts       int
	tracking   []TrackingNumber
	problems   []string // substrings, each in some Problems entry
}

func TestParseFixtures(t *testing.T) {
	tests := map[string]want{
		"plain.eml": {
			messageID:  "CAF=abc123@mail.example.de",
			from:       "Anna Muller <anna.muller@example.de>",
			recipients: []string{"support@alustoora.com", "anna.muller@example.de"},
			subject:    "Return for order #10234",
			date:       "2026-03-03T10:14:52+01:00",
			returnPath: "anna.muller@example.de",
			text:       []string{"too small"},
			tracking:   []TrackingNumber{{Carrier: "ups", Number: "1Z999AA10123456784"}},
		},
		"html-only.eml": {
			subject: "Retour commande n° ALS10482",
			text:    []string{"Bonjour,", "commande n° ALS10482 :", "- Robe bleue & ceinture", "- Sac « Lune »", "> Ancien message cité"},
			notText: []string{"ignored", "alert", "color", "<p>"},
			fresh:   "Bonjour,\n\nJe souhaite retourner ma commande n° ALS10482 :\n\n- Robe bleue & ceinture\n- Sac « Lune »\nMerci d'avance,\nJean",
		},
		"photo-base64.eml": {
			text:   []string{"De lamp uit bestelling LW-58213 is kapot aangekomen."},
			photos: 2, // the JPEG and the .HEIC sent as octet-stream; not the 308-byte logo
			atts:   3,
		},
		"qp-latin1.eml": {
			from:    "Jürgen Weiß <juergen.weiss@example.de>",
			subject: "Rücksendung Bestellung LX100233",
			text:    []string{"Sie sind zu groß.\nDie Größe passt", "Mit freundlichen Grüßen"},
		},
		"windows-1252.eml": {
			subject: "Devolución pedido LW-58213",
			text:    []string{"LW-58213 – la talla", "¿Cuánto cuesta el envío?", "“de verdad”"},
		},
		"iso-2022-jp.eml": {
			from:    "山田 <yamada@example.jp>",
			subject: "返信 AL-204518",
			text:    []string{"注文 AL-204518 を返品したいです。"},
		},
		"alternative-in-mixed.eml": {
			text:    []string{"I ordered the green scarf (LW-58213) but got a red one."},
			notText: []string{"<b>", "LW-99999", "not the customer's"},
			fresh:   "I ordered the green scarf (LW-58213) but got a red one.",
			photos:  1,
			atts:    2,
		},
		"reply-gmail-en.eml": {
			inReplyTo: []string{"bot-reply-1@alustoora.com"},
			fresh:     "Thanks, I will send it back tomorrow.",
		},
		"reply-bottom-de.eml": {
			fresh: "Die Bestellnummer ist LX100233.\n\nFoto ist im Anhang.",
		},
		"reply-outlook-nl.eml": {
			fresh:    "Hoi,\n\nHet pakket is verstuurd met PostNL: 3SABCD1234567.\n\nMet vriendelijke groet,\nJoost",
			tracking: []TrackingNumber{{Carrier: "postnl", Number: "3SABCD1234567"}},
		},
		"reply-iphone-fr.eml": {
			fresh: "Je voudrais annuler la commande ALS10482, elle n'est pas encore partie je crois.",
		},
		"reply-outlook-html-es.eml": {
			fresh: "Hola,\nel paquete se perdió, no ha llegado nunca.\nSaludos, Lucia",
		},
		"autoreply-de.eml":           {machine: AutoReply, returnPath: "<>"},
		"autoreply-subject-only.eml": {machine: AutoReply},
		"read-receipt.eml":           {machine: AutoReply, atts: 1},
		"bounce-dsn.eml": {
			machine:  Bounce,
			bounceOf: []string{"bot-reply-7@alustoora.com"},
			text:     []string{"could not\nbe delivered"},
			atts:     2, // the delivery-status and the returned headers
		},
		"bounce-inline.eml": {
			machine:  Bounce,
			bounceOf: []string{"bot-reply-9@luminahelp.com"},
		},
		"newsletter.eml": {machine: Bulk},
		"unknown-cte.eml": {
			text:     []string{"First part in an unknown encoding", "Second part still read: café."},
			problems: []string{`unknown transfer encoding "x-super-zip"`},
		},
		"unknown-cte-top.eml": {
			text:     []string{"I still want my refund"},
			problems: []string{`unknown transfer encoding "9bit"`},
		},
		"truncated.eml": {
			text:     []string{"arrived broken"},
			atts:     1,
			photos:   1, // the 2 KiB that arrived still count: the customer did send a photo
			problems: []string{"not closed"},
		},
	}
	for name, w := range tests {
		t.Run(name, func(t *testing.T) {
			checkMessage(t, parseFixture(t, name), w)
		})
	}
}

func checkMessage(t *testing.T, msg *Message, w want) {
	t.Helper()
	if w.messageID != "" && msg.MessageID != w.messageID {
		t.Errorf("MessageID = %q, want %q", msg.MessageID, w.messageID)
	}
	if w.inReplyTo != nil && !reflect.DeepEqual(msg.InReplyTo, w.inReplyTo) {
		t.Errorf("InReplyTo = %q, want %q", msg.InReplyTo, w.inReplyTo)
	}
	if w.from != "" {
		got := msg.From.Address
		if msg.From.Name != "" {
			got = msg.From.Name + " <" + msg.From.Address + ">"
		}
		if got != w.from {
			t.Errorf("From = %q, want %q", got, w.from)
		}
	}
	if w.recipients != nil && !reflect.DeepEqual(msg.Recipients, w.recipients) {
		t.Errorf("Recipients = %q, want %q", msg.Recipients, w.recipients)
	}
	if w.subject != "" && msg.Subject != w.subject {
		t.Errorf("Subject = %q, want %q", msg.Subject, w.subject)
	}
	if w.date != "" && msg.Date.Format(time.RFC3339) != w.date {
		t.Errorf("Date = %s, want %s", msg.Date.Format(time.RFC3339), w.date)
	}
	if w.returnPath != "" && msg.ReturnPath != w.returnPath {
		t.Errorf("ReturnPath = %q, want %q", msg.ReturnPath, w.returnPath)
	}
	if msg.Machine != w.machine {
		t.Errorf("Machine = %q, want %q", msg.Machine, w.machine)
	}
	if !reflect.DeepEqual(msg.BounceOf, w.bounceOf) {
		t.Errorf("BounceOf = %q, want %q", msg.BounceOf, w.bounceOf)
	}
	for _, s := range w.text {
		if !strings.Contains(msg.Text, s) {
			t.Errorf("Text lacks %q:\n%s", s, msg.Text)
		}
	}
	for _, s := range w.notText {
		if strings.Contains(msg.Text, s) {
			t.Errorf("Text contains %q:\n%s", s, msg.Text)
		}
	}
	if w.fresh != "" && msg.FreshText != w.fresh {
		t.Errorf("FreshText:\n got %q\nwant %q", msg.FreshText, w.fresh)
	}
	if msg.Photos != w.photos {
		t.Errorf("Photos = %d, want %d (attachments %+v)", msg.Photos, w.photos, msg.Attachments)
	}
	if len(msg.Attachments) != w.atts {
		t.Errorf("%d attachments, want %d: %+v", len(msg.Attachments), w.atts, msg.Attachments)
	}
	if !reflect.DeepEqual(msg.Tracking, w.tracking) {
		t.Errorf("Tracking = %+v, want %+v", msg.Tracking, w.tracking)
	}
	for _, p := range w.problems {
		if !containsProblem(msg, p) {
			t.Errorf("Problems %q lack %q", msg.Problems, p)
		}
	}
	if w.problems == nil && len(msg.Problems) > 0 {
		t.Errorf("unexpected Problems %q", msg.Problems)
	}
}

func containsProblem(msg *Message, s string) bool {
	for _, p := range msg.Problems {
		if strings.Contains(p, s) {
			return true
		}
	}
	return false
}

// The same mail with LF, CRLF and CR-only line endings parses alike.
func TestParseLineEndings(t *testing.T) {
	raw, err := os.ReadFile("testdata/reply-gmail-en.eml")
	if err != nil {
		t.Fatal(err)
	}
	lf := string(raw)
	variants := map[string]string{
		"LF":   lf,
		"CRLF": strings.ReplaceAll(lf, "\n", "\r\n"),
		"CR":   strings.ReplaceAll(lf, "\n", "\r"),
	}
	for name, v := range variants {
		t.Run(name, func(t *testing.T) {
			msg, err := Parse(strings.NewReader(v), DefaultOptions())
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			checkMessage(t, msg, want{
				messageID: "reply-en@example.com",
				subject:   "Re: Your exchange request",
				from:      "Sam Lee <sam.lee@example.com>",
				fresh:     "Thanks, I will send it back tomorrow.",
			})
			if strings.Contains(msg.Text, "\r") {
				t.Errorf("Text keeps CR: %q", msg.Text)
			}
		})
	}
}

// A mail over MaxSize keeps its headers and the body up to the limit.
func TestParseTooLarge(t *testing.T) {
	const size = 30 << 20
	head := "From: Big Sender <big@example.com>\r\nTo: support@alustoora.com\r\nSubject: huge photos\r\n" +
		"Message-ID: <big-1@example.com>\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=\"big\"\r\n\r\n" +
		"--big\r\nContent-Type: text/plain\r\n\r\nPhotos of the broken lamp attached.\r\n" +
		"--big\r\nContent-Type: image/jpeg; name=\"huge.jpg\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
	line := strings.Repeat("QUJD", 19) + "\r\n"
	r := io.MultiReader(strings.NewReader(head), &repeatReader{line: line, n: size / len(line)})

	msg, err := Parse(r, DefaultOptions())
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
	if msg == nil {
		t.Fatal("nil Message")
	}
	if msg.Size != int(DefaultOptions().MaxSize) {
		t.Errorf("Size = %d, want %d", msg.Size, DefaultOptions().MaxSize)
	}
	checkMessage(t, msg, want{
		messageID: "big-1@example.com",
		from:      "Big Sender <big@example.com>",
		subject:   "huge photos",
		text:      []string{"Photos of the broken lamp attached."},
		photos:    1,
		atts:      1,
		problems:  []string{"larger than 26214400 bytes", "not closed"},
	})
}

// repeatReader yields line n times without holding it all in memory.
type repeatReader struct {
	line string
	n    int
	off  int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	written := 0
	for written < len(p) {
		if r.n == 0 {
			if written == 0 {
				return 0, io.EOF
			}
			break
		}
		c := copy(p[written:], r.line[r.off:])
		written += c
		r.off += c
		if r.off == len(r.line) {
			r.off = 0
			r.n--
		}
	}
	return written, nil
}

func TestParseLimits(t *testing.T) {
	t.Run("parts", func(t *testing.T) {
		var b strings.Builder
		b.WriteString("From: a@example.com\nContent-Type: multipart/mixed; boundary=x\n\n")
		for i := 0; i < 50; i++ {
			b.WriteString("--x\nContent-Type: text/plain\n\npart text\n")
		}
		b.WriteString("--x--\n")
		opts := DefaultOptions()
		opts.MaxParts = 10
		msg, err := Parse(strings.NewReader(b.String()), opts)
		if err != nil {
			t.Fatalf("Parse: %v", err)
		}
		if !containsProblem(msg, "more than 10 MIME parts") {
			t.Errorf("Problems = %q", msg.Problems)
		}
		if n := strings.Count(msg.Text, "part text"); n != 9 {
			t.Errorf("read %d text parts, want 9 (10 parts with the container)", n)
		}
	})
	t.Run("depth", func(t *testing.T) {
		var b strings.Builder
		b.WriteString("From: a@example.com\n")
		const levels = 30
		for i := 0; i < levels; i++ {
			b.WriteString("Content-Type: multipart/mixed; boundary=b" + string(rune('a'+i%26)) + strings.Repeat("z", i) + "\n\n")
			b.WriteString("--b" + string(rune('a'+i%26)) + strings.Repeat("z", i) + "\n")
		}
		b.WriteString("Content-Type: text/plain\n\ndeepest text\n")
		msg, err := Parse(strings.NewReader(b.String()), DefaultOptions())
		if err != nil {
			t.Fatalf("Parse: %v", err)
		}
		if !containsProblem(msg, "nested deeper than 10 levels") {
			t.Errorf("Problems = %q", msg.Problems)
		}
		if strings.Contains(msg.Text, "deepest text") {
			t.Errorf("text below the depth limit was read")
		}
		if msg.From.Address != "a@example.com" {
			t.Errorf("From = %q", msg.From.Address)
		}
	})
	t.Run("header bytes", func(t *testing.T) {
		var b strings.Builder
		b.WriteString("From: a@example.com\nSubject: kept\n")
		for i := 0; i < 2000; i++ {
			b.WriteString("Received: from relay.example.com by relay.example.com with ESMTP id 0123456789\n")
		}
		b.WriteString("X-Late: dropped\n\nbody text\n")
		opts := DefaultOptions()
		opts.MaxHeaderBytes = 64 << 10
		msg, err := Parse(strings.NewReader(b.String()), opts)
		if err != nil {
			t.Fatalf("Parse: %v", err)
		}
		if msg.Subject != "kept" || msg.From.Address != "a@example.com" {
			t.Errorf("early fields lost: subject %q from %q", msg.Subject, msg.From.Address)
		}
		if !containsProblem(msg, "header larger than 65536 bytes") {
			t.Errorf("Problems = %q", msg.Problems)
		}
		if msg.Text != "body text" {
			t.Errorf("Text = %q, want the body after the long header", msg.Text)
		}
	})
}

func TestParseMalformed(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantErr error
		check   func(t *testing.T, msg *Message)
	}{
		{
			name:    "empty input",
			in:      "",
			wantErr: ErrMalformed,
		},
		{
			name:    "no header at all",
			in:      "just some text\nwith lines\n",
			wantErr: ErrMalformed,
			check: func(t *testing.T, msg *Message) {
				if msg.Text != "just some text\nwith lines" {
					t.Errorf("Text = %q", msg.Text)
				}
			},
		},
		{
			name: "junk line inside the header",
			in:   "From: a@example.com\nthis is junk\nSubject: still read\n\nbody",
			check: func(t *testing.T, msg *Message) {
				if msg.Subject != "still read" || msg.Text != "body" {
					t.Errorf("Subject %q Text %q", msg.Subject, msg.Text)
				}
			},
		},
		{
			name: "missing blank line after header",
			in:   "From: a@example.com\nSubject: s\nHello there,\nI want a refund.",
			check: func(t *testing.T, msg *Message) {
				if msg.Text != "Hello there,\nI want a refund." {
					t.Errorf("Text = %q", msg.Text)
				}
			},
		},
		{
			name: "multipart without boundary falls back to text",
			in:   "From: a@example.com\nContent-Type: multipart/mixed\n\nplain words\n",
			check: func(t *testing.T, msg *Message) {
				if msg.Text != "plain words" {
					t.Errorf("Text = %q", msg.Text)
				}
			},
		},
		{
			name: "broken base64 decodes what it can",
			in:   "From: a@example.com\nContent-Transfer-Encoding: base64\n\nSGVsbG8g!!d29y\nbGQ=garbage",
			check: func(t *testing.T, msg *Message) {
				if !strings.HasPrefix(msg.Text, "Hello world") {
					t.Errorf("Text = %q", msg.Text)
				}
			},
		},
		{
			name: "broken quoted-printable is lenient",
			in:   "From: a@example.com\nContent-Transfer-Encoding: quoted-printable\n\n100% =ZZ caf=C3=A9 soft=\nbreak\x01",
			check: func(t *testing.T, msg *Message) {
				if msg.Text != "100% =ZZ café softbreak\x01" {
					t.Errorf("Text = %q", msg.Text)
				}
			},
		},
		{
			name: "unknown charset keeps the bytes",
			in:   "From: a@example.com\nContent-Type: text/plain; charset=x-klingon\n\nqapla' \xe9",
			check: func(t *testing.T, msg *Message) {
				if msg.Text != "qapla' é" || !containsProblem(msg, "unknown charset") {
					t.Errorf("Text %q Problems %q", msg.Text, msg.Problems)
				}
			},
		},
		{
			name: "mislabelled utf-8 is not double-decoded",
			in:   "From: a@example.com\nContent-Type: text/plain; charset=iso-8859-1\n\ncafé",
			check: func(t *testing.T, msg *Message) {
				if msg.Text != "café" {
					t.Errorf("Text = %q", msg.Text)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg, err := Parse(strings.NewReader(tt.in), DefaultOptions())
			if msg == nil {
				t.Fatal("nil Message")
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) || tt.wantErr == nil && err != nil {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
			if tt.check != nil {
				tt.check(t, msg)
			}
		})
	}
}

// errReader fails after returning some data.
type errReader struct{ data io.Reader }

func (r *errReader) Read(p []byte) (int, error) {
	n, err := r.data.Read(p)
	if err == io.EOF {
		return n, errors.New("connection reset")
	}
	return n, err
}

func TestParseReadError(t *testing.T) {
	msg, err := Parse(&errReader{strings.NewReader("From: a@example.com\nSubject: partial\n\nsome bo")}, DefaultOptions())
	if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "connection reset") {
		t.Errorf("err = %v", err)
	}
	if msg.Subject != "partial" || msg.Text != "some bo" {
		t.Errorf("Subject %q Text %q", msg.Subject, msg.Text)
	}
}
