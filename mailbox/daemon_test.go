package mailbox

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"

	"github.com/returnsdesk/returnsdesk/state"
)

// TestMixedMailbox: 50 mixed mails to five store mailboxes are answered exactly
// once; replies are copied to Sent; flagged threads carry \Flagged (and are moved
// to Review where the account has one).
func TestMixedMailbox(t *testing.T) {
	e := newEnv(t, nil)
	e.storeConfig("lumina").IMAP[0].Review = "Review"
	mails := mixedMails()
	if len(mails) != 50 {
		t.Fatalf("the corpus has %d mails, want 50", len(mails))
	}
	// Most are waiting when the daemon starts; the rest arrive while it idles.
	e.deliver(mails[:40]...)
	r := e.start()
	e.waitCaughtUp(r)
	e.deliver(mails[40:]...)
	e.waitCaughtUp(r)

	replies := e.checkAnsweredOnce(r.db, mails)
	flagged := 0
	for _, s := range e.stores {
		flagged += e.checkMailboxMarks(r.db, s)
		e.checkSent(r.db, s)
	}
	inReview := len(e.contents("lumina", "Review"))
	t.Logf("%d replies, %d mails flagged, %d moved to lumina's Review", replies, flagged, inReview)
	if replies < 30 {
		t.Errorf("only %d replies: the corpus should produce more", replies)
	}
	if flagged < 8 {
		t.Errorf("only %d flagged mails: the corpus should produce more", flagged)
	}
	if inReview == 0 {
		t.Error("nothing moved to lumina's Review folder")
	}
	for _, m := range e.contents("lumina", "INBOX") {
		if m.has(`\Flagged`) {
			t.Errorf("lumina/INBOX uid %d is flagged but was not moved to Review", m.uid)
		}
	}
}

// TestRestart: the daemon is stopped with replies still queued (SMTP refusing) and
// one mail decided but not marked (a crash between the desk and the mailbox); a new
// daemon on the same state answers the rest, delivers the queue and repeats nothing.
func TestRestart(t *testing.T) {
	e := newEnv(t, nil)
	mails := mixedMails()
	e.deliver(mails[:25]...)
	e.smtp.Down.Store(true)
	r1 := e.start()
	waitFor(t, 20*time.Second, "the first daemon to handle the first 25 mails", func() (bool, string) { return e.handled(r1) })
	r1.stop(t)
	if n := len(e.smtp.Messages()); n != 0 {
		t.Fatalf("%d mails sent while the SMTP server refused", n)
	}

	// lumina uid 3 (a faulty item with photos: flagged) lost its marks in the crash.
	e.unmark("lumina", "INBOX", 3, imap.Flag(DefaultProcessedKeyword), imap.FlagFlagged, imap.Flag(DefaultFlaggedKeyword))
	db, err := state.Open(context.Background(), e.statePath)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetCursor(context.Background(), "lumina/support@luminahelp.com/INBOX", 1, 2); err != nil {
		t.Fatal(err)
	}
	pending, _ := db.PendingOutgoing(context.Background(), 0, 100)
	db.Close()
	if len(pending) == 0 {
		t.Fatal("no replies left queued at the stop: the test needs some")
	}

	e.smtp.Down.Store(false)
	e.deliver(mails[25:]...)
	r2 := e.start()
	e.waitCaughtUp(r2)
	e.checkAnsweredOnce(r2.db, mails)
	for _, s := range e.stores {
		e.checkMailboxMarks(r2.db, s)
		e.checkSent(r2.db, s)
	}
	if !strings.Contains(r2.logs.String(), "uid=3 message_id=c04.lumina@mail.example order=\"\" action=ignore code=duplicate") {
		t.Errorf("the second daemon did not take lumina uid 3 as a duplicate:\n%s", r2.logs.String())
	}
}

