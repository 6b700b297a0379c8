package state

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// A Postgres state keeps a small pool: a daemon's mailbox workers, its outbox
// dispatcher and its jobs each hold a connection only for one statement or one
// transaction.
const (
	postgresMaxOpen     = 8
	postgresMaxIdle     = 4
	postgresMaxIdleTime = 5 * time.Minute
)

// The state's advisory locks use Postgres's two-key form: the first key says what
// the lock is for, the second is the state's schema (schemaKey), so that states in
// different schemas of one database do not hold each other.
const (
	lockClassDaemon     = 0x52440001 // OpenExclusive: the one daemon of the state
	lockClassMigrations = 0x52440002 // migrate: one process migrating at a time
)

// schemaKey is the second key of the state's advisory locks: the oid of the schema
// the connection's search_path creates tables in.
const schemaKey = `(SELECT oid FROM pg_namespace WHERE nspname = current_schema())::int`

// applicationName is how the state's connections appear in pg_stat_activity.
const applicationName = "returnsdesk"

// idleInTransactionTimeout ends a session that sits in a transaction doing
// nothing for this long (unless the address sets its own). The state's
// transactions run SQL only and last milliseconds; one that waits longer is a
// process paused or cut off in the middle of it, and its locks (the lease row a
// fenced write holds) would keep another instance from taking its mailboxes over
// until it came back. Ended, its transaction can no longer commit.
const idleInTransactionTimeout = "5s"

func postgresConfig(dsn, application string) (*pgx.ConnConfig, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	if _, ok := cfg.RuntimeParams["application_name"]; !ok {
		cfg.RuntimeParams["application_name"] = application
	}
	if _, ok := cfg.RuntimeParams["idle_in_transaction_session_timeout"]; !ok {
		cfg.RuntimeParams["idle_in_transaction_session_timeout"] = idleInTransactionTimeout
	}
	return cfg, nil
}

func openPostgres(ctx context.Context, dsn string) (database, error) {
	cfg, err := postgresConfig(dsn, applicationName)
	if err != nil {
		return database{}, err
	}
	pool := stdlib.OpenDB(*cfg)
	pool.SetMaxOpenConns(postgresMaxOpen)
	pool.SetMaxIdleConns(postgresMaxIdle)
	pool.SetConnMaxIdleTime(postgresMaxIdleTime)
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		return database{}, err
	}
	if err := requireSchema(ctx, pool); err != nil {
		pool.Close()
		return database{}, err
	}
	return newDatabase(pool, postgresDialect), nil
}

// requireSchema fails when the search_path names no schema that exists: tables
// would have nowhere to go, and the advisory locks no key.
func requireSchema(ctx context.Context, pool *sql.DB) error {
	var schema sql.NullString
	if err := pool.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return fmt.Errorf("read current schema: %w", err)
	}
	if !schema.Valid {
		return fmt.Errorf("no schema of the search_path exists: create it, or name one that does (?search_path=NAME)")
	}
	return nil
}

// advisoryLock is a daemon's hold on a Postgres state: a session-level advisory
// lock on a connection of its own, kept open until release. Postgres drops the
// lock when that session ends, however it ends, so a crash leaves nothing to clean
// up.
type advisoryLock struct {
	pool *sql.DB
	conn *sql.Conn
}

// openPostgresExclusive opens the Postgres state and takes its daemon lock
// without waiting.
func openPostgresExclusive(ctx context.Context, dsn string) (*DB, error) {
	s, err := Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	lock, err := acquireAdvisoryLock(ctx, dsn)
	if err != nil {
		s.Close()
		return nil, err
	}
	s.lock = lock
	return s, nil
}

// acquireAdvisoryLock takes the daemon lock of the state at dsn. When another
// session holds it, the error wraps ErrInUse and says who holds it.
func acquireAdvisoryLock(ctx context.Context, dsn string) (*advisoryLock, error) {
	host, _ := os.Hostname()
	// The holder's name, as a second daemon's refusal shows it (Postgres keeps 63
	// bytes of it).
	cfg, err := postgresConfig(dsn, fmt.Sprintf("returnsdesk pid %d on %s", os.Getpid(), host))
	if err != nil {
		return nil, fmt.Errorf("lock state %s: %w", Display(dsn), err)
	}
	pool := stdlib.OpenDB(*cfg)
	pool.SetMaxOpenConns(1)
	conn, err := pool.Conn(ctx)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("lock state %s: %w", Display(dsn), err)
	}
	var held bool
	err = conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1, `+schemaKey+`)`, lockClassDaemon).Scan(&held)
	if err == nil && !held {
		who := lockHolder(ctx, conn)
		err = fmt.Errorf("%w: %s is held by %s; stop that one first, or give this one a state of its own", ErrInUse, Display(dsn), who)
	} else if err != nil {
		err = fmt.Errorf("lock state %s: %w", Display(dsn), err)
	}
	if err != nil {
		conn.Close()
		pool.Close()
		return nil, err
	}
	return &advisoryLock{pool: pool, conn: conn}, nil
}

// lockHolder describes the session that holds the state's daemon lock, as well as
// pg_stat_activity lets this role see it.
func lockHolder(ctx context.Context, conn *sql.Conn) string {
	var app, client string
	var since time.Time
	var pid int
	err := conn.QueryRowContext(ctx, `SELECT coalesce(a.application_name, ''), coalesce(host(a.client_addr), 'a local socket'),
			coalesce(a.backend_start, now()), a.pid
		FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
		WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
			AND l.classid = $1::bigint::oid AND l.objid = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())`,
		lockClassDaemon).Scan(&app, &client, &since, &pid)
	if err != nil || app == "" {
		return "a session that has not said who it is"
	}
	return fmt.Sprintf("%s (server backend %d, from %s, connected since %s)", app, pid, client, since.UTC().Format(time.RFC3339))
}

// release gives the lock up, then ends its session. Ending the session alone
// frees the lock only once the server has noticed, a moment later: an open right
// after a Close (a restart) would find it still held.
func (l *advisoryLock) release() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	// An unlock that fails leaves it to the end of the session.
	l.conn.ExecContext(ctx, `SELECT pg_advisory_unlock($1, `+schemaKey+`)`, lockClassDaemon)
	err := l.conn.Close()
	if perr := l.pool.Close(); err == nil {
		err = perr
	}
	return err
}
