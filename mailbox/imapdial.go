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

	"github.com/returnsdesk/returnsdesk/config"
	"github.com/returnsdesk/returnsdesk/oauth"
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
// server's unsolicited updates; it may be nil. An OAuth2 access token the server
// refuses is refreshed and tried once more on a new connection: a token can be
// revoked or expire before the time it was given for.
func (d *Daemon) dialIMAP(ctx context.Context, a *account, handler *imapclient.UnilateralDataHandler) (*imapclient.Client, error) {
	c, src, err := d.dialIMAPOnce(ctx, a, handler)
	var refused *loginRefused
	if src != nil && errors.As(err, &refused) {
		d.log.Info("the server refused the OAuth2 access token; refreshing it", "mailbox", a.address, "err", err)
		src.Refused()
		c, _, err = d.dialIMAPOnce(ctx, a, handler)
	}
	return c, err
}

// loginRefused is a server's no to the credentials (not a broken connection).
type loginRefused struct{ err error }

func (e *loginRefused) Error() string { return e.err.Error() }
func (e *loginRefused) Unwrap() error { return e.err }

func (d *Daemon) dialIMAPOnce(ctx context.Context, a *account, handler *imapclient.UnilateralDataHandler) (*imapclient.Client, *oauth.Source, error) {
	m := a.imap
	security := orDefault(m.Security, "tls")
	def := 143
	if security == "tls" {
		def = 993
	}
	addr := hostPort(m.Host, m.Port, def)
	if security == "none" && !isLoopback(m.Host) {
		// Checked by New already; kept here so no path can send a password in clear.
		return nil, nil, fmt.Errorf("imap %s: refusing to log in without TLS to a host that is not loopback", addr)
	}
	dialCtx, cancel := context.WithTimeout(ctx, d.timing.dial)
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(dialCtx, "tcp", addr)
	if err != nil {
		return nil, nil, fmt.Errorf("imap %s: %w", addr, err)
	}
	tlsConfig := d.tlsConfigFor(m.Host)
	opts := &imapclient.Options{TLSConfig: tlsConfig, UnilateralDataHandler: handler}
	var c *imapclient.Client
	switch security {
	case "tls":
		tc := tls.Client(conn, tlsConfig)
		if err := tc.HandshakeContext(dialCtx); err != nil {
			conn.Close()
			return nil, nil, fmt.Errorf("imap %s: TLS: %w", addr, err)
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
			return nil, nil, fmt.Errorf("imap %s: STARTTLS: %w", addr, err)
		}
	default:
		c = imapclient.New(conn, opts)
	}
	if err := guardErr(c, d.timing.dial, c.WaitGreeting); err != nil {
		c.Close()
		return nil, nil, fmt.Errorf("imap %s: greeting: %w", addr, err)
	}
	src, err := d.loginIMAP(ctx, c, m)
	if err != nil {
		// After a failed AUTHENTICATE the exchange may be half-way: never reuse it.
		c.Close()
		return nil, src, fmt.Errorf("imap %s: log in as %s: %w", addr, m.Username, err)
	}
	return c, src, nil
}

// loginIMAP logs in with the mailbox's credentials; a refusal of them is a
// *loginRefused.
func (d *Daemon) loginIMAP(ctx context.Context, c *imapclient.Client, m config.IMAP) (*oauth.Source, error) {
	auth := orDefault(m.Auth, "login")
	if auth == "login" {
		if c.Caps().Has(imap.CapLoginDisabled) {
			return nil, errors.New("the server refuses LOGIN here (LOGINDISABLED); use TLS or auth = \"plain\"")
		}
		return nil, refusal(guardErr(c, d.timing.op, c.Login(m.Username, m.Password.Value).Wait))
	}
	client, src, err := d.saslClient(ctx, auth, m.OAuth, m.Username, m.Password.Value, m.Host, m.Port)
	if err != nil {
		return src, err
	}
	return src, refusal(guardErr(c, d.timing.op, func() error { return c.Authenticate(client) }))
}

// refusal marks the server's NO to a login as such (an OAUTHBEARER or XOAUTH2
// challenge is one too); a broken connection stays what it is.
func refusal(err error) error {
	var imapErr *imap.Error
	var bearer *sasl.OAuthBearerError
	if errors.As(err, &imapErr) && imapErr.Type == imap.StatusResponseTypeNo || errors.As(err, &bearer) {
		return &loginRefused{err}
	}
	return err
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
