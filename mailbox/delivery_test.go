package mailbox

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/returnsdesk/returnsdesk/state"
)

// TestPermanentSMTPFailure: a recipient the server refuses (5xx) is not retried;
// the reply is marked failed and its thread flagged for staff; the rest go out.
func TestPermanentSMTPFailure(t *testing.T) {
	e := newEnv(t, nil, "lumina")
	e.smtp.Refuse("sophie.vandenberg@example.nl")
	mails := mailsOf(mixedMails(), "lumina")
	e.deliver(mails...)
	r := e.start()
	e.waitCaughtUp(r)
	outs, err := r.db.OutgoingBySource(ctxb(), "c01.lumina@mail.example")
	if err != nil || len(outs) != 1 {
		t.Fatalf("reply to Sophie: %v, %v", outs, err)
	}
	o := outs[0]
	if o.Status != state.OutboxFailed || o.Attempts != 1 || !strings.Contains(o.LastError, "550") {
		t.Errorf("refused reply: status %s, %d attempts, error %q", o.Status, o.Attempts, o.LastError)
	}
	th, err := r.db.Thread(ctxb(), o.ThreadID)
	if err != nil {
		t.Fatal(err)
	}
	if th.FlaggedAt.IsZero() || th.FlagCode != state.FlagDeliveryFailed {
		t.Errorf("thread not flagged for staff: %+v", th)
	}
	counts, _ := r.db.OutboxCounts(ctxb())
	if counts[state.OutboxSent] != len(e.smtp.Messages()) || counts[state.OutboxSent] == 0 {
		t.Errorf("outbox %v, %d accepted", counts, len(e.smtp.Messages()))
	}
	for _, m := range e.contents("lumina", "Sent") {
		if m.messageID == o.MessageID {
			t.Error("the refused reply was filed in Sent")
		}
	}
}

// TestMissingSentFolder: a mailbox without a Sent folder gets no copies, which is
// logged once; sending goes on.
func TestMissingSentFolder(t *testing.T) {
	e := newEnv(t, nil, "alusse")
	if err := e.imap.User("alusse").DeleteFolder("Sent"); err != nil {
		t.Fatal(err)
	}
	mails := mailsOf(mixedMails(), "alusse")
	e.deliver(mails...)
	r := e.start()
	e.waitCaughtUp(r)
	if n := e.checkAnsweredOnce(r.db, mails); n == 0 {
		t.Error("nothing sent")
	}
	if got := strings.Count(r.logs.String(), "no Sent folder"); got != 1 {
		t.Errorf("missing Sent folder logged %d times, want once", got)
	}
}

// TestDeferredRecipient: a recipient the server defers (451) is retried with its
// own backoff while the other mail goes out, including mail queued later.
func TestDeferredRecipient(t *testing.T) {
	e := newEnv(t, nil, "lumina")
	e.smtp.Defer("sophie.vandenberg@example.nl")
	mails := mailsOf(mixedMails(), "lumina")
	e.deliver(mails[:8]...)
	r := e.start()
	onlySophieLeft := func() (bool, string) {
		if ok, why := e.handled(r); !ok {
			return false, why
		}
		p, err := r.db.PendingOutgoing(ctxb(), 0, 100)
		if err != nil || len(p) != 1 || p[0].Recipient != "sophie.vandenberg@example.nl" {
			return false, fmt.Sprintf("pending %d, %v", len(p), err)
		}
		u, _ := r.db.UnfiledOutgoing(ctxb(), 0, 100)
		return p[0].Attempts >= 2 && len(u) == 0, fmt.Sprintf("%d attempts, %d unfiled", p[0].Attempts, len(u))
	}
	waitFor(t, 20*time.Second, "all but Sophie's reply sent, hers retried", onlySophieLeft)
	e.deliver(mails[8:]...)
	waitFor(t, 20*time.Second, "the later mail sent past the deferred one", onlySophieLeft)
	e.smtp.Undefer("sophie.vandenberg@example.nl")
	e.waitCaughtUp(r)
	e.checkAnsweredOnce(r.db, mails)
	e.checkSent(r.db, "lumina")
}

// TestConnectionsKept: one SMTP login carries the replies of many rounds, and a
// connection the server dropped while idle is replaced without costing the next
// reply a failed try.
func TestConnectionsKept(t *testing.T) {
	e := newEnv(t, nil, "lumina")
	mail := lisaReturns("kept", time.Now().Add(-time.Hour))
	e.deliver(mail(1))
	// Every reuse is checked first, as after a pause.
	r := e.start(func(d *Daemon) { d.timing.keepCheck = 0 })
	e.waitCaughtUp(r)
	e.deliver(mail(2))
	e.waitCaughtUp(r)
	if n, s := len(e.smtp.Messages()), e.smtp.Sessions(); n != 2 || s != 1 {
		t.Fatalf("%d replies over %d SMTP connections, want 2 over 1", n, s)
	}

	e.smtp.DropSessions()
	e.deliver(mail(3))
	e.waitCaughtUp(r)
	if n, s := len(e.smtp.Messages()), e.smtp.Sessions(); n != 3 || s != 2 {
		t.Fatalf("%d replies over %d SMTP connections, want 3 over 2", n, s)
	}
	outs, err := r.db.OutgoingBySource(ctxb(), "kept-3@example.nl")
	if err != nil || len(outs) != 1 {
		t.Fatalf("reply to the third mail: %v, %v", outs, err)
	}
	if outs[0].Attempts != 1 || strings.Contains(r.logs.String(), "not delivered yet") {
		t.Errorf("the reply after the dropped connection took %d attempts:\n%s", outs[0].Attempts, r.logs.String())
	}
}

// lisaReturns makes Lisa's return mails for lumina, the i-th a minute after the one
// before from at, each with its own Message-ID under prefix.
func lisaReturns(prefix string, at time.Time) func(i int) testMail {
	return func(i int) testMail {
		return testMail{store: "lumina", from: "Lisa de Graaf <lisa.degraaf@example.nl>", subject: "retour",
			body: "Hallo, ik wil mijn bestelling LW-58201 retourneren, de jas is te groot.", at: at.Add(time.Duration(i) * time.Minute),
			id: fmt.Sprintf("%s-%d@example.nl", prefix, i)}
	}
}
