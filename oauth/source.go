package oauth

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// Store keeps an account's token between runs (the state database).
type Store interface {
	LoadToken(ctx context.Context, account string) (*oauth2.Token, error)
	SaveToken(ctx context.Context, account string, tok *oauth2.Token, at time.Time) error
}

// RefreshEarly is how long before its expiry an access token is renewed, so that a
// session opened with it is not refused half-way.
const RefreshEarly = 5 * time.Minute

// DeadError says the provider refused the refresh token for good (consent revoked,
// the token expired or was rotated away): a person must run `returnsdesk login`.
type DeadError struct {
	Account string
	Err     error
}

func (e *DeadError) Error() string {
	return fmt.Sprintf("oauth %s: the provider refused the refresh token (%v); run `returnsdesk login` again", e.Account, e.Err)
}

func (e *DeadError) Unwrap() error { return e.Err }

// Source hands out access tokens for one account, refreshing before expiry and after
// a server refused the current one, and saving what the provider rotates. It is safe
// for concurrent use: the IMAP workers and the SMTP sender of an account share it.
type Source struct {
	account *Account
	store   Store
	now     func() time.Time

	mu    sync.Mutex
	tok   *oauth2.Token
	stale bool // a server refused tok: refresh before the next use
}

// NewSource makes the token source of an account; now is the daemon's clock.
func NewSource(a *Account, store Store, now func() time.Time) *Source {
	return &Source{account: a, store: store, now: now}
}

// Account names the source's account.
func (s *Source) Account() string { return s.account.Name }

// Token returns an access token valid for at least RefreshEarly, refreshing it when
// needed. A refusal of the refresh token is a *DeadError.
func (s *Source) Token(ctx context.Context) (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tok != nil && !s.stale && s.fresh(s.tok) {
		return s.tok, nil
	}
	// What the state holds may be newer than what this process has: a new login, or
	// a refresh by an earlier run of the daemon.
	stored, err := s.store.LoadToken(ctx, s.account.Name)
	if err != nil {
		return nil, fmt.Errorf("oauth %s: %w", s.account.Name, err)
	}
	if s.tok == nil || stored.RefreshToken != s.tok.RefreshToken {
		s.tok, s.stale = stored, false
		if s.fresh(stored) {
			return stored, nil
		}
	}
	if s.tok.RefreshToken == "" {
		return nil, &DeadError{Account: s.account.Name, Err: errors.New("no refresh token was granted (was offline access asked for?)")}
	}
	// An access token without expiry forces the refresh: oauth2 would reuse it.
	next, err := s.account.Config.TokenSource(ctx, &oauth2.Token{RefreshToken: s.tok.RefreshToken}).Token()
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode >= 400 && re.Response.StatusCode < 500 {
			return nil, &DeadError{Account: s.account.Name, Err: err}
		}
		return nil, fmt.Errorf("oauth %s: refresh: %w", s.account.Name, err)
	}
	if next.RefreshToken == "" {
		// The provider did not rotate it: the old one stays good.
		next.RefreshToken = s.tok.RefreshToken
	}
	if err := s.store.SaveToken(ctx, s.account.Name, next, s.now()); err != nil {
		// A rotated refresh token that is not saved is lost at the next restart:
		// better to fail now, while the old session still works.
		return nil, fmt.Errorf("oauth %s: keep the refreshed token: %w", s.account.Name, err)
	}
	s.tok, s.stale = next, false
	return next, nil
}

// Refused records that a server refused the access token handed out last (it was
// revoked or expired early): the next Token refreshes.
func (s *Source) Refused() {
	s.mu.Lock()
	s.stale = true
	s.mu.Unlock()
}

// Expiry is when the current access token expires; zero before the first Token.
func (s *Source) Expiry() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tok == nil {
		return time.Time{}
	}
	return s.tok.Expiry
}

// fresh reports whether tok can still be used for RefreshEarly on the source's clock;
// one without an expiry serves until a server refuses it.
func (s *Source) fresh(tok *oauth2.Token) bool {
	return tok.AccessToken != "" && (tok.Expiry.IsZero() || s.now().Add(RefreshEarly).Before(tok.Expiry))
}
