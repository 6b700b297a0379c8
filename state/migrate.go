package state

import (
	"context"
	"fmt"
	"time"
)

// A migration is one numbered change of the state's schema, in each dialect. Open
// applies those a state lacks, in order, in one transaction, and records each in
// schema_migrations: a state is always at one version, never between two. A
// released migration is never edited; a change is a new one at the end.
type migration struct {
	version  int
	about    string
	sqlite   []string
	postgres []string
	both     []string // statements the same in either dialect, when sqlite and postgres are not set
}

func (m migration) statements(d dialect) []string {
	if m.both != nil {
		return m.both
	}
	if d == postgresDialect {
		return m.postgres
	}
	return m.sqlite
}

// addedColumn is a column added to a table that existed before.
type addedColumn struct {
	table, column string
	sqlite        string // its declaration in each dialect
	postgres      string
}

func (c addedColumn) statement(d dialect) string {
	decl := c.sqlite
	if d == postgresDialect {
		decl = c.postgres
	}
	return fmt.Sprintf(`ALTER TABLE %s ADD COLUMN %s %s`, c.table, c.column, decl)
}

func addColumns(d dialect, cols []addedColumn) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.statement(d)
	}
	return out
}

// Column declarations of the added columns: text, and times (Unix seconds, 0 for
// never) in each dialect.
const (
	textDecl         = `TEXT NOT NULL DEFAULT ''`
	sqliteTimeDecl   = `INTEGER NOT NULL DEFAULT 0`
	postgresTimeDecl = `BIGINT NOT NULL DEFAULT 0`
)

// unversionedColumns are the columns that releases before versioned migrations
// added to their first tables, each at Open when the file lacked it. Version 2 adds
// them all; a state file of those releases has some or all of them already.
var unversionedColumns = []addedColumn{
	{"threads", "handled_by", textDecl, textDecl},
	{"threads", "handled_at", sqliteTimeDecl, postgresTimeDecl},
	{"threads", "words", textDecl, textDecl},
	{"threads", "flag_why", textDecl, textDecl},
	{"threads", "flag_section", textDecl, textDecl},
	{"threads", "flag_quote", textDecl, textDecl},
	{"threads", "request_words", textDecl, textDecl},
	{"cases", "lapse_warned_at", sqliteTimeDecl, postgresTimeDecl},
	{"cases", "lapsed_at", sqliteTimeDecl, postgresTimeDecl},
	{"cases", "lapsed_ran", textDecl, textDecl},
	{"cases", "label_asked_at", sqliteTimeDecl, postgresTimeDecl},
	{"cases", "label_sent_at", sqliteTimeDecl, postgresTimeDecl},
	{"cases", "label_chased_at", sqliteTimeDecl, postgresTimeDecl},
	{"cases", "ran_message_id", textDecl, textDecl},
	{"outbox", "claimed_by", textDecl, textDecl},
	{"outbox", "claimed_at", sqliteTimeDecl, postgresTimeDecl},
}

