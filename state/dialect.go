package state

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// dialect is what differs between the two databases the state can live in. The
// package's SQL is written once, with SQLite's `?` placeholders and the syntax both
// understand (ON CONFLICT, RETURNING); what the two spell differently is here and in
// the per-dialect statements of the migrations.
type dialect int

const (
	sqliteDialect dialect = iota
	postgresDialect
)

func (d dialect) String() string {
	if d == postgresDialect {
		return "postgres"
	}
	return "sqlite"
}

// rebind turns the `?` placeholders of query into Postgres's `$1, $2, …`. A `?`
// inside a quoted literal or identifier is left alone.
func (d dialect) rebind(query string) string {
	if d != postgresDialect || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	var quote byte // the quote character of the literal we are in, 0 outside one
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0 // a doubled quote closes and reopens: the same result
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// args adapts query arguments to the database. Postgres text must be valid UTF-8
// without NUL bytes, and a customer's mail can carry either; SQLite stores any
// bytes. On Postgres such a string is stored with U+FFFD for the bytes it cannot
// hold, the same way every time, so a lookup by it still finds the row.
func (d dialect) args(args []any) []any {
	if d != postgresDialect {
		return args
	}
	out := args
	for i, a := range args {
		if s, ok := a.(string); ok && !fitsPostgresText(s) {
			if &out[0] == &args[0] {
				out = slices.Clone(args) // the caller's slice is theirs
			}
			out[i] = strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
		}
	}
	return out
}

func fitsPostgresText(s string) bool { return utf8.ValidString(s) && !strings.Contains(s, "\x00") }

// querier is what the package's SQL runs on: the database or one transaction.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// inDialect runs the package's SQL, written once with `?` placeholders, on the pool
// or on one transaction (both are queriers) in the state's dialect.
type inDialect struct {
	on      querier
	dialect dialect
}

func (q inDialect) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return q.on.ExecContext(ctx, q.dialect.rebind(query), q.dialect.args(args)...)
}

func (q inDialect) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return q.on.QueryContext(ctx, q.dialect.rebind(query), q.dialect.args(args)...)
}

func (q inDialect) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return q.on.QueryRowContext(ctx, q.dialect.rebind(query), q.dialect.args(args)...)
}

// database is the state's connection pool, speaking its dialect.
type database struct {
	inDialect
	pool *sql.DB
}

func newDatabase(pool *sql.DB, d dialect) database {
	return database{inDialect: inDialect{on: pool, dialect: d}, pool: pool}
}

// txn is one transaction, speaking the state's dialect.
type txn = inDialect

func newTxn(tx *sql.Tx, d dialect) txn { return inDialect{on: tx, dialect: d} }

// tableExists reports whether the state has a table of that name (on Postgres, in
// the schema the connection's search_path puts first).
func (d dialect) tableExists(ctx context.Context, q querier, table string) (bool, error) {
	query := `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?`
	if d == postgresDialect {
		query = `SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?`
	}
	var n int
	err := q.QueryRowContext(ctx, query, table).Scan(&n)
	return n > 0, err
}

// columnExists reports whether table has the column.
func (d dialect) columnExists(ctx context.Context, q querier, table, column string) (bool, error) {
	query := `SELECT count(*) FROM pragma_table_info(?) WHERE name = ?`
	if d == postgresDialect {
		query = `SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? AND column_name = ?`
	}
	var n int
	err := q.QueryRowContext(ctx, query, table, column).Scan(&n)
	return n > 0, err
}

// maxTxAttempts bounds how often inTx runs a transaction that lost a conflict.
const maxTxAttempts = 5

// inTx runs fn in one transaction and commits it. A transaction the database
// aborted for a conflict with another (Postgres: a serialization failure or a
// deadlock; SQLite: busy past its timeout) changed nothing, so it is run again, a
// few times, after a short pause; any other error rolls it back and is returned.
// fn must do nothing but SQL on tx: it may run more than once.
func (s *DB) inTx(ctx context.Context, fn func(tx txn) error) error {
	for attempt := 1; ; attempt++ {
		err := s.tryTx(ctx, fn)
		if err == nil || attempt == maxTxAttempts || !s.db.dialect.conflict(err) {
			return err
		}
		pause := time.Duration(attempt)*10*time.Millisecond + rand.N(10*time.Millisecond)
		select {
		case <-time.After(pause):
		case <-ctx.Done():
			return err
		}
	}
}

func (s *DB) tryTx(ctx context.Context, fn func(tx txn) error) error {
	tx, err := s.db.pool.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(newTxn(tx, s.db.dialect)); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}
