package parser

import (
	"bytes"
	"encoding/base64"
	"math/rand/v2"
	"strings"
	"testing"
)

// typicalMail builds a customer mail as phones send it: a short text in plain
// and HTML, a quoted reply, a signature, and one 2 MB photo.
func typicalMail() []byte {
	photo := make([]byte, 2<<20)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range photo {
		photo[i] = byte(rng.Uint32())
	}
	enc := base64.StdEncoding.EncodeToString(photo)
	var b64 strings.Builder
	for len(enc) > 76 {
		b64.WriteString(enc[:76])
		b64.WriteString("\r\n")
		enc = enc[76:]
	}
	b64.WriteString(enc)

	text := "Hello,\r\n\r\nthe lamp from order LW-58213 arrived broken, see the photo.\r\n" +
		"I would like a replacement please.\r\n\r\nThanks,\r\nLotte\r\n\r\nSent from my iPhone\r\n\r\n" +
		"> On 10 Mar 2026, at 17:00, Lumina Support <support@luminahelp.com> wrote:\r\n> \r\n> Thank you for your order.\r\n"
	html := "<html><body><div>Hello,</div><div><br></div><div>the lamp from order LW-58213 arrived broken, see the photo.</div>" +
		"<div>I would like a replacement please.</div><div>Thanks,<br>Lotte</div><blockquote type=\"cite\">Thank you for your order.</blockquote></body></html>"

	var m bytes.Buffer
	m.WriteString("Return-Path: <lotte@example.nl>\r\nReceived: from mx.example.nl by mx.luminahelp.com; Tue, 10 Mar 2026 18:00:00 +0100\r\n" +
		"From: Lotte de Vries <lotte@example.nl>\r\nTo: support@luminahelp.com\r\nSubject: Re: Your order LW-58213\r\n" +
		"Date: Tue, 10 Mar 2026 18:00:00 +0100\r\nMessage-ID: <bench-1@example.nl>\r\nIn-Reply-To: <bot-1@luminahelp.com>\r\n" +
		"References: <order-1@luminahelp.com> <bot-1@luminahelp.com>\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=\"Apple-Mail-1\"\r\n\r\n" +
		"--Apple-Mail-1\r\nContent-Type: multipart/alternative; boundary=\"Apple-Mail-2\"\r\n\r\n" +
		"--Apple-Mail-2\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" + text +
		"--Apple-Mail-2\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html + "\r\n--Apple-Mail-2--\r\n" +
		"--Apple-Mail-1\r\nContent-Type: image/jpeg; name=IMG_1234.jpeg\r\nContent-Disposition: attachment; filename=IMG_1234.jpeg\r\n" +
		"Content-Transfer-Encoding: base64\r\n\r\n")
	m.WriteString(b64.String())
	m.WriteString("\r\n--Apple-Mail-1--\r\n")
	return m.Bytes()
}

func BenchmarkParse(b *testing.B) {
	raw := typicalMail()
	msg, err := Parse(bytes.NewReader(raw), DefaultOptions())
	if err != nil || msg.Photos != 1 || !strings.Contains(msg.FreshText, "replacement") {
		b.Fatalf("benchmark mail misparsed: err %v, photos %d, fresh %q", err, msg.Photos, msg.FreshText)
	}
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(bytes.NewReader(raw), DefaultOptions()); err != nil {
			b.Fatal(err)
		}
	}
}
