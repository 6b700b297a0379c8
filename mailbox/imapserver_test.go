package mailbox

import (
	"bytes"
	"crypto/tls"
	"net"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/emersion/go-sasl"
)

// testIMAP is go-imap's IMAP server over its in-memory backend, on a loopback port,
// with a few knobs. The session adds what imapmemserver v2.0.0-beta.8 lacks:
// SPECIAL-USE attributes in LIST (its Create ignores them), and XOAUTH2.
type testIMAP struct {
	t    *testing.T
	addr string
	caps imap.CapSet

	mu     sync.Mutex
	srv    *imapserver.Server
	users  map[string]*testUser
	logins atomic.Int32

	// noKeywords makes SELECT announce PERMANENTFLAGS without \*.
	noKeywords atomic.Bool
	// With tlsConfig the server offers STARTTLS; implicit makes it TLS from the start.
	tlsConfig *tls.Config
	implicit  bool
}

type testUser struct {
	*imapmemserver.User
	password string
	token    string // XOAUTH2 access token
	special  map[string]imap.MailboxAttr
	folders  []string
}

func fullCaps() imap.CapSet {
	return imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}, imap.CapMove: {}, imap.CapSpecialUse: {}}
}

// newTestIMAP starts a server; caps nil means IMAP4rev2 with MOVE and SPECIAL-USE.
func newTestIMAP(t *testing.T, caps imap.CapSet) *testIMAP {
	return newTestIMAPTLS(t, caps, nil, false)
}

// newTestIMAPTLS starts a server offering STARTTLS with tlsConfig, or speaking TLS
// from the start when implicit.
func newTestIMAPTLS(t *testing.T, caps imap.CapSet, tlsConfig *tls.Config, implicit bool) *testIMAP {
	t.Helper()
	if caps == nil {
		caps = fullCaps()
	}
	s := &testIMAP{t: t, caps: caps, users: map[string]*testUser{}, tlsConfig: tlsConfig, implicit: implicit}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.addr = ln.Addr().String()
	s.serve(ln)
	t.Cleanup(func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.srv.Close()
	})
	return s
}

func (s *testIMAP) serve(ln net.Listener) {
	if s.implicit {
		ln = tls.NewListener(ln, s.tlsConfig)
	}
	srv := imapserver.New(&imapserver.Options{
		TLSConfig: s.tlsConfig,
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return &testSession{srv: s}, nil, nil
		},
		Caps:         s.caps,
		InsecureAuth: true,
		Logger:       discardLogger{},
	})
	s.mu.Lock()
	s.srv = srv
	s.mu.Unlock()
	go srv.Serve(ln)
}

// cut closes the listener and every connection, as a server restart or a network
// failure would; the mail stays.
func (s *testIMAP) cut() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.srv.Close()
}

