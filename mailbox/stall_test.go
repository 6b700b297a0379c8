package mailbox

import (
	"database/sql"
	"fmt"
	"github.com/returnsdesk/returnsdesk/state/statetest"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/returnsdesk/returnsdesk/config"
)

// silentServer accepts connections and never says a word: an SMTP server that hangs.
func silentServer(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
			go io.Copy(io.Discard, c)
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		for _, c := range conns {
			c.Close()
		}
	})
	return ln.Addr().(*net.TCPAddr).Port
}

// TestSMTPStall: a store's SMTP server that accepts and then hangs costs its mail the
// stall time, with a warning, and the other store's reply goes out meanwhile.
func TestSMTPStall(t *testing.T) {
	e := newEnv(t, nil, "lumina", "alusse")
	e.storeConfig("lumina").SMTP = &config.SMTP{Host: "127.0.0.1", Port: silentServer(t), Security: "none", Auth: "none"}
	mails := mailsOf(mixedMails(), "lumina", "alusse")
	e.deliver(mails...)
	r := e.start(func(d *Daemon) { d.timing.smtpStall = 300 * time.Millisecond })
	waitFor(t, 15*time.Second, "alusse's replies while lumina's server hangs", func() (bool, string) {
		n := 0
		for _, m := range e.smtp.Messages() {
			if strings.Contains(string(m.Raw), "@alusse.com") {
				n++
			}
		}
		return n > 0, fmt.Sprintf("%d alusse replies", n)
	})
	waitFor(t, 15*time.Second, "the stall warning", func() (bool, string) {
		return strings.Contains(r.logs.String(), "mail not delivered yet") && strings.Contains(r.logs.String(), "timeout"), "no warning yet"
	})
	for _, m := range e.smtp.Messages() {
		if strings.HasSuffix(m.From, "@luminahelp.com") {
			t.Errorf("a lumina reply went out through the other store's server")
		}
	}
}

// TestReconnectAfterRefusal: while the IMAP server refuses connections the worker
// retries at most every refusedMax, however far the backoff has grown, so it is
// back within moments of the server's return.
func TestReconnectAfterRefusal(t *testing.T) {
	e := newEnv(t, nil, "lumina")
	// A port nobody listens on, for now.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	e.storeConfig("lumina").IMAP[0].Port = port
	mails := mailsOf(mixedMails(), "lumina")
	e.deliver(mails[:2]...)
	r := e.start(func(d *Daemon) {
		d.timing.maxBackoff = time.Hour
		d.timing.refusedMax = 100 * time.Millisecond
	})
	// Twelve refusals: uncapped, the backoff from 10 ms would now wait half a minute.
	waitFor(t, 15*time.Second, "a dozen refused connections", func() (bool, string) {
		n := strings.Count(r.logs.String(), "connection refused")
		return n >= 12, fmt.Sprintf("%d refusals", n)
	})
	// The server is back on its port.
	back, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Skipf("the port was taken meanwhile: %v", err)
	}
	go func() {
		for {
			c, err := back.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", e.imapAddr)
			if err != nil {
				c.Close()
				continue
			}
			go func() { io.Copy(s, c); s.Close() }()
			go func() { io.Copy(c, s); c.Close() }()
		}
	}()
	t.Cleanup(func() { back.Close() })
	waitFor(t, 5*time.Second, "the worker back on the returned server", func() (bool, string) { return e.caughtUp(r) })
	e.checkAnsweredOnce(r.db, mails[:2])
}

// TestNoSecondSentCopy: a copy filed in Sent whose filing was not recorded (the
// daemon was killed in between) is found there after the restart and not filed
// again.
func TestNoSecondSentCopy(t *testing.T) {
	checkNoSecondSentCopy(t, newEnv(t, nil, "lumina"))
}

// TestDovecotNoSecondSentCopy is checkNoSecondSentCopy against a real Dovecot.
func TestDovecotNoSecondSentCopy(t *testing.T) {
	checkNoSecondSentCopy(t, newDovecotEnv(t, "lumina"))
}

func checkNoSecondSentCopy(t *testing.T, e *env) {
	t.Helper()
	mails := mailsOf(mixedMails(), "lumina")[:3]
	e.deliver(mails...)
	r := e.start()
	e.waitCaughtUp(r)
	r.stop(t)
	before := len(e.contents("lumina", "Sent"))
	if before == 0 {
		t.Fatal("no copies in Sent")
	}
	// As if the run had been killed after each APPEND, before recording it.
	driver, source := "sqlite", "file:"+e.statePath
	if statetest.OnPostgres() {
		driver, source = "pgx", e.statePath
	}
	raw, err := sql.Open(driver, source)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE outbox_copies SET filed_at = 0`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	r = e.start()
	e.waitCaughtUp(r)
	if after := len(e.contents("lumina", "Sent")); after != before {
		t.Errorf("%d copies in Sent after the restart, %d before", after, before)
	}
	if !strings.Contains(r.logs.String(), "the copy was filed in Sent before a restart") {
		t.Errorf("the earlier copies were not looked for:\n%s", r.logs.String())
	}
}
