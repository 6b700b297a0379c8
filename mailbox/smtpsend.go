package mailbox

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"

	"github.com/emersion/go-smtp"

	"github.com/returnsdesk/returnsdesk/config"
	"github.com/returnsdesk/returnsdesk/oauth"
	"github.com/returnsdesk/returnsdesk/state"
)

// The outbox holds each mail as the exact bytes that were rendered once (and are
// filed in Sent): they are sent as they are. go-mail's Client only sends a *Msg,
// which it renders itself, so the raw bytes go through go-smtp's client, which takes
// any io.Reader, reports *smtp.SMTPError with Temporary() and shares the sasl.Client
// interface (and our XOAUTH2 client) with the IMAP side.

// deliveryError is a failed delivery. Permanent ones (5xx for this mail) end the
// outbox row; everything else, unknown errors included, is retried. A server
// failure (unreachable, connection lost, 421) is not the mail's fault: the other
// mail for that server waits too.
type deliveryError struct {
	err       error
	permanent bool
	server    bool
}

func (e *deliveryError) Error() string   { return e.err.Error() }
func (e *deliveryError) Unwrap() error   { return e.err }
func (e *deliveryError) Temporary() bool { return !e.permanent }

// smtpSession is one connection to one SMTP server, reused for every mail while
// mail keeps coming. A connection error retires it for the rest of the round.
type smtpSession struct {
	c   *smtp.Client
	err error // set once the server is unreachable or the connection broke
	kept
}

// send submits one outbox mail: envelope from the store mailbox to the recipient,
// the stored bytes as the message.
func (s *smtpSession) send(o state.Outgoing) error {
	if s.err != nil {
		return &deliveryError{err: s.err, server: true}
	}
	err := s.c.SendMail(o.Mailbox, []string{o.Recipient}, bytes.NewReader(o.Raw))
	if err == nil {
		return nil
	}
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		if se.Code == 421 {
			// "Service not available, closing transmission channel": not this mail's
			// fault, and nothing more goes through this server for now.
			s.retire(err)
			return &deliveryError{err: err, server: true}
		}
		// The server answered: the connection is usable once the transaction is reset.
		if rerr := s.c.Reset(); rerr != nil {
			s.retire(rerr)
		}
		return &deliveryError{err: err, permanent: !se.Temporary()}
	}
	s.retire(err)
	return &deliveryError{err: err, server: true}
}

func (s *smtpSession) retire(err error) {
	s.err = err
	s.c.Close()
}

func (s *smtpSession) close() {
	if s.err == nil {
		s.c.Quit()
	}
	s.c.Close()
}

// dialSMTP connects and authenticates to an SMTP server. An OAuth2 access token the
// server refuses is refreshed and tried once more on a new connection.
func (d *Daemon) dialSMTP(ctx context.Context, cfg config.SMTP) (*smtp.Client, error) {
	c, src, err := d.dialSMTPOnce(ctx, cfg)
	var refused *loginRefused
	if src != nil && errors.As(err, &refused) {
		d.log.Info("the SMTP server refused the OAuth2 access token; refreshing it", "server", cfg.Host, "err", err)
		src.Refused()
		c, _, err = d.dialSMTPOnce(ctx, cfg)
	}
	return c, err
}

func (d *Daemon) dialSMTPOnce(ctx context.Context, cfg config.SMTP) (*smtp.Client, *oauth.Source, error) {
	security := orDefault(cfg.Security, "starttls")
	def := map[string]int{"tls": 465, "starttls": 587, "none": 25}[security]
	addr := hostPort(cfg.Host, cfg.Port, def)
	if cfg.Host == "" {
		return nil, nil, errors.New("smtp: no host configured")
	}
	if security == "none" && !isLoopback(cfg.Host) {
		return nil, nil, fmt.Errorf("smtp %s: refusing to send without TLS to a host that is not loopback", addr)
	}
	dialCtx, cancel := context.WithTimeout(ctx, d.timing.dial)
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(dialCtx, "tcp", addr)
	if err != nil {
		return nil, nil, fmt.Errorf("smtp %s: %w", addr, err)
	}
	tlsConfig := d.tlsConfigFor(cfg.Host)
	var c *smtp.Client
	switch security {
	case "tls":
		tc := tls.Client(conn, tlsConfig)
		if err := tc.HandshakeContext(dialCtx); err != nil {
			conn.Close()
			return nil, nil, fmt.Errorf("smtp %s: TLS: %w", addr, err)
		}
		c = smtp.NewClient(tc)
	case "starttls":
		stop := context.AfterFunc(dialCtx, func() { conn.Close() })
		c, err = smtp.NewClientStartTLS(conn, tlsConfig)
		if !stop() || err != nil {
			if err == nil {
				c.Close()
				err = errTimeout
			}
			return nil, nil, fmt.Errorf("smtp %s: STARTTLS: %w", addr, err)
		}
	default:
		c = smtp.NewClient(conn)
	}
	// Each command and the end of data get smtpStall: a stalled server costs one
	// mail that much, then it is retried and the others go on.
	c.CommandTimeout, c.SubmissionTimeout = d.timing.smtpStall, d.timing.smtpStall
	auth := orDefault(cfg.Auth, "plain")
	if auth == "none" || cfg.Username == "" {
		return c, nil, nil
	}
	client, src, err := d.saslClient(ctx, auth, cfg.OAuth, cfg.Username, cfg.Password.Value, cfg.Host, cfg.Port)
	if err == nil {
		err = c.Auth(client)
	}
	if err != nil {
		c.Close()
		var se *smtp.SMTPError
		if errors.As(err, &se) && se.Code == 535 {
			err = &loginRefused{err}
		}
		return nil, src, fmt.Errorf("smtp %s: log in as %s: %w", addr, cfg.Username, err)
	}
	return c, src, nil
}
