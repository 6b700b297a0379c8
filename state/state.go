// Package state keeps what the desk must remember between messages and restarts:
// processed Message-IDs, threads, cases (order, RAN, tracking), the outbox of replies
// and the mailbox cursors. By default it is an embedded SQLite database
// (modernc.org/sqlite, no cgo; replay uses the same schema in memory); a
// postgres:// address puts it in a PostgreSQL database instead (pgx), with the same
// API and the same guarantees.
package state

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	_ "modernc.org/sqlite"
)

// DB is the desk's state.
type DB struct {
	db database
	// lock is held by OpenExclusive until Close: a file lock beside a SQLite
	// state, an advisory lock in a Postgres one. Nil otherwise.
	lock interface{ release() error }
}

// IsPostgres reports whether a state setting names a PostgreSQL database (a
// postgres:// or postgresql:// address) rather than a SQLite file.
func IsPostgres(state string) bool {
	return strings.HasPrefix(state, "postgres://") || strings.HasPrefix(state, "postgresql://")
}

// Open opens the state and brings its schema up to date. state is a PostgreSQL
// address (postgres://user@host/db?search_path=schema; see IsPostgres) or the path
// of a SQLite file, created if needed; an empty path or ":memory:" gives a fresh
// in-memory SQLite database.
func Open(ctx context.Context, state string) (*DB, error) {
	var db database
	var err error
	if IsPostgres(state) {
		db, err = openPostgres(ctx, state)
	} else {
		db, err = openSQLite(ctx, state)
	}
	if err != nil {
		return nil, fmt.Errorf("open state %s: %w", Display(state), err)
	}
	s := &DB{db: db}
	if err := s.migrate(ctx); err != nil {
		db.close()
		return nil, fmt.Errorf("migrate state %s: %w", Display(state), err)
	}
	return s, nil
}

// Display is the state setting as it may be shown and logged: a Postgres address
// without its password.
func Display(state string) string {
	if !IsPostgres(state) {
		return state
	}
	u, err := url.Parse(state)
	if err != nil {
		return "a postgres:// address that does not parse"
	}
	return u.Redacted()
}

func openSQLite(ctx context.Context, path string) (database, error) {
	dsn := "file:" + path + "?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)&_txlock=immediate"
	memory := path == "" || path == ":memory:"
	if memory {
		dsn = "file::memory:?_pragma=foreign_keys(1)&_txlock=immediate"
	}
	pool, err := sql.Open("sqlite", dsn)
	if err != nil {
		return database{}, err
	}
	// SQLite has one writer; one connection also keeps an in-memory database whole.
	pool.SetMaxOpenConns(1)
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		return database{}, err
	}
	if !memory {
		// The state holds OAuth2 refresh tokens and customers' addresses: its owner's alone.
		if err := os.Chmod(path, 0o600); err != nil {
			pool.Close()
			return database{}, err
		}
	}
	return newDatabase(pool, sqliteDialect), nil
}

// OpenExclusive opens the state as Open does and holds it for this process alone
// until Close, so that two daemons never answer the same mail. When another process
// holds it, the error wraps ErrInUse and names that process.
func OpenExclusive(ctx context.Context, state string) (*DB, error) {
	if IsPostgres(state) {
		return openPostgresExclusive(ctx, state)
	}
	if state == "" || state == ":memory:" {
		return Open(ctx, state)
	}
	lock, err := acquireLock(state)
	if err != nil {
		return nil, err
	}
	s, err := Open(ctx, state)
	if err != nil {
		lock.release()
		return nil, err
	}
	s.lock = lock
	return s, nil
}

// Close closes the database and gives up its lock, if it holds one.
func (s *DB) Close() error {
	err := s.db.close()
	if s.lock != nil {
		if lerr := s.lock.release(); err == nil {
			err = lerr
		}
		s.lock = nil
	}
	return err
}

// unix stores a time as Unix seconds, the zero time as 0.
func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func fromUnix(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(n, 0).UTC()
}

// ErrNotFound is returned by lookups that find nothing.
var ErrNotFound = errors.New("not found")