// resume listens again on the same address.
func (s *testIMAP) resume() {
	s.t.Helper()
	var ln net.Listener
	var err error
	for range 50 {
		if ln, err = net.Listen("tcp", s.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		s.t.Fatalf("listen again on %s: %v", s.addr, err)
	}
	s.serve(ln)
}

func (s *testIMAP) port() int { return s.addrPort().Port }

func (s *testIMAP) addrPort() *net.TCPAddr {
	a, _ := net.ResolveTCPAddr("tcp", s.addr)
	return a
}

// addUser creates a mailbox user with INBOX, Sent, Drafts and Review; Sent and
// Drafts carry their SPECIAL-USE attributes.
func (s *testIMAP) addUser(name, password string) *testUser {
	s.t.Helper()
	u := &testUser{User: imapmemserver.NewUser(name, password), password: password,
		special: map[string]imap.MailboxAttr{"Sent": imap.MailboxAttrSent, "Drafts": imap.MailboxAttrDrafts}}
	for _, f := range []string{"INBOX", "Sent", "Drafts", "Review"} {
		u.create(s.t, f)
	}
	s.mu.Lock()
	s.users[name] = u
	s.mu.Unlock()
	return u
}

func (u *testUser) create(t *testing.T, name string) {
	t.Helper()
	if err := u.Create(name, nil); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(u.folders, name) {
		u.folders = append(u.folders, name)
	}
}

// recreate deletes and creates a folder: its UIDVALIDITY changes.
func (u *testUser) recreate(t *testing.T, name string) {
	t.Helper()
	if err := u.Delete(name); err != nil {
		t.Fatal(err)
	}
	u.create(t, name)
}

// deliver puts a mail in a folder as an MTA would, with its arrival time.
func (u *testUser) deliver(t *testing.T, folder string, raw []byte, at time.Time, flags ...imap.Flag) {
	t.Helper()
	if _, err := u.Append(folder, literal{bytes.NewReader(raw), int64(len(raw))}, &imap.AppendOptions{Time: at, Flags: flags}); err != nil {
		t.Fatal(err)
	}
}

type literal struct {
	*bytes.Reader
	size int64
}

func (l literal) Size() int64 { return l.size }

func (s *testIMAP) user(name string) *testUser {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.users[name]
}

// testSession is imapmemserver's session plus the knobs above.
type testSession struct {
	*imapmemserver.UserSession
	srv  *testIMAP
	user *testUser
}

var _ imapserver.SessionSASL = (*testSession)(nil)

func (sess *testSession) Login(username, password string) error {
	u := sess.srv.user(username)
	if u == nil || u.password != password {
		return imapserver.ErrAuthFailed
	}
	sess.start(u)
	return nil
}

func (sess *testSession) start(u *testUser) {
	sess.user = u
	sess.UserSession = imapmemserver.NewUserSession(u.User)
	sess.srv.logins.Add(1)
}

func (sess *testSession) Close() error {
	if sess.UserSession == nil {
		return nil
	}
	return sess.UserSession.Close()
}

func (sess *testSession) AuthenticateMechanisms() []string { return []string{"PLAIN", "XOAUTH2"} }

func (sess *testSession) Authenticate(mech string) (sasl.Server, error) {
	switch mech {
	case "PLAIN":
		return sasl.NewPlainServer(func(identity, username, password string) error {
			if identity != "" && identity != username {
				return imapserver.ErrAuthFailed
			}
			return sess.Login(username, password)
		}), nil
	case "XOAUTH2":
		return &xoauth2Server{check: func(user, token string) error {
			u := sess.srv.user(user)
			if u == nil || u.token == "" || u.token != token {
				return imapserver.ErrAuthFailed
			}
			sess.start(u)
			return nil
		}}, nil
	}
	return nil, &imap.Error{Type: imap.StatusResponseTypeNo, Text: "SASL mechanism not supported"}
}

func (sess *testSession) Select(name string, options *imap.SelectOptions) (*imap.SelectData, error) {
	data, err := sess.UserSession.Select(name, options)
	if err == nil && sess.srv.noKeywords.Load() {
		data.PermanentFlags = []imap.Flag{imap.FlagSeen, imap.FlagAnswered, imap.FlagFlagged, imap.FlagDeleted, imap.FlagDraft}
	}
	return data, err
}

// List lists the user's folders with their SPECIAL-USE attributes.
func (sess *testSession) List(w *imapserver.ListWriter, ref string, patterns []string, options *imap.ListOptions) error {
	if len(patterns) == 0 {
		return w.WriteList(&imap.ListData{Attrs: []imap.MailboxAttr{imap.MailboxAttrNoSelect}, Delim: '/'})
	}
	for _, name := range sess.user.folders {
		match := false
		for _, p := range patterns {
			match = match || imapserver.MatchList(name, '/', ref, p)
		}
		if !match {
			continue
		}
		data := &imap.ListData{Mailbox: name, Delim: '/'}
		attr, special := sess.user.special[name]
		if options != nil && options.SelectSpecialUse && !special {
			continue
		}
		if special && options != nil && (options.ReturnSpecialUse || options.SelectSpecialUse) {
			data.Attrs = append(data.Attrs, attr)
		}
		if err := w.WriteList(data); err != nil {
			return err
		}
	}
	return nil
}

// xoauth2Server checks "user=...\x01auth=Bearer TOKEN\x01\x01"; a refused token gets
// the JSON challenge Gmail sends, then the failure.
type xoauth2Server struct {
	check   func(user, token string) error
	refused error
}

func (x *xoauth2Server) Next(response []byte) ([]byte, bool, error) {
	if x.refused != nil {
		return nil, true, x.refused
	}
	var user, token string
	for _, f := range strings.Split(string(response), "\x01") {
		if v, ok := strings.CutPrefix(f, "user="); ok {
			user = v
		}
		if v, ok := strings.CutPrefix(f, "auth=Bearer "); ok {
			token = v
		}
	}
	if err := x.check(user, token); err != nil {
		x.refused = err
		return []byte(`{"status":"401","schemes":"bearer","scope":"https://mail.google.com/"}`), false, nil
	}
	return nil, true, nil
}

var _ sasl.Server = (*xoauth2Server)(nil)

type discardLogger struct{}

func (discardLogger) Printf(string, ...any) {}
func (discardLogger) Println(...any)        {}

// imapMessage is one message as a mail client would see it.
type imapMessage struct {
	uid       imap.UID
	flags     []imap.Flag
	messageID string
	raw       []byte
}

func (m imapMessage) has(flag string) bool { return hasFlag(m.flags, flag) }

// folderContents reads a folder with a real client (EXAMINE: nothing changes).
func folderContents(t *testing.T, addr, user, password, folder string) ([]imapMessage, error) {
	t.Helper()
	c, err := imapclient.DialInsecure(addr, nil)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	if err := c.Login(user, password).Wait(); err != nil {
		return nil, err
	}
	sel, err := c.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		return nil, err
	}
	if sel.NumMessages == 0 {
		return nil, nil
	}
	bufs, err := c.Fetch(imap.SeqSet{{Start: 1, Stop: 0}}, &imap.FetchOptions{UID: true, Flags: true,
		BodySection: []*imap.FetchItemBodySection{{Peek: true}}}).Collect()
	if err != nil {
		return nil, err
	}
	var out []imapMessage
	for _, b := range bufs {
		m := imapMessage{uid: b.UID, flags: b.Flags}
		if len(b.BodySection) > 0 {
			m.raw = b.BodySection[0].Bytes
		}
		m.messageID = headerOf(m.raw, "Message-Id")
		out = append(out, m)
	}
	c.Logout().Wait()
	return out, nil
}
