package mailbox

import (
	"strings"
	"testing"
	"time"

	"github.com/returnsdesk/returnsdesk/config"
	"github.com/returnsdesk/returnsdesk/mailbox/localmail"
	"github.com/returnsdesk/returnsdesk/state"
)

// TestXOAUTH2 logs in with an access token; a refused token ends the attempt and
// the connection, with the server's reason in the error.
func TestXOAUTH2(t *testing.T) {
	e := newEnv(t, nil, "lumina")
	e.imap.User("lumina").SetToken("ya29.good-token")
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
		logins := e.imap.Logins()
		_, err := d.dialIMAP(ctxb(), &account{imap: *m}, nil)
		if err == nil || !strings.Contains(err.Error(), `"status":"401"`) {
			t.Fatalf("err = %v, want the server's refusal", err)
		}
		if strings.Contains(err.Error(), "expired") {
			t.Errorf("the token leaked into the error: %v", err)
		}
		if e.imap.Logins() != logins {
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
			e := newLocalEnv(t, localmail.IMAPOptions{TLSConfig: serverTLS, ImplicitTLS: c.imapImplicit}, []string{"alusse"})
			e.smtp = newSMTP(t, localmail.SMTPOptions{TLSConfig: serverTLS, ImplicitTLS: c.smtpImplicit,
				Username: "relay", Password: "relay-pw", Token: "relay-token"})
			e.cfg.SMTP = config.SMTP{Host: "127.0.0.1", Port: e.smtp.Port(), Security: c.smSec, Auth: c.smtpAuth,
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
		srv, err := localmail.NewIMAPServer(localmail.IMAPOptions{TLSConfig: serverTLS, ImplicitTLS: true})
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Close()
		d := &Daemon{timing: timing{dial: 5 * time.Second, op: 5 * time.Second}}
		_, err = d.dialIMAP(ctxb(), &account{imap: config.IMAP{Host: "127.0.0.1", Port: srv.Port(), Security: "tls",
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
