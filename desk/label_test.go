package desk_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/returnsdesk/returnsdesk/desk"
)

// TestPrepaidLabelIsAStaffTask: luxnome's authorisation promises the customer a
// prepaid label, so its staff are asked to send it, once, in the customer's thread;
// followed up once after the store's response time (2 business days); and until they
// answer "label-sent" the customer is neither reminded to ship nor told the RAN
// lapsed. From the label on, the ship reminder and the ship-by day count from the
// label, each sent once.
func TestPrepaidLabelIsAStaffTask(t *testing.T) {
	d := newTestDesk(t, "../testdata/orders", func(s *desk.Store) {
		if s.ID() == "luxnome" {
			s.Staff = []string{"team@luxnome.example"}
		}
	})
	ctx := context.Background()
	raw, err := os.ReadFile("../testdata/replay/luxnome/020-tote-wrong-colour.eml")
	if err != nil {
		t.Fatal(err)
	}
	ran := authorise(t, d, string(raw))
	ams := mustLocation("Europe/Amsterdam")
	authAt := time.Date(2026, 10, 12, 20, 30, 0, 0, ams)
	labelAt := time.Date(2026, 10, 16, 10, 30, 0, 0, ams)

	first := map[string]time.Time{}
	count := map[string]int{}
	var order []string
	var askID string
	for at := authAt.Add(time.Hour); at.Before(authAt.AddDate(0, 0, 40)); at = at.Add(time.Hour) {
		if at.Equal(labelAt) {
			cmd := "From: LuxNome Team <team@luxnome.example>\r\nTo: support@luxnome.example\r\nSubject: Re: [Returnsdesk] LuxNome: label_needed\r\n" +
				"Date: Fri, 16 Oct 2026 10:30:00 +0200\r\nMessage-ID: <label-sent-1@luxnome.example>\r\nIn-Reply-To: " + askID +
				"\r\nReferences: " + askID + "\r\n\r\nlabel sent\r\n\r\n> A return was authorised\r\n"
			for range 2 { // redelivered: done once
				res, err := d.Process(ctx, []byte(cmd), time.Time{})
				if err != nil {
					t.Fatal(err)
				}
				if res.Reply != nil {
					t.Errorf("label-sent mailed the customer:\n%s", res.Reply.Body)
				}
				if c := res.StaffConfirmation; c != nil && !strings.Contains(c.Body, "Noted: the prepaid return label for "+ran) {
					t.Errorf("confirmation:\n%s", c.Body)
				}
			}
		}
		for _, m := range jobsAt(t, d, at) {
			if count[m.Code] == 0 {
				first[m.Code] = at
				order = append(order, m.Code)
			}
			count[m.Code]++
			switch m.Job {
			case "staff_escalation":
				if m.To != "team@luxnome.example" || !strings.Contains(m.Body, ran) || !strings.Contains(m.Body, `"label-sent"`) {
					t.Errorf("%s to %s:\n%s", m.Code, m.To, m.Body)
				}
				if m.Code == "label_needed" {
					askID = "<" + m.Outgoing.MessageID + ">"
				}
			case "reminder":
				if m.To != "olivia.wright@example.ie" {
					t.Errorf("%s to %s", m.Code, m.To)
				}
			}
		}
	}
	if fmt.Sprint(order) != "[label_needed label_overdue ship_return ran_lapsing ran_lapsed]" {
		t.Fatalf("jobs %v (counts %v), want label_needed, label_overdue, then the customer's reminders", order, count)
	}
	for code, n := range count {
		if n != 1 {
			t.Errorf("%s sent %d times, want once", code, n)
		}
	}
	for code, want := range map[string]time.Time{
		"label_needed": authAt.Add(time.Hour),
		// Two business days after staff were asked on Monday evening.
		"label_overdue": authAt.Add(time.Hour).AddDate(0, 0, 2),
		// Seven days after the label, not after the RAN.
		"ship_return": labelAt.AddDate(0, 0, 7),
		// Ship-by 14 days from the label (30 October): warned two days before, lapsed after it.
		"ran_lapsing": time.Date(2026, 10, 28, 0, 0, 0, 0, ams),
		"ran_lapsed":  time.Date(2026, 10, 31, 0, 0, 0, 0, ams),
	} {
		if got := first[code]; got.Before(want) || !got.Before(want.Add(time.Hour)) {
			t.Errorf("%s sent at %s, want the first run from %s", code, got, want)
		}
	}
}

// TestDigestListsLabelsToSend: a label staff were asked for and have not sent stays
// in the next daily digest, beside the flagged threads.
func TestDigestListsLabelsToSend(t *testing.T) {
	d := newTestDeskOpts(t, "../testdata/orders", desk.Options{Jobs: desk.JobOptions{DigestAt: "08:00"}}, func(s *desk.Store) {
		if s.ID() == "luxnome" {
			s.Staff = []string{"team@luxnome.example"}
		}
	})
	raw, err := os.ReadFile("../testdata/replay/luxnome/020-tote-wrong-colour.eml")
	if err != nil {
		t.Fatal(err)
	}
	ran := authorise(t, d, string(raw))
	ams := mustLocation("Europe/Amsterdam")
	if got := codesOf(jobsAt(t, d, time.Date(2026, 10, 12, 21, 0, 0, 0, ams))); fmt.Sprint(got) != "[staff_escalation/label_needed]" {
		t.Fatalf("first run: %v", got)
	}
	var digest *desk.JobMail
	for _, m := range jobsAt(t, d, time.Date(2026, 10, 13, 8, 0, 0, 0, ams)) {
		if m.Job == "staff_digest" && m.Store == "luxnome" {
			digest = &m
		}
	}
	if digest == nil {
		t.Fatal("no luxnome digest the next morning")
	}
	if !strings.Contains(digest.Subject, "1 label to send") || !strings.Contains(digest.Body, "send the prepaid return label for "+ran) {
		t.Errorf("digest %q:\n%s", digest.Subject, digest.Body)
	}
}
