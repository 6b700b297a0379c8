package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"mime"
	"net"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/returnsdesk/returnsdesk/mailbox/localmail"
	"github.com/returnsdesk/returnsdesk/state"
	"github.com/returnsdesk/returnsdesk/state/statetest"
)

// TestCrashConsistency runs the real binary (`returnsdesk run`) against a few hundred
// mails in four stores' mailboxes and kills it with SIGKILL at random moments,
// restarting it each time, then lets it finish. Whatever moment a kill hits:
//
//   - every mail is recorded in the state: none is lost;
//   - each mail is answered at most once: one outbox row, and at the SMTP server one
//     distinct reply Message-ID, the one the outbox holds;
//   - the one window the design leaves (a kill between the server's acceptance and
//     the outbox's "sent" mark) can only repeat the same stored bytes, and it is rare:
//     at most one repeat per kill;
//   - every mail ends up marked in the mailbox as its recorded decision says, and every
//     sent reply has its copy in Sent.
//
// The kills are drawn from a seeded PRNG; RETURNSDESK_CRASH_SEED picks another seed.
func TestCrashConsistency(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the crash test builds the binary and runs it for several seconds")
	}
	seed := uint64(20261120)
	if s := os.Getenv("RETURNSDESK_CRASH_SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("RETURNSDESK_CRASH_SEED: %v", err)
		}
		seed = v
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x5eed))
	began := time.Now()

	bin := buildBinary(t)
	w := newCrashWorld(t)
	if out, err := exec.Command(bin, "check-config", "--config", w.config).CombinedOutput(); err != nil {
		t.Fatalf("check-config refuses the test's configuration: %v\n%s", err, out)
	}
	mails := crashCorpus()
	// Half the mail waits in the mailboxes at the first start; the rest arrives
	// between restarts, so every run has work to be killed in.
	early := len(mails) / 2
	w.deliver(mails[:early])
	late := mails[early:]

	kills := 4 + rng.IntN(3)
	var killedAfter []time.Duration
	for i := range kills {
		p := w.start(bin, i+1)
		after := time.Duration(50+rng.IntN(751)) * time.Millisecond
		time.Sleep(after)
		p.kill()
		killedAfter = append(killedAfter, after)
		t.Logf("run %d killed after %v: %s", i+1, after, p.summary())
		n := len(late) / (kills - i)
		w.deliver(late[:n])
		late = late[n:]
	}
	final := w.start(bin, kills+1)
	if why := w.waitDone(final, 25*time.Second); why != "" {
		t.Errorf("the daemon did not finish within 25s: %s\n%s", why, final.logTail())
	}
	final.stop()
	t.Logf("run %d, to the end: %s", kills+1, final.summary())

	db, err := state.Open(context.Background(), w.statePath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	f := w.check(db, mails)
	// The dispatcher sends, and files copies, one mail at a time, so a kill can cut
	// into at most one "accepted but not yet marked" window of each.
	if f.redeliveries > kills {
		t.Errorf("%d replies delivered twice after %d kills: want at most one per kill", f.redeliveries, kills)
	}
	// A copy whose filing a kill cut short is looked for in Sent after the restart.
	if f.sentTwice > 0 {
		t.Errorf("%d replies filed twice in Sent after %d kills: want none", f.sentTwice, kills)
	}
	t.Logf("seed %d: %d mails (%d answered, %d not), %d kills after %v; %d replies, %d delivered twice (same bytes), "+
		"%d Sent copies filed twice; %s in all", seed, len(mails), f.answered, len(mails)-f.answered, kills, killedAfter,
		f.replies, f.redeliveries, f.sentTwice, time.Since(began).Round(100*time.Millisecond))
}

// buildBinary builds returnsdesk into a temporary directory.
func buildBinary(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH to build the binary")
	}
	bin := filepath.Join(t.TempDir(), "returnsdesk")
	out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

const crashPassword = "crash-test-password"

// crashInbox is one watched store mailbox: the IMAP user holding it.
type crashInbox struct {
	store, user, address string
}

var crashInboxes = []crashInbox{
	{"lumina", "lumina", "support@luminahelp.com"},
	{"alinora", "alinora", "alinora-overseas@outlook.com"},
	{"alinora", "alinora139", "13986307982@139.com"},
	{"alusse", "alusse", "info@alusse.com"},
	{"luxnome", "luxnome", "support@luxnome.example"},
}

