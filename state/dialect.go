package state

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
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
	stmts   *stmtCache // SQLite's prepared statements; nil on Postgres, whose driver keeps its own
	tx      *sql.Tx    // the transaction, when on is one
}

func (q inDialect) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	query, args = q.dialect.rebind(query), q.dialect.args(args)
	if st := q.prepared(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return q.on.ExecContext(ctx, query, args...)
}

func (q inDialect) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	query, args = q.dialect.rebind(query), q.dialect.args(args)
	if st := q.prepared(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return q.on.QueryContext(ctx, query, args...)
}

func (q inDialect) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	query, args = q.dialect.rebind(query), q.dialect.args(args)
	if st := q.prepared(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return q.on.QueryRowContext(ctx, query, args...)
}

// prepared is the cached statement for query, bound to the transaction when in one;
// nil when there is no cache or the statement does not prepare (the plain call
// then reports why).
func (q inDialect) prepared(ctx context.Context, query string) *sql.Stmt {
	if q.stmts == nil {
		return nil
	}
	if q.tx == nil {
		return q.stmts.get(ctx, query)
	}
	// The transaction holds the pool's one connection: a statement not prepared yet
	// is prepared once the transaction is over (stmtCache.prepareWanted).
	if st := q.stmts.lookup(query); st != nil {
		return q.tx.StmtContext(ctx, st) // on the transaction's connection, where it is prepared
	}
	return nil
}

// stmtCache prepares each statement of a SQLite state once: its driver would parse
// every statement anew, a sixth of the daemon's CPU on a backlog.
type stmtCache struct {
	pool   *sql.DB
	mu     sync.Mutex
	m      map[string]*sql.Stmt
	wanted map[string]bool // asked for in a transaction, before they were prepared
}

// maxCachedStmts bounds the cache: the package's statements are a fixed set, but a
// query built per call must not grow it without end.
const maxCachedStmts = 256

// get is the statement, prepared now if it was not yet. The lock is never held while
// preparing: that waits for the connection, which a transaction may hold while it
// looks a statement up.
func (c *stmtCache) get(ctx context.Context, query string) *sql.Stmt {
	c.mu.Lock()
	st, ok := c.m[query]
	full := len(c.m) >= maxCachedStmts
	c.mu.Unlock()
	if ok || full {
		return st
	}
	st, err := c.pool.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if other, ok := c.m[query]; ok {
		st.Close() // prepared meanwhile by another caller
		return other
	}
	c.m[query] = st
	return st
}

// lookup is the statement if it is prepared; else it is marked for prepareWanted.
func (c *stmtCache) lookup(query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	st, ok := c.m[query]
	if !ok && len(c.wanted) < maxCachedStmts {
		c.wanted[query] = true
	}
	return st
}

// prepareWanted prepares what transactions asked for, once the connection is free.
func (c *stmtCache) prepareWanted(ctx context.Context) {
	c.mu.Lock()
	var queries []string
	for q := range c.wanted {
		queries = append(queries, q)
		delete(c.wanted, q)
	}
	c.mu.Unlock()
	for _, q := range queries {
		c.get(ctx, q)
	}
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.m {
		st.Close()
		delete(c.m, q)
	}
}

// database is the state's connection pool, speaking its dialect.
type database struct {
	inDialect
	pool *sql.DB
}

func newDatabase(pool *sql.DB, d dialect) database {
	db := database{inDialect: inDialect{on: pool, dialect: d}, pool: pool}
	if d == sqliteDialect {
		db.stmts = &stmtCache{pool: pool, m: map[string]*sql.Stmt{}, wanted: map[string]bool{}}
	}
	return db
}

// close closes the prepared statements and the pool.
func (db database) close() error {
	if db.stmts != nil {
		db.stmts.close()
	}
	return db.pool.Close()
}

// txn is one transaction, speaking the state's dialect.
type txn = inDialect

func (db database) newTxn(tx *sql.Tx) txn {
	return inDialect{on: tx, dialect: db.dialect, stmts: db.stmts, tx: tx}
}

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
	if s.db.stmts != nil {
		defer s.db.stmts.prepareWanted(context.WithoutCancel(ctx))
	}
	if err := fn(s.db.newTxn(tx)); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}
