package mailbox

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/returnsdesk/returnsdesk/state"
)

// TestDraftSentIssuesRAN: in draft mode a RAN counts as issued when a person sends
// its draft. While the draft waits, the customer gets no reminder about a RAN they
// never saw. A draft sent from the mail client (here with a new Message-ID and
// without the desk's header, as clients do) is recognised in Sent: the RAN counts
// from then on and the thread stays the desk's. A person who answers in their own
// words instead, without the RAN, takes the thread over, and the RAN is not issued.
func TestDraftSentIssuesRAN(t *testing.T) {
	e := newEnv(t, nil, "lumina")
	e.storeConfig("lumina").Mode = "draft"
	asDrafted := testMail{store: "lumina", from: "Charlotte Green <charlotte.green@example.co.uk>", subject: "Return LW-58203",
		body: "Hello, I would like to return the dress from order LW-58203, it does not suit me. Unworn, tags on.",
		at:   time.Date(2026, 11, 10, 10, 0, 0, 0, time.UTC), id: "draft-1@example.co.uk"}
	ownWords := testMail{store: "lumina", from: "Lisa de Graaf <lisa.degraaf@example.nl>", subject: "Retour LW-58201",
		body: "Hallo, ik wil graag mijn legging van bestelling LW-58201 retourneren, hij is te klein.",
		at:   time.Date(2026, 9, 21, 10, 0, 0, 0, time.UTC), id: "draft-2@example.nl"}
	e.deliver(asDrafted, ownWords)
	r := e.start()
	e.waitCaughtUp(r)
	ctx := context.Background()
	caseOf := func(order string) state.Case {
		t.Helper()
		c, err := r.db.Case(ctx, "lumina", order)
		if err != nil {
			t.Fatalf("case %s: %v", order, err)
		}
		return c
	}
	drafted := func(c state.Case) bool {
		t.Helper()
		d, err := r.db.Drafted(ctx, c.RANMessageID)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	remindersFor := func(at time.Time, order string) []string {
		t.Helper()
		mails, err := r.d.desk().RunJobs(ctx, at)
		if err != nil {
			t.Fatal(err)
		}
		var codes []string
		for _, m := range mails {
			if m.Order == order && m.Job == "reminder" {
				codes = append(codes, m.Code)
			}
		}
		return codes
	}
	first, second := caseOf("LW-58203"), caseOf("LW-58201")
	if first.RAN == "" || second.RAN == "" || !drafted(first) || !drafted(second) {
		t.Fatalf("cases %+v / %+v: want both RANs in drafts", first, second)
	}
	if got := remindersFor(first.AuthorizedAt.Add(8*24*time.Hour), "LW-58203"); len(got) != 0 {
		t.Errorf("reminders %v for a RAN still in Drafts", got)
	}

	var draft []byte
	for _, m := range e.contents("lumina", "Drafts") {
		if headerOf(m.raw, "In-Reply-To") == asDrafted.id {
			draft = m.raw
		}
	}
	if draft == nil {
		t.Fatal("no draft answering the first mail")
	}
	var lines [][]byte
	for _, l := range bytes.SplitAfter(draft, []byte("\r\n")) {
		switch {
		case bytes.HasPrefix(l, []byte("X-Returnsdesk-Store:")):
		case bytes.HasPrefix(l, []byte("Message-Id:")), bytes.HasPrefix(l, []byte("Message-ID:")):
			lines = append(lines, []byte("Message-ID: <sent-by-client@luminahelp.com>\r\n"))
		default:
			lines = append(lines, l)
		}
	}
	// The desk reads Sent from its first look on, not its history: wait for that.
	waitFor(t, 15*time.Second, "the first look at Sent", func() (bool, string) {
		v, _, err := r.db.Cursor(ctx, "lumina/support@luminahelp.com/INBOX#sent-staff")
		return err == nil && v != 0, fmt.Sprintf("cursor %d %v", v, err)
	})
	sentAt := time.Now()
	e.appendTo("lumina", "Sent", bytes.Join(lines, nil))
	e.appendTo("lumina", "Sent", []byte("From: Lumina Wear <support@luminahelp.com>\r\nTo: lisa.degraaf@example.nl\r\n"+
		"Subject: Re: Retour LW-58201\r\nMessage-ID: <own-words@luminahelp.com>\r\nIn-Reply-To: <"+ownWords.id+">\r\n"+
		"References: <"+ownWords.id+">\r\nDate: "+sentAt.Format(time.RFC1123Z)+"\r\n\r\nHoi Lisa, ik bel je morgen even.\r\n"))
	waitFor(t, 15*time.Second, "both Sent mails to be noticed", func() (bool, string) {
		th, _ := r.db.ThreadFor(ctx, "lumina", []string{ownWords.id})
		return !drafted(caseOf("LW-58203")) && th.HandledBy != "", fmt.Sprintf("first drafted %v, second handled by %q", drafted(caseOf("LW-58203")), th.HandledBy)
	})
	first, second = caseOf("LW-58203"), caseOf("LW-58201")
	if first.AuthorizedAt.Before(sentAt.Add(-time.Minute)) {
		t.Errorf("the sent draft's RAN counts from %s, want from when it was sent (%s)", first.AuthorizedAt, sentAt)
	}
	if th, _ := r.db.ThreadFor(ctx, "lumina", []string{asDrafted.id}); th.HandledBy != "" {
		t.Errorf("sending the desk's draft took the thread over (%q)", th.HandledBy)
	}
	if !drafted(second) {
		t.Error("the RAN the person left out of their own answer counts as issued")
	}
	got := remindersFor(first.AuthorizedAt.Add(8*24*time.Hour), "LW-58203")
	if !slices.Contains(got, "ship_return") {
		t.Errorf("a week after the draft was sent: reminders %v, want ship_return", got)
	}
	if got := remindersFor(first.AuthorizedAt.Add(8*24*time.Hour), "LW-58201"); len(got) != 0 {
		t.Errorf("reminders %v in a thread a person took over", got)
	}
}