// crashWorld is the test's side: the IMAP server holding the store mailboxes, the
// SMTP server taking the replies, and the daemon's configuration and state.
type crashWorld struct {
	t        *testing.T
	dir      string
	imapAddr string // the IMAP server (in-process, or Dovecot)
	// put delivers one mail to a user's INBOX, received at at.
	put       func(user string, raw []byte, at time.Time) error
	smtp      *localmail.SMTPSink
	config    string
	statePath string // what the test opens the state with
	// stateSetting is the configuration's state (a file beside it, or a postgres://
	// address without its password); env is added to the daemons' environment
	// (PGPASSWORD); leaseSeconds, when set, is the [cluster] lease time.
	stateSetting string
	env          []string
	leaseSeconds int
	// The daemon reaches both servers through links with a network's latency, so its
	// work takes long enough for the kills to land in the middle of it, and the
	// window between the SMTP server's acceptance and the "sent" mark is as wide as
	// on a real network.
	imapLink, smtpLink *slowLink
}

// How long each chunk of data takes one way: IMAP is the slower, as a mail
// provider's IMAP server often is, which also spreads the reading of the mail over
// the first few hundred milliseconds of a run, where the kills fall.
const (
	imapDelay = 5 * time.Millisecond
	smtpDelay = 2 * time.Millisecond
)

