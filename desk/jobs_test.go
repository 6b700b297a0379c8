package desk_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/returnsdesk/returnsdesk/desk"
)

func writeMail(t *testing.T, dir, name, text string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(strings.ReplaceAll(text, "\n", "\r\n")), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestJobs replays a few threads and lets time run on: the customer without photos is
// reminded once, the customer with a RAN and no tracking number is reminded once, the
// flagged thread is escalated to staff once, and an authorised alinora return with no
// refund after 15 business days is escalated as overdue.
func TestJobs(t *testing.T) {
	dir := t.TempDir()
	// lumina LW-58201 (Lisa de Graaf, delivered 7 Sep): returned in time.
	writeMail(t, dir, "01.eml", `From: Lisa de Graaf <lisa.degraaf@example.nl>
To: support@luminahelp.com
Subject: Return LW-58201
Date: Mon, 21 Sep 2026 10:00:00 +0200
Message-ID: <j1@example.nl>

I would like to return my leggings (order LW-58201), they are too small.
`)
	// alinora AL-204518: a return authorised on 20 Nov; the order shows no refund.
	writeMail(t, dir, "02.eml", `From: Jonas Weber <jonas.weber@example.de>
To: alinora-overseas@outlook.com
Subject: Return AL204518
Date: Fri, 20 Nov 2026 08:41:00 +0100
Message-ID: <j2@example.de>

I want to return the earbuds from order AL204518, they don't fit. Unused, in the box.
`)
	// A mail nobody can decide: flagged for staff.
	writeMail(t, dir, "03.eml", `From: Someone <someone@example.org>
To: support@luminahelp.com
Subject: hello
Date: Mon, 21 Sep 2026 11:00:00 +0200
Message-ID: <j3@example.org>

Do you sell gift wrapping?
`)
	d := newTestDesk(t, "")
	files, err := desk.ReplayFiles([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	var jobs []string
	var results []string
	until := time.Date(2026, 12, 20, 0, 0, 0, 0, time.UTC)
	err = d.Replay(context.Background(), files, desk.ReplayOptions{JobsUntil: until}, func(v any) error {
		switch r := v.(type) {
		case *desk.Result:
			results = append(results, r.Action+"/"+r.Code)
		case desk.JobMail:
			jobs = append(jobs, fmt.Sprintf("%s/%s %s %s", r.Job, r.Code, r.Store, r.To))
			if r.Body == "" || r.Subject == "" {
				t.Errorf("job mail %s/%s without subject or body", r.Job, r.Code)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"authorize_return/return", "authorize_return/return", "escalate/needs_review"}
	if fmt.Sprint(results) != fmt.Sprint(want) {
		t.Fatalf("decisions %v, want %v", results, want)
	}
	wantJobs := map[string]bool{
		"reminder/ship_return lumina lisa.degraaf@example.nl":                  true,
		"reminder/ship_return alinora jonas.weber@example.de":                  true,
		"staff_escalation/flagged_unanswered lumina support@luminahelp.com":    true,
		"staff_escalation/refund_overdue alinora alinora-overseas@outlook.com": true,
	}
	for _, j := range jobs {
		if !wantJobs[j] {
			t.Errorf("unexpected or repeated job mail %q", j)
		}
		delete(wantJobs, j)
	}
	for j := range wantJobs {
		t.Errorf("missing job mail %q (got %v)", j, jobs)
	}
}

// TestReplayRunsJobsBetweenMails: with --jobs-until, a reminder due between two mails
// is sent between them, as the daemon would, not after the last one.
func TestReplayRunsJobsBetweenMails(t *testing.T) {
	dir := t.TempDir()
	first := "From: Lisa de Graaf <lisa.degraaf@example.nl>\r\nTo: support@luminahelp.com\r\nSubject: retour\r\n" +
		"Message-ID: <ask-1@example.nl>\r\nDate: Mon, 16 Nov 2026 10:00:00 +0100\r\n\r\nIk wil mijn legging retourneren.\r\n"
	second := "From: Someone Else <other@example.com>\r\nTo: support@luminahelp.com\r\nSubject: question\r\n" +
		"Message-ID: <other-1@example.com>\r\nDate: Sat, 21 Nov 2026 10:00:00 +0100\r\n\r\nI would like to return my order please.\r\n"
	for name, body := range map[string]string{"01.eml": first, "02.eml": second} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	d := newTestDesk(t, "")
	files, err := desk.ReplayFiles([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	err = d.Replay(context.Background(), files, desk.ReplayOptions{JobsUntil: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)},
		func(v any) error {
			switch m := v.(type) {
			case *desk.Result:
				order = append(order, "mail "+filepath.Base(m.File))
			case desk.JobMail:
				order = append(order, m.Job+" "+m.Code)
			}
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	want := "[mail 01.eml reminder missing_order_number mail 02.eml reminder missing_order_number]"
	if fmt.Sprint(order) != want {
		t.Errorf("order %v, want %s", order, want)
	}
}

// TestStaffEscalationKeepsTheStoresPromise: a flagged thread is escalated to staff when
// the store's promised response time lapses on its own calendar, once: lumina
// promises 24 business hours (Mon–Sat 09–17, Dutch holidays), alinora 24 hours.
func TestStaffEscalationKeepsTheStoresPromise(t *testing.T) {
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	for _, tc := range []struct {
		name, mail  string
		before, due time.Time
	}{
		{"lumina, Friday 16:00: Tuesday 16:00",
			"From: Lisa de Graaf <lisa.degraaf@example.nl>\r\nTo: support@luminahelp.com\r\nSubject: vraag\r\nMessage-ID: <vraag-1@example.nl>\r\n" +
				"Date: Fri, 20 Nov 2026 16:00:00 +0100\r\n\r\nHallo, een vraag over LW-58201.\r\n",
			time.Date(2026, 11, 24, 15, 59, 0, 0, ams), time.Date(2026, 11, 24, 16, 0, 0, 0, ams)},
		{"lumina, before Christmas: the Tuesday after (25 and 26 December closed)",
			"From: Lisa de Graaf <lisa.degraaf@example.nl>\r\nTo: support@luminahelp.com\r\nSubject: vraag\r\nMessage-ID: <vraag-2@example.nl>\r\n" +
				"Date: Wed, 23 Dec 2026 12:00:00 +0100\r\n\r\nHallo, een vraag over LW-58201.\r\n",
			time.Date(2026, 12, 29, 11, 59, 0, 0, ams), time.Date(2026, 12, 29, 12, 0, 0, 0, ams)},
		{"alinora, 24 calendar hours",
			"From: Olivia Bennett <olivia.bennett@example.com>\r\nTo: alinora-overseas@outlook.com\r\nSubject: question\r\nMessage-ID: <q-1@example.com>\r\n" +
				"Date: Sat, 21 Nov 2026 10:00:00 +0800\r\n\r\nHello, a question about AL-204509.\r\n",
			time.Date(2026, 11, 22, 1, 59, 0, 0, time.UTC), time.Date(2026, 11, 22, 2, 0, 0, 0, time.UTC)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newTestDesk(t, "")
			ctx := context.Background()
			res, err := d.Process(ctx, []byte(tc.mail), time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			if !res.Flagged {
				t.Fatalf("%s/%s is not flagged", res.Action, res.Code)
			}
			escalations := func(at time.Time) int {
				mails, err := d.RunJobs(ctx, at)
				if err != nil {
					t.Fatal(err)
				}
				n := 0
				for _, m := range mails {
					if m.Job == "staff_escalation" {
						n++
					}
				}
				return n
			}
			if n := escalations(tc.before); n != 0 {
				t.Errorf("%d escalations a minute before the promise lapses", n)
			}
			if n := escalations(tc.due); n != 1 {
				t.Errorf("%d escalations when it lapses, want 1", n)
			}
			if n := escalations(tc.due.Add(72 * time.Hour)); n != 0 {
				t.Errorf("%d escalations later, want none (once only)", n)
			}
		})
	}
}

// TestDailyDigest: each morning from 08:00 store time, staff get one digest of the open
// flagged threads, oldest first, with code and the customer's first line; never twice
// a day, and days the daemon was down are not made up one by one.
func TestDailyDigest(t *testing.T) {
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	d := newTestDeskOpts(t, "", desk.Options{Jobs: desk.JobOptions{DigestAt: "08:00"}},
		func(s *desk.Store) { s.EscalateTo = "team@" + s.ID() + ".example" })
	ctx := context.Background()
	for i, m := range []string{
		"From: Lisa de Graaf <lisa.degraaf@example.nl>\r\nTo: support@luminahelp.com\r\nSubject: vraag\r\nMessage-ID: <dg-1@example.nl>\r\n" +
			"Date: Mon, 23 Nov 2026 10:00:00 +0100\r\n\r\nHallo, ik heb een vraag over LW-58201, kunt u mij bellen?\r\n",
		"From: Someone <someone@example.com>\r\nTo: support@luminahelp.com\r\nSubject: hello\r\nMessage-ID: <dg-2@example.com>\r\n" +
			"Date: Tue, 24 Nov 2026 15:00:00 +0100\r\n\r\nMy parcel with the return never arrived at your warehouse, it is lost.\r\n",
	} {
		res, err := d.Process(ctx, []byte(m), time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Flagged {
			t.Fatalf("mail %d: %s/%s not flagged", i, res.Action, res.Code)
		}
	}
	digests := func(at time.Time) []desk.JobMail {
		mails, err := d.RunJobs(ctx, at)
		if err != nil {
			t.Fatal(err)
		}
		var out []desk.JobMail
		for _, m := range mails {
			if m.Job == "staff_digest" {
				out = append(out, m)
			}
		}
		return out
	}
	if got := digests(time.Date(2026, 11, 25, 7, 59, 0, 0, ams)); len(got) != 0 {
		t.Errorf("%d digests before 08:00", len(got))
	}
	got := digests(time.Date(2026, 11, 25, 8, 0, 0, 0, ams))
	if len(got) != 1 || got[0].Store != "lumina" || got[0].To != "team@lumina.example" {
		t.Fatalf("at 08:00: %+v, want one digest for lumina to its team", got)
	}
	body := got[0].Body
	first, second := strings.Index(body, "kunt u mij bellen"), strings.Index(body, "never arrived")
	if first < 0 || second < 0 || first > second || !strings.Contains(body, "escalate/lost_parcel") || !strings.Contains(body, "2 threads") {
		t.Errorf("digest body, want both threads oldest first with codes:\n%s", body)
	}
	if got := digests(time.Date(2026, 11, 25, 12, 0, 0, 0, ams)); len(got) != 0 {
		t.Errorf("%d digests again the same day", len(got))
	}
	// Down from the 26th to the 29th: one digest on the day it runs again.
	if got := digests(time.Date(2026, 11, 29, 9, 0, 0, 0, ams)); len(got) != 1 {
		t.Errorf("%d digests after days down, want 1", len(got))
	}
	if got := digests(time.Date(2026, 11, 29, 23, 0, 0, 0, ams)); len(got) != 0 {
		t.Errorf("%d digests later that day, want 0", len(got))
	}
}