// TestSMTPDown: while the SMTP server refuses, replies stay queued and are retried;
// when it is back they all go out, once.
func TestSMTPDown(t *testing.T) {
	e := newEnv(t, nil, "lumina", "alusse")
	mails := mailsOf(mixedMails(), "lumina", "alusse")
	e.smtp.Down.Store(true)
	e.deliver(mails...)
	r := e.start()
	waitFor(t, 20*time.Second, "replies retried while SMTP is down", func() (bool, string) {
		if ok, why := e.handled(r); !ok {
			return false, why
		}
		p, err := r.db.PendingOutgoing(context.Background(), 0, 100)
		if err != nil || len(p) == 0 {
			return false, fmt.Sprintf("%d pending, %v", len(p), err)
		}
		// A refusing server is asked once per round, not once per mail.
		if n := e.smtp.Attempts(); n < 3 {
			return false, fmt.Sprintf("%d SMTP transactions", n)
		}
		return p[0].Attempts >= 3 && p[0].LastError != "", fmt.Sprintf("first pending mail: %d attempts", p[0].Attempts)
	})
	if n := len(e.smtp.Messages()); n != 0 {
		t.Fatalf("%d mails accepted while down", n)
	}
	// Back, but the first few DATA commands still fail for now.
	e.smtp.TempFail.Store(3)
	e.smtp.Down.Store(false)
	e.waitCaughtUp(r)
	if replies := e.checkAnsweredOnce(r.db, mails); replies == 0 {
		t.Error("nothing was sent")
	}
	e.checkSent(r.db, "lumina")
	e.checkSent(r.db, "alusse")
}

// TestIMAPCut: the server drops every connection and stops listening for a while;
// the worker reconnects and carries on, mail that arrived meanwhile included.
func TestIMAPCut(t *testing.T) {
	e := newEnv(t, nil, "lumina")
	mails := mailsOf(mixedMails(), "lumina")
	e.deliver(mails[:5]...)
	r := e.start()
	e.waitCaughtUp(r)
	before := e.imap.Logins()
	e.imap.Cut()
	e.deliver(mails[5:10]...)
	waitFor(t, 5*time.Second, "the worker to notice", func() (bool, string) {
		return strings.Contains(r.logs.String(), "reconnecting"), ""
	})
	if err := e.imap.Resume(); err != nil {
		t.Fatal(err)
	}
	e.waitCaughtUp(r)
	e.deliver(mails[10:]...)
	e.waitCaughtUp(r)
	if after := e.imap.Logins(); after <= before {
		t.Errorf("logins %d -> %d: no reconnection", before, after)
	}
	e.checkAnsweredOnce(r.db, mails)
	e.checkMailboxMarks(r.db, "lumina")
	e.checkSent(r.db, "lumina")
}

// TestDraftMode: a store in draft mode gets its replies in Drafts, marked \Draft;
// nothing is sent.
func TestDraftMode(t *testing.T) {
	e := newEnv(t, nil, "lumina")
	e.storeConfig("lumina").Mode = "draft"
	mails := mailsOf(mixedMails(), "lumina")
	e.deliver(mails...)
	r := e.start()
	e.waitCaughtUp(r)
	if n := e.smtp.Attempts(); n != 0 {
		t.Errorf("%d SMTP transactions in draft mode", n)
	}
	drafts := e.contents("lumina", "Drafts")
	byReplyTo := map[string]int{}
	for _, m := range drafts {
		if !m.has(`\Draft`) || !m.has(`\Flagged`) || m.has(`\Seen`) {
			t.Errorf("draft %s: %v, want \\Draft and \\Flagged, not \\Seen (it waits for a person)", m.messageID, m.flags)
		}
		byReplyTo[headerOf(m.raw, "In-Reply-To")]++
	}
	counts, err := r.db.OutboxCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(drafts) == 0 || counts[state.OutboxDrafted] != len(drafts) || counts[state.OutboxSent] != 0 {
		t.Errorf("%d drafts; outbox %v", len(drafts), counts)
	}
	for _, m := range mails {
		outs, _ := r.db.OutgoingBySource(context.Background(), m.id)
		if !m.dupOf && byReplyTo[m.id] != len(outs) {
			t.Errorf("%s: %d drafts, %d replies queued", m.id, byReplyTo[m.id], len(outs))
		}
	}
	if sent := e.contents("lumina", "Sent"); len(sent) != 0 {
		t.Errorf("%d mails in Sent in draft mode", len(sent))
	}
	e.checkMailboxMarks(r.db, "lumina")

	// Mail to staff is sent, drafts or not: the escalations tell them drafts wait.
	if _, err := r.d.desk().RunJobs(context.Background(), time.Now().Add(30*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	r.d.queued()
	waitFor(t, 10*time.Second, "the staff escalations to be sent", func() (bool, string) {
		n := 0
		for _, m := range e.smtp.Messages() {
			if strings.Contains(string(m.Raw), "[Returnsdesk]") {
				n++
			}
		}
		return n > 0, fmt.Sprintf("%d staff mails sent", n)
	})
}
