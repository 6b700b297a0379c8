// Package state keeps what the desk must remember between messages and restarts:
// processed Message-IDs, threads, cases (order, RAN, tracking), the outbox of replies
// and the mailbox cursors. It is an embedded SQLite database (modernc.org/sqlite, no
// cgo); replay uses the same schema in memory.
package state

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"slices"
	"time"

	_ "modernc.org/sqlite"
)

// DB is the desk's state.
type DB struct {
	db   *sql.DB
	lock *Lock // held by OpenExclusive until Close
}

// Open opens (creating if needed) the state database at path. An empty path or
// ":memory:" gives a fresh in-memory database.
func Open(ctx context.Context, path string) (*DB, error) {
	dsn := "file:" + path + "?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)&_txlock=immediate"
	memory := path == "" || path == ":memory:"
	if memory {
		dsn = "file::memory:?_pragma=foreign_keys(1)&_txlock=immediate"
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open state %s: %w", path, err)
	}
	// SQLite has one writer; one connection also keeps an in-memory database whole.
	db.SetMaxOpenConns(1)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open state %s: %w", path, err)
	}
	if !memory {
		// The state holds OAuth2 refresh tokens and customers' addresses: its owner's alone.
		if err := os.Chmod(path, 0o600); err != nil {
			db.Close()
			return nil, fmt.Errorf("open state %s: %w", path, err)
		}
	}
	s := &DB{db: db}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate state %s: %w", path, err)
	}
	return s, nil
}

// OpenExclusive opens the state at path as Open does and holds it for this process
// alone until Close, so that two daemons never answer the same mail. When another
// process holds it, the error wraps ErrInUse and names that process.
func OpenExclusive(ctx context.Context, path string) (*DB, error) {
	if path == "" || path == ":memory:" {
		return Open(ctx, path)
	}
	lock, err := acquireLock(path)
	if err != nil {
		return nil, err
	}
	s, err := Open(ctx, path)
	if err != nil {
		lock.release()
		return nil, err
	}
	s.lock = lock
	return s, nil
}

// Close closes the database and gives up its lock, if it holds one.
func (s *DB) Close() error {
	err := s.db.Close()
	if lerr := s.lock.release(); err == nil {
		err = lerr
	}
	s.lock = nil
	return err
}

var schema = []string{
	`CREATE TABLE IF NOT EXISTS messages (
		message_id TEXT PRIMARY KEY,
		store      TEXT NOT NULL,
		thread_id  INTEGER NOT NULL DEFAULT 0,
		direction  TEXT NOT NULL,
		sender     TEXT NOT NULL DEFAULT '',
		at         INTEGER NOT NULL,
		action     TEXT NOT NULL DEFAULT '',
		code       TEXT NOT NULL DEFAULT '',
		flagged    INTEGER NOT NULL DEFAULT 0
	)`,
	`CREATE TABLE IF NOT EXISTS threads (
		id                INTEGER PRIMARY KEY,
		store             TEXT NOT NULL,
		customer          TEXT NOT NULL,
		customer_name     TEXT NOT NULL DEFAULT '',
		order_no          TEXT NOT NULL DEFAULT '',
		intent            TEXT NOT NULL DEFAULT '',
		reason            TEXT NOT NULL DEFAULT '',
		language          TEXT NOT NULL DEFAULT '',
		subject           TEXT NOT NULL DEFAULT '',
		pending           TEXT NOT NULL DEFAULT '',
		pending_at        INTEGER NOT NULL DEFAULT 0,
		photos            INTEGER NOT NULL DEFAULT 0,
		used              INTEGER NOT NULL DEFAULT 0,
		unopened          INTEGER NOT NULL DEFAULT 0,
		wants_replacement INTEGER NOT NULL DEFAULT 0,
		flagged_at        INTEGER NOT NULL DEFAULT 0,
		flag_code         TEXT NOT NULL DEFAULT '',
		last_in_at        INTEGER NOT NULL DEFAULT 0,
		last_message_id   TEXT NOT NULL DEFAULT '',
		refs              TEXT NOT NULL DEFAULT '',
		reminded_at       INTEGER NOT NULL DEFAULT 0,
		escalated_at      INTEGER NOT NULL DEFAULT 0
	)`,
	`CREATE INDEX IF NOT EXISTS threads_customer ON threads (store, customer)`,
	`CREATE TABLE IF NOT EXISTS cases (
		store         TEXT NOT NULL,
		order_no      TEXT NOT NULL,
		ran           TEXT NOT NULL DEFAULT '',
		code          TEXT NOT NULL DEFAULT '',
		customer      TEXT NOT NULL DEFAULT '',
		thread_id     INTEGER NOT NULL DEFAULT 0,
		authorized_at INTEGER NOT NULL DEFAULT 0,
		tracking      TEXT NOT NULL DEFAULT '',
		carrier       TEXT NOT NULL DEFAULT '',
		tracking_at   INTEGER NOT NULL DEFAULT 0,
		reminded_at   INTEGER NOT NULL DEFAULT 0,
		escalated_at  INTEGER NOT NULL DEFAULT 0,
		PRIMARY KEY (store, order_no)
	)`,
	`CREATE UNIQUE INDEX IF NOT EXISTS cases_ran ON cases (ran) WHERE ran != ''`,
	`CREATE TABLE IF NOT EXISTS outbox (
		id          INTEGER PRIMARY KEY,
		message_id  TEXT NOT NULL UNIQUE,
		store       TEXT NOT NULL,
		mailbox     TEXT NOT NULL,
		recipient   TEXT NOT NULL,
		kind        TEXT NOT NULL,
		thread_id   INTEGER NOT NULL DEFAULT 0,
		source_id   TEXT NOT NULL DEFAULT '',
		created_at  INTEGER NOT NULL,
		raw         BLOB NOT NULL,
		status      TEXT NOT NULL DEFAULT 'pending',
		attempts    INTEGER NOT NULL DEFAULT 0,
		last_error  TEXT NOT NULL DEFAULT '',
		sent_at     INTEGER NOT NULL DEFAULT 0
	)`,
	`CREATE INDEX IF NOT EXISTS outbox_recipient ON outbox (store, recipient, kind, created_at)`,
	`CREATE INDEX IF NOT EXISTS outbox_status ON outbox (status)`,
	`CREATE TABLE IF NOT EXISTS cursors (
		mailbox     TEXT PRIMARY KEY,
		uidvalidity INTEGER NOT NULL,
		last_uid    INTEGER NOT NULL
	)`,
}

