package mailbox

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
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

// TestStaffWorkflow is the whole of staff's side against the in-process server; the
// same runs against Dovecot in TestDovecotStaffWorkflow.
func TestStaffWorkflow(t *testing.T) {
	checkStaffWorkflow(t, newEnv(t, nil, "lumina", "alusse"))
}

// checkStaffWorkflow: a cleared flag and a staff reply in Sent take threads over; a
// one-line "approve" from the store's staff address to a referral sends the customer
// the authorisation with a RAN and confirms it to staff; the same line from a
// stranger authorises nothing.
func checkStaffWorkflow(t *testing.T, e *env) {
	t.Helper()
	e.storeConfig("alusse").Staff = []string{"equipe@alusse.com"}
	referral, err := os.ReadFile("../testdata/holdout/alusse/008-retractation-pull-soldes.eml")
	if err != nil {
		t.Fatal(err)
	}
	const referralID = "bdb4b321-e65f-1378-f46b-7ccebab01edb@example.fr"
	at := time.Now().Add(-time.Hour)
	vague := testMail{store: "lumina", from: "Lisa de Graaf <lisa.degraaf@example.nl>", subject: "vraag",
		body: "Hallo, een vraag over LW-58201, kunt u mij bellen?", at: at, id: "wf-1@example.nl"}
	other := testMail{store: "lumina", from: "Noah Peters <noah.peters@example.nl>", subject: "question",
		body: "Hello, a question about my order, please call me.", at: at.Add(time.Minute), id: "wf-2@example.nl"}
	e.deliver(vague, other, testMail{store: "alusse", raw: referral, id: referralID, at: at})
	r := e.start()
	e.waitCaughtUp(r)
	handledBy := func(id string) string {
		m, err := r.db.MessageByID(context.Background(), id)
		if err != nil {
			return ""
		}
		th, err := r.db.Thread(context.Background(), m.ThreadID)
		if err != nil {
			return ""
		}
		return th.HandledBy
	}
	sentTo := func(addr, contains string) int {
		n := 0
		for _, m := range e.smtp.Messages() {
			if slices.Contains(m.To, addr) && strings.Contains(string(m.Raw), contains) {
				n++
			}
		}
		return n
	}

	// A cleared flag.
	e.unmark("lumina", "INBOX", 1, imap.FlagFlagged)
	waitFor(t, 15*time.Second, "the cleared flag to be noticed", func() (bool, string) {
		by := handledBy(vague.id)
		return by != "", fmt.Sprintf("handled by %q", by)
	})
	// A person's reply from the support mailbox itself.
	if by := handledBy(other.id); by != "" {
		t.Fatalf("%s handled by %q before anyone answered", other.id, by)
	}
	e.appendTo("lumina", "Sent", []byte("From: Lumina Wear <support@luminahelp.com>\r\nTo: noah.peters@example.nl\r\n"+
		"Subject: Re: question\r\nMessage-ID: <wf-staff@luminahelp.com>\r\nIn-Reply-To: <"+other.id+">\r\n"+
		"References: <"+other.id+">\r\nDate: "+time.Now().Format(time.RFC1123Z)+"\r\n\r\nHi Noah, I will call you today.\r\n"))
	waitFor(t, 15*time.Second, "the staff reply in Sent to be noticed", func() (bool, string) {
		by := handledBy(other.id)
		return by != "", fmt.Sprintf("handled by %q", by)
	})

	// Commands: a stranger's, then staff's.
	command := func(from, id string) testMail {
		return testMail{store: "alusse", from: from, subject: "Re: Rétractation – pull en cachemire", body: "approve",
			at: time.Now(), id: id, headers: []string{"In-Reply-To: <" + referralID + ">", "References: <" + referralID + ">"}}
	}
	e.deliver(command("Someone <someone@example.org>", "wf-stranger@example.org"))
	e.waitCaughtUp(r)
	if n := sentTo("ines.fontaine@example.fr", "ALS-"); n != 0 {
		t.Fatalf("a stranger's approve sent the customer %d authorisations", n)
	}
	e.deliver(command("Équipe Alussé <equipe@alusse.com>", "wf-approve@alusse.com"))
	e.waitCaughtUp(r)
	waitFor(t, 15*time.Second, "the customer's authorisation and staff's confirmation", func() (bool, string) {
		toCustomer, toStaff := sentTo("ines.fontaine@example.fr", "ALS-"), sentTo("equipe@alusse.com", "ALS-")
		return toCustomer == 1 && toStaff == 1, fmt.Sprintf("%d to the customer, %d to staff", toCustomer, toStaff)
	})
}
