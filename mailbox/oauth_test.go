package mailbox

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/returnsdesk/returnsdesk/config"
	"github.com/returnsdesk/returnsdesk/mailbox/localmail"
	"github.com/returnsdesk/returnsdesk/oauth"
	"github.com/returnsdesk/returnsdesk/oauth/oauthtest"
	"github.com/returnsdesk/returnsdesk/state"
)

// refusals is a mail server's list of access tokens to refuse, as after a revocation
// the provider has not yet told everyone about.
type refusals struct {
	mu     sync.Mutex
	tokens map[string]bool
	seen   []string // every token shown, in order
}

func (r *refusals) check(p *oauthtest.Provider) func(user, token string) error {
	return func(user, token string) error {
		r.mu.Lock()
		r.seen = append(r.seen, token)
		refused := r.tokens[token]
		r.mu.Unlock()
		if refused {
			return fmt.Errorf("token refused")
		}
		return p.Check(token)
	}
}

func (r *refusals) refuse(token string) {
	r.mu.Lock()
	r.tokens[token] = true
	r.mu.Unlock()
}

// TestOAuthMailboxes runs the daemon on mailboxes that log in with OAuth2 against a
// real provider (zitadel's op, in-process) whose verdict the IMAP and SMTP servers
// ask for every token: XOAUTH2 to IMAP and OAUTHBEARER to SMTP work with the login's
// token; shortly before expiry it is refreshed and the rotated refresh token saved;
// a restarted daemon uses the saved one, and a token the server refuses is refreshed
// and the login tried again; a revoked refresh token makes the login dead, shown in
// health and metrics, and tells the store's staff once, through another server.
func TestOAuthMailboxes(t *testing.T) {
	p := oauthtest.Start(t)
	imapChecks := &refusals{tokens: map[string]bool{}}
	e := newLocalEnv(t, localmail.IMAPOptions{CheckToken: imapChecks.check(p)}, []string{"lumina"})
	smtpChecks := &refusals{tokens: map[string]bool{}}
	const address = "support@luminahelp.com"
	oauthSMTP := newSMTP(t, localmail.SMTPOptions{Username: address, CheckToken: smtpChecks.check(p)})

	e.cfg.OAuth = []config.OAuth{p.Account("lumina-365")}
	lumina := e.storeConfig("lumina")
	lumina.EscalateTo = "team@luminahelp.example"
	lumina.IMAP[0].Auth, lumina.IMAP[0].OAuth, lumina.IMAP[0].Password = "xoauth2", "lumina-365", config.Secret{}
	lumina.SMTP = &config.SMTP{Host: "127.0.0.1", Port: oauthSMTP.Port(), Security: "none", Auth: "oauthbearer",
		Username: address, OAuth: "lumina-365"}

	// The one-time login a person does with `returnsdesk login`.
	ctx := context.Background()
	a, err := oauth.NewAccount(ctx, e.cfg.OAuth[0])
	if err != nil {
		t.Fatal(err)
	}
	login := p.Login(t, a)
	db, err := state.Open(ctx, e.statePath)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SaveToken(ctx, a.Name, login, time.Now()); err != nil {
		t.Fatal(err)
	}
	db.Close()

	// The daemon's clock: well within the token's five minutes, moved on by hand.
	var mu sync.Mutex
	now := login.Expiry.Add(-oauth.RefreshEarly - 2*time.Minute)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	mail := lisaReturns("oauth", time.Now().Add(-time.Hour))
	e.deliver(mail(1))
	r := e.start(func(d *Daemon) { d.SetClock(clock) })
	e.waitCaughtUp(r)
	if n := len(oauthSMTP.Messages()); n != 1 {
		t.Fatalf("%d replies through the OAuth2 SMTP server, want 1", n)
	}
	token := func() state.TokenState {
		ts, err := r.db.TokenState(ctx, a.Name)
		if err != nil {
			t.Fatal(err)
		}
		return ts
	}
	if got := token().Token.RefreshToken; got != login.RefreshToken {
		t.Fatal("refreshed while the login's token was fresh")
	}

	// Shortly before expiry: the next SMTP login refreshes, and the rotation is saved.
	advance(3 * time.Minute)
	e.deliver(mail(2))
	e.waitCaughtUp(r)
	rotated := token().Token
	if rotated.RefreshToken == login.RefreshToken {
		t.Fatal("the token was not refreshed before expiry")
	}
	if n := len(oauthSMTP.Messages()); n != 2 {
		t.Fatalf("%d replies, want 2", n)
	}

	// A restart with a token the IMAP server now refuses: refreshed with the saved
	// (rotated) refresh token, and logged in on the second try.
	r.stop(t)
	imapChecks.refuse(rotated.AccessToken)
	e.deliver(mail(3))
	r = e.start(func(d *Daemon) { d.SetClock(clock) })
	e.waitCaughtUp(r)
	if again := token().Token; again.RefreshToken == rotated.RefreshToken {
		t.Fatal("a refused access token was not refreshed")
	}
	if n := len(oauthSMTP.Messages()); n != 3 {
		t.Fatalf("%d replies after the restart, want 3", n)
	}

	// Consent revoked: the refresh is refused for good. Staff hear of it once, through
	// the other SMTP server, however often the worker tries to log in again.
	srv := httptest.NewServer(r.d.Handler())
	defer srv.Close()
	dead := token().Token
	if err := p.Revoke(dead.RefreshToken); err != nil {
		t.Fatal(err)
	}
	imapChecks.refuse(dead.AccessToken)
	r.stop(t)
	r = e.start(func(d *Daemon) { d.SetClock(clock) })
	srv.Config.Handler = r.d.Handler()
	alerts := func() int {
		n := 0
		for _, m := range e.smtp.Messages() {
			if strings.Contains(m.To[0], "team@luminahelp.example") && strings.Contains(string(m.Raw), "login failed") {
				n++
			}
		}
		return n
	}
	waitFor(t, 15*time.Second, "the staff alert", func() (bool, string) {
		return alerts() == 1, fmt.Sprintf("%d alerts", alerts())
	})
	waitFor(t, 15*time.Second, "several failed logins", func() (bool, string) {
		n := strings.Count(r.logs.String(), "the OAuth2 login is dead")
		return n >= 3, fmt.Sprintf("%d failed logins", n)
	})
	if n := alerts(); n != 1 {
		t.Errorf("%d alerts after several failed logins, want 1", n)
	}
	if ts := token(); ts.FailedAt.IsZero() {
		t.Error("the dead login is not recorded in the state")
	}
	code, body := get(t, srv.URL+"/healthz")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "OAuth2 login lumina-365 is dead") {
		t.Errorf("/healthz %d with a dead login:\n%s", code, body)
	}
	families := scrape(t, srv.URL+"/metrics")
	if v := sum(families["returnsdesk_oauth_login_dead"]); v != 1 {
		t.Errorf("returnsdesk_oauth_login_dead %v, want 1", v)
	}
}
