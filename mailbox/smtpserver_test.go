package mailbox

import (
	"bytes"
	"crypto/tls"
	"io"
	"net"
	"net/mail"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// testSMTP is go-smtp's server on a loopback port, recording what it accepts, with
// knobs for failures.
type testSMTP struct {
	addr string

	// down answers every MAIL FROM with 421 (temporary); tempFail fails that many
	// DATA commands with 451.
	down     atomic.Bool
	tempFail atomic.Int32
	// refuse answers RCPT TO these (lower-case) addresses with 550, defer with 451.
	refuse, deferred sync.Map

	// With user set, mail is only taken after AUTH PLAIN (password) or XOAUTH2 (token).
	user, password, token string

	mu       sync.Mutex
	received []received
	attempts int
}

type received struct {
	from string
	to   []string
	raw  []byte
}

func (r received) header(name string) string { return headerOf(r.raw, name) }

func newTestSMTP(t *testing.T) *testSMTP {
	return newTestSMTPTLS(t, nil, false, "", "", "")
}

// newTestSMTPTLS starts a server offering STARTTLS with tlsConfig (or TLS from the
// start when implicit) and requiring authentication as user when user is set.
func newTestSMTPTLS(t *testing.T, tlsConfig *tls.Config, implicit bool, user, password, token string) *testSMTP {
	t.Helper()
	s := &testSMTP{user: user, password: password, token: token}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &smtpSink{srv: s}, nil
	}))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ErrorLog = discardLogger{}
	srv.TLSConfig = tlsConfig
	var ln net.Listener
	var err error
	if implicit {
		ln, err = tls.Listen("tcp", "127.0.0.1:0", tlsConfig)
	} else {
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		t.Fatal(err)
	}
	s.addr = ln.Addr().String()
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return s
}

func (s *testSMTP) port() int { return s.addrPort().Port }

func (s *testSMTP) addrPort() *net.TCPAddr {
	a, _ := net.ResolveTCPAddr("tcp", s.addr)
	return a
}

// messages returns a copy of what was accepted.
func (s *testSMTP) messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.received...)
}

func (s *testSMTP) attemptCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.attempts
}

// byInReplyTo counts accepted mails per In-Reply-To.
func (s *testSMTP) byInReplyTo() map[string]int {
	out := map[string]int{}
	for _, m := range s.messages() {
		out[m.header("In-Reply-To")]++
	}
	return out
}

type smtpSink struct {
	srv    *testSMTP
	authed bool
	from   string
	to     []string
}

var _ smtp.AuthSession = (*smtpSink)(nil)

func (s *smtpSink) AuthMechanisms() []string { return []string{sasl.Plain, "XOAUTH2"} }

func (s *smtpSink) Auth(mech string) (sasl.Server, error) {
	switch mech {
	case sasl.Plain:
		return sasl.NewPlainServer(func(identity, username, password string) error {
			if s.srv.user == "" || username != s.srv.user || password != s.srv.password {
				return smtp.ErrAuthFailed
			}
			s.authed = true
			return nil
		}), nil
	case "XOAUTH2":
		return &xoauth2Server{check: func(user, token string) error {
			if s.srv.user == "" || user != s.srv.user || s.srv.token == "" || token != s.srv.token {
				return smtp.ErrAuthFailed
			}
			s.authed = true
			return nil
		}}, nil
	}
	return nil, smtp.ErrAuthUnknownMechanism
}

func (s *smtpSink) Mail(from string, _ *smtp.MailOptions) error {
	s.srv.mu.Lock()
	s.srv.attempts++
	s.srv.mu.Unlock()
	if s.srv.user != "" && !s.authed {
		return smtp.ErrAuthRequired
	}
	if s.srv.down.Load() {
		return &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "down for maintenance"}
	}
	s.from = from
	return nil
}

func (s *smtpSink) Rcpt(to string, _ *smtp.RcptOptions) error {
	if _, bad := s.srv.refuse.Load(strings.ToLower(to)); bad {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	}
	if _, later := s.srv.deferred.Load(strings.ToLower(to)); later {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 7, 1}, Message: "greylisted, try again later"}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *smtpSink) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if s.srv.tempFail.Add(-1) >= 0 {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	s.srv.tempFail.Store(0)
	s.srv.mu.Lock()
	s.srv.received = append(s.srv.received, received{from: s.from, to: s.to, raw: raw})
	s.srv.mu.Unlock()
	return nil
}

func (s *smtpSink) Reset()        { s.from, s.to = "", nil }
func (s *smtpSink) Logout() error { return nil }

// headerOf returns a header field of a raw mail, a message id without its brackets.
func headerOf(raw []byte, name string) string {
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return ""
	}
	v := strings.TrimSpace(m.Header.Get(name))
	if strings.HasPrefix(v, "<") && strings.HasSuffix(v, ">") && !strings.Contains(v[1:], "<") {
		v = v[1 : len(v)-1]
	}
	return v
}
