package desk_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const customerMail = `From: Lisa de Graaf <lisa.degraaf@example.nl>
To: support@luminahelp.com
Subject: Return order LW-58201
Date: Mon, 21 Sep 2026 10:00:00 +0200
Message-ID: <%s@example.nl>
Content-Type: text/plain; charset=utf-8

Hello, I would like to return my leggings from order LW-58201, they are too small.
Thanks, Lisa
`

// TestHostileInput: whatever arrives, the desk returns a decision; unreadable
// customer mail goes to staff, never lost and never a panic.
func TestHostileInput(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	binary := make([]byte, 64<<10)
	for i := range binary {
		binary[i] = byte(rng.UintN(256))
	}
	good := fmt.Sprintf(customerMail, "ok")
	huge := strings.Replace(fmt.Sprintf(customerMail, "huge"), "Thanks, Lisa\n",
		"Thanks, Lisa\n"+strings.Repeat("padding line to make the mail very large indeed\n", 1<<20), 1)
	cases := []struct {
		name    string
		raw     []byte
		actions []string
	}{
		{"empty", nil, []string{"escalate"}},
		{"binary", binary, []string{"escalate"}},
		{"truncated headers", []byte(good[:60]), []string{"escalate"}},
		{"truncated body", []byte(good[:len(good)-40]), []string{"authorize_return", "escalate"}},
		{"50 MB", []byte(huge), []string{"escalate"}},
		{"NUL bytes", []byte(strings.ReplaceAll(fmt.Sprintf(customerMail, "nul"), "small", "sm\x00all")), []string{"authorize_return", "escalate"}},
		{"no blank line", []byte(strings.ReplaceAll(fmt.Sprintf(customerMail, "noblank"), "\n\n", "\n")), []string{"authorize_return", "escalate"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := newTestDesk(t, "")
			res, err := d.Process(context.Background(), tc.raw, time.Date(2026, 9, 21, 9, 0, 0, 0, time.UTC))
			if err != nil {
				t.Fatalf("Process: %v", err)
			}
			ok := false
			for _, a := range tc.actions {
				ok = ok || res.Action == a
			}
			if !ok {
				t.Errorf("action %s/%s, want one of %v (why: %s)", res.Action, res.Code, tc.actions, res.Why)
			}
			if res.Action == "escalate" && !res.Flagged {
				t.Errorf("escalation not flagged")
			}
		})
	}
}

