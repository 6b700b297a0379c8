package mailbox

import (
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// blackHole is a TCP proxy whose open connections can be made to swallow all
// traffic while staying open: a peer that died without a word (a NAT timeout, a
// pulled cable), which only a watchdog detects.
type blackHole struct {
	ln     net.Listener
	target string

	mu    sync.Mutex
	pairs []*proxied
}

type proxied struct {
	client, server net.Conn
	frozen         atomic.Bool
}

func newBlackHole(t *testing.T, target string) *blackHole {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &blackHole{ln: ln, target: target}
	go p.accept()
	t.Cleanup(func() {
		ln.Close()
		p.mu.Lock()
		defer p.mu.Unlock()
		for _, c := range p.pairs {
			c.client.Close()
			c.server.Close()
		}
	})
	return p
}

func (p *blackHole) accept() {
	for {
		client, err := p.ln.Accept()
		if err != nil {
			return
		}
		server, err := net.Dial("tcp", p.target)
		if err != nil {
			client.Close()
			continue
		}
		c := &proxied{client: client, server: server}
		p.mu.Lock()
		p.pairs = append(p.pairs, c)
		p.mu.Unlock()
		go c.pipe(client, server)
		go c.pipe(server, client)
	}
}

func (c *proxied) pipe(from, to net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := from.Read(buf)
		if err != nil {
			from.Close()
			to.Close()
			return
		}
		if c.frozen.Load() {
			continue
		}
		if _, err := to.Write(buf[:n]); err != nil {
			return
		}
	}
}

// freeze makes every connection open now go silent; new ones work.
func (p *blackHole) freeze() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.pairs {
		c.frozen.Store(true)
	}
}

func (p *blackHole) port() int { return p.ln.Addr().(*net.TCPAddr).Port }

// TestWatchdog: the connection goes silent while the worker idles; the NOOP
// watchdog notices, closes it and the worker reconnects and carries on.
func TestWatchdog(t *testing.T) {
	e := newEnv(t, nil, "lumina")
	hole := newBlackHole(t, e.imapAddr)
	e.storeConfig("lumina").IMAP[0].Port = hole.port()
	mails := mailsOf(mixedMails(), "lumina")
	e.deliver(mails[:3]...)
	r := e.start(func(d *Daemon) {
		d.timing.watchdog = 150 * time.Millisecond
		d.timing.live = 400 * time.Millisecond
	})
	e.waitCaughtUp(r)
	hole.freeze()
	e.deliver(mails[3:6]...)
	e.waitCaughtUp(r)
	if !strings.Contains(r.logs.String(), "no answer from the server in time") {
		t.Errorf("the watchdog did not close the silent connection:\n%s", r.logs.String())
	}
	e.checkAnsweredOnce(r.db, mails[:6])
	e.checkMailboxMarks(r.db, "lumina")
}
