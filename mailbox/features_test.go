package mailbox

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"

	"github.com/returnsdesk/returnsdesk/config"
	"github.com/returnsdesk/returnsdesk/state"
)

func ctxb() context.Context { return context.Background() }

// TestOversizedMail: a mail over the size limit is not read; it is escalated to
// staff from its header and answered by no one automatically.
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
	if rec.Action != "escalate" || !rec.Flagged {
		t.Errorf("oversized mail recorded as %s/%s flagged=%t, want an escalation", rec.Action, rec.Code, rec.Flagged)
	}
	if outs, _ := r.db.OutgoingBySource(ctxb(), big.id); len(outs) != 0 {
		t.Errorf("oversized mail answered: %d replies", len(outs))
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
	if n := e.checkAnsweredOnce(r.db, []testMail{big, small}); n != 1 {
		t.Errorf("%d replies, want 1 (the small mail)", n)
	}
	e.checkMailboxMarks(r.db, "luxnome")
}

// TestKeywordsRefusedWithoutMove: a server that keeps no custom keywords and lacks
// MOVE (IMAP4rev1 only): flagged mail gets \Flagged and is moved to Review by
// COPY + STORE + EXPUNGE; after a restart that lost the cursor, the desk's memory
// alone keeps every mail from a second answer.
func TestKeywordsRefusedWithoutMove(t *testing.T) {
	e := newEnv(t, imap.CapSet{imap.CapIMAP4rev1: {}}, "lumina")
	e.imap.noKeywords.Store(true)
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
	sent := len(e.smtp.messages())
	r2 := e.start()
	e.waitCaughtUp(r2)
	if n := len(e.smtp.messages()); n != sent {
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

// TestPermanentSMTPFailure: a recipient the server refuses (5xx) is not retried;
// the reply is marked failed and its thread flagged for staff; the rest go out.
func TestPermanentSMTPFailure(t *testing.T) {
	e := newEnv(t, nil, "lumina")
	e.smtp.refuse.Store("sophie.vandenberg@example.nl", true)
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
	if counts[state.OutboxSent] != len(e.smtp.messages()) || counts[state.OutboxSent] == 0 {
		t.Errorf("outbox %v, %d accepted", counts, len(e.smtp.messages()))
	}
	for _, m := range e.contents("lumina", "Sent") {
		if m.messageID == o.MessageID {
			t.Error("the refused reply was filed in Sent")
		}
	}
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
	sent := len(e.smtp.messages())

	u := e.imap.user("alinora")
	u.recreate(t, "INBOX")
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
	if got := len(e.smtp.messages()) - sent; got != newReplies {
		t.Errorf("%d mails sent after the renumbering, want %d (the new mail only)", got, newReplies)
	}
}

// TestScheduledJobs: the job run queues a reminder and a staff escalation, the
// dispatcher delivers them, and a second run queues nothing more.
func TestScheduledJobs(t *testing.T) {
	e := newEnv(t, nil, "lumina")
	mails := mailsOf(mixedMails(), "lumina")
	e.deliver(mails...)
	later := day20(12, 0).Add(4 * 24 * time.Hour)
	r := e.start(func(d *Daemon) { d.now = func() time.Time { return later } })
	e.waitCaughtUp(r)
	before := len(e.smtp.messages())

	r.d.runJobs(ctxb())
	e.waitCaughtUp(r)
	var reminders, escalations int
	for _, m := range e.smtp.messages()[before:] {
		switch subject := m.header("Subject"); {
		case strings.HasPrefix(subject, "[Returnsdesk]"):
			escalations++
			if m.to[0] != "support@luminahelp.com" {
				t.Errorf("escalation to %v", m.to)
			}
		case m.header("In-Reply-To") != "":
			reminders++
		default:
			t.Errorf("unexpected job mail %q to %v", subject, m.to)
		}
	}
	if reminders == 0 || escalations == 0 {
		t.Errorf("%d reminders, %d escalations: want both", reminders, escalations)
	}
	e.checkSent(r.db, "lumina")

	total := len(e.smtp.messages())
	r.d.runJobs(ctxb())
	e.waitCaughtUp(r)
	if n := len(e.smtp.messages()); n != total {
		t.Errorf("a second run sent %d more mails", n-total)
	}
}

func TestParseSchedule(t *testing.T) {
	for _, c := range []struct {
		spec string
		ok   bool
	}{
		{"*/15 * * * *", true},
		{"@yearly", true},
		{"0 8 * * 1-5", true},
		{"CRON_TZ=Europe/Amsterdam 0 8 * * *", true},
		{"CRON_TZ=Europe/Amsterdam", false}, // robfig/cron panics on this one
		{"every day", false},
		{"", false},
	} {
		t.Run(c.spec, func(t *testing.T) {
			_, err := parseSchedule(c.spec)
			if (err == nil) != c.ok {
				t.Errorf("parseSchedule(%q) = %v", c.spec, err)
			}
		})
	}
}

// TestMissingSentFolder: a mailbox without a Sent folder gets no copies, which is
// logged once; sending goes on.
func TestMissingSentFolder(t *testing.T) {
	e := newEnv(t, nil, "alusse")
	u := e.imap.user("alusse")
	if err := u.Delete("Sent"); err != nil {
		t.Fatal(err)
	}
	delete(u.special, "Sent")
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

// TestXOAUTH2 logs in with an access token; a refused token ends the attempt and
// the connection, with the server's reason in the error.
func TestXOAUTH2(t *testing.T) {
	e := newEnv(t, nil, "lumina")
	e.imap.user("lumina").token = "ya29.good-token"
	m := &e.storeConfig("lumina").IMAP[0]
	m.Auth = "xoauth2"
	d := &Daemon{timing: timing{dial: 5 * time.Second, op: 5 * time.Second, logout: time.Second}}

	t.Run("accepted", func(t *testing.T) {
		m.Password = config.Secret{Value: "ya29.good-token"}
		c, err := d.dialIMAP(ctxb(), &account{imap: *m}, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer d.logout(c)
		if _, err := c.Select("INBOX", nil).Wait(); err != nil {
			t.Errorf("select after XOAUTH2: %v", err)
		}
	})
	t.Run("refused", func(t *testing.T) {
		m.Password = config.Secret{Value: "ya29.expired"}
		logins := e.imap.logins.Load()
		_, err := d.dialIMAP(ctxb(), &account{imap: *m}, nil)
		if err == nil || !strings.Contains(err.Error(), `"status":"401"`) {
			t.Fatalf("err = %v, want the server's refusal", err)
		}
		if strings.Contains(err.Error(), "expired") {
			t.Errorf("the token leaked into the error: %v", err)
		}
		if e.imap.logins.Load() != logins {
			t.Error("logged in with a refused token")
		}
	})
	t.Run("daemon", func(t *testing.T) {
		m.Password = config.Secret{Value: "ya29.good-token"}
		mails := mailsOf(mixedMails(), "lumina")[:3]
		e.deliver(mails...)
		r := e.start()
		e.waitCaughtUp(r)
		e.checkAnsweredOnce(r.db, mails)
	})
}

// TestTLS: implicit TLS and STARTTLS for IMAP and SMTP, with SMTP AUTH PLAIN and
// XOAUTH2, against servers whose certificate the daemon is told to trust.
func TestTLS(t *testing.T) {
	serverTLS, clientTLS := selfSigned(t)
	for _, c := range []struct {
		name           string
		imapImplicit   bool
		smtpImplicit   bool
		smtpAuth       string
		imapSec, smSec string
	}{
		{"imap tls, smtp starttls plain", true, false, "plain", "tls", "starttls"},
		{"imap starttls, smtp tls xoauth2", false, true, "xoauth2", "starttls", "tls"},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := newTestIMAPTLS(t, nil, serverTLS, c.imapImplicit)
			srv.addUser("alusse", testPassword)
			e := newBareEnv(t, srv.addr, []string{"alusse"})
			e.imap = srv
			e.appendMail = func(m testMail) imap.UID {
				raw := m.bytes()
				data, err := srv.user(m.store).Append("INBOX", literal{bytes.NewReader(raw), int64(len(raw))}, &imap.AppendOptions{Time: m.at})
				if err != nil {
					t.Fatal(err)
				}
				return data.UID
			}
			e.smtp = newTestSMTPTLS(t, serverTLS, c.smtpImplicit, "relay", "relay-pw", "relay-token")
			e.cfg.SMTP = config.SMTP{Host: "127.0.0.1", Port: e.smtp.port(), Security: c.smSec, Auth: c.smtpAuth,
				Username: "relay", Password: config.Secret{Value: map[string]string{"plain": "relay-pw", "xoauth2": "relay-token"}[c.smtpAuth]}}
			m := &e.storeConfig("alusse").IMAP[0]
			m.Security = c.imapSec
			mails := mailsOf(mixedMails(), "alusse")[:4]
			e.deliver(mails...)
			r := e.start(func(d *Daemon) { d.tlsConfig = clientTLS })
			e.waitCaughtUp(r) // sent, and filed in Sent over TLS
			if n := e.checkAnsweredOnce(r.db, mails); n == 0 {
				t.Error("nothing sent")
			}
		})
	}
	t.Run("untrusted certificate", func(t *testing.T) {
		srv := newTestIMAPTLS(t, nil, serverTLS, true)
		d := &Daemon{timing: timing{dial: 5 * time.Second, op: 5 * time.Second}}
		_, err := d.dialIMAP(ctxb(), &account{imap: config.IMAP{Host: "127.0.0.1", Port: srv.addrPort().Port, Security: "tls",
			Username: "x", Password: config.Secret{Value: "y"}}}, nil)
		if err == nil || !strings.Contains(err.Error(), "certificate") {
			t.Errorf("err = %v, want a certificate error", err)
		}
	})
}

// TestNewChecksTheConfig: New refuses what would leak a password or cannot work.
func TestNewChecksTheConfig(t *testing.T) {
	e := newEnv(t, nil, "lumina")
	db, err := state.Open(ctxb(), ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, c := range []struct {
		name, want string
		change     func(cfg *config.Config)
	}{
		{"plain imap off loopback", "only allowed for a loopback host", func(cfg *config.Config) {
			cfg.Stores[0].IMAP[0].Host = "imap.example.com"
		}},
		{"plain smtp off loopback", "only allowed for a loopback host", func(cfg *config.Config) {
			cfg.SMTP.Host = "smtp.example.com"
		}},
		{"no smtp host", "smtp.host: missing", func(cfg *config.Config) { cfg.SMTP.Host = "" }},
		{"foreign mailbox", "is not one of the store's mailboxes", func(cfg *config.Config) {
			cfg.Stores[0].IMAP[0].Address = "info@alusse.com"
		}},
		{"bad keyword", "not an IMAP keyword", func(cfg *config.Config) { cfg.Daemon.ProcessedFlag = "$Done (x)" }},
		{"system flag", "system flag", func(cfg *config.Config) { cfg.Daemon.FlaggedKeyword = `\Flagged` }},
		{"two workers on one folder", "watches the same folder", func(cfg *config.Config) {
			cfg.Stores[0].IMAP = append(cfg.Stores[0].IMAP, cfg.Stores[0].IMAP[0])
		}},
		{"bad schedule", "jobs.schedule", func(cfg *config.Config) { cfg.Jobs.Schedule = "CRON_TZ=UTC" }},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := *e.cfg
			cfg.Stores = []config.Store{e.cfg.Stores[0]}
			cfg.Stores[0].IMAP = append([]config.IMAP(nil), e.cfg.Stores[0].IMAP...)
			c.change(&cfg)
			_, err := New(&cfg, newTestDesk(t, &cfg, db, nil), db, nil)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("New: %v, want an error with %q", err, c.want)
			}
		})
	}
	t.Run("draft mode needs no smtp", func(t *testing.T) {
		cfg := *e.cfg
		cfg.SMTP.Host = ""
		cfg.Stores = []config.Store{e.cfg.Stores[0]}
		cfg.Stores[0].Mode = "draft"
		if _, err := New(&cfg, newTestDesk(t, &cfg, db, nil), db, nil); err != nil {
			t.Errorf("New: %v", err)
		}
	})
}

