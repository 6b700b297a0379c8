package state

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/returnsdesk/returnsdesk/state/statetest"
)

// postgresState returns the setting of a fresh Postgres state for t alone (see
// statetest.Postgres); without RETURNSDESK_TEST_POSTGRES, t skips.
func postgresState(t *testing.T) string {
	t.Helper()
	return statetest.Postgres(t)
}

// eachBackend runs test on a fresh state of each backend, as subtests: "SQLite" on
// a new file, "Postgres" in a new schema (skipped without RETURNSDESK_TEST_POSTGRES). test gets
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
