package state

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// A lease is one instance's hold on a piece of work several instances share a
// state for (a mailbox, the scheduled jobs): a row with its holder, a token that
// grows by one at every acquisition, and an expiry on the database's clock. The
// holder renews it well before it expires; when the holder stops renewing (killed,
// cut off), another instance takes it once it has expired.
//
// The token fences the holder's writes: a write only the holder may make runs with
// the Fence in its context (WithFence), and its transaction checks, under a lock on
// the lease row, that the lease still has that token and has not expired. An
// instance that was paused past its lease therefore cannot commit after the next
// holder started: the next holder's acquisition waits for that check's transaction,
// or the check finds the new token.

// ErrLeaseLost is returned by a fenced write whose lease expired or was taken by
// another instance: the work it belongs to is no longer this instance's.
var ErrLeaseLost = errors.New("the lease was lost: another instance may hold it")

// Lease is a lease row as it stands.
type Lease struct {
	Name   string
	Holder string
	Token  int64
	// Left is how long it has before it expires, on the database's clock; zero or
	// less once it has.
	Left time.Duration
}

// Fence names the lease a write depends on and the token this instance holds it
// with.
type Fence struct {
	Lease string
	Token int64
}

type fenceKey struct{}

// WithFence returns a context whose fenced writes (SetCursor, Claim, Record) are
// made only while f's lease is still held with f's token.
func WithFence(ctx context.Context, f Fence) context.Context {
	return context.WithValue(ctx, fenceKey{}, f)
}

func fenceOf(ctx context.Context) (Fence, bool) {
	f, ok := ctx.Value(fenceKey{}).(Fence)
	return f, ok
}

// dbNowMillis is the database's clock in milliseconds since 1970, in each dialect:
// the one clock every instance sharing the state reads.
func (d dialect) dbNowMillis() string {
	if d == postgresDialect {
		return `(extract(epoch FROM clock_timestamp()) * 1000)::bigint`
	}
	return `CAST(unixepoch('subsec') * 1000 AS INTEGER)`
}

// forShare locks the rows a SELECT reads against writers until the transaction
// ends. SQLite needs none: a write transaction there is the only writer.
func (d dialect) forShare() string {
	if d == postgresDialect {
		return ` FOR SHARE`
	}
	return ``
}

// Acquire takes the lease name for holder for ttl, when it is free or expired, and
// renews it when holder holds it already. ok is false when another holder has it.
// The token is new at every acquisition and kept by a renewal: a renewal that
// returns a token other than the one held means the lease lapsed in between and
// was taken anew, so work fenced with the old token has been refused meanwhile.
func (s *DB) Acquire(ctx context.Context, name, holder string, ttl time.Duration) (token int64, ok bool, err error) {
	now := s.db.dialect.dbNowMillis()
	err = s.db.QueryRowContext(ctx, `INSERT INTO leases (name, holder, token, expires_at) VALUES (?, ?, 1, `+now+` + ?)
		ON CONFLICT (name) DO UPDATE SET
			token = CASE WHEN leases.holder = excluded.holder AND leases.expires_at > `+now+` THEN leases.token ELSE leases.token + 1 END,
			holder = excluded.holder, expires_at = excluded.expires_at
		WHERE leases.holder = excluded.holder OR leases.expires_at <= `+now+`
		RETURNING token`, name, holder, ttl.Milliseconds()).Scan(&token)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("acquire lease %s: %w", name, err)
	}
	return token, true, nil
}

// Release gives a lease up at once, so another instance need not wait for it to
// expire. A lease no longer held with that token is left alone.
func (s *DB) Release(ctx context.Context, name, holder string, token int64) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE leases SET expires_at = 0 WHERE name = ? AND holder = ? AND token = ?`,
		name, holder, token); err != nil {
		return fmt.Errorf("release lease %s: %w", name, err)
	}
	return nil
}

// LeaseLeft is how long the lease name has before it expires, on the database's
// clock: zero or less once it has, or when it was never taken.
func (s *DB) LeaseLeft(ctx context.Context, name string) (time.Duration, error) {
	var left int64
	err := s.db.QueryRowContext(ctx, `SELECT expires_at - `+s.db.dialect.dbNowMillis()+` FROM leases WHERE name = ?`, name).Scan(&left)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read lease %s: %w", name, err)
	}
	return time.Duration(left) * time.Millisecond, nil
}

// Leases lists the leases, by name.
func (s *DB) Leases(ctx context.Context) ([]Lease, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT name, holder, token, expires_at - `+s.db.dialect.dbNowMillis()+` FROM leases ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list leases: %w", err)
	}
	defer rows.Close()
	var out []Lease
	for rows.Next() {
		var l Lease
		var left int64
		if err := rows.Scan(&l.Name, &l.Holder, &l.Token, &left); err != nil {
			return nil, fmt.Errorf("list leases: %w", err)
		}
		l.Left = time.Duration(left) * time.Millisecond
		out = append(out, l)
	}
	return out, rows.Err()
}

// checkFence fails with ErrLeaseLost when ctx carries a fence whose lease is no
// longer held with its token or has expired. On Postgres it leaves the lease row
// locked against a new acquisition until tx ends, so what tx writes is committed
// by the holder or not at all.
func checkFence(ctx context.Context, tx txn) error {
	f, ok := fenceOf(ctx)
	if !ok {
		return nil
	}
	var token int64
	var live bool
	err := tx.QueryRowContext(ctx, `SELECT token, expires_at > `+tx.dialect.dbNowMillis()+` FROM leases WHERE name = ?`+tx.dialect.forShare(),
		f.Lease).Scan(&token, &live)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("lease %s: %w", f.Lease, ErrLeaseLost)
	}
	if err != nil {
		return fmt.Errorf("check lease %s: %w", f.Lease, err)
	}
	if token != f.Token || !live {
		return fmt.Errorf("lease %s (token %d, now %d, live %t): %w", f.Lease, f.Token, token, live, ErrLeaseLost)
	}
	return nil
}