func TestBackoff(t *testing.T) {
	b := newBackoff(time.Second, 8*time.Second)
	for i, ceiling := range []time.Duration{1, 2, 4, 8, 8, 8} {
		ceiling *= time.Second
		for range 20 {
			saved := b.cur
			d := b.next()
			if d < ceiling/2 || d > ceiling {
				t.Fatalf("step %d: %s not in [%s, %s]", i, d, ceiling/2, ceiling)
			}
			b.cur = saved
		}
		b.next()
	}
	b.reset()
	if d := b.next(); d > time.Second {
		t.Errorf("after reset: %s, want at most the minimum", d)
	}
	ctx, cancel := context.WithCancel(ctxb())
	cancel()
	if sleep(ctx, time.Hour) {
		t.Error("sleep ignored a cancelled context")
	}
}

// TestDeferredRecipient: a recipient the server defers (451) is retried with its
// own backoff while the other mail goes out, including mail queued later.
func TestDeferredRecipient(t *testing.T) {
	e := newEnv(t, nil, "lumina")
	e.smtp.deferred.Store("sophie.vandenberg@example.nl", true)
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
	e.smtp.deferred.Delete("sophie.vandenberg@example.nl")
	e.waitCaughtUp(r)
	e.checkAnsweredOnce(r.db, mails)
	e.checkSent(r.db, "lumina")
}