// newCrashWorld runs on the in-process IMAP server.
func newCrashWorld(t *testing.T) *crashWorld {
	t.Helper()
	srv, err := localmail.NewIMAPServer(localmail.IMAPOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	for _, in := range crashInboxes {
		if _, err := srv.AddUser(in.user, crashPassword); err != nil {
			t.Fatal(err)
		}
	}
	return newCrashWorldOn(t, srv.Addr, func(user string, raw []byte, at time.Time) error {
		_, err := srv.User(user).Deliver("INBOX", raw, at)
		return err
	})
}

// newDovecotCrashWorld runs on a real Dovecot, mail delivered by APPEND; ok is false
// when Dovecot is not installed.
func newDovecotCrashWorld(t *testing.T) (w *crashWorld, ok bool) {
	t.Helper()
	var users []string
	for _, in := range crashInboxes {
		users = append(users, in.user)
	}
	d, err := localmail.StartDovecot(t.TempDir(), users, crashPassword)
	if errors.Is(err, localmail.ErrNoDovecot) {
		return nil, false
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	return newCrashWorldOn(t, d.Addr, func(user string, raw []byte, at time.Time) error {
		_, err := localmail.Append(d.Addr, user, crashPassword, "INBOX", localmail.Delivery{Raw: raw, At: at})
		return err
	}), true
}

func newCrashWorldOn(t *testing.T, imapAddr string, put func(user string, raw []byte, at time.Time) error) *crashWorld {
	t.Helper()
	sink, err := localmail.NewSMTPSink(localmail.SMTPOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sink.Close() })
	dir := t.TempDir()
	w := &crashWorld{t: t, dir: dir, imapAddr: imapAddr, put: put, smtp: sink, config: filepath.Join(dir, "returnsdesk.toml"),
		statePath: filepath.Join(dir, "state.db"), stateSetting: "state.db",
		imapLink: newSlowLink(t, imapAddr, imapDelay), smtpLink: newSlowLink(t, sink.Addr, smtpDelay)}
	if statetest.OnPostgres() {
		// The Postgres run of the suite (statetest.Matrix): a schema of the test's own.
		w.usePostgres(statetest.Postgres(t))
		return w
	}
	w.writeConfig()
	return w
}

// usePostgres puts the daemons' state on the Postgres state dsn: its address in the
// configuration, its password in their environment, and the cluster tests' short
// lease, so that a killed daemon's mailboxes lapse to its successor within the test.
func (w *crashWorld) usePostgres(dsn string) {
	address, password := statetest.SplitPassword(dsn)
	w.statePath, w.stateSetting, w.leaseSeconds = dsn, address, clusterLeaseSeconds
	w.env = []string{"PGPASSWORD=" + password}
	w.writeConfig()
}

func (w *crashWorld) writeConfig() {
	if err := os.WriteFile(w.config, []byte(w.configText()), 0o600); err != nil {
		w.t.Fatal(err)
	}
}

// configText is what an operator would write for these four stores; alustoora is
// not served. The password comes from a file, as config.example.toml recommends.
func (w *crashWorld) configText() string {
	secret := filepath.Join(w.dir, "imap-password")
	if err := os.WriteFile(secret, []byte(crashPassword+"\n"), 0o600); err != nil {
		w.t.Fatal(err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "state = %q\nlog_level = \"debug\"\n\n", w.stateSetting)
	if w.leaseSeconds > 0 {
		fmt.Fprintf(&b, "[cluster]\nlease_seconds = %d\n\n", w.leaseSeconds)
	}
	// The scheduled jobs run on the wall clock; keep them out of the test.
	b.WriteString("[jobs]\nschedule = \"@yearly\"\n\n")
	b.WriteString("[daemon]\npoll_interval = \"200ms\"\nmax_backoff = \"1s\"\nfirst_start_backlog = \"0s\"\n\n")
	fmt.Fprintf(&b, "[smtp]\nhost = \"127.0.0.1\"\nport = %d\nsecurity = \"none\"\nauth = \"none\"\n\n", w.smtpLink.port())
	extra := map[string]string{
		"luxnome": "mailboxes = [\"support@luxnome.example\"]\nstaff = [\"anna@luxnome.example\"]\n",
		"alinora": "return_address = [\"Alinora TechLuxe Returns\", \"Building 5, 88 Gaoxin Road\", \"Wuhan 430000\", \"China\"]\n",
	}
	for _, store := range []string{"lumina", "alinora", "alusse", "luxnome"} {
		fmt.Fprintf(&b, "[[stores]]\nid = %q\nescalate_to = \"team@%s.example\"\n%s", store, store, extra[store])
		for _, in := range crashInboxes {
			if in.store != store {
				continue
			}
			fmt.Fprintf(&b, "  [[stores.imap]]\n  address = %q\n  host = \"127.0.0.1\"\n  port = %d\n  security = \"none\"\n"+
				"  username = %q\n  password = %q\n", in.address, w.imapLink.port(), in.user, "file:imap-password")
		}
		b.WriteString("\n")
	}
	b.WriteString("[[stores]]\nid = \"alustoora\"\ndisabled = true\n")
	return b.String()
}

// deliver puts mails into their mailboxes, each received at its own date.
func (w *crashWorld) deliver(mails []crashMail) {
	w.t.Helper()
	for _, m := range mails {
		if err := w.put(m.inbox.user, m.raw, m.at); err != nil {
			w.t.Fatal(err)
		}
	}
}

// slowLink is a TCP proxy that holds every chunk of data for a while in each
// direction, as a network does.
type slowLink struct {
	ln     net.Listener
	target string
	delay  time.Duration

	mu    sync.Mutex
	conns []net.Conn
}

func newSlowLink(t *testing.T, target string, delay time.Duration) *slowLink {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := &slowLink{ln: ln, target: target, delay: delay}
	go l.accept()
	t.Cleanup(l.close)
	return l
}

func (l *slowLink) port() int { return l.ln.Addr().(*net.TCPAddr).Port }

func (l *slowLink) accept() {
	for {
		client, err := l.ln.Accept()
		if err != nil {
			return
		}
		server, err := net.Dial("tcp", l.target)
		if err != nil {
			client.Close()
			continue
		}
		l.mu.Lock()
		l.conns = append(l.conns, client, server)
		l.mu.Unlock()
		go l.carry(server, client)
		go l.carry(client, server)
	}
}

// carry copies src to dst, late; when either side is gone, both are closed, as a
// killed process's connections are.
func (l *slowLink) carry(dst, src net.Conn) {
	defer dst.Close()
	defer src.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			time.Sleep(l.delay)
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func (l *slowLink) close() {
	l.ln.Close()
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, c := range l.conns {
		c.Close()
	}
}

// daemonProcess is one run of the binary.
type daemonProcess struct {
	t      *testing.T
	run    int // its number among the test's runs
	cmd    *exec.Cmd
	log    string
	exited chan struct{} // closed when the process has exited; err is then set
	err    error
}

// start runs `returnsdesk run` on the world's configuration.
func (w *crashWorld) start(bin string, run int, extra ...string) *daemonProcess {
	w.t.Helper()
	logPath := filepath.Join(w.dir, fmt.Sprintf("run%d.log", run))
	logFile, err := os.Create(logPath)
	if err != nil {
		w.t.Fatal(err)
	}
	cmd := exec.Command(bin, append([]string{"run", "--config", w.config}, extra...)...)
	cmd.Env = append(os.Environ(), w.env...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		logFile.Close()
		w.t.Fatal(err)
	}
	p := &daemonProcess{t: w.t, run: run, cmd: cmd, log: logPath, exited: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		logFile.Close()
		close(p.exited)
	}()
	w.t.Cleanup(func() {
		select {
		case <-p.exited:
		default:
			cmd.Process.Kill()
			<-p.exited
		}
	})
	return p
}

// kill ends the process with SIGKILL: no cleanup of any kind.
func (p *daemonProcess) kill() {
	p.t.Helper()
	select {
	case <-p.exited:
		p.t.Fatalf("the daemon exited before it was killed: %v\n%s", p.err, p.logTail())
	default:
	}
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		p.t.Fatal(err)
	}
	<-p.exited
}

// stop asks the daemon to finish (SIGTERM) and wants a clean exit.
func (p *daemonProcess) stop() {
	p.t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		p.t.Fatal(err)
	}
	select {
	case <-p.exited:
		if p.err != nil {
			p.t.Errorf("the daemon did not exit cleanly on SIGTERM: %v\n%s", p.err, p.logTail())
		}
	case <-time.After(15 * time.Second):
		p.t.Fatalf("the daemon did not exit within 15s of SIGTERM\n%s", p.logTail())
	}
}

// summary counts what a run did, from its log.
func (p *daemonProcess) summary() string {
	data, _ := os.ReadFile(p.log)
	var handled, again, sent int
	for line := range strings.Lines(string(data)) {
		switch {
		case strings.Contains(line, `msg="message handled"`):
			handled++
			if strings.Contains(line, "code=duplicate") {
				again++
			}
		case strings.Contains(line, `msg="mail sent"`):
			sent++
		}
	}
	return fmt.Sprintf("%d mails handled (%d found already decided: second deliveries, or decided before a kill), %d replies sent", handled, again, sent)
}

func (p *daemonProcess) logTail() string {
	data, _ := os.ReadFile(p.log)
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	return strings.Join(lines[max(0, len(lines)-40):], "\n")
}

// waitDone waits until every mail carries the processed keyword and the outbox has
// nothing left to send or to file; it returns what is still missing at the timeout.
func (w *crashWorld) waitDone(p *daemonProcess, timeout time.Duration) string {
	w.t.Helper()
	deadline := time.Now().Add(timeout)
	var why string
	for time.Now().Before(deadline) {
		select {
		case <-p.exited:
			w.t.Fatalf("the daemon exited on its own: %v\n%s", p.err, p.logTail())
		default:
		}
		var done bool
		if done, why = w.done(); done {
			return ""
		}
		time.Sleep(100 * time.Millisecond)
	}
	return why
}

func (w *crashWorld) done() (bool, string) {
	unmarked := 0
	for _, in := range crashInboxes {
		msgs, err := w.folder(in.user, "INBOX")
		if err != nil {
			return false, err.Error()
		}
		for _, m := range msgs {
			if !hasFlag(m.flags, "$ReturnsdeskDone") {
				unmarked++
			}
		}
	}
	if unmarked > 0 {
		return false, fmt.Sprintf("%d mails not marked processed", unmarked)
	}
	db, err := state.Open(context.Background(), w.statePath)
	if err != nil {
		return false, err.Error()
	}
	defer db.Close()
	pending, err := db.PendingOutgoing(context.Background(), 0, 1000)
	if err != nil {
		return false, err.Error()
	}
	unfiled, err := db.UnfiledOutgoing(context.Background(), 0, 1000)
	if err != nil {
		return false, err.Error()
	}
	if len(pending)+len(unfiled) > 0 {
		return false, fmt.Sprintf("%d replies pending, %d copies not filed in Sent", len(pending), len(unfiled))
	}
	return true, ""
}

// folderMessage is a message as a mail client sees it.
type folderMessage struct {
	flags     []imap.Flag
	messageID string
	raw       []byte
}

// folder reads a folder of a user's mailbox without changing it.
func (w *crashWorld) folder(user, name string) ([]folderMessage, error) {
	c, err := imapclient.DialInsecure(w.imapAddr, nil)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	if err := c.Login(user, crashPassword).Wait(); err != nil {
		return nil, err
	}
	sel, err := c.Select(name, &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		return nil, fmt.Errorf("select %s/%s: %w", user, name, err)
	}
	if sel.NumMessages == 0 {
		return nil, nil
	}
	bufs, err := c.Fetch(imap.SeqSet{{Start: 1, Stop: 0}}, &imap.FetchOptions{Flags: true,
		BodySection: []*imap.FetchItemBodySection{{Specifier: imap.PartSpecifierHeader, Peek: true}}}).Collect()
	if err != nil {
		return nil, fmt.Errorf("fetch %s/%s: %w", user, name, err)
	}
	var out []folderMessage
	for _, b := range bufs {
		m := folderMessage{flags: b.Flags}
		if len(b.BodySection) > 0 {
			m.raw = b.BodySection[0].Bytes
		}
		m.messageID = messageIDOf(m.raw, "Message-Id")
		out = append(out, m)
	}
	c.Logout().Wait()
	return out, nil
}

func hasFlag(flags []imap.Flag, want string) bool {
	return slices.ContainsFunc(flags, func(f imap.Flag) bool { return strings.EqualFold(string(f), want) })
}

// messageIDOf reads a header holding one message id, without its brackets.
func messageIDOf(raw []byte, name string) string {
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return ""
	}
	return strings.Trim(strings.TrimSpace(m.Header.Get(name)), "<>")
}

