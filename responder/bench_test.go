package responder

import (
	"net/mail"
	"testing"
	"time"

	"github.com/returnsdesk/returnsdesk/templates"
)

// BenchmarkRender renders a typical authorize_return and builds its mail.
func BenchmarkRender(b *testing.B) {
	r := newBuiltinRenderer(b)
	d := fullData("lumina", "return")
	date := time.Date(2026, 2, 3, 14, 5, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		body, lang, err := r.Render("lumina", "de", "authorize_return", d)
		if err != nil {
			b.Fatal(err)
		}
		rep := Reply{
			From:       mail.Address{Name: "Lumina Wear", Address: "support@luminahelp.com"},
			To:         mail.Address{Name: "Anna Müller", Address: "anna@example.com"},
			Subject:    Subject("Rücksendung LW-58213"),
			InReplyTo:  "cust-2@mail.example.com",
			References: []string{"cust-1@mail.example.com", "cust-2@mail.example.com"},
			MessageID:  NewMessageID("luminahelp.com", nil),
			Date:       date,
			Language:   lang,
			Body:       body,
			Headers:    map[string]string{"X-Returnsdesk-Store": "lumina", "X-Returnsdesk-RAN": d.RAN},
		}
		if _, err := rep.Bytes(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNewRenderer measures the start-up parse and check of all templates.
func BenchmarkNewRenderer(b *testing.B) {
	for b.Loop() {
		if _, err := NewRenderer(templates.FS, ""); err != nil {
			b.Fatal(err)
		}
	}
}