// TestDuplicateAnsweredOnce: the same Message-ID twice gets one reply.
func TestDuplicateAnsweredOnce(t *testing.T) {
	d := newTestDesk(t, "")
	raw := []byte(fmt.Sprintf(customerMail, "dup"))
	first, err := d.Process(context.Background(), raw, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	second, err := d.Process(context.Background(), raw, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if first.Reply == nil || first.Action != "authorize_return" {
		t.Fatalf("first: %s/%s, reply %v", first.Action, first.Code, first.Reply != nil)
	}
	if second.Action != "ignore" || second.Code != "duplicate" || second.Reply != nil {
		t.Fatalf("second: %s/%s, reply %v", second.Action, second.Code, second.Reply != nil)
	}
}

// TestRateLimit: at most three automated replies per sender and store in 24 hours.
func TestRateLimit(t *testing.T) {
	d := newTestDesk(t, "")
	start := time.Date(2026, 9, 21, 9, 0, 0, 0, time.UTC)
	var got []string
	for i := range 5 {
		raw := []byte(fmt.Sprintf(customerMail, fmt.Sprintf("rl%d", i)))
		res, err := d.Process(context.Background(), raw, start.Add(time.Duration(i)*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, res.Action+"/"+res.Code)
		if res.Code == "rate_limited" && res.Reply != nil {
			t.Errorf("message %d: rate-limited but replied", i)
		}
	}
	want := []string{"authorize_return/return", "authorize_return/return", "authorize_return/return", "escalate/rate_limited", "escalate/rate_limited"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", got, want)
	}
	// A day later the sender is answered again.
	res, err := d.Process(context.Background(), []byte(fmt.Sprintf(customerMail, "rl-next-day")), start.Add(30*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if res.Code == "rate_limited" {
		t.Errorf("next day still rate-limited")
	}
}

// TestRANStableAndUnguessable: asking twice gives the same RAN; RANs of different
// orders share no sequence.
func TestRANStableAndUnguessable(t *testing.T) {
	d := newTestDesk(t, "")
	a, _ := d.Process(context.Background(), []byte(fmt.Sprintf(customerMail, "ran1")), time.Time{})
	b, _ := d.Process(context.Background(), []byte(fmt.Sprintf(customerMail, "ran2")), time.Time{})
	if a.RAN == "" || a.RAN != b.RAN {
		t.Fatalf("RANs %q and %q, want the same non-empty RAN", a.RAN, b.RAN)
	}
	if !strings.Contains(a.Reply.Body, a.RAN) {
		t.Errorf("reply does not carry the RAN")
	}
}

// TestCorporaReplay runs every mail of ../shared/corpora through the desk: each one
// gets a decision; none panics.
func TestCorporaReplay(t *testing.T) {
	root := filepath.Join("..", "..", "shared", "corpora")
	if _, err := os.Stat(root); err != nil {
		t.Skipf("corpora not present at %s (they sit beside the repository in CI): %v", root, err)
	}
	var files []string
	filepath.WalkDir(root, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return nil
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".json", ".csv", ".md", ".txt_", ".py", ".rb":
			return nil
		}
		if strings.Contains(p, "LICENSE") || strings.Contains(p, "NOTICE") || strings.Contains(p, "COPYING") || strings.HasSuffix(p, "README.md") {
			return nil
		}
		files = append(files, p)
		return nil
	})
	d := newTestDesk(t, "")
	counts := map[string]int{}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		res, err := d.Process(context.Background(), raw, time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		counts[res.Action+"/"+res.Code]++
		if res.Action == "" {
			t.Errorf("%s: no decision", f)
		}
	}
	t.Logf("%d corpus files: %v", len(files), counts)
}

// BenchmarkProcess measures parse + decide + render + record for one customer mail.
func BenchmarkProcess(b *testing.B) {
	d := newTestDesk(b, "")
	var buf bytes.Buffer
	i := 0
	for b.Loop() {
		buf.Reset()
		fmt.Fprintf(&buf, customerMail, fmt.Sprintf("bench%d", i))
		i++
		// Distinct senders keep the rate limit out of the measurement.
		raw := bytes.Replace(buf.Bytes(), []byte("From: Lisa de Graaf <lisa.degraaf@example.nl>"),
			[]byte(fmt.Sprintf("From: Lisa <l%d@example.nl>", i)), 1)
		if _, err := d.Process(context.Background(), raw, time.Time{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestStaffNotAnswered: mail from a configured staff address is never answered.
func TestStaffNotAnswered(t *testing.T) {
	d := newTestDesk(t, "")
	for _, s := range d.Stores() {
		if s.ID() == "lumina" {
			s.Staff = []string{"Anna@LuminaHelp.com"}
		}
	}
	raw := strings.Replace(fmt.Sprintf(customerMail, "staff"), "From: Lisa de Graaf <lisa.degraaf@example.nl>", "From: Anna <anna@luminahelp.com>", 1)
	res, err := d.Process(context.Background(), []byte(raw), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Action != "ignore" || res.Code != "staff" || res.Reply != nil {
		t.Fatalf("staff mail: %s/%s, reply %v", res.Action, res.Code, res.Reply != nil)
	}
}

// TestBounceOfOwnReplyFlagsThread: when our reply bounces, the customer's thread is
// flagged for staff and the bounce is not answered.
func TestBounceOfOwnReplyFlagsThread(t *testing.T) {
	d := newTestDesk(t, "")
	res, err := d.Process(context.Background(), []byte(fmt.Sprintf(customerMail, "bounced")), time.Time{})
	if err != nil || res.Outgoing == nil {
		t.Fatalf("first mail: %v, reply %v", err, res != nil && res.Outgoing != nil)
	}
	bounce := fmt.Sprintf(`From: Mail Delivery System <MAILER-DAEMON@mx.example.nl>
To: support@luminahelp.com
Subject: Undelivered Mail Returned to Sender
Date: Mon, 21 Sep 2026 10:05:00 +0200
Message-ID: <dsn1@mx.example.nl>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

This is the mail system. Your message could not be delivered: mailbox full.

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.nl

Final-Recipient: rfc822; lisa.degraaf@example.nl
Action: failed
Status: 5.2.2

--B
Content-Type: text/rfc822-headers

From: Lumina Wear <support@luminahelp.com>
To: lisa.degraaf@example.nl
Subject: Re: Return order LW-58201
Message-ID: <%s>

--B--
`, res.Outgoing.MessageID)
	b, err := d.Process(context.Background(), []byte(strings.ReplaceAll(bounce, "\n", "\r\n")), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if b.Action != "ignore" || b.Code != "bounce" || !b.Flagged || b.Reply != nil {
		t.Fatalf("bounce of our reply: %s/%s flagged=%t reply=%v (%s)", b.Action, b.Code, b.Flagged, b.Reply != nil, b.Why)
	}
	// A bounce of someone else's mail flags nothing.
	other := strings.Replace(strings.Replace(bounce, res.Outgoing.MessageID, "unknown@elsewhere.example", 1), "dsn1@", "dsn2@", 1)
	b2, err := d.Process(context.Background(), []byte(strings.ReplaceAll(other, "\n", "\r\n")), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if b2.Action != "ignore" || b2.Flagged {
		t.Fatalf("unrelated bounce: %s/%s flagged=%t", b2.Action, b2.Code, b2.Flagged)
	}
}

// TestRateLimitAnswersInAnOpenCase: SPEC §3 counts every automated reply, answers to
// the desk's own question too: the fourth mail within a day goes to staff unanswered,
// however the thread stands (staff see a customer who keeps writing).
func TestRateLimitAnswersInAnOpenCase(t *testing.T) {
	d := newTestDesk(t, "")
	start := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	refs := ""
	var got []string
	for i := range 8 {
		raw := fmt.Sprintf("From: Lisa de Graaf <lisa.degraaf@example.nl>\r\nTo: support@luminahelp.com\r\nSubject: Re: retour\r\n"+
			"Message-ID: <answer-%d@example.nl>\r\n%sDate: Fri, 20 Nov 2026 09:00:00 +0000\r\n\r\nIk wil mijn legging retourneren.\r\n", i, refs)
		res, err := d.Process(context.Background(), []byte(raw), start.Add(time.Duration(i)*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, res.Action+"/"+res.Code)
		refs = fmt.Sprintf("In-Reply-To: <answer-%d@example.nl>\r\nReferences: <answer-0@example.nl> <answer-%d@example.nl>\r\n", i, i)
	}
	want := "[request_info/missing_order_number request_info/missing_order_number request_info/missing_order_number " +
		"escalate/rate_limited escalate/rate_limited escalate/rate_limited " +
		"escalate/rate_limited escalate/rate_limited]"
	if fmt.Sprint(got) != want {
		t.Errorf("got %v\nwant %s", got, want)
	}
}