// crashFigures are what the final check counted.
type crashFigures struct {
	answered     int // mails with a reply
	replies      int // distinct replies the SMTP server accepted
	redeliveries int // extra copies of a reply already accepted, byte-identical
	sentTwice    int // extra copies of a reply in the Sent folders
}

// check compares the SMTP server, the mailboxes and the state after the last run.
func (w *crashWorld) check(db *state.DB, mails []crashMail) crashFigures {
	t := w.t
	t.Helper()
	ctx := context.Background()
	var f crashFigures

	// What the SMTP server accepted, per mail answered and per reply.
	byReply := map[string][][]byte{}
	answeredBy := map[string][]string{} // customer Message-ID -> distinct reply Message-IDs
	for _, m := range w.smtp.Messages() {
		id, src := messageIDOf(m.Raw, "Message-Id"), messageIDOf(m.Raw, "In-Reply-To")
		if len(byReply[id]) == 0 {
			answeredBy[src] = append(answeredBy[src], id)
		}
		byReply[id] = append(byReply[id], m.Raw)
	}
	f.replies = len(byReply)
	for id, copies := range byReply {
		for _, c := range copies[1:] {
			f.redeliveries++
			if !bytes.Equal(c, copies[0]) {
				t.Errorf("reply %s was delivered twice with different bytes", id)
			}
		}
	}

	known := map[string]bool{}
	for _, m := range mails {
		if known[m.id] {
			continue
		}
		known[m.id] = true
		if seen, err := db.Seen(ctx, m.id); err != nil || !seen {
			t.Errorf("%s (%s): not recorded in the state (seen %t, %v): the mail was lost", m.id, m.inbox.user, seen, err)
		}
		outs, err := db.OutgoingBySource(ctx, m.id)
		if err != nil {
			t.Fatal(err)
		}
		got := answeredBy[m.id]
		// Every decision but ignore and rate_limited sends a reply (SPEC §2), holding
		// replies included: a recorded decision without its reply is a lost reply.
		if rec, err := db.MessageByID(ctx, m.id); err == nil {
			wantsReply := rec.Action != "ignore" && rec.Code != "rate_limited"
			if wantsReply != (len(outs) > 0) {
				t.Errorf("%s: decided %s/%s with %d replies queued", m.id, rec.Action, rec.Code, len(outs))
			}
		}
		switch {
		case len(outs) > 1:
			t.Errorf("%s: %d replies queued, want at most 1", m.id, len(outs))
		case len(got) > 1:
			t.Errorf("%s: %d different replies delivered (%v): want at most 1", m.id, len(got), got)
		case m.machine && len(outs)+len(got) > 0:
			t.Errorf("%s: machine mail answered", m.id)
		case len(outs) == 0 && len(got) > 0:
			t.Errorf("%s: reply %s delivered but none is recorded", m.id, got[0])
		case len(outs) == 1 && (len(got) == 0 || got[0] != outs[0].MessageID || outs[0].Status != state.OutboxSent):
			t.Errorf("%s: outbox holds %s (%s), the SMTP server got %v", m.id, outs[0].MessageID, outs[0].Status, got)
		case len(outs) == 1:
			f.answered++
			if first := byReply[got[0]][0]; !bytes.Equal(bytes.TrimRight(first, "\r\n"), bytes.TrimRight(outs[0].Raw, "\r\n")) {
				t.Errorf("%s: the reply delivered is not the one the outbox stored", m.id)
			}
		}
	}
	for src, ids := range answeredBy {
		if !known[src] {
			t.Errorf("the SMTP server got %v in answer to %q, which is none of the test's mails", ids, src)
		}
	}

	// The mailboxes: every mail marked as its decision says; every reply in Sent.
	inSent := map[string]int{}
	for _, in := range crashInboxes {
		msgs, err := w.folder(in.user, "INBOX")
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			rec, err := db.MessageByID(ctx, m.messageID)
			if err != nil {
				t.Errorf("%s/INBOX %s: %v", in.user, m.messageID, err)
				continue
			}
			if !hasFlag(m.flags, "$ReturnsdeskDone") || hasFlag(m.flags, `\Flagged`) != rec.Flagged {
				t.Errorf("%s/INBOX %s: flags %v, decision %s/%s flagged %t", in.user, m.messageID, m.flags, rec.Action, rec.Code, rec.Flagged)
			}
		}
		sent, err := w.folder(in.user, "Sent")
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range sent {
			inSent[m.messageID]++
		}
	}
	for id := range byReply {
		switch n := inSent[id]; {
		case n == 0:
			t.Errorf("reply %s is not in any Sent folder", id)
		case n > 1:
			f.sentTwice += n - 1
		}
	}
	return f
}

