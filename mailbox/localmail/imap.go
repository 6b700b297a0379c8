package localmail

import (
	"bytes"
	"crypto/subtle"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/emersion/go-sasl"
)

// IMAPOptions configure an IMAPServer; the zero value is a plain IMAP4rev2 server
// with MOVE and SPECIAL-USE.
type IMAPOptions struct {
	// Caps are the capabilities announced; nil gives IMAP4rev2, MOVE, SPECIAL-USE.
	// IMAP4rev1 alone gives a server without MOVE, UIDPLUS and LIST-EXTENDED.
	Caps imap.CapSet
	// TLSConfig enables STARTTLS; with ImplicitTLS the server speaks TLS at once.
	TLSConfig   *tls.Config
	ImplicitTLS bool
	// CheckToken, when set, decides XOAUTH2 and OAUTHBEARER logins (an OAuth2
	// provider's verdict on the access token) instead of each user's SetToken.
	CheckToken func(user, token string) error
}

// IMAPServer is an in-memory IMAP server on a loopback port.
type IMAPServer struct {
	// Addr is host:port.
	Addr string
	// NoKeywords makes SELECT announce only the system flags in PERMANENTFLAGS, like
	// a server that keeps no custom keywords.
	NoKeywords atomic.Bool

	opts   IMAPOptions
	logins atomic.Int32

	mu    sync.Mutex
	srv   *imapserver.Server
	users map[string]*User
}

// NewIMAPServer listens on 127.0.0.1 at a free port.
func NewIMAPServer(opts IMAPOptions) (*IMAPServer, error) {
	if opts.Caps == nil {
		opts.Caps = imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}, imap.CapMove: {}, imap.CapSpecialUse: {}}
	}
	if opts.ImplicitTLS && opts.TLSConfig == nil {
		return nil, errors.New("localmail: implicit TLS needs a TLS configuration")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("localmail: listen: %w", err)
	}
	s := &IMAPServer{Addr: ln.Addr().String(), opts: opts, users: map[string]*User{}}
	s.serve(ln)
	return s, nil
}

// Port is the port the server listens on.
func (s *IMAPServer) Port() int { return portOf(s.Addr) }

// Logins counts the successful logins so far.
func (s *IMAPServer) Logins() int { return int(s.logins.Load()) }

func (s *IMAPServer) serve(ln net.Listener) {
	if s.opts.ImplicitTLS {
		ln = tls.NewListener(ln, s.opts.TLSConfig)
	}
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return &session{srv: s}, nil, nil
		},
		Caps:         s.opts.Caps,
		TLSConfig:    s.opts.TLSConfig,
		InsecureAuth: true,
		Logger:       discardLogger{},
	})
	s.mu.Lock()
	s.srv = srv
	s.mu.Unlock()
	go srv.Serve(ln)
}

// Close stops the server and drops every connection.
func (s *IMAPServer) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.srv.Close()
}

// Cut drops every connection and stops listening, as a restart or a network
// failure would; the mail stays. Resume listens again on the same address.
func (s *IMAPServer) Cut() { s.Close() }

