package state

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, for the tests' own admin connection
)

// postgresEnv names the Postgres database the Postgres tests use, as a postgres://
// address of a role that may create schemas in it.
const postgresEnv = "RETURNSDESK_TEST_POSTGRES"

// postgresState returns the setting of a fresh Postgres state for t alone: a new
// schema in the database postgresEnv names, put first by search_path and dropped
// with everything in it when t ends. Without postgresEnv, t skips.
func postgresState(t *testing.T) string {
	t.Helper()
	base := os.Getenv(postgresEnv)
	if base == "" {
		t.Skip(postgresEnv + " not set: the Postgres tests need a server, e.g. " +
			postgresEnv + "=postgres://returnsdesk:returnsdesk@127.0.0.1/returnsdesk_test (see .ci/run)")
	}
	u, err := url.Parse(base)
	if err != nil || !IsPostgres(base) {
		t.Fatalf("%s is no postgres:// address: %v", postgresEnv, err)
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "rdtest_" + hex.EncodeToString(b[:])

	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		t.Fatalf("create schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		if _, err := admin.ExecContext(ctx, `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// eachBackend runs test on a fresh state of each backend, as subtests: "SQLite" on
// a new file, "Postgres" in a new schema (skipped without postgresEnv). test gets
// the state's setting, to open it as often as it needs.
func eachBackend(t *testing.T, test func(t *testing.T, state string)) {
	t.Run("SQLite", func(t *testing.T) {
		test(t, filepath.Join(t.TempDir(), "state.db"))
	})
	t.Run("Postgres", func(t *testing.T) {
		test(t, postgresState(t))
	})
}

// openState opens the state for t and closes it when t ends.
func openState(t *testing.T, state string) *DB {
	t.Helper()
	db, err := Open(context.Background(), state)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
