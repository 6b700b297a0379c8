package desk_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/returnsdesk/returnsdesk/config"
	"github.com/returnsdesk/returnsdesk/desk"
	"github.com/returnsdesk/returnsdesk/responder"
	"github.com/returnsdesk/returnsdesk/state"
	"github.com/returnsdesk/returnsdesk/templates"
)

func writeMail(t *testing.T, dir, name, text string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(strings.ReplaceAll(text, "\n", "\r\n")), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestJobs replays a few threads and lets time run on: the customer with a RAN and no
// tracking number is reminded once, reminded once more before the RAN lapses and told
// once when it has; the flagged thread is escalated to staff once; and an authorised
// alinora return whose parcel is on its way, with no refund after 15 business days,
// is escalated as overdue (and never lapses).
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
	// Jonas sends his tracking number before the reminder is due.
	writeMail(t, dir, "04.eml", `From: Jonas Weber <jonas.weber@example.de>
To: alinora-overseas@outlook.com
Subject: Re: Return AL204518
Date: Wed, 25 Nov 2026 09:00:00 +0100
Message-ID: <j4@example.de>

The earbuds from order AL204518 are on their way back, tracking number SF1234567890123.
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
	want := []string{"authorize_return/return", "authorize_return/return", "escalate/needs_review", "acknowledge/tracking_received"}
	if fmt.Sprint(results) != fmt.Sprint(want) {
		t.Fatalf("decisions %v, want %v", results, want)
	}
	wantJobs := map[string]bool{
		"reminder/ship_return lumina lisa.degraaf@example.nl":                  true,
		"reminder/ran_lapsing lumina lisa.degraaf@example.nl":                  true,
		"reminder/ran_lapsed lumina lisa.degraaf@example.nl":                   true,
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

// The RAN's life: lumina (ship_within_days 14, Europe/Amsterdam) authorises Lisa's
// return on Monday 21 September 2026, so she must ship by 5 October. She is reminded
// to ship after 7 days, reminded once more from 3 October (two days before), and on
// 6 October the RAN lapses.
var (
	ams           = mustLocation("Europe/Amsterdam")
	lapseAuthAt   = time.Date(2026, 9, 21, 10, 0, 0, 0, ams)
	lapseWarnFrom = time.Date(2026, 10, 3, 0, 0, 0, 0, ams)
	lapseAt       = time.Date(2026, 10, 6, 0, 0, 0, 0, ams)
	lapseShipByNL = "5 oktober 2026"
	lapseReturnNL = "From: Lisa de Graaf <lisa.degraaf@example.nl>\r\nTo: support@luminahelp.com\r\nSubject: Retour LW-58201\r\n" +
		"Date: Mon, 21 Sep 2026 10:00:00 +0200\r\nMessage-ID: <lapse-1@example.nl>\r\n\r\n" +
		"Hallo,\r\n\r\nIk wil graag mijn legging van bestelling LW-58201 retourneren, hij is te klein.\r\n\r\nGroet,\r\nLisa\r\n"
	lapseTracking = "From: Lisa de Graaf <lisa.degraaf@example.nl>\r\nTo: support@luminahelp.com\r\nSubject: Re: Retour LW-58201\r\n" +
		"Date: Thu, 01 Oct 2026 18:00:00 +0200\r\nMessage-ID: <lapse-2@example.nl>\r\nIn-Reply-To: <lapse-1@example.nl>\r\n\r\n" +
		"Hoi,\r\n\r\nDe legging is vandaag verstuurd met PostNL, mijn track & trace code is 3SLUMW4829301.\r\n\r\nGroetjes,\r\nLisa\r\n"
)

func mustLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// authorise processes a customer mail that must be authorised and returns its RAN.
func authorise(t *testing.T, d *desk.Desk, raw string) string {
	t.Helper()
	res, err := d.Process(context.Background(), []byte(raw), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Action != "authorize_return" || res.RAN == "" {
		t.Fatalf("%s/%s ran %q (%s), want authorize_return with a RAN", res.Action, res.Code, res.RAN, res.Why)
	}
	return res.RAN
}

// jobsAt runs the jobs at `at` and returns the mails they sent.
func jobsAt(t *testing.T, d *desk.Desk, at time.Time) []desk.JobMail {
	t.Helper()
	mails, err := d.RunJobs(context.Background(), at)
	if err != nil {
		t.Fatalf("RunJobs at %s: %v", at, err)
	}
	return mails
}

func codesOf(mails []desk.JobMail) []string {
	var out []string
	for _, m := range mails {
		out = append(out, m.Job+"/"+m.Code)
	}
	return out
}

// TestRANLapses walks one lumina case through its days, the jobs running every hour:
// the ship reminder, the last reminder before the RAN lapses exactly once, the lapse
// exactly once, in Lisa's language, and nothing after.
func TestRANLapses(t *testing.T) {
	d := newTestDesk(t, "")
	ran := authorise(t, d, lapseReturnNL)
	first := map[string]time.Time{}
	count := map[string]int{}
	var order []string
	for at := lapseAuthAt.Add(time.Hour); at.Before(lapseAuthAt.AddDate(0, 2, 0)); at = at.Add(time.Hour) {
		for _, m := range jobsAt(t, d, at) {
			if m.Job != "reminder" || m.To != "lisa.degraaf@example.nl" {
				t.Errorf("%s: unexpected %s/%s to %s", at, m.Job, m.Code, m.To)
				continue
			}
			if count[m.Code] == 0 {
				first[m.Code] = at
				order = append(order, m.Code)
			}
			count[m.Code]++
			if m.Language != "nl" || m.Order != "LW-58201" {
				t.Errorf("%s: language %q order %q, want nl LW-58201", m.Code, m.Language, m.Order)
			}
			switch m.Code {
			case "ran_lapsing":
				for _, want := range []string{ran, lapseShipByNL, "laatste herinnering", "Elzenhoven 2"} {
					if !strings.Contains(m.Body, want) {
						t.Errorf("ran_lapsing lacks %q:\n%s", want, m.Body)
					}
				}
			case "ran_lapsed":
				for _, want := range []string{ran, lapseShipByNL, "vervallen", "nieuw retournummer"} {
					if !strings.Contains(m.Body, want) {
						t.Errorf("ran_lapsed lacks %q:\n%s", want, m.Body)
					}
				}
			}
		}
	}
	if fmt.Sprint(order) != "[ship_return ran_lapsing ran_lapsed]" {
		t.Fatalf("reminders %v (counts %v), want ship_return, ran_lapsing, ran_lapsed", order, count)
	}
	for code, n := range count {
		if n != 1 {
			t.Errorf("%s sent %d times, want once", code, n)
		}
	}
	for code, want := range map[string]time.Time{
		"ship_return": lapseAuthAt.Add(7 * 24 * time.Hour),
		"ran_lapsing": lapseWarnFrom,
		"ran_lapsed":  lapseAt,
	} {
		// The first hourly run at or after the moment it is due.
		if got := first[code]; got.Before(want) || !got.Before(want.Add(time.Hour)) {
			t.Errorf("%s sent at %s, want the first run from %s", code, got, want)
		}
	}
}

// TestLapsedCaseIsClosed: a lapsed case is no return under way. Lisa writing again
// within lumina's 30-day window (delivered 7 September) starts a new return with a
// new RAN, and that one's reminders run afresh.
func TestLapsedCaseIsClosed(t *testing.T) {
	d := newTestDesk(t, "")
	old := authorise(t, d, lapseReturnNL)
	if got := codesOf(jobsAt(t, d, lapseAt.Add(time.Hour))); fmt.Sprint(got) != "[reminder/ran_lapsed]" {
		t.Fatalf("jobs %v, want the lapse", got)
	}
	again := "From: Lisa de Graaf <lisa.degraaf@example.nl>\r\nTo: support@luminahelp.com\r\nSubject: Re: Retour LW-58201\r\n" +
		"Date: Tue, 06 Oct 2026 10:00:00 +0200\r\nMessage-ID: <lapse-3@example.nl>\r\nIn-Reply-To: <lapse-1@example.nl>\r\n\r\n" +
		"Hallo,\r\n\r\nIk wil de legging van bestelling LW-58201 toch nog retourneren, hij is te klein.\r\n\r\nGroet,\r\nLisa\r\n"
	ran := authorise(t, d, again)
	if ran == old {
		t.Fatalf("the new return got the lapsed RAN %s again", old)
	}
	if got := jobsAt(t, d, time.Date(2026, 10, 6, 12, 0, 0, 0, ams)); len(got) != 0 {
		t.Errorf("jobs right after the new authorisation: %v", codesOf(got))
	}
	// The new RAN is reminded of after 7 days, though the lapsed one was too.
	got := jobsAt(t, d, time.Date(2026, 10, 13, 10, 0, 0, 0, ams))
	if len(got) != 1 || got[0].Code != "ship_return" || !strings.Contains(got[0].Body, ran) || strings.Contains(got[0].Body, old) {
		t.Errorf("a week later: %v, want one ship_return naming %s", codesOf(got), ran)
	}
}

// TestTrackingInTimeNeverLapses: a tracking number before the ship-by day closes the
// question: no last reminder, no lapse, ever.
func TestTrackingInTimeNeverLapses(t *testing.T) {
	d := newTestDesk(t, "")
	authorise(t, d, lapseReturnNL)
	if got := codesOf(jobsAt(t, d, lapseAuthAt.Add(8*24*time.Hour))); fmt.Sprint(got) != "[reminder/ship_return]" {
		t.Fatalf("jobs after 8 days %v, want the ship reminder", got)
	}
	res, err := d.Process(context.Background(), []byte(lapseTracking), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Action != "acknowledge" || res.Code != "tracking_received" {
		t.Fatalf("tracking mail: %s/%s (%s)", res.Action, res.Code, res.Why)
	}
	for at := lapseAuthAt.Add(9 * 24 * time.Hour); at.Before(lapseAuthAt.AddDate(0, 3, 0)); at = at.Add(6 * time.Hour) {
		if got := jobsAt(t, d, at); len(got) != 0 {
			t.Errorf("%s: %v after the tracking number", at, codesOf(got))
		}
	}
}

// TestLapseAfterDowntime: jobs that first run after the ship-by day send the lapse
// once, and neither the ship reminder nor the last reminder they missed.
func TestLapseAfterDowntime(t *testing.T) {
	d := newTestDesk(t, "")
	authorise(t, d, lapseReturnNL)
	if got := codesOf(jobsAt(t, d, lapseAt.Add(3*24*time.Hour))); fmt.Sprint(got) != "[reminder/ran_lapsed]" {
		t.Errorf("first run after the deadline: %v, want only ran_lapsed", got)
	}
	for _, at := range []time.Time{lapseAt.Add(3*24*time.Hour + time.Minute), lapseAt.AddDate(0, 1, 0)} {
		if got := jobsAt(t, d, at); len(got) != 0 {
			t.Errorf("%s: %v after the lapse", at, codesOf(got))
		}
	}
}

// TestLastReminderReplacesShipReminder: down through the day the ship reminder was
// due, the jobs find the last reminder due as well and send only that one.
func TestLastReminderReplacesShipReminder(t *testing.T) {
	d := newTestDesk(t, "")
	authorise(t, d, lapseReturnNL)
	if got := codesOf(jobsAt(t, d, lapseWarnFrom.Add(9*time.Hour))); fmt.Sprint(got) != "[reminder/ran_lapsing]" {
		t.Errorf("first run on 3 October: %v, want only ran_lapsing", got)
	}
	if got := codesOf(jobsAt(t, d, lapseAt.Add(-time.Minute))); len(got) != 0 {
		t.Errorf("before the lapse: %v", got)
	}
	if got := codesOf(jobsAt(t, d, lapseAt)); fmt.Sprint(got) != "[reminder/ran_lapsed]" {
		t.Errorf("at the lapse: %v, want ran_lapsed", got)
	}
}

// TestRANLapseSurvivesRestart: what a run sent is recorded with its mail, so a desk
// restarted on the same state file sends neither again.
func TestRANLapseSurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	open := func(seed byte) (*desk.Desk, func()) {
		stores, err := config.Default().BuildStores("")
		if err != nil {
			t.Fatal(err)
		}
		db, err := state.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		renderer, err := responder.NewRenderer(templates.FS, "")
		if err != nil {
			t.Fatal(err)
		}
		// Another seed per run: Message-IDs must not repeat across the restart.
		d := desk.New(stores, db, renderer, desk.Options{Rand: rand.NewChaCha8([32]byte{'l', 'a', 'p', 's', 'e', seed})})
		return d, func() { db.Close() }
	}
	d, closeDB := open(1)
	authorise(t, d, lapseReturnNL)
	if got := codesOf(jobsAt(t, d, lapseWarnFrom.Add(time.Hour))); fmt.Sprint(got) != "[reminder/ran_lapsing]" {
		t.Fatalf("before the restart: %v, want ran_lapsing", got)
	}
	closeDB()

	d, closeDB = open(2)
	if got := codesOf(jobsAt(t, d, lapseWarnFrom.Add(2*time.Hour))); len(got) != 0 {
		t.Errorf("after the restart: %v, want nothing again", got)
	}
	if got := codesOf(jobsAt(t, d, lapseAt.Add(time.Hour))); fmt.Sprint(got) != "[reminder/ran_lapsed]" {
		t.Errorf("at the lapse: %v, want ran_lapsed", got)
	}
	closeDB()

	d, closeDB = open(3)
	defer closeDB()
	if got := codesOf(jobsAt(t, d, lapseAt.Add(2*time.Hour))); len(got) != 0 {
		t.Errorf("after a second restart: %v, want nothing again", got)
	}
}

// TestNoLapseWithoutShipWithinDays: a store whose policy sets no ship_within_days
// issues RANs that do not lapse; its customers only get the ship reminder.
func TestNoLapseWithoutShipWithinDays(t *testing.T) {
	d := newTestDesk(t, "", func(s *desk.Store) { s.Policy.Returns.ShipWithinDays = 0 })
	authorise(t, d, lapseReturnNL)
	var got []string
	for at := lapseAuthAt.Add(6 * time.Hour); at.Before(lapseAuthAt.AddDate(0, 3, 0)); at = at.Add(6 * time.Hour) {
		got = append(got, codesOf(jobsAt(t, d, at))...)
	}
	if fmt.Sprint(got) != "[reminder/ship_return]" {
		t.Errorf("jobs over three months: %v, want only the ship reminder", got)
	}
}

// TestLapsedCaseIsNoRefundQuestion: after alinora's RAN lapsed unused, "where is my
// refund?" is not a refund overdue on a return under way (alinora refunds within 15
// business days of the RAN): there is no return, and the reply says so.
func TestLapsedCaseIsNoRefundQuestion(t *testing.T) {
	d := newTestDesk(t, "")
	authorise(t, d, "From: Jonas Weber <jonas.weber@example.de>\r\nTo: alinora-overseas@outlook.com\r\nSubject: Return AL204518\r\n"+
		"Date: Fri, 20 Nov 2026 08:41:00 +0100\r\nMessage-ID: <lapse-al-1@example.de>\r\n\r\n"+
		"I want to return the earbuds from order AL204518, they don't fit. Unused, in the box.\r\n")
	// Ship by 4 December (Asia/Shanghai): lapsed from 5 December.
	if got := codesOf(jobsAt(t, d, time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC))); fmt.Sprint(got) != "[reminder/ran_lapsed]" {
		t.Fatalf("jobs %v, want the lapse", got)
	}
	res, err := d.Process(context.Background(), []byte("From: Jonas Weber <jonas.weber@example.de>\r\nTo: alinora-overseas@outlook.com\r\n"+
		"Subject: Re: Return AL204518\r\nDate: Wed, 16 Dec 2026 08:41:00 +0100\r\nMessage-ID: <lapse-al-2@example.de>\r\n"+
		"In-Reply-To: <lapse-al-1@example.de>\r\n\r\nWhere is my refund for order AL204518?\r\n"), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Action != "status_update" || res.RAN != "" {
		t.Errorf("refund question after the lapse: %s/%s ran %q (%s), want status_update without a RAN", res.Action, res.Code, res.RAN, res.Why)
	}
	if got := jobsAt(t, d, time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)); len(got) != 0 {
		t.Errorf("jobs after the lapse: %v, want none (no refund_overdue either)", codesOf(got))
	}
}