// crashMail is one mail in a store mailbox.
type crashMail struct {
	inbox   crashInbox
	id      string // Message-ID without brackets
	at      time.Time
	raw     []byte
	machine bool // auto-replies, bounces, lists, staff, second copies: never answered
}

// customerRequest is a real request about one of the built-in sample orders
// (orders/defaults/README.md).
type customerRequest struct {
	inbox         int // index into crashInboxes
	name, addr    string
	subject, body string
	photos        bool
}

var crashRequests = []customerRequest{
	{0, "Sophie van den Berg", "sophie.vandenberg@example.nl", "Return LW-58213", "Hello, I would like to return the leggings from order LW-58213, they do not fit.", false},
	{0, "Charlotte Green", "charlotte.green@example.co.uk", "Returning my dress", "Hi, I changed my mind about the dress from order LW-58203 and would like to return it.", false},
	{0, "Zoe Mitchell", "zoe.mitchell@example.com.au", "Faulty cardigan LW-58210", "Hello, the cardigan from order LW-58210 arrived with a hole in the sleeve. Photos attached. I would like a refund.", true},
	{0, "Iris Koster", "iris.koster@example.nl", "Cancel order LW-58217", "Please cancel my order LW-58217, I ordered by mistake.", false},
	{0, "Rachel Adams", "rachel.adams@example.com", "Exchange LW-58214 for size L", "Hi! The leggings from LW-58214 are too small, can I exchange them for size L?", false},
	{0, "Nadia El Amrani", "nadia.elamrani@example.nl", "Refund LW-58202", "Hello, when will I get the refund for my return of order LW-58202?", false},
	{1, "Jonas Weber", "jonas.weber@example.de", "Return AL-204518", "Hello, I would like to return the earbuds from order AL-204518, I changed my mind.", false},
	{1, "William Clarke", "william.clarke@example.com.au", "Refund AL-204513", "Hi, has the refund for my returned earbuds from order AL-204513 been issued?", false},
	{2, "Noah Anderson", "noah.anderson@example.com", "Wrong item AL-204523", "Hi, I received the wrong model of case for order AL-204523, photos attached. Please send the right one.", true},
	{2, "Camille Dubois", "camille.dubois@example.fr", "Return AL-204520", "Hello, I changed my mind about the smartwatch from order AL-204520 and would like to return it.", false},
	{1, "Mia Jansen", "mia.jansen@example.nl", "Cancel AL-204524", "Please cancel my order AL-204524.", false},
	{2, "Marco Rossi", "marco.rossi@example.it", "Return AL-204517", "Hello, I would like to return my order AL-204517.", false},
	{3, "Giulia Conti", "giulia.conti@example.it", "Retour ALS10480", "Hello, I would like to return the trench coat from order ALS10480.", false},
	{3, "Pauline Lefevre", "pauline.lefevre@example.fr", "Robe abîmée ALS10482", "Bonjour, la robe de la commande ALS10482 est arrivée déchirée. Voici les photos.", true},
	{3, "Hugo Mercier", "hugo.mercier@example.fr", "Annulation ALS10484", "Bonjour, je souhaite annuler ma commande ALS10484. Merci.", false},
	{3, "Elise Janssens", "elise.janssens@example.be", "Remboursement ALS10474", "Bonjour, où en est le remboursement de ma commande ALS10474 ?", false},
	{3, "Charlotte Lambert", "charlotte.lambert@example.fr", "Return ALS10478", "Hello, I would like to return my order ALS10478.", false},
	{4, "Emma de Vries", "emma.devries@example.nl", "Defective coat LX100233", "Hello, the coat from order LX100233 has a broken zipper. Photos attached.", true},
	{4, "Felix Hoffmann", "felix.hoffmann@example.de", "Return LX100229", "Hello, I changed my mind about the coat from order LX100229 and would like to return it.", false},
	{4, "Jennifer Scott", "jennifer.scott@example.com", "Return LX100225", "Hi, I changed my mind about the loafers from order LX100225, can I return them?", false},
	{4, "Lotte van Dijk", "lotte.vandijk@example.nl", "Cadeau retour LX100228", "Hallo, ik heb deze trui cadeau gekregen (bestelling LX100228) en wil hem graag retourneren.", false},
	{4, "Daan Smits", "daan.smits@example.nl", "Annuleren LX100236", "Hallo, ik wil mijn bestelling LX100236 annuleren.", false},
	{4, "Pieter Visser", "pieter.visser@example.nl", "Refund LX100221", "Hello, has the refund for the loafers of order LX100221 been paid?", false},
}

