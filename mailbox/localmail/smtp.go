package localmail

import (
	"crypto/subtle"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// SMTPOptions configure an SMTPSink; the zero value takes mail from anyone over
// plain SMTP.
type SMTPOptions struct {
	// TLSConfig enables STARTTLS; with ImplicitTLS the server speaks TLS at once.
	TLSConfig   *tls.Config
	ImplicitTLS bool
	// With Username set, mail is taken only after AUTH PLAIN with Password or
	// XOAUTH2 with Token.
	Username, Password, Token string
	// CheckToken, when set, decides XOAUTH2 and OAUTHBEARER logins (an OAuth2
	// provider's verdict on the access token) instead of Token.
	CheckToken func(user, token string) error
}

// SMTPSink is an SMTP server on a loopback port that keeps every mail it accepts.
type SMTPSink struct {
	// Addr is host:port.
	Addr string
	// Down answers every MAIL FROM with 421, as a server in maintenance would.
	Down atomic.Bool
	// TempFail fails that many DATA commands with 451.
	TempFail atomic.Int32

	opts     SMTPOptions
	srv      *smtp.Server
	refused  sync.Map // lower-case address -> struct{}
	deferred sync.Map

	mu       sync.Mutex
	messages []Message
	attempts int
	sessions int
	open     map[*smtp.Conn]bool
}

// Message is one mail the sink accepted.
type Message struct {
	From string
	To   []string
	Raw  []byte
	At   time.Time // when the sink accepted it
}

// NewSMTPSink listens on 127.0.0.1 at a free port.
func NewSMTPSink(opts SMTPOptions) (*SMTPSink, error) {
	if opts.ImplicitTLS && opts.TLSConfig == nil {
		return nil, errors.New("localmail: implicit TLS needs a TLS configuration")
	}
	s := &SMTPSink{opts: opts, open: map[*smtp.Conn]bool{}}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		s.mu.Lock()
		s.sessions++
		s.open[c] = true
		s.mu.Unlock()
		return &sink{srv: s, conn: c}, nil
	}))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ErrorLog = discardLogger{}
	srv.TLSConfig = opts.TLSConfig
	var ln net.Listener
	var err error
	if opts.ImplicitTLS {
		ln, err = tls.Listen("tcp", "127.0.0.1:0", opts.TLSConfig)
	} else {
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		return nil, fmt.Errorf("localmail: listen: %w", err)
	}
	s.Addr, s.srv = ln.Addr().String(), srv
	go srv.Serve(ln)
	return s, nil
}

// Port is the port the sink listens on.
func (s *SMTPSink) Port() int { return portOf(s.Addr) }

// Close stops the sink.
func (s *SMTPSink) Close() error { return s.srv.Close() }

// Refuse answers RCPT TO addr with 550 (permanent) from now on.
func (s *SMTPSink) Refuse(addr string) { s.refused.Store(strings.ToLower(addr), struct{}{}) }

// Defer answers RCPT TO addr with 451 (try later) until Undefer.
func (s *SMTPSink) Defer(addr string) { s.deferred.Store(strings.ToLower(addr), struct{}{}) }

// Undefer takes addr again.
func (s *SMTPSink) Undefer(addr string) { s.deferred.Delete(strings.ToLower(addr)) }

// Messages returns a copy of what was accepted, in order.
func (s *SMTPSink) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// Sessions counts the connections clients opened.
func (s *SMTPSink) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions
}

// DropSessions closes every open connection, as a server does with idle ones.
func (s *SMTPSink) DropSessions() {
	s.mu.Lock()
	open := s.open
	s.open = map[*smtp.Conn]bool{}
	s.mu.Unlock()
	for c := range open {
		c.Close() // which logs the session out: not under s.mu
	}
}

// Attempts counts the MAIL FROM commands received, accepted or not.
func (s *SMTPSink) Attempts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.attempts
}

// sink is one SMTP session.
type sink struct {
	srv    *SMTPSink
	conn   *smtp.Conn
	authed bool
	from   string
	to     []string
}

var _ smtp.AuthSession = (*sink)(nil)

func (s *sink) AuthMechanisms() []string { return []string{sasl.Plain, "XOAUTH2", sasl.OAuthBearer} }

func (s *sink) Auth(mech string) (sasl.Server, error) {
	o := s.srv.opts
	switch mech {
	case sasl.Plain:
		return sasl.NewPlainServer(func(identity, username, password string) error {
			if o.Username == "" || username != o.Username || subtle.ConstantTimeCompare([]byte(password), []byte(o.Password)) != 1 {
				return smtp.ErrAuthFailed
			}
			s.authed = true
			return nil
		}), nil
	case "XOAUTH2":
		return &xoauth2Server{check: s.tokenLogin}, nil
	case sasl.OAuthBearer:
		return sasl.NewOAuthBearerServer(func(opts sasl.OAuthBearerOptions) *sasl.OAuthBearerError {
			if s.tokenLogin(opts.Username, opts.Token) != nil {
				return &sasl.OAuthBearerError{Status: "invalid_token", Schemes: "bearer"}
			}
			return nil
		}), nil
	}
	return nil, smtp.ErrAuthUnknownMechanism
}

// tokenLogin lets user in with an OAuth2 access token.
func (s *sink) tokenLogin(user, token string) error {
	o := s.srv.opts
	if o.Username == "" || user != o.Username {
		return smtp.ErrAuthFailed
	}
	switch {
	case o.CheckToken != nil:
		if o.CheckToken(user, token) != nil {
			return smtp.ErrAuthFailed
		}
	case o.Token == "" || subtle.ConstantTimeCompare([]byte(token), []byte(o.Token)) != 1:
		return smtp.ErrAuthFailed
	}
	s.authed = true
	return nil
}

func (s *sink) Mail(from string, _ *smtp.MailOptions) error {
	s.srv.mu.Lock()
	s.srv.attempts++
	s.srv.mu.Unlock()
	if s.srv.opts.Username != "" && !s.authed {
		return smtp.ErrAuthRequired
	}
	if s.srv.Down.Load() {
		return &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "down for maintenance"}
	}
	s.from = from
	return nil
}

func (s *sink) Rcpt(to string, _ *smtp.RcptOptions) error {
	addr := strings.ToLower(to)
	if _, ok := s.srv.refused.Load(addr); ok {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	}
	if _, ok := s.srv.deferred.Load(addr); ok {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 7, 1}, Message: "greylisted, try again later"}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *sink) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if s.srv.TempFail.Add(-1) >= 0 {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	s.srv.TempFail.Store(0)
	s.srv.mu.Lock()
	s.srv.messages = append(s.srv.messages, Message{From: s.from, To: s.to, Raw: raw, At: time.Now()})
	s.srv.mu.Unlock()
	return nil
}

func (s *sink) Reset() { s.from, s.to = "", nil }
func (s *sink) Logout() error {
	s.srv.mu.Lock()
	delete(s.srv.open, s.conn)
	s.srv.mu.Unlock()
	return nil
}
