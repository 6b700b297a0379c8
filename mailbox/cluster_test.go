package mailbox

import (
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/returnsdesk/returnsdesk/state/statetest"
)

// testLeaseTTL is the lease time of the cluster tests' daemons: short, so a
// takeover happens within the test.
const testLeaseTTL = 1500 * time.Millisecond

// newPostgresEnv is newEnv on a fresh Postgres state, which every daemon the test
// starts shares (skipped without RETURNSDESK_TEST_POSTGRES).
func newPostgresEnv(t *testing.T, stores ...string) *env {
	t.Helper()
	st := statetest.Postgres(t)
	e := newEnv(t, nil, stores...)
	e.statePath, e.cfg.State = st, st
	return e
}

// startInstance starts one more daemon on the env's shared state.
func (e *env) startInstance() *running {
	return e.start(func(d *Daemon) { d.leaseTTL = testLeaseTTL })
}

var handledID = regexp.MustCompile(`msg="message handled".* message_id=(\S+)`)

// handledBy lists the Message-IDs a daemon's log says it handled.
func handledBy(r *running) map[string]bool {
	out := map[string]bool{}
	for _, m := range handledID.FindAllStringSubmatch(r.logs.String(), -1) {
		out[m[1]] = true
	}
	return out
}

// TestTwoInstancesStartTogetherPostgres: two daemons started at the same moment on
// one state divide the mailboxes between them: no mail is handled by both, every
// mail is answered exactly once and filed once in Sent.
func TestTwoInstancesStartTogetherPostgres(t *testing.T) {
	e := newPostgresEnv(t)
	mails := mixedMails()
	e.deliver(mails[:40]...)
	e.runGate = make(chan struct{})
	a, b := e.startInstance(), e.startInstance()
	close(e.runGate)
	e.waitCaughtUp(a)
	e.deliver(mails[40:]...)
	e.waitCaughtUp(a)

	byA, byB := handledBy(a), handledBy(b)
	for id := range byA {
		if byB[id] {
			t.Errorf("%s was handled by both instances", id)
		}
	}
	if len(byA)+len(byB) == 0 {
		t.Fatal("no mail handled at all")
	}
	replies := e.checkAnsweredOnce(a.db, mails)
	for _, s := range e.stores {
		e.checkMailboxMarks(a.db, s)
		e.checkSent(a.db, s)
	}
	t.Logf("instance A handled %d mails and holds %v; B handled %d and holds %v; %d replies",
		len(byA), a.d.leases.names(), len(byB), b.d.leases.names(), replies)
	if held := len(a.d.leases.names()) + len(b.d.leases.names()); held != len(e.stores)+1 {
		t.Errorf("%d leases held between them, want %d (each mailbox and the jobs)", held, len(e.stores)+1)
	}
	// Each names itself and what it holds on /healthz, and counts the mailboxes
	// the other works as read.
	for _, r := range []*running{a, b} {
		rec := httptest.NewRecorder()
		r.d.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
		body := rec.Body.String()
		if rec.Code != 200 || !strings.Contains(body, "instance: "+r.d.holder) || !strings.Contains(body, "leases held") {
			t.Errorf("/healthz of %s: %d\n%s", r.d.holder, rec.Code, body)
		}
		for _, name := range r.d.leases.names() {
			if !strings.Contains(body, name) {
				t.Errorf("/healthz of %s does not name its lease %s:\n%s", r.d.holder, name, body)
			}
		}
	}
}

// TestTakeoverAfterLostStatePostgres: an instance that loses the database (its
// connection pool closed under it, as a network cut does) stops working its
// mailboxes, and another takes them all over within the lease time and goes on
// from the committed cursors: the mail before and after is answered exactly once.
func TestTakeoverAfterLostStatePostgres(t *testing.T) {
	e := newPostgresEnv(t, "lumina", "alinora", "luxnome")
	mails := mailsOf(mixedMails(), e.stores...)
	half := len(mails) / 2
	e.deliver(mails[:half]...)
	a := e.startInstance()
	waitFor(t, 5*time.Second, "the first instance to hold every lease", func() (bool, string) {
		n := a.d.leases.names()
		return len(n) == len(e.stores)+1, strings.Join(n, ", ")
	})
	e.waitCaughtUp(a)
	b := e.startInstance()

	cut := time.Now()
	a.db.Close()
	var took time.Duration
	waitFor(t, testLeaseTTL+3*time.Second, "the second instance to take every lease over", func() (bool, string) {
		n := b.d.leases.names()
		took = time.Since(cut)
		return len(n) == len(e.stores)+1, strings.Join(n, ", ")
	})
	if held := a.d.leases.names(); len(held) > 0 {
		t.Errorf("the cut-off instance still counts itself the holder of %v", held)
	}
	e.deliver(mails[half:]...)
	e.waitCaughtUp(b)
	e.checkAnsweredOnce(b.db, mails)
	for _, s := range e.stores {
		e.checkMailboxMarks(b.db, s)
		e.checkSent(b.db, s)
	}
	t.Logf("takeover %v after the cut (lease %v); %d mails, A handled %d, B %d", took.Round(time.Millisecond), testLeaseTTL,
		len(mails), len(handledBy(a)), len(handledBy(b)))
	// What was left of the lease, and slack for a loaded machine.
	if limit := testLeaseTTL + 500*time.Millisecond; took > limit {
		t.Errorf("takeover took %v, want within the lease time %v, %v at most", took, testLeaseTTL, limit)
	}
	if !slices.ContainsFunc(strings.Split(a.logs.String(), "\n"), func(l string) bool { return strings.Contains(l, "lease lost") }) {
		t.Errorf("the cut-off instance never said it lost its leases")
	}
}
