package mailbox

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/returnsdesk/returnsdesk/config"
	"github.com/returnsdesk/returnsdesk/desk"
	"github.com/returnsdesk/returnsdesk/mailbox/localmail"
	"github.com/returnsdesk/returnsdesk/responder"
	"github.com/returnsdesk/returnsdesk/state"
	"github.com/returnsdesk/returnsdesk/state/statetest"
	"github.com/returnsdesk/returnsdesk/templates"
)

const testPassword = "s3cret-password"

// env is one test's world: an IMAP server with a user per store mailbox, an SMTP
// server, a state file and the configuration joining them.
type env struct {
	t         *testing.T
	imap      *localmail.IMAPServer // nil when the IMAP server is Dovecot
	imapAddr  string
	smtp      *localmail.SMTPSink
	cfg       *config.Config
	statePath string
	stores    []string
	// appendMail puts a mail into a store's INBOX and returns its UID.
	appendMail func(m testMail) imap.UID
	// uids remembers the last UID delivered to each store's INBOX.
	mu   sync.Mutex
	uids map[string]imap.UID
	// runGate, when set, holds the daemons started back from running until it is
	// closed, so that several start at the same moment.
	runGate chan struct{}
}

var allStores = []string{"lumina", "alinora", "alustoora", "alusse", "luxnome"}

// newEnv uses go-imap's server; caps nil gives IMAP4rev2 with MOVE and SPECIAL-USE.
func newEnv(t *testing.T, caps imap.CapSet, stores ...string) *env {
	t.Helper()
	if len(stores) == 0 {
		stores = allStores
	}
	return newLocalEnv(t, localmail.IMAPOptions{Caps: caps}, stores)
}

