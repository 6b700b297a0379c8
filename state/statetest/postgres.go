// Package statetest gives tests of any package a PostgreSQL state of their own: a
// fresh schema in the database RETURNSDESK_TEST_POSTGRES names, dropped when the
// test ends. Tests that use it have Postgres in their names and skip without the
// variable (.ci/run sets it).
package statetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, for the schema's own admin connection
)

// Env names the Postgres database the Postgres tests use, as a postgres://
// address of a role that may create schemas in it.
const Env = "RETURNSDESK_TEST_POSTGRES"

// Postgres returns the setting of a fresh Postgres state for t alone: a new schema
// in the database Env names, put first by search_path and dropped with everything
// in it when t ends. Without Env, t skips.
func Postgres(t testing.TB) string {
	t.Helper()
	base := os.Getenv(Env)
	if base == "" {
		t.Skip(Env + " not set: the Postgres tests need a server, e.g. " +
			Env + "=postgres://returnsdesk:returnsdesk@127.0.0.1/returnsdesk_test (see .ci/run)")
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		t.Fatalf("%s is no postgres:// address: %v", Env, err)
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

// SplitPassword returns the address without its password, as a configuration
// must give it (the daemon refuses a password there), and the password, for
// PGPASSWORD.
func SplitPassword(dsn string) (address, password string) {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn, ""
	}
	password, _ = u.User.Password()
	u.User = url.User(u.User.Username())
	return u.String(), password
}