// unknownOrderFormats gives each inbox's store an order number that does not exist.
var unknownOrderFormats = []string{"LW-7%04d", "AL-3%05d", "AL-3%05d", "ALS2%04d", "LX9%05d"}

// crashCorpus is the mail of the crash test, oldest first: requests about real
// orders (each written several times, days apart), requests about orders that do not
// exist, auto-replies, bounces, newsletters, staff mail and second deliveries of
// earlier mail.
func crashCorpus() []crashMail {
	start := time.Date(2026, 11, 14, 8, 0, 0, 0, time.FixedZone("CET", 3600))
	var mails []crashMail
	add := func(m crashMail) { mails = append(mails, m) }
	for round := range 5 {
		for i, r := range crashRequests {
			at := start.Add(time.Duration(round)*36*time.Hour + time.Duration(i)*7*time.Minute)
			subject, body := r.subject, r.body
			if round > 0 {
				subject, body = "Re: "+r.subject, "Hello again, I have not heard back. "+r.body
			}
			id := fmt.Sprintf("req%d-%02d@mail.example", round, i)
			add(crashMail{inbox: crashInboxes[r.inbox], id: id, at: at,
				raw: mailBytes(crashInboxes[r.inbox].address, r.name, r.addr, subject, body, id, at, r.photos)})
		}
	}
	for i := range 100 {
		n := i % len(crashInboxes)
		in := crashInboxes[n]
		order := fmt.Sprintf(unknownOrderFormats[n], 100+i)
		at := start.Add(time.Duration(i) * 97 * time.Minute)
		id := fmt.Sprintf("unknown%03d@shopper.example", i)
		add(crashMail{inbox: in, id: id, at: at, raw: mailBytes(in.address, fmt.Sprintf("Shopper %d", i),
			fmt.Sprintf("shopper%03d@example.net", i), "Return "+order,
			"Hello, I would like to return my order "+order+", it does not fit.", id, at, false)})
	}
	for i := range 30 {
		in := crashInboxes[i%len(crashInboxes)]
		at := start.Add(time.Duration(i)*5*time.Hour + 13*time.Minute)
		id := fmt.Sprintf("ooo%02d@mail.example", i)
		raw := mailBytes(in.address, "Pieter Jansen", fmt.Sprintf("p.jansen%02d@example.nl", i), "Automatic reply: Your return",
			"I am out of the office until Monday.", id, at, false, "Auto-Submitted: auto-replied")
		add(crashMail{inbox: in, id: id, at: at, raw: raw, machine: true})
	}
	for i := range 25 {
		in := crashInboxes[(i+2)%len(crashInboxes)]
		at := start.Add(time.Duration(i)*6*time.Hour + 29*time.Minute)
		id := fmt.Sprintf("bounce%02d@mx.example.net", i)
		add(crashMail{inbox: in, id: id, at: at, raw: bounceBytes(in.address, id, at), machine: true})
	}
	for i := range 15 {
		in := crashInboxes[(i+4)%len(crashInboxes)]
		at := start.Add(time.Duration(i)*10*time.Hour + 41*time.Minute)
		id := fmt.Sprintf("news%02d@deals.example.com", i)
		raw := mailBytes(in.address, "Deals", "news@deals.example.com", "Black Friday deals", "Our best deals of the year.",
			id, at, false, "List-Id: <deals.example.com>", "Precedence: bulk")
		add(crashMail{inbox: in, id: id, at: at, raw: raw, machine: true})
	}
	for i := range 5 {
		// Staff answering in the shared mailbox: never the bot's business.
		in := crashInboxes[4]
		at := start.Add(time.Duration(i)*30*time.Hour + 3*time.Hour)
		id := fmt.Sprintf("staff%d@luxnome.example", i)
		raw := mailBytes(in.address, "Anna (LuxNome)", "anna@luxnome.example", "Re: Defective coat LX100233",
			"Photos checked, I will handle this one myself.", id, at, false)
		add(crashMail{inbox: in, id: id, at: at, raw: raw, machine: true})
	}
	slices.SortStableFunc(mails, func(a, b crashMail) int { return a.at.Compare(b.at) })
	// Second deliveries of a dozen customer mails (a forwarding rule, a resend): the
	// same bytes and Message-ID, never answered again.
	for i := range 12 {
		orig := mails[i*17]
		orig.at = orig.at.Add(3 * time.Hour)
		orig.machine = true
		mails = append(mails, orig)
	}
	slices.SortStableFunc(mails, func(a, b crashMail) int { return a.at.Compare(b.at) })
	return mails
}

