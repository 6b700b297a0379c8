package state

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"golang.org/x/oauth2"
)

// ErrNoToken: the account has never logged in.
var ErrNoToken = errors.New("no OAuth2 token stored: run `returnsdesk login` for this mailbox")

// TokenState is what the state knows of one account's tokens.
type TokenState struct {
	Token     *oauth2.Token
	UpdatedAt time.Time
	// FailedAt is when a refresh was refused for good (revoked consent, an expired
	// refresh token); zero while the account is logged in.
	FailedAt time.Time
	Failure  string
}

// LoadToken reads an account's token; ErrNoToken when it has none.
func (s *DB) LoadToken(ctx context.Context, account string) (*oauth2.Token, error) {
	ts, err := s.TokenState(ctx, account)
	if err != nil {
		return nil, err
	}
	return ts.Token, nil
}

// TokenState reads an account's token and its failure record.
func (s *DB) TokenState(ctx context.Context, account string) (TokenState, error) {
	var raw, failure string
	var updated, failed int64
	err := s.db.QueryRowContext(ctx, `SELECT token, updated_at, failed_at, failure FROM oauth_tokens WHERE account = ?`, account).
		Scan(&raw, &updated, &failed, &failure)
	if errors.Is(err, sql.ErrNoRows) {
		return TokenState{}, ErrNoToken
	}
	if err != nil {
		return TokenState{}, fmt.Errorf("read token of %s: %w", account, err)
	}
	tok := new(oauth2.Token)
	if err := json.Unmarshal([]byte(raw), tok); err != nil {
		return TokenState{}, fmt.Errorf("read token of %s: %w", account, err)
	}
	return TokenState{Token: tok, UpdatedAt: fromUnix(updated), FailedAt: fromUnix(failed), Failure: failure}, nil
}

// SaveToken stores an account's token (a login, or a refresh that may have rotated the
// refresh token) and clears any failure: the account is logged in again.
func (s *DB) SaveToken(ctx context.Context, account string, tok *oauth2.Token, at time.Time) error {
	raw, err := json.Marshal(tok)
	if err != nil {
		return fmt.Errorf("save token of %s: %w", account, err)
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO oauth_tokens (account, token, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (account) DO UPDATE SET token = excluded.token, updated_at = excluded.updated_at,
			failed_at = 0, failure = ''`, account, string(raw), unix(at))
	if err != nil {
		return fmt.Errorf("save token of %s: %w", account, err)
	}
	return nil
}

// TokenFailed records that an account's refresh was refused for good. It reports
// whether staff still have to be told (the first failure since the last login).
func (s *DB) TokenFailed(ctx context.Context, account, failure string, at time.Time) (alert bool, err error) {
	res, err := s.db.ExecContext(ctx, `UPDATE oauth_tokens SET failed_at = ?, failure = ? WHERE account = ? AND failed_at = 0`,
		unix(at), failure, account)
	if err != nil {
		return false, fmt.Errorf("record token failure of %s: %w", account, err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}
