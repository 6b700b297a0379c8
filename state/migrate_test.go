package state

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// versions reads the versions a state records as applied, in order.
func versions(t *testing.T, db *DB) []int {
	t.Helper()
	rows, err := db.db.QueryContext(context.Background(), `SELECT version FROM schema_migrations ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

func allVersions() []int {
	var out []int
	for _, m := range migrations {
		out = append(out, m.version)
	}
	return out
}

func TestMigrationsAreNumberedInOrder(t *testing.T) {
	for i, m := range migrations {
		if m.version != i+1 {
			t.Errorf("migration %d has version %d: versions are 1, 2, 3, … in order", i, m.version)
		}
		if len(m.statements(sqliteDialect)) == 0 || len(m.statements(postgresDialect)) == 0 || m.about == "" {
			t.Errorf("migration %d lacks its statements for a dialect, or what it is about", m.version)
		}
	}
}

// TestMigrationsApplyOnce: a new state gets every version, recorded; opening it
// again applies none of them again.
func TestMigrationsApplyOnce(t *testing.T) {
	eachBackend(t, func(t *testing.T, st string) {
		ctx := context.Background()
		db := openState(t, st)
		if got := versions(t, db); !slices.Equal(got, allVersions()) {
			t.Fatalf("versions %v, want %v", got, allVersions())
		}
		var firstApplied int64
		if err := db.db.QueryRowContext(ctx, `SELECT applied_at FROM schema_migrations WHERE version = 1`).Scan(&firstApplied); err != nil {
			t.Fatal(err)
		}
		db.Close()
		again := openState(t, st)
		if got := versions(t, again); !slices.Equal(got, allVersions()) {
			t.Fatalf("versions after reopening %v, want %v", got, allVersions())
		}
		var applied int64
		if err := again.db.QueryRowContext(ctx, `SELECT applied_at FROM schema_migrations WHERE version = 1`).Scan(&applied); err != nil {
			t.Fatal(err)
		}
		if applied != firstApplied {
			t.Errorf("version 1 recorded again on reopening")
		}
	})
}

// TestMissingMigrationIsApplied: a state recorded at an older version gets the
// later migrations, and only those.
func TestMissingMigrationIsApplied(t *testing.T) {
	eachBackend(t, func(t *testing.T, st string) {
		ctx := context.Background()
		db := openState(t, st)
		// Back to version 2: version 3 made two indexes.
		for _, stmt := range []string{`DROP INDEX outbox_source`, `DROP INDEX outbox_thread`, `DELETE FROM schema_migrations WHERE version = 3`} {
			if _, err := db.db.ExecContext(ctx, stmt); err != nil {
				t.Fatal(err)
			}
		}
		db.Close()
		again := openState(t, st)
		if got := versions(t, again); !slices.Equal(got, allVersions()) {
			t.Fatalf("versions %v, want %v", got, allVersions())
		}
		// Version 3 ran: a second CREATE of its index fails.
		if _, err := again.db.ExecContext(ctx, `CREATE INDEX outbox_source ON outbox (source_id)`); err == nil {
			t.Errorf("index outbox_source missing after the migration")
		}
	})
}

// TestStateOfANewerReleaseIsRefused: a version this program does not know means
// a schema it would misread.
func TestStateOfANewerReleaseIsRefused(t *testing.T) {
	eachBackend(t, func(t *testing.T, st string) {
		ctx := context.Background()
		db := openState(t, st)
		if _, err := db.db.ExecContext(ctx, `INSERT INTO schema_migrations (version, about, applied_at) VALUES (?, 'from the future', 0)`,
			len(migrations)+1); err != nil {
			t.Fatal(err)
		}
		db.Close()
		_, err := Open(ctx, st)
		if err == nil || !strings.Contains(err.Error(), "newer returnsdesk") {
			t.Fatalf("open of a newer state: %v, want a refusal naming a newer returnsdesk", err)
		}
	})
}

// execFile runs the statements of a file of testdata/ on a raw SQLite file.
func execFile(t *testing.T, raw *sql.DB, name string) {
	t.Helper()
	text, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(text), "\n") {
		if !strings.HasPrefix(l, "--") {
			lines = append(lines, l)
		}
	}
	for _, stmt := range strings.Split(strings.Join(lines, "\n"), ";\n") {
		if strings.TrimSpace(stmt) == "" {
			continue
		}
		if _, err := raw.Exec(stmt); err != nil {
			t.Fatalf("%s: %v\n%s", name, err, stmt)
		}
	}
}

// TestUnversionedStateIsAdopted: a state file of a release before versioned
// migrations (its tables, no schema_migrations) keeps its rows and gets what it
// lacks: the oldest files, with the first release's tables only, and the newest,
// with everything the last unversioned release added.
func TestUnversionedStateIsAdopted(t *testing.T) {
	for _, c := range []struct {
		name  string
		files []string
	}{
		{"first release", []string{"unversioned-first.sql"}},
		{"last unversioned release", []string{"unversioned-first.sql", "unversioned-later.sql"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "state.db")
			raw, err := sql.Open("sqlite", "file:"+path)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range c.files {
				execFile(t, raw, f)
			}
			at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC).Unix()
			for _, stmt := range []string{
				`INSERT INTO messages (message_id, store, thread_id, direction, sender, at, action) VALUES ('old@example.nl', 'lumina', 1, 'in', 'sophie@example.nl', ` + itoa(at) + `, 'authorize')`,
				`INSERT INTO threads (id, store, customer, order_no, subject) VALUES (1, 'lumina', 'sophie@example.nl', 'LW1001', 'Return')`,
				`INSERT INTO cases (store, order_no, ran, customer, thread_id, authorized_at) VALUES ('lumina', 'LW1001', 'LUM-OLD1', 'sophie@example.nl', 1, ` + itoa(at) + `)`,
				`INSERT INTO outbox (id, message_id, store, mailbox, recipient, kind, thread_id, source_id, created_at, raw) VALUES (7, 'reply@luminahelp.com', 'lumina', 'support@luminahelp.com', 'sophie@example.nl', 'reply', 1, 'old@example.nl', ` + itoa(at) + `, X'6869')`,
				`INSERT INTO cursors (mailbox, uidvalidity, last_uid) VALUES ('lumina/support@luminahelp.com/INBOX', 4000000000, 41)`,
			} {
				if _, err := raw.Exec(stmt); err != nil {
					t.Fatalf("%v\n%s", err, stmt)
				}
			}
			raw.Close()

			db := openState(t, path)
			if got := versions(t, db); !slices.Equal(got, allVersions()) {
				t.Fatalf("versions %v, want %v", got, allVersions())
			}
			// The rows are there.
			if seen, err := db.Seen(ctx, "old@example.nl"); err != nil || !seen {
				t.Errorf("old message not seen: %v, %v", seen, err)
			}
			th, err := db.Thread(ctx, 1)
			if err != nil || th.Order != "LW1001" || th.Subject != "Return" {
				t.Errorf("old thread: %+v, %v", th, err)
			}
			if kase, err := db.Case(ctx, "lumina", "LW1001"); err != nil || kase.RAN != "LUM-OLD1" || kase.AuthorizedAt.Unix() != at {
				t.Errorf("old case: %+v, %v", kase, err)
			}
			if exists, err := db.RANExists(ctx, "LUM-OLD1"); err != nil || !exists {
				t.Errorf("old RAN not found: %v, %v", exists, err)
			}
			if v, last, err := db.Cursor(ctx, "lumina/support@luminahelp.com/INBOX"); err != nil || v != 4000000000 || last != 41 {
				t.Errorf("old cursor: %d %d %v", v, last, err)
			}
			pending, err := db.PendingOutgoing(ctx, 0, 10)
			if err != nil || len(pending) != 1 || pending[0].ID != 7 || string(pending[0].Raw) != "hi" {
				t.Fatalf("old outbox: %+v, %v", pending, err)
			}
			// The columns and tables added since are there, and work.
			th.RequestWords, th.HandledBy = "send back the lamp", "anna"
			if err := db.SaveThread(ctx, th); err != nil {
				t.Fatal(err)
			}
			if th, _ := db.Thread(ctx, 1); th.RequestWords != "send back the lamp" || th.HandledBy != "anna" {
				t.Errorf("new thread columns: %+v", th)
			}
			if ok, err := db.Claim(ctx, 7, "run-1", time.Unix(at, 0)); err != nil || !ok {
				t.Errorf("claim in an adopted state: %v, %v", ok, err)
			}
			if err := db.MarkSent(ctx, 7, time.Unix(at, 0)); err != nil {
				t.Errorf("mark sent (outbox_copies): %v", err)
			}
			if err := db.SetSynced(ctx, "lumina/support@luminahelp.com/INBOX", time.Unix(at, 0)); err != nil {
				t.Errorf("syncs: %v", err)
			}
			if err := db.Probe(ctx, time.Unix(at, 0)); err != nil {
				t.Errorf("probe: %v", err)
			}
			// A new thread numbers on from the old ones.
			id, err := db.Record(ctx, Outcome{Message: Message{MessageID: "new@example.nl", Store: "lumina", Direction: "in", At: time.Unix(at, 0)},
				Thread: &Thread{Store: "lumina", Customer: "piet@example.nl"}})
			if err != nil || id != 2 {
				t.Errorf("new thread id %d, %v; want 2", id, err)
			}
		})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