// mailBytes writes a customer mail to a store mailbox.
func mailBytes(to, name, addr, subject, body, id string, at time.Time, photos bool, headers ...string) []byte {
	var b strings.Builder
	from := (&mail.Address{Name: name, Address: addr}).String()
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <%s>\r\nMIME-Version: 1.0\r\n",
		from, to, mimeWord(subject), at.Format(time.RFC1123Z), id)
	for _, h := range headers {
		b.WriteString(h + "\r\n")
	}
	text := strings.ReplaceAll(body, "\n", "\r\n") + "\r\n"
	if !photos {
		b.WriteString("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + text)
		return []byte(b.String())
	}
	b.WriteString("Content-Type: multipart/mixed; boundary=\"p1\"\r\n\r\n--p1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + text)
	for i := range 2 {
		fmt.Fprintf(&b, "--p1\r\nContent-Type: image/jpeg; name=\"photo%d.jpg\"\r\nContent-Disposition: attachment; filename=\"photo%d.jpg\"\r\n"+
			"Content-Transfer-Encoding: base64\r\n\r\n%s", i+1, i+1, photo)
	}
	b.WriteString("--p1--\r\n")
	return []byte(b.String())
}

// mimeWord encodes a subject with non-ASCII letters as an RFC 2047 word.
func mimeWord(s string) string {
	for _, r := range s {
		if r > 0x7e {
			return mime.QEncoding.Encode("utf-8", s)
		}
	}
	return s
}

// photo is a 3 KB attachment in base64 lines: the parser counts images from 2 KB.
var photo = func() string {
	var b strings.Builder
	line := strings.Repeat("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo", 3)[:76]
	for range 56 {
		b.WriteString(line + "\r\n")
	}
	return b.String()
}()

// bounceBytes writes a delivery status notification (RFC 3464).
func bounceBytes(to, id string, at time.Time) []byte {
	return []byte("From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\r\nTo: " + to + "\r\n" +
		"Subject: Undelivered Mail Returned to Sender\r\nDate: " + at.Format(time.RFC1123Z) + "\r\nMessage-ID: <" + id + ">\r\n" +
		"Auto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"r1\"\r\n\r\n" +
		"--r1\r\nContent-Type: text/plain\r\n\r\nThis is the mail system. Your message could not be delivered.\r\n" +
		"--r1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.net\r\n\r\n" +
		"Final-Recipient: rfc822; nobody@example.net\r\nAction: failed\r\nStatus: 5.1.1\r\n" +
		"--r1--\r\n")
}
