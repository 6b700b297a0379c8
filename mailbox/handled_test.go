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

// TestClearedFlagIsNoticedWhileIdling: the server's push of a flag another client
// cleared (FETCH FLAGS during IDLE) wakes the worker at once; with the watchdog and the
// poll an hour away, nothing else could. TestDovecotClearedFlagWhileIdling runs the
// same against Dovecot.
func TestClearedFlagIsNoticedWhileIdling(t *testing.T) {
	checkClearedFlagWhileIdling(t, newEnv(t, nil, "lumina"))
}

func checkClearedFlagWhileIdling(t *testing.T, e *env) {
	t.Helper()
	mail := testMail{store: "lumina", from: "Lisa de Graaf <lisa.degraaf@example.nl>", subject: "vraag",
		body: "Hallo, een vraag over LW-58201, kunt u mij bellen?", at: time.Now().Add(-time.Hour), id: "idle-flag@example.nl"}
	e.deliver(mail)
	r := e.start(func(d *Daemon) {
		d.timing.watchdog = time.Hour
		d.timing.poll = time.Hour
	})
	e.waitCaughtUp(r)
	time.Sleep(300 * time.Millisecond) // let the worker settle into IDLE after its first round
	e.unmark("lumina", "INBOX", 1, imap.FlagFlagged)
	waitFor(t, 5*time.Second, "the cleared flag to be noticed without waiting for the watchdog", func() (bool, string) {
		m, err := r.db.MessageByID(context.Background(), mail.id)
		if err != nil {
			return false, err.Error()
		}
		th, err := r.db.Thread(context.Background(), m.ThreadID)
		if err != nil {
			return false, err.Error()
		}
		return th.HandledBy != "", "not handled yet"
	})
}
