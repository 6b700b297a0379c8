package mailbox

import (
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"

	"github.com/returnsdesk/returnsdesk/state"
)

// TestOversizedMail: a mail over the size limit is not read; it is escalated to
// staff from its header, and the customer gets a holding reply that decides nothing.
func TestOversizedMail(t *testing.T) {
	e := newEnv(t, nil, "luxnome")
	e.cfg.Limits.MaxMessageBytes = 10_000
	big := testMail{store: "luxnome", from: "Emma de Vries <emma.devries@example.nl>", subject: "Return LX100233",
		body: "Hello, I would like to return the coat from order LX100233. Photos attached.", at: day20(9, 0),
		photos: 4, id: "big.luxnome@mail.example"}
	small := mailsOf(mixedMails(), "luxnome")[1]
	if len(big.bytes()) <= 10_000 || len(small.bytes()) > 10_000 {
		t.Fatalf("fixture sizes: big %d, small %d", len(big.bytes()), len(small.bytes()))
	}
	e.deliver(big, small)
	r := e.start()
	e.waitCaughtUp(r)

	rec, err := r.db.MessageByID(ctxb(), big.id)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Action != "escalate" || rec.Code != "needs_review" || !rec.Flagged {
		t.Errorf("oversized mail recorded as %s/%s flagged=%t, want escalate/needs_review", rec.Action, rec.Code, rec.Flagged)
	}
	outs, _ := r.db.OutgoingBySource(ctxb(), big.id)
	if len(outs) != 1 {
		t.Fatalf("oversized mail: %d replies, want one holding reply", len(outs))
	}
	if strings.Contains(string(outs[0].Raw), "LX-") || strings.Contains(string(outs[0].Raw), "RAN") {
		t.Errorf("the holding reply to an unread mail authorises something:\n%s", outs[0].Raw)
	}
	threads, err := r.db.Threads(ctxb())
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, th := range threads {
		found = found || (th.Customer == "emma.devries@example.nl" && !th.FlaggedAt.IsZero())
	}
	if !found {
		t.Errorf("no flagged thread for the oversized mail: %+v", threads)
	}
	if n := e.checkAnsweredOnce(r.db, []testMail{big, small}); n != 2 {
		t.Errorf("%d replies, want 2 (the holding reply and the small mail's answer)", n)
	}
	e.checkMailboxMarks(r.db, "luxnome")
}

// TestKeywordsRefusedWithoutMove: a server that keeps no custom keywords and lacks
// MOVE (IMAP4rev1 only): flagged mail gets \Flagged and is moved to Review by
// COPY + STORE + EXPUNGE; after a restart that lost the cursor, the desk's memory
// alone keeps every mail from a second answer.
func TestKeywordsRefusedWithoutMove(t *testing.T) {
	e := newEnv(t, imap.CapSet{imap.CapIMAP4rev1: {}}, "lumina")
	e.imap.NoKeywords.Store(true)
	lumina := e.storeConfig("lumina")
	lumina.IMAP[0].Review = "Review"
	lumina.IMAP[0].Sent = "Sent" // no SPECIAL-USE on this server
	mails := mailsOf(mixedMails(), "lumina")
	e.deliver(mails...)
	r := e.start()
	e.waitCaughtUp(r)
	if !strings.Contains(r.logs.String(), "does not keep custom keywords") {
		t.Error("the refusal of keywords was not logged")
	}
	checkMarks := func() int {
		flagged := 0
		for _, f := range []string{"INBOX", "Review"} {
			for _, m := range e.contents("lumina", f) {
				if m.has(DefaultProcessedKeyword) || m.has(DefaultFlaggedKeyword) {
					t.Errorf("%s uid %d carries a keyword the server refuses: %v", f, m.uid, m.flags)
				}
				rec, err := r.db.MessageByID(ctxb(), m.messageID)
				if err != nil {
					t.Fatalf("%s uid %d: %v", f, m.uid, err)
				}
				if m.has(`\Flagged`) != rec.Flagged || (f == "Review") != rec.Flagged {
					t.Errorf("%s uid %d (%s/%s): flags %v", f, m.uid, rec.Action, rec.Code, m.flags)
				}
				if rec.Flagged {
					flagged++
				}
			}
		}
		return flagged
	}
	if n := checkMarks(); n == 0 {
		t.Error("no flagged mail in this mailbox")
	}
	e.checkAnsweredOnce(r.db, mails)
	e.checkSent(r.db, "lumina")
	r.stop(t)

	// The cursor is lost: every mail is read again and known to the desk.
	db, err := state.Open(ctxb(), e.statePath)
	if err != nil {
		t.Fatal(err)
	}
	db.SetCursor(ctxb(), "lumina/support@luminahelp.com/INBOX", 0, 0)
	db.Close()
	sent := len(e.smtp.Messages())
	r2 := e.start()
	e.waitCaughtUp(r2)
	if n := len(e.smtp.Messages()); n != sent {
		t.Errorf("%d mails sent after the restart, want none", n-sent)
	}
}

// TestPollingWithoutIdle: without IDLE the worker finds new mail by polling.
func TestPollingWithoutIdle(t *testing.T) {
	e := newEnv(t, nil, "alusse")
	r := e.start(func(d *Daemon) { d.timing.useIdle = false; d.timing.poll = 50 * time.Millisecond })
	mails := mailsOf(mixedMails(), "alusse")
	waitFor(t, 5*time.Second, "the worker to start polling", func() (bool, string) {
		return strings.Contains(r.logs.String(), "watching"), ""
	})
	e.deliver(mails...)
	e.waitCaughtUp(r)
	e.checkAnsweredOnce(r.db, mails)
	e.checkMailboxMarks(r.db, "alusse")
}

// TestUIDValidityChange: the server renumbers the folder (UIDVALIDITY changes) and
// its mail comes back without marks; the daemon reads it all again, answers only
// the new mail and marks the old as before.
func TestUIDValidityChange(t *testing.T) {
	e := newEnv(t, nil, "alinora")
	mails := mailsOf(mixedMails(), "alinora")
	e.deliver(mails[:7]...)
	r := e.start()
	e.waitCaughtUp(r)
	r.stop(t)
	sent := len(e.smtp.Messages())

	if err := e.imap.User("alinora").RecreateFolder("INBOX"); err != nil {
		t.Fatal(err)
	}
	e.mu.Lock()
	e.uids["alinora"] = 0
	e.mu.Unlock()
	e.deliver(mails...) // the old seven again, and three new
	r2 := e.start()
	e.waitCaughtUp(r2)
	if !strings.Contains(r2.logs.String(), "UIDVALIDITY changed") {
		t.Error("the UIDVALIDITY change was not noticed")
	}
	e.checkAnsweredOnce(r2.db, mails)
	e.checkMailboxMarks(r2.db, "alinora")
	newReplies := 0
	for _, m := range mails[7:] {
		if outs, _ := r2.db.OutgoingBySource(ctxb(), m.id); len(outs) > 0 {
			newReplies++
		}
	}
	if got := len(e.smtp.Messages()) - sent; got != newReplies {
		t.Errorf("%d mails sent after the renumbering, want %d (the new mail only)", got, newReplies)
	}
}
