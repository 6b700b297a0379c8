package mailbox

import (
	"errors"
	"net"
	"testing"

	"github.com/emersion/go-imap/v2"

	"github.com/returnsdesk/returnsdesk/mailbox/localmail"
)

// startDovecot runs Dovecot in the foreground for the test and returns its address.
func startDovecot(t *testing.T, users []string) string {
	t.Helper()
	d, err := localmail.StartDovecot(t.TempDir(), users, testPassword)
	if errors.Is(err, localmail.ErrNoDovecot) {
		t.Skip(err.Error())
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		d.Close()
		if t.Failed() {
			t.Logf("dovecot:\n%s", d.Log())
		}
	})
	return d.Addr
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// newDovecotEnv is a test's world on a real Dovecot, mail delivered by APPEND as
// another mail client would; the test skips where Dovecot is not installed.
func newDovecotEnv(t *testing.T, stores ...string) *env {
	t.Helper()
	addr := startDovecot(t, stores)
	e := newBareEnv(t, addr, stores)
	e.appendMail = func(m testMail) imap.UID {
		t.Helper()
		uids, err := localmail.Append(addr, m.store, testPassword, "INBOX", localmail.Delivery{Raw: m.bytes(), At: m.at})
		if err != nil {
			t.Fatal(err)
		}
		if uids[0] == 0 {
			t.Fatal("APPEND gave no UID (no UIDPLUS?)")
		}
		return uids[0]
	}
	return e
}

// TestDovecot runs the daemon end to end against a real Dovecot: replies are sent
// once, copies land in the Sent folder found by SPECIAL-USE, escalations carry
// \Flagged and the review keyword, and flagged mail moves to Review.
func TestDovecot(t *testing.T) {
	stores := []string{"lumina", "alusse"}
	e := newDovecotEnv(t, stores...)
	lumina := e.storeConfig("lumina")
	lumina.IMAP[0].Auth = "plain"
	lumina.IMAP[0].Review = "Review"
	mails := mailsOf(mixedMails(), stores...)
	e.deliver(mails[:len(mails)/2]...)
	r := e.start()
	e.waitCaughtUp(r)
	e.deliver(mails[len(mails)/2:]...) // these arrive while the daemon idles
	e.waitCaughtUp(r)

	replies := e.checkAnsweredOnce(r.db, mails)
	flagged := 0
	for _, s := range stores {
		flagged += e.checkMailboxMarks(r.db, s)
		e.checkSent(r.db, s)
	}
	review := e.contents("lumina", "Review")
	t.Logf("dovecot: %d replies, %d flagged, %d in lumina's Review", replies, flagged, len(review))
	if replies == 0 || flagged == 0 || len(review) == 0 {
		t.Errorf("want replies, flagged mail and mail in Review; got %d, %d, %d", replies, flagged, len(review))
	}
}

// TestDovecotStaffWorkflow is checkStaffWorkflow against a real Dovecot.
func TestDovecotStaffWorkflow(t *testing.T) {
	checkStaffWorkflow(t, newDovecotEnv(t, "lumina", "alusse"))
}

// TestDovecotClearedFlagWhileIdling is checkClearedFlagWhileIdling against a real Dovecot.
func TestDovecotClearedFlagWhileIdling(t *testing.T) {
	checkClearedFlagWhileIdling(t, newDovecotEnv(t, "lumina"))
}
