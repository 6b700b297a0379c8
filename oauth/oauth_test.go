package oauth_test

import (
	"context"
	"errors"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/returnsdesk/returnsdesk/config"
	"github.com/returnsdesk/returnsdesk/oauth"
	"github.com/returnsdesk/returnsdesk/oauth/oauthtest"
	"github.com/returnsdesk/returnsdesk/state"
	"github.com/returnsdesk/returnsdesk/state/statetest"
)

// clock is the daemon's clock in these tests, moved on by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// login signs in through the device flow against the in-process provider and keeps
// the token in a fresh state.
func login(t *testing.T, p *oauthtest.Provider) (*oauth.Account, *state.DB) {
	t.Helper()
	ctx := context.Background()
	a, err := oauth.NewAccount(ctx, p.Account("shop"))
	if err != nil {
		t.Fatal(err)
	}
	if a.Flow != "device" {
		t.Fatalf("flow %q, want device (the provider has a device endpoint)", a.Flow)
	}
	tok := p.Login(t, a)
	db, err := state.Open(ctx, statetest.State(t, "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.SaveToken(ctx, a.Name, tok, time.Now()); err != nil {
		t.Fatal(err)
	}
	return a, db
}

// TestTokensStayFresh: a device login gives a refresh token; the source serves the
// access token until shortly before it expires, then refreshes it, saves the rotated
// refresh token (which a restarted source uses, the old one being dead), refreshes
// after a server refused a token, and reports a revoked refresh token as dead.
func TestTokensStayFresh(t *testing.T) {
	p := oauthtest.Start(t)
	a, db := login(t, p)
	ctx := context.Background()
	first, err := db.LoadToken(ctx, a.Name)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Check(first.AccessToken); err != nil {
		t.Fatalf("the login's access token: %v", err)
	}
	// The provider's tokens live five minutes: start the clock well before that ends.
	c := &clock{t: first.Expiry.Add(-oauth.RefreshEarly - 2*time.Minute)}
	src := oauth.NewSource(a, db, c.now)
	tok, err := src.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken != first.AccessToken {
		t.Error("a fresh access token was refreshed")
	}

	// Shortly before expiry: refreshed, rotated, saved.
	c.add(3 * time.Minute)
	second, err := src.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if second.AccessToken == first.AccessToken || second.RefreshToken == first.RefreshToken {
		t.Fatal("not refreshed, or the refresh token not rotated")
	}
	if err := p.Check(second.AccessToken); err != nil {
		t.Fatalf("the refreshed access token: %v", err)
	}
	if saved, _ := db.LoadToken(ctx, a.Name); saved.RefreshToken != second.RefreshToken {
		t.Fatal("the rotated refresh token was not saved")
	}
	if err := p.Check(first.AccessToken); err == nil {
		t.Error("the provider still accepts the access token the refresh replaced")
	}

	// A restart: a new source reads the rotated token from the state and refreshes with it.
	restarted := oauth.NewSource(a, db, c.now)
	restarted.Refused() // as after the server refused the saved access token
	third, err := restarted.Token(ctx)
	if err != nil {
		t.Fatalf("after a restart: %v", err)
	}
	if third.RefreshToken == second.RefreshToken {
		t.Error("a refused access token did not lead to a refresh")
	}

	// Consent revoked: the refresh is refused for good.
	if err := p.Revoke(third.RefreshToken); err != nil {
		t.Fatal(err)
	}
	restarted.Refused()
	_, err = restarted.Token(ctx)
	var dead *oauth.DeadError
	if !errors.As(err, &dead) {
		t.Fatalf("refresh with a revoked token: %v, want a DeadError", err)
	}
	t.Logf("revoked: %v", err)
}

// TestBrowserLogin: the browser flow prints a link, the provider signs the person in
// and sends the browser back to the loopback listener with a code, exchanged (with
// PKCE, no secret) for tokens that include a refresh token.
func TestBrowserLogin(t *testing.T) {
	p := oauthtest.Start(t)
	cfg := p.Account("native")
	cfg.ClientID, cfg.ClientSecret, cfg.Flow = oauthtest.NativeClientID, config.Secret{}, "browser"
	a, err := oauth.NewAccount(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	link := regexp.MustCompile(`http://\S+/authorize\?\S+`)
	tok := oauthtest.LoginAs(t, a, "", link, func(m []string) error { return p.SignIn(m[0]) })
	if err := p.Check(tok.AccessToken); err != nil {
		t.Errorf("the browser login's access token: %v", err)
	}
}
