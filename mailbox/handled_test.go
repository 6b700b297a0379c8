package mailbox

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
)

// TestClearedFlagSilencesTheThread: staff clear the flag of a referred mail in their
// mail client; the desk notices, takes the thread as handled by a person, and does not
// answer the customer's next mail in it (which it flags again for them).
func TestClearedFlagSilencesTheThread(t *testing.T) {
	e := newEnv(t, nil, "lumina")
	at := time.Now().Add(-time.Hour)
	first := testMail{store: "lumina", from: "Lisa de Graaf <lisa.degraaf@example.nl>", subject: "vraag",
		body: "Hallo, een vraag over LW-58201, kunt u mij bellen?", at: at, id: "cleared-1@example.nl"}
	e.deliver(first)
	r := e.start()
	e.waitCaughtUp(r)
	repliesTo := func(addr string) int {
		n := 0
		for _, m := range e.smtp.Messages() {
			if slices.Contains(m.To, addr) {
				n++
			}
		}
		return n
	}
	if n := repliesTo("lisa.degraaf@example.nl"); n != 1 {
		t.Fatalf("%d replies to the first mail, want the holding reply", n)
	}

	e.unmark("lumina", "INBOX", 1, imap.FlagFlagged)
	waitFor(t, 10*time.Second, "the cleared flag to be noticed", func() (bool, string) {
		m, err := r.db.MessageByID(context.Background(), first.id)
		if err != nil {
			return false, err.Error()
		}
		th, err := r.db.Thread(context.Background(), m.ThreadID)
		if err != nil {
			return false, err.Error()
		}
		return th.HandledBy != "", fmt.Sprintf("handled by %q", th.HandledBy)
	})

	e.deliver(testMail{store: "lumina", from: "Lisa de Graaf <lisa.degraaf@example.nl>", subject: "Re: vraag",
		body: "Ik wil ook mijn legging retourneren, hoe gaat dat?", at: at.Add(10 * time.Minute), id: "cleared-2@example.nl",
		headers: []string{"In-Reply-To: <" + first.id + ">", "References: <" + first.id + ">"}})
	e.waitCaughtUp(r)
	time.Sleep(300 * time.Millisecond) // let the outbox run once more
	if n := repliesTo("lisa.degraaf@example.nl"); n != 1 {
		t.Errorf("%d replies after staff took the thread over, want still 1", n)
	}
	for _, m := range e.contents("lumina", "INBOX") {
		if m.uid == 2 && !m.has(`\Flagged`) {
			t.Errorf("the customer's mail in a handled thread is not flagged for staff")
		}
	}
}

// TestStaffReplyInSentSilencesTheThread: a person answers the customer from the
// support mailbox itself; the desk finds the reply in Sent (not one of its own) and
// keeps out of the thread, while its own replies there change nothing.
func TestStaffReplyInSentSilencesTheThread(t *testing.T) {
	e := newEnv(t, nil, "lumina")
	at := time.Now().Add(-time.Hour)
	first := testMail{store: "lumina", from: "Lisa de Graaf <lisa.degraaf@example.nl>", subject: "vraag",
		body: "Hallo, een vraag over LW-58201, kunt u mij bellen?", at: at, id: "sent-1@example.nl"}
	e.deliver(first)
	r := e.start()
	e.waitCaughtUp(r)
	handledBy := func() string {
		m, err := r.db.MessageByID(context.Background(), first.id)
		if err != nil {
			return ""
		}
		th, err := r.db.Thread(context.Background(), m.ThreadID)
		if err != nil {
			return ""
		}
		return th.HandledBy
	}
	// The desk's own holding reply is in Sent by now; it must not count.
	time.Sleep(500 * time.Millisecond)
	if by := handledBy(); by != "" {
		t.Fatalf("handled by %q before any person answered", by)
	}
	staff := "From: Lumina Wear <support@luminahelp.com>\r\nTo: lisa.degraaf@example.nl\r\nSubject: Re: vraag\r\n" +
		"Message-ID: <staff-own-1@luminahelp.com>\r\nIn-Reply-To: <" + first.id + ">\r\nReferences: <" + first.id + ">\r\n" +
		"Date: " + time.Now().Format(time.RFC1123Z) + "\r\n\r\nHoi Lisa, ik bel je morgen. Groet, Sanne (Lumina)\r\n"
	e.appendTo("lumina", "Sent", []byte(staff))
	waitFor(t, 10*time.Second, "the staff reply in Sent to be noticed", func() (bool, string) {
		by := handledBy()
		return by != "", fmt.Sprintf("handled by %q", by)
	})
}