// Resume listens again on the address Cut gave up.
func (s *IMAPServer) Resume() error {
	var ln net.Listener
	var err error
	for range 50 {
		if ln, err = net.Listen("tcp", s.Addr); err == nil {
			s.serve(ln)
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("localmail: listen again on %s: %w", s.Addr, err)
}

// AddUser creates a user with the folders INBOX, Sent (\Sent), Drafts (\Drafts)
// and Review.
func (s *IMAPServer) AddUser(name, password string) (*User, error) {
	u := &User{User: imapmemserver.NewUser(name, password), password: password, special: map[string]imap.MailboxAttr{}}
	for _, f := range []struct {
		name string
		attr imap.MailboxAttr
	}{{"INBOX", ""}, {"Sent", imap.MailboxAttrSent}, {"Drafts", imap.MailboxAttrDrafts}, {"Review", ""}} {
		if err := u.CreateFolder(f.name, f.attr); err != nil {
			return nil, err
		}
	}
	s.mu.Lock()
	s.users[name] = u
	s.mu.Unlock()
	return u, nil
}

// User returns a user added before, or nil.
func (s *IMAPServer) User(name string) *User {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.users[name]
}

// User is one mailbox account.
type User struct {
	*imapmemserver.User
	password string

	mu      sync.Mutex
	token   string // XOAUTH2 access token; empty refuses XOAUTH2
	special map[string]imap.MailboxAttr
	folders []string
}

// SetToken sets the access token XOAUTH2 accepts for this user.
func (u *User) SetToken(token string) {
	u.mu.Lock()
	u.token = token
	u.mu.Unlock()
}

// CreateFolder creates a folder; attr, when set, is its SPECIAL-USE attribute.
func (u *User) CreateFolder(name string, attr imap.MailboxAttr) error {
	if err := u.Create(name, nil); err != nil {
		return fmt.Errorf("localmail: create %s: %w", name, err)
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	if attr != "" {
		u.special[name] = attr
	}
	if !slices.Contains(u.folders, name) {
		u.folders = append(u.folders, name)
	}
	return nil
}

// DeleteFolder deletes a folder and its mail.
func (u *User) DeleteFolder(name string) error {
	if err := u.Delete(name); err != nil {
		return fmt.Errorf("localmail: delete %s: %w", name, err)
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	delete(u.special, name)
	u.folders = slices.DeleteFunc(u.folders, func(f string) bool { return f == name })
	return nil
}

// RecreateFolder deletes and creates a folder again: its UIDVALIDITY changes.
func (u *User) RecreateFolder(name string) error {
	u.mu.Lock()
	attr := u.special[name]
	u.mu.Unlock()
	if err := u.DeleteFolder(name); err != nil {
		return err
	}
	return u.CreateFolder(name, attr)
}

// Deliver puts a mail into a folder as an MTA would, received at at.
func (u *User) Deliver(folder string, raw []byte, at time.Time, flags ...imap.Flag) (imap.UID, error) {
	data, err := u.Append(folder, literal{bytes.NewReader(raw), int64(len(raw))}, &imap.AppendOptions{Time: at, Flags: flags})
	if err != nil {
		return 0, fmt.Errorf("localmail: deliver to %s: %w", folder, err)
	}
	return data.UID, nil
}

type literal struct {
	*bytes.Reader
	size int64
}

func (l literal) Size() int64 { return l.size }

func (u *User) folderList() ([]string, map[string]imap.MailboxAttr) {
	u.mu.Lock()
	defer u.mu.Unlock()
	return slices.Clone(u.folders), u.special
}

// session is imapmemserver's session plus the additions and knobs above.
type session struct {
	*imapmemserver.UserSession // nil until logged in
	srv                        *IMAPServer
	user                       *User
}

var _ imapserver.SessionSASL = (*session)(nil)

func (sess *session) Login(username, password string) error {
	u := sess.srv.User(username)
	if u == nil || subtle.ConstantTimeCompare([]byte(u.password), []byte(password)) != 1 {
		return imapserver.ErrAuthFailed
	}
	sess.start(u)
	return nil
}

func (sess *session) start(u *User) {
	sess.user = u
	sess.UserSession = imapmemserver.NewUserSession(u.User)
	sess.srv.logins.Add(1)
}

func (sess *session) Close() error {
	if sess.UserSession == nil {
		return nil
	}
	return sess.UserSession.Close()
}

func (sess *session) AuthenticateMechanisms() []string {
	return []string{sasl.Plain, "XOAUTH2", sasl.OAuthBearer}
}

// tokenLogin lets user in with an OAuth2 access token.
func (sess *session) tokenLogin(user, token string) error {
	u := sess.srv.User(user)
	if u == nil {
		return imapserver.ErrAuthFailed
	}
	if check := sess.srv.opts.CheckToken; check != nil {
		if check(user, token) != nil {
			return imapserver.ErrAuthFailed
		}
	} else {
		u.mu.Lock()
		want := u.token
		u.mu.Unlock()
		if want == "" || subtle.ConstantTimeCompare([]byte(want), []byte(token)) != 1 {
			return imapserver.ErrAuthFailed
		}
	}
	sess.start(u)
	return nil
}

func (sess *session) Authenticate(mech string) (sasl.Server, error) {
	switch mech {
	case sasl.Plain:
		return sasl.NewPlainServer(func(identity, username, password string) error {
			if identity != "" && identity != username {
				return imapserver.ErrAuthFailed
			}
			return sess.Login(username, password)
		}), nil
	case "XOAUTH2":
		return &xoauth2Server{check: sess.tokenLogin}, nil
	case sasl.OAuthBearer:
		return sasl.NewOAuthBearerServer(func(o sasl.OAuthBearerOptions) *sasl.OAuthBearerError {
			if sess.tokenLogin(o.Username, o.Token) != nil {
				return &sasl.OAuthBearerError{Status: "invalid_token", Schemes: "bearer"}
			}
			return nil
		}), nil
	}
	return nil, &imap.Error{Type: imap.StatusResponseTypeNo, Text: "SASL mechanism not supported"}
}

func (sess *session) Select(name string, options *imap.SelectOptions) (*imap.SelectData, error) {
	data, err := sess.UserSession.Select(name, options)
	if err == nil && sess.srv.NoKeywords.Load() {
		data.PermanentFlags = []imap.Flag{imap.FlagSeen, imap.FlagAnswered, imap.FlagFlagged, imap.FlagDeleted, imap.FlagDraft}
	}
	return data, err
}

// List lists the user's folders, with their SPECIAL-USE attributes when asked.
func (sess *session) List(w *imapserver.ListWriter, ref string, patterns []string, options *imap.ListOptions) error {
	if len(patterns) == 0 {
		return w.WriteList(&imap.ListData{Attrs: []imap.MailboxAttr{imap.MailboxAttrNoSelect}, Delim: '/'})
	}
	folders, special := sess.user.folderList()
	for _, name := range folders {
		match := false
		for _, p := range patterns {
			match = match || imapserver.MatchList(name, '/', ref, p)
		}
		attr, isSpecial := special[name]
		if !match || (options != nil && options.SelectSpecialUse && !isSpecial) {
			continue
		}
		data := &imap.ListData{Mailbox: name, Delim: '/'}
		if isSpecial && options != nil && (options.ReturnSpecialUse || options.SelectSpecialUse) {
			data.Attrs = append(data.Attrs, attr)
		}
		if err := w.WriteList(data); err != nil {
			return err
		}
	}
	return nil
}

func portOf(addr string) int {
	a, err := net.ResolveTCPAddr("tcp", addr)
	if err != nil {
		return 0
	}
	return a.Port
}