// addedColumns are columns later versions added to existing tables; migrate adds
// each to a state file that lacks it.
// digestSchema records the daily digests sent: one per store and store-local day.
var digestSchema = []string{
	`CREATE TABLE IF NOT EXISTS digests (
		store   TEXT NOT NULL,
		day     TEXT NOT NULL,
		sent_at INTEGER NOT NULL,
		PRIMARY KEY (store, day)
	)`,
}

var addedColumns = []struct{ table, column, decl string }{
	{"threads", "handled_by", "TEXT NOT NULL DEFAULT ''"},
	{"threads", "handled_at", "INTEGER NOT NULL DEFAULT 0"},
	{"threads", "words", "TEXT NOT NULL DEFAULT ''"},
	{"threads", "flag_why", "TEXT NOT NULL DEFAULT ''"},
	{"threads", "flag_section", "TEXT NOT NULL DEFAULT ''"},
	{"threads", "flag_quote", "TEXT NOT NULL DEFAULT ''"},
	{"threads", "request_words", "TEXT NOT NULL DEFAULT ''"},
	{"cases", "lapse_warned_at", "INTEGER NOT NULL DEFAULT 0"},
	{"cases", "lapsed_at", "INTEGER NOT NULL DEFAULT 0"},
	{"cases", "lapsed_ran", "TEXT NOT NULL DEFAULT ''"},
	{"cases", "label_asked_at", "INTEGER NOT NULL DEFAULT 0"},
	{"cases", "label_sent_at", "INTEGER NOT NULL DEFAULT 0"},
	{"cases", "label_chased_at", "INTEGER NOT NULL DEFAULT 0"},
	{"cases", "ran_message_id", "TEXT NOT NULL DEFAULT ''"},
	{"outbox", "claimed_by", "TEXT NOT NULL DEFAULT ''"},
	{"outbox", "claimed_at", "INTEGER NOT NULL DEFAULT 0"},
}

func (s *DB) migrate(ctx context.Context) error {
	for _, stmt := range slices.Concat(schema, deliverySchema, digestSchema, syncSchema, oauthSchema, probeSchema) {
		if _, err := s.db.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	for _, c := range addedColumns {
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM pragma_table_info(?) WHERE name = ?`, c.table, c.column).Scan(&n); err != nil {
			return fmt.Errorf("migrate %s.%s: %w", c.table, c.column, err)
		}
		if n > 0 {
			continue
		}
		if _, err := s.db.ExecContext(ctx, fmt.Sprintf(`ALTER TABLE %s ADD COLUMN %s %s`, c.table, c.column, c.decl)); err != nil {
			return fmt.Errorf("migrate %s.%s: %w", c.table, c.column, err)
		}
	}
	return nil
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
