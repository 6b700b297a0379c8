package desk_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/returnsdesk/returnsdesk/desk"
	"github.com/returnsdesk/returnsdesk/parser"
)

// TestOverLimitGoesToStaff: a mail cut short by a parse limit (MIME parts, nesting,
// header size) is flagged for staff with the limit named, never decided on the part
// that was read, though that part alone would be a plain return.
func TestOverLimitGoesToStaff(t *testing.T) {
	request := "Hallo, ik wil de jurk van bestelling LW-58213 retourneren, hij is te groot."
	parts := func(n int) string {
		var b strings.Builder
		b.WriteString("Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + request + "\r\n")
		for i := range n {
			fmt.Fprintf(&b, "--b\r\nContent-Type: text/plain\r\n\r\nnote %d\r\n", i)
		}
		b.WriteString("--b--\r\n")
		return b.String()
	}
	header := func(extra string) string {
		return "From: Jasmijn van Leeuwen <jasmijn.vanleeuwen@example.nl>\r\nTo: support@luminahelp.com\r\nSubject: retour\r\n" +
			"Date: Sat, 03 Oct 2026 12:12:05 +0000\r\nMessage-ID: <limit-" + fmt.Sprint(len(extra)) + "@example.nl>\r\nMIME-Version: 1.0\r\n" + extra
	}
	for _, tc := range []struct {
		name, raw string
	}{
		{"too many parts", header("") + parts(10)},
		{"a header too large", header("X-Padding: "+strings.Repeat("x", 300)+"\r\nX-Late: 1\r\n") + "Content-Type: text/plain\r\n\r\n" + request + "\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newTestDeskOpts(t, "", desk.Options{Limits: parser.Options{MaxParts: 5, MaxHeaderBytes: 300, MaxDepth: 10, MaxSize: 1 << 20}})
			res, err := d.Process(context.Background(), []byte(tc.raw), time.Date(2026, 10, 3, 12, 12, 5, 0, time.UTC))
			if err != nil {
				t.Fatal(err)
			}
			if res.Action != "escalate" || !res.Flagged || !strings.Contains(res.Why, "over a limit") {
				t.Errorf("%s/%s flagged=%v (%s), want a flagged escalation naming the limit", res.Action, res.Code, res.Flagged, res.Why)
			}
		})
	}
	// The same request read whole is decided.
	d := newTestDesk(t, "")
	res, err := d.Process(context.Background(), []byte(header("")+parts(2)), time.Date(2026, 10, 3, 12, 12, 5, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if res.Action == "escalate" {
		t.Errorf("read whole: %s/%s (%s), want a decision", res.Action, res.Code, res.Why)
	}
}
