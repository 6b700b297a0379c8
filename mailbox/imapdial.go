package mailbox

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"sync/atomic"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-sasl"
)

// errTimeout is returned when the watchdog closed a connection that did not answer.
var errTimeout = errors.New("no answer from the server in time: connection closed")

// guard runs op and closes the connection if it takes longer than d. go-imap has no
// deadline while it waits for a tagged reply, so a connection that died silently
// would block op forever; closing it makes op fail.
func guard[T any](c *imapclient.Client, d time.Duration, op func() (T, error)) (T, error) {
	var fired atomic.Bool
	t := time.AfterFunc(d, func() {
		fired.Store(true)
		c.Close()
	})
	v, err := op()
	t.Stop()
	if fired.Load() {
		return v, fmt.Errorf("%w (after %s)", errTimeout, d)
	}
	return v, err
}

// guardErr is guard for operations without a result.
func guardErr(c *imapclient.Client, d time.Duration, op func() error) error {
	_, err := guard(c, d, func() (struct{}, error) { return struct{}{}, op() })
	return err
}

// dialIMAP connects and logs in to the account's server. handler receives the
// server's unsolicited updates; it may be nil.
func (d *Daemon) dialIMAP(ctx context.Context, a *account, handler *imapclient.UnilateralDataHandler) (*imapclient.Client, error) {
	m := a.imap
	security := orDefault(m.Security, "tls")
	def := 143
	if security == "tls" {
		def = 993
	}
	addr := hostPort(m.Host, m.Port, def)
	if security == "none" && !isLoopback(m.Host) {
		// Checked by New already; kept here so no path can send a password in clear.
		return nil, fmt.Errorf("imap %s: refusing to log in without TLS to a host that is not loopback", addr)
	}
	dialCtx, cancel := context.WithTimeout(ctx, d.timing.dial)
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(dialCtx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("imap %s: %w", addr, err)
	}
	tlsConfig := d.tlsConfigFor(m.Host)
	opts := &imapclient.Options{TLSConfig: tlsConfig, UnilateralDataHandler: handler}
	var c *imapclient.Client
	switch security {
	case "tls":
		tc := tls.Client(conn, tlsConfig)
		if err := tc.HandshakeContext(dialCtx); err != nil {
			conn.Close()
			return nil, fmt.Errorf("imap %s: TLS: %w", addr, err)
		}
		c = imapclient.New(tc, opts)
	case "starttls":
		// NewStartTLS waits for the greeting and the STARTTLS reply: bound it.
		stop := context.AfterFunc(dialCtx, func() { conn.Close() })
		c, err = imapclient.NewStartTLS(conn, opts)
		if !stop() || err != nil {
			if err == nil {
				c.Close()
				err = errTimeout
			}
			return nil, fmt.Errorf("imap %s: STARTTLS: %w", addr, err)
		}
	default:
		c = imapclient.New(conn, opts)
	}
	if err := guardErr(c, d.timing.dial, c.WaitGreeting); err != nil {
		c.Close()
		return nil, fmt.Errorf("imap %s: greeting: %w", addr, err)
	}
	if err := d.loginIMAP(c, m.Auth, m.Username, m.Password.Value); err != nil {
		// After a failed AUTHENTICATE the exchange may be half-way: never reuse it.
		c.Close()
		return nil, fmt.Errorf("imap %s: log in as %s: %w", addr, m.Username, err)
	}
	return c, nil
}

func (d *Daemon) loginIMAP(c *imapclient.Client, auth, username, secret string) error {
	var client sasl.Client
	switch orDefault(auth, "login") {
	case "login":
		if c.Caps().Has(imap.CapLoginDisabled) {
			return errors.New("the server refuses LOGIN here (LOGINDISABLED); use TLS or auth = \"plain\"")
		}
		return guardErr(c, d.timing.op, c.Login(username, secret).Wait)
	case "plain":
		client = sasl.NewPlainClient("", username, secret)
	case "xoauth2":
		client = newXOAUTH2Client(username, secret)
	default:
		return fmt.Errorf("unknown auth %q", auth)
	}
	return guardErr(c, d.timing.op, func() error { return c.Authenticate(client) })
}

// tlsConfigFor is the TLS configuration for one server.
func (d *Daemon) tlsConfigFor(host string) *tls.Config {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if d.tlsConfig != nil {
		cfg = d.tlsConfig.Clone()
	}
	cfg.ServerName = host
	return cfg
}

// logout says goodbye politely, but never waits long for a server that is gone:
// the connection is closed after d.timing.logout whatever LOGOUT is doing.
func (d *Daemon) logout(c *imapclient.Client) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		c.Logout().Wait()
	}()
	t := time.NewTimer(d.timing.logout)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
	}
	c.Close()
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