// newLocalEnv uses localmail's IMAP server with opts.
func newLocalEnv(t *testing.T, opts localmail.IMAPOptions, stores []string) *env {
	t.Helper()
	srv, err := localmail.NewIMAPServer(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	e := newBareEnv(t, srv.Addr, stores)
	e.imap = srv
	for _, s := range stores {
		if _, err := srv.AddUser(s, testPassword); err != nil {
			t.Fatal(err)
		}
	}
	e.appendMail = func(m testMail) imap.UID {
		uid, err := srv.User(m.store).Deliver("INBOX", m.bytes(), m.at)
		if err != nil {
			t.Fatal(err)
		}
		return uid
	}
	return e
}

// newSMTP starts an SMTP sink for the test.
func newSMTP(t *testing.T, opts localmail.SMTPOptions) *localmail.SMTPSink {
	t.Helper()
	s, err := localmail.NewSMTPSink(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// newBareEnv configures the stores for an IMAP server at imapAddr (users named
// after the stores) and starts the SMTP server.
func newBareEnv(t *testing.T, imapAddr string, stores []string) *env {
	t.Helper()
	e := &env{t: t, imapAddr: imapAddr, smtp: newSMTP(t, localmail.SMTPOptions{}), stores: stores,
		statePath: statetest.State(t, "state.db"), uids: map[string]imap.UID{}}
	_, portText, _ := net.SplitHostPort(imapAddr)
	port, _ := strconv.Atoi(portText)
	cfg := config.Default()
	// The test mailboxes hold mail dated days before the test runs: answer it all.
	cfg.Daemon.FirstStartBacklog.Duration = 0
	// Scheduled jobs run on the wall clock: keep them out of the way; tests call them.
	cfg.Jobs.Schedule = "@yearly"
	cfg.SMTP = config.SMTP{Host: "127.0.0.1", Port: e.smtp.Port(), Security: "none", Auth: "none"}
	for _, s := range stores {
		cfg.Stores = append(cfg.Stores, config.Store{ID: s, IMAP: []config.IMAP{{
			Host: "127.0.0.1", Port: port, Security: "none", Auth: "login",
			Username: s, Password: config.Secret{Value: testPassword},
		}}})
	}
	e.cfg = cfg
	return e
}

func ctxb() context.Context { return context.Background() }

// storeConfig returns the config entry of a store, to change it before start.
func (e *env) storeConfig(id string) *config.Store {
	for i := range e.cfg.Stores {
		if e.cfg.Stores[i].ID == id {
			return &e.cfg.Stores[i]
		}
	}
	e.t.Fatalf("no store %s in the config", id)
	return nil
}

// deliver puts mails into their store's INBOX, each at its own arrival time.
func (e *env) deliver(mails ...testMail) {
	e.t.Helper()
	for _, m := range mails {
		uid := e.appendMail(m)
		e.mu.Lock()
		e.uids[m.store] = max(e.uids[m.store], uid)
		e.mu.Unlock()
	}
}

// running is one started daemon.
type running struct {
	d      *Daemon
	db     *state.DB
	cancel context.CancelFunc
	done   chan error
	logs   *logBuffer
}

// start opens the state and runs a daemon on it with fast clocks.
func (e *env) start(adjust ...func(*Daemon)) *running {
	e.t.Helper()
	ctx := context.Background()
	db, err := state.Open(ctx, e.statePath)
	if err != nil {
		e.t.Fatal(err)
	}
	logs := &logBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	dk := newTestDesk(e.t, e.cfg, db, logger)
	d, err := New(e.cfg, dk, db, logger)
	if err != nil {
		db.Close()
		e.t.Fatal(err)
	}
	d.timing.minBackoff = 10 * time.Millisecond
	d.timing.maxBackoff = 150 * time.Millisecond
	d.timing.poll = 200 * time.Millisecond
	d.timing.watchdog = 500 * time.Millisecond
	d.timing.live = 5 * time.Second
	d.timing.sentCheck = 0
	d.timing.op = 5 * time.Second
	d.timing.dial = 5 * time.Second
	for _, f := range adjust {
		f(d)
	}
	runCtx, cancel := context.WithCancel(ctx)
	r := &running{d: d, db: db, cancel: cancel, done: make(chan error, 1), logs: logs}
	gate := e.runGate
	go func() {
		if gate != nil {
			<-gate
		}
		r.done <- d.Run(runCtx)
	}()
	e.t.Cleanup(func() { r.stop(e.t) })
	return r
}

// stop cancels the daemon and waits for Run to return; it may be called twice.
func (r *running) stop(t *testing.T) {
	t.Helper()
	if r.cancel == nil {
		return
	}
	r.cancel()
	r.cancel = nil
	select {
	case err := <-r.done:
		if err != nil {
			t.Errorf("Run returned %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return within 10s of cancel")
	}
	r.db.Close()
	if t.Failed() || os.Getenv("MAILBOX_TEST_LOG") != "" {
		t.Logf("daemon log:\n%s", r.logs.String())
	}
}

func newTestDesk(t *testing.T, cfg *config.Config, db *state.DB, logger *slog.Logger) *desk.Desk {
	t.Helper()
	stores, err := cfg.BuildStores("")
	if err != nil {
		t.Fatal(err)
	}
	renderer, err := responder.NewRenderer(templates.FS, "")
	if err != nil {
		t.Fatal(err)
	}
	return desk.New(stores, db, renderer, desk.Options{Logger: logger})
}

// logBuffer collects the daemon's log, shown when a test fails.
type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var last string
	for time.Now().Before(deadline) {
		ok, state := cond()
		if ok {
			return
		}
		last = state
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("timed out after %s waiting for %s (last: %s)", timeout, what, last)
}

// caughtUp reports whether every delivered mail was handled (the cursors passed
// them) and the outbox holds nothing pending or owed to Sent.
func (e *env) caughtUp(r *running) (bool, string) {
	ctx := context.Background()
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, a := range r.d.accounts {
		_, last, err := r.db.Cursor(ctx, a.key)
		if err != nil {
			return false, err.Error()
		}
		if imap.UID(last) < e.uids[a.store] {
			return false, fmt.Sprintf("%s at uid %d of %d", a.store, last, e.uids[a.store])
		}
	}
	pending, err := r.db.PendingOutgoing(ctx, 0, 1000)
	if err != nil {
		return false, err.Error()
	}
	unfiled, err := r.db.UnfiledOutgoing(ctx, 0, 1000)
	if err != nil {
		return false, err.Error()
	}
	if len(pending)+len(unfiled) > 0 {
		return false, fmt.Sprintf("%d pending, %d unfiled", len(pending), len(unfiled))
	}
	return true, ""
}

func (e *env) waitCaughtUp(r *running) {
	e.t.Helper()
	waitFor(e.t, 20*time.Second, "the daemon to catch up", func() (bool, string) { return e.caughtUp(r) })
}

// contents reads a folder of a store's mailbox.
func (e *env) contents(store, folder string) []imapMessage {
	e.t.Helper()
	msgs, err := folderContents(e.t, e.imapAddr, store, testPassword, folder)
	if err != nil {
		e.t.Fatalf("read %s/%s: %v", store, folder, err)
	}
	return msgs
}

// checkAnsweredOnce compares what the SMTP server accepted with the state: every
// customer mail the desk answered got exactly one reply, the others none, and
// nothing else was sent.
func (e *env) checkAnsweredOnce(db *state.DB, mails []testMail) (replies int) {
	e.t.Helper()
	ctx := context.Background()
	got := byInReplyTo(e.smtp)
	seen := map[string]bool{}
	for _, m := range mails {
		if seen[m.id] {
			continue
		}
		seen[m.id] = true
		outs, err := db.OutgoingBySource(ctx, m.id)
		if err != nil {
			e.t.Fatal(err)
		}
		if len(outs) > 1 {
			e.t.Errorf("%s: %d replies queued, want at most 1", m.id, len(outs))
		}
		if m.machine && len(outs) > 0 {
			e.t.Errorf("%s: machine mail answered", m.id)
		}
		if got[m.id] != len(outs) {
			e.t.Errorf("%s: %d replies delivered by SMTP, want %d", m.id, got[m.id], len(outs))
		}
		replies += got[m.id]
	}
	if total := len(e.smtp.Messages()); total != replies {
		e.t.Errorf("SMTP accepted %d mails, %d of them replies to the test mails", total, replies)
	}
	return replies
}

// checkMailboxMarks checks every mail in INBOX and Review against the state: it
// carries the processed keyword, and \Flagged exactly when its decision was flagged.
func (e *env) checkMailboxMarks(db *state.DB, store string, folders ...string) (flagged int) {
	e.t.Helper()
	ctx := context.Background()
	if len(folders) == 0 {
		folders = []string{"INBOX", "Review"}
	}
	for _, f := range folders {
		for _, m := range e.contents(store, f) {
			if m.has(`\Seen`) {
				e.t.Errorf("%s/%s uid %d (%s): \\Seen set", store, f, m.uid, m.messageID)
			}
			if !m.has(DefaultProcessedKeyword) {
				e.t.Errorf("%s/%s uid %d (%s): no processed keyword (flags %v)", store, f, m.uid, m.messageID, m.flags)
			}
			rec, err := db.MessageByID(ctx, m.messageID)
			if err != nil {
				e.t.Errorf("%s/%s uid %d (%s): %v", store, f, m.uid, m.messageID, err)
				continue
			}
			if m.has(`\Flagged`) != rec.Flagged {
				e.t.Errorf("%s/%s uid %d (%s): \\Flagged %t, decision %s/%s flagged %t", store, f, m.uid, m.messageID,
					m.has(`\Flagged`), rec.Action, rec.Code, rec.Flagged)
			}
			if m.has(`\Flagged`) {
				flagged++
				if !m.has(DefaultFlaggedKeyword) {
					e.t.Errorf("%s/%s uid %d: flagged without %s (flags %v)", store, f, m.uid, DefaultFlaggedKeyword, m.flags)
				}
			}
		}
	}
	return flagged
}

// checkSent checks that a store's Sent folder holds exactly the mails sent from it.
func (e *env) checkSent(db *state.DB, store string) int {
	e.t.Helper()
	var want []string
	for _, m := range e.smtp.Messages() {
		if strings.Contains(strings.ToLower(m.From), storeMailboxes[store]) {
			want = append(want, headerOf(m.Raw, "Message-Id"))
		}
	}
	var got []string
	for _, m := range e.contents(store, "Sent") {
		got = append(got, m.messageID)
		if !m.has(`\Seen`) {
			e.t.Errorf("%s/Sent %s: not \\Seen", store, m.messageID)
		}
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(want, got) {
		e.t.Errorf("%s/Sent holds %v, want the %d sent mails %v", store, got, len(want), want)
	}
	return len(got)
}

// handled reports whether the cursors passed every delivered mail.
func (e *env) handled(r *running) (bool, string) {
	ctx := context.Background()
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, a := range r.d.accounts {
		_, last, err := r.db.Cursor(ctx, a.key)
		if err != nil {
			return false, err.Error()
		}
		if imap.UID(last) < e.uids[a.store] {
			return false, fmt.Sprintf("%s at uid %d of %d", a.store, last, e.uids[a.store])
		}
	}
	return true, ""
}

// mailClient is a store user's own IMAP session, as staff's mail client has one.
func (e *env) mailClient(store string) *imapclient.Client {
	e.t.Helper()
	c, err := imapclient.DialInsecure(e.imapAddr, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := c.Login(store, testPassword).Wait(); err != nil {
		c.Close()
		e.t.Fatal(err)
	}
	return c
}

// unmark removes flags from a message with a real client, as a crash between the
// desk's decision and the marks would have left it.
func (e *env) unmark(store, folder string, uid imap.UID, flags ...imap.Flag) {
	e.t.Helper()
	c := e.mailClient(store)
	defer c.Close()
	if _, err := c.Select(folder, nil).Wait(); err != nil {
		e.t.Fatal(err)
	}
	if err := c.Store(imap.UIDSetNum(uid), &imap.StoreFlags{Op: imap.StoreFlagsDel, Silent: true, Flags: flags}, nil).Close(); err != nil {
		e.t.Fatal(err)
	}
	c.Logout().Wait()
}

// appendTo puts raw into a folder of a store's account, as a mail client would.
func (e *env) appendTo(store, folder string, raw []byte) {
	e.t.Helper()
	c := e.mailClient(store)
	defer c.Close()
	cmd := c.Append(folder, int64(len(raw)), nil)
	if _, err := cmd.Write(raw); err != nil {
		e.t.Fatal(err)
	}
	if err := cmd.Close(); err != nil {
		e.t.Fatal(err)
	}
	if _, err := cmd.Wait(); err != nil {
		e.t.Fatal(err)
	}
	c.Logout().Wait()
}

// mailsOf picks the mails of some stores.
func mailsOf(mails []testMail, stores ...string) []testMail {
	var out []testMail
	for _, m := range mails {
		if slices.Contains(stores, m.store) {
			out = append(out, m)
		}
	}
	return out
}