// migrations, oldest first. Times are Unix seconds (0: never) and flags 0 or 1, in
// 64-bit integers on both: a UIDVALIDITY or a probe's nanoseconds do not fit
// Postgres's 32-bit INTEGER.
var migrations = []migration{
	{
		version: 1,
		about:   "the tables of the first releases",
		// IF NOT EXISTS: a state file of a release before versioned migrations has
		// some of these tables, and adoptUnversioned runs this to add the others.
		sqlite: []string{
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
			`CREATE TABLE IF NOT EXISTS outbox_copies (
				outbox_id INTEGER PRIMARY KEY REFERENCES outbox (id),
				filed_at  INTEGER NOT NULL DEFAULT 0
			)`,
			`CREATE INDEX IF NOT EXISTS outbox_copies_unfiled ON outbox_copies (filed_at)`,
			`CREATE TABLE IF NOT EXISTS digests (
				store   TEXT NOT NULL,
				day     TEXT NOT NULL,
				sent_at INTEGER NOT NULL,
				PRIMARY KEY (store, day)
			)`,
			`CREATE TABLE IF NOT EXISTS syncs (
				mailbox   TEXT PRIMARY KEY,
				synced_at INTEGER NOT NULL
			)`,
			`CREATE TABLE IF NOT EXISTS oauth_tokens (
				account    TEXT PRIMARY KEY,
				token      TEXT NOT NULL,
				updated_at INTEGER NOT NULL,
				failed_at  INTEGER NOT NULL DEFAULT 0,
				failure    TEXT NOT NULL DEFAULT ''
			)`,
			`CREATE TABLE IF NOT EXISTS probe (id INTEGER PRIMARY KEY CHECK (id = 1), at INTEGER NOT NULL, pad TEXT NOT NULL DEFAULT '')`,
		},
		postgres: []string{
			`CREATE TABLE messages (
				message_id TEXT PRIMARY KEY,
				store      TEXT NOT NULL,
				thread_id  BIGINT NOT NULL DEFAULT 0,
				direction  TEXT NOT NULL,
				sender     TEXT NOT NULL DEFAULT '',
				at         BIGINT NOT NULL,
				action     TEXT NOT NULL DEFAULT '',
				code       TEXT NOT NULL DEFAULT '',
				flagged    BIGINT NOT NULL DEFAULT 0
			)`,
			`CREATE TABLE threads (
				id                BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
				store             TEXT NOT NULL,
				customer          TEXT NOT NULL,
				customer_name     TEXT NOT NULL DEFAULT '',
				order_no          TEXT NOT NULL DEFAULT '',
				intent            TEXT NOT NULL DEFAULT '',
				reason            TEXT NOT NULL DEFAULT '',
				language          TEXT NOT NULL DEFAULT '',
				subject           TEXT NOT NULL DEFAULT '',
				pending           TEXT NOT NULL DEFAULT '',
				pending_at        BIGINT NOT NULL DEFAULT 0,
				photos            BIGINT NOT NULL DEFAULT 0,
				used              BIGINT NOT NULL DEFAULT 0,
				unopened          BIGINT NOT NULL DEFAULT 0,
				wants_replacement BIGINT NOT NULL DEFAULT 0,
				flagged_at        BIGINT NOT NULL DEFAULT 0,
				flag_code         TEXT NOT NULL DEFAULT '',
				last_in_at        BIGINT NOT NULL DEFAULT 0,
				last_message_id   TEXT NOT NULL DEFAULT '',
				refs              TEXT NOT NULL DEFAULT '',
				reminded_at       BIGINT NOT NULL DEFAULT 0,
				escalated_at      BIGINT NOT NULL DEFAULT 0
			)`,
			`CREATE INDEX threads_customer ON threads (store, customer)`,
			`CREATE TABLE cases (
				store         TEXT NOT NULL,
				order_no      TEXT NOT NULL,
				ran           TEXT NOT NULL DEFAULT '',
				code          TEXT NOT NULL DEFAULT '',
				customer      TEXT NOT NULL DEFAULT '',
				thread_id     BIGINT NOT NULL DEFAULT 0,
				authorized_at BIGINT NOT NULL DEFAULT 0,
				tracking      TEXT NOT NULL DEFAULT '',
				carrier       TEXT NOT NULL DEFAULT '',
				tracking_at   BIGINT NOT NULL DEFAULT 0,
				reminded_at   BIGINT NOT NULL DEFAULT 0,
				escalated_at  BIGINT NOT NULL DEFAULT 0,
				PRIMARY KEY (store, order_no)
			)`,
			`CREATE UNIQUE INDEX cases_ran ON cases (ran) WHERE ran != ''`,
			`CREATE TABLE outbox (
				id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
				message_id  TEXT NOT NULL UNIQUE,
				store       TEXT NOT NULL,
				mailbox     TEXT NOT NULL,
				recipient   TEXT NOT NULL,
				kind        TEXT NOT NULL,
				thread_id   BIGINT NOT NULL DEFAULT 0,
				source_id   TEXT NOT NULL DEFAULT '',
				created_at  BIGINT NOT NULL,
				raw         BYTEA NOT NULL,
				status      TEXT NOT NULL DEFAULT 'pending',
				attempts    BIGINT NOT NULL DEFAULT 0,
				last_error  TEXT NOT NULL DEFAULT '',
				sent_at     BIGINT NOT NULL DEFAULT 0
			)`,
			`CREATE INDEX outbox_recipient ON outbox (store, recipient, kind, created_at)`,
			`CREATE INDEX outbox_status ON outbox (status)`,
			`CREATE TABLE cursors (
				mailbox     TEXT PRIMARY KEY,
				uidvalidity BIGINT NOT NULL,
				last_uid    BIGINT NOT NULL
			)`,
			`CREATE TABLE outbox_copies (
				outbox_id BIGINT PRIMARY KEY REFERENCES outbox (id),
				filed_at  BIGINT NOT NULL DEFAULT 0
			)`,
			`CREATE INDEX outbox_copies_unfiled ON outbox_copies (filed_at)`,
			`CREATE TABLE digests (
				store   TEXT NOT NULL,
				day     TEXT NOT NULL,
				sent_at BIGINT NOT NULL,
				PRIMARY KEY (store, day)
			)`,
			`CREATE TABLE syncs (
				mailbox   TEXT PRIMARY KEY,
				synced_at BIGINT NOT NULL
			)`,
			`CREATE TABLE oauth_tokens (
				account    TEXT PRIMARY KEY,
				token      TEXT NOT NULL,
				updated_at BIGINT NOT NULL,
				failed_at  BIGINT NOT NULL DEFAULT 0,
				failure    TEXT NOT NULL DEFAULT ''
			)`,
			`CREATE TABLE probe (id BIGINT PRIMARY KEY CHECK (id = 1), at BIGINT NOT NULL, pad TEXT NOT NULL DEFAULT '')`,
		},
	},
	{
		version:  2,
		about:    "the columns added before versioned migrations",
		sqlite:   addColumns(sqliteDialect, unversionedColumns),
		postgres: addColumns(postgresDialect, unversionedColumns),
	},
	{
		version: 3,
		about:   "indexes for the outbox's lookups by customer mail and by thread",
		// Each mail looks up the replies to it and in its thread; without these
		// both read the whole outbox, which only grows.
		sqlite: []string{
			`CREATE INDEX outbox_source ON outbox (source_id)`,
			`CREATE INDEX outbox_thread ON outbox (thread_id, id)`,
		},
		postgres: []string{
			`CREATE INDEX outbox_source ON outbox (source_id)`,
			`CREATE INDEX outbox_thread ON outbox (thread_id, id)`,
		},
	},
	{
		version: 4,
		about:   "leases (one instance works a mailbox, one runs the jobs), customer marks and row versions (writes that raced)",
		// Times in leases are milliseconds of the database's own clock: instances'
		// clocks may disagree, the server's is the one all of them read.
		sqlite: []string{
			`CREATE TABLE leases (
				name       TEXT PRIMARY KEY,
				holder     TEXT NOT NULL,
				token      INTEGER NOT NULL,
				expires_at INTEGER NOT NULL
			)`,
			`CREATE TABLE customer_marks (
				store    TEXT NOT NULL,
				customer TEXT NOT NULL,
				mark     INTEGER NOT NULL,
				PRIMARY KEY (store, customer)
			)`,
			`ALTER TABLE threads ADD COLUMN version INTEGER NOT NULL DEFAULT 0`,
			`ALTER TABLE cases ADD COLUMN version INTEGER NOT NULL DEFAULT 0`,
		},
		postgres: []string{
			`CREATE TABLE leases (
				name       TEXT PRIMARY KEY,
				holder     TEXT NOT NULL,
				token      BIGINT NOT NULL,
				expires_at BIGINT NOT NULL
			)`,
			`CREATE TABLE customer_marks (
				store    TEXT NOT NULL,
				customer TEXT NOT NULL,
				mark     BIGINT NOT NULL,
				PRIMARY KEY (store, customer)
			)`,
			`ALTER TABLE threads ADD COLUMN version BIGINT NOT NULL DEFAULT 0`,
			`ALTER TABLE cases ADD COLUMN version BIGINT NOT NULL DEFAULT 0`,
		},
	},
	{
		version: 5,
		about:   "indexes for the case lookups by lapsed RAN and by customer",
		// Every RAN issued is checked against the lapsed ones, and a follow-up
		// without an order number looks for the customer's latest case: without
		// these both read every case, so each mail cost more as the state grew.
		both: []string{
			`CREATE INDEX cases_lapsed_ran ON cases (lapsed_ran) WHERE lapsed_ran != ''`,
			`CREATE INDEX cases_customer ON cases (store, customer, authorized_at)`,
		},
	},
}

// lastUnversioned is the version a state of a release before versioned
// migrations is at, once adoptUnversioned has filled in what it lacks.
const lastUnversioned = 2

const migrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    BIGINT PRIMARY KEY,
	about      TEXT NOT NULL,
	applied_at BIGINT NOT NULL
)`

// migrate brings the state's schema up to the newest version, in one transaction.
func (s *DB) migrate(ctx context.Context) error {
	return s.inTx(ctx, func(tx txn) error {
		d := tx.dialect
		// Two processes opening one new Postgres state at once: the second waits
		// here and then finds the versions the first applied.
		if d == postgresDialect {
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?, `+schemaKey+`)`, lockClassMigrations); err != nil {
				return fmt.Errorf("wait for other migrations: %w", err)
			}
		}
		versioned, err := d.tableExists(ctx, tx, "schema_migrations")
		if err != nil {
			return fmt.Errorf("look for schema_migrations: %w", err)
		}
		unversioned := false
		if !versioned {
			if unversioned, err = d.tableExists(ctx, tx, "messages"); err != nil {
				return fmt.Errorf("look for an unversioned state: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, migrationsTable); err != nil {
			return fmt.Errorf("create schema_migrations: %w", err)
		}
		if unversioned {
			if err := adoptUnversioned(ctx, tx); err != nil {
				return fmt.Errorf("adopt the state of an earlier release: %w", err)
			}
		}
		applied, err := appliedVersions(ctx, tx)
		if err != nil {
			return err
		}
		return applyMissing(ctx, tx, applied)
	})
}

func appliedVersions(ctx context.Context, tx txn) (map[int]bool, error) {
	rows, err := tx.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	defer rows.Close()
	applied := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("read schema_migrations: %w", err)
		}
		applied[v] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	return applied, nil
}

// applyMissing applies, in order, each migration not in applied. A state that has
// a version this program does not know was written by a newer one: this program
// would misread it, so it refuses it.
func applyMissing(ctx context.Context, tx txn, applied map[int]bool) error {
	newest := migrations[len(migrations)-1].version
	for v := range applied {
		if v > newest {
			return fmt.Errorf("the state is at schema version %d, this program knows versions up to %d: it was written by a newer returnsdesk", v, newest)
		}
	}
	for _, m := range migrations {
		if applied[m.version] {
			continue
		}
		for _, stmt := range m.statements(tx.dialect) {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("migration %d (%s): %w", m.version, m.about, err)
			}
		}
		if err := recordVersion(ctx, tx, m); err != nil {
			return err
		}
	}
	return nil
}

func recordVersion(ctx context.Context, tx txn, m migration) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, about, applied_at) VALUES (?, ?, ?)`,
		m.version, m.about, time.Now().Unix())
	if err != nil {
		return fmt.Errorf("record migration %d: %w", m.version, err)
	}
	return nil
}

// adoptUnversioned brings a state made before versioned migrations (its tables
// there, no schema_migrations) to version lastUnversioned: it creates the tables it
// lacks, adds the columns it lacks, and records those versions as applied. Its rows
// are left as they are.
func adoptUnversioned(ctx context.Context, tx txn) error {
	if tx.dialect == postgresDialect {
		// Postgres states begin with versioned migrations: a schema with a
		// messages table and no versions is not one of ours.
		return fmt.Errorf("a messages table without schema_migrations: not a state returnsdesk made")
	}
	for _, stmt := range migrations[0].statements(tx.dialect) {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("create missing tables: %w", err)
		}
	}
	for _, c := range unversionedColumns {
		there, err := tx.dialect.columnExists(ctx, tx, c.table, c.column)
		if err != nil {
			return fmt.Errorf("look for %s.%s: %w", c.table, c.column, err)
		}
		if there {
			continue
		}
		if _, err := tx.ExecContext(ctx, c.statement(tx.dialect)); err != nil {
			return fmt.Errorf("add %s.%s: %w", c.table, c.column, err)
		}
	}
	for _, m := range migrations[:lastUnversioned] {
		if err := recordVersion(ctx, tx, m); err != nil {
			return err
		}
	}
	return nil
}
