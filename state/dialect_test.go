package state

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgconn"
)

func TestRebind(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`SELECT 1`, `SELECT 1`},
		{`UPDATE t SET a = ? WHERE b IN ('', ?)`, `UPDATE t SET a = $1 WHERE b IN ('', $2)`},
		{`SELECT '?', "q?" FROM t WHERE a = ? AND b = 'it''s ?'`, `SELECT '?', "q?" FROM t WHERE a = $1 AND b = 'it''s ?'`},
	} {
		if got := postgresDialect.rebind(c.in); got != c.want {
			t.Errorf("rebind(%q) = %q, want %q", c.in, got, c.want)
		}
		if got := sqliteDialect.rebind(c.in); got != c.in {
			t.Errorf("SQLite rebind changed %q to %q", c.in, got)
		}
	}
}

func TestPostgresArgsLeaveTheCallersSlice(t *testing.T) {
	in := []any{"ok", "caf\xe9\x00", 3}
	out := postgresDialect.args(in)
	if in[1] != "caf\xe9\x00" {
		t.Errorf("the caller's argument became %q", in[1])
	}
	if out[0] != "ok" || out[1] != "caf\uFFFD\uFFFD" || out[2] != 3 {
		t.Errorf("args = %q", out)
	}
}

// TestTextOfAnyBytesIsRecorded: a mail's headers and words can hold invalid UTF-8
// and NUL bytes, which Postgres text cannot; the mail is recorded all the same,
// and found again by the same Message-ID.
func TestTextOfAnyBytesIsRecorded(t *testing.T) {
	eachBackend(t, func(t *testing.T, st string) {
		ctx := context.Background()
		db := openState(t, st)
		id := "odd\xff\x00@example.nl"
		words := "caf\xe9 \x00 lamp"
		threadID, err := db.Record(ctx, Outcome{Message: Message{MessageID: id, Store: "lumina", Direction: "in", At: time.Now()},
			Thread: &Thread{Store: "lumina", Customer: "sophie@example.nl", Words: words}})
		if err != nil {
			t.Fatal(err)
		}
		if seen, err := db.Seen(ctx, id); err != nil || !seen {
			t.Errorf("Seen(%q) = %v, %v", id, seen, err)
		}
		th, err := db.Thread(ctx, threadID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(th.Words, "caf") || !strings.HasSuffix(th.Words, " lamp") {
			t.Errorf("words read back as %q", th.Words)
		}
		if db.db.dialect == postgresDialect && (!utf8.ValidString(th.Words) || strings.Contains(th.Words, "\x00")) {
			t.Errorf("Postgres words %q", th.Words)
		}
	})
}

func TestStorageErrorsOfPostgres(t *testing.T) {
	for _, c := range []struct {
		code    string
		storage bool
	}{
		{"53100", true},  // disk_full
		{"53200", true},  // out_of_memory
		{"53300", true},  // too_many_connections
		{"53400", true},  // configuration_limit_exceeded (a quota)
		{"58030", true},  // io_error
		{"25006", true},  // read_only_sql_transaction
		{"57P01", true},  // admin_shutdown
		{"08006", true},  // connection_failure
		{"23505", false}, // unique_violation: the data
		{"40001", false}, // serialization_failure: a conflict, retried by inTx
		{"42P01", false}, // undefined_table: a bug
	} {
		err := fmt.Errorf("record x: %w", &pgconn.PgError{Code: c.code})
		if got := IsStorageError(err); got != c.storage {
			t.Errorf("IsStorageError(SQLSTATE %s) = %v, want %v", c.code, got, c.storage)
		}
	}
	if IsStorageError(fmt.Errorf("record x: %w", context.Canceled)) {
		t.Errorf("a statement cut short by the daemon stopping counts as storage")
	}
	if IsStorageError(errors.New("something else")) {
		t.Errorf("a plain error counts as storage")
	}
	// A server out of reach: nothing listens on port 1.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := Open(ctx, "postgres://returnsdesk:secret@127.0.0.1:1/returnsdesk?connect_timeout=5")
	if err == nil {
		t.Fatal("open of a server that is not there succeeded")
	}
	if !IsStorageError(err) {
		t.Errorf("a server out of reach is no storage error: %v", err)
	}
	if strings.Contains(err.Error(), "secret") {
		t.Errorf("the error shows the password: %v", err)
	}
}

func TestDisplayHidesThePassword(t *testing.T) {
	if got := Display("postgres://rd:hunter2@db.example/rd?search_path=a"); strings.Contains(got, "hunter2") || !strings.Contains(got, "db.example/rd") {
		t.Errorf("Display = %q", got)
	}
	if got := Display("/var/lib/returnsdesk/returnsdesk.db"); got != "/var/lib/returnsdesk/returnsdesk.db" {
		t.Errorf("Display of a path = %q", got)
	}
}

// TestDeadlockIsRunAgainPostgres: two transactions that lock two threads in
// opposite orders deadlock; Postgres aborts one, and inTx runs it again, so both
// land, each once.
func TestDeadlockIsRunAgainPostgres(t *testing.T) {
	ctx := context.Background()
	db := openState(t, postgresState(t))
	var ids [2]int64
	for i := range ids {
		id, err := db.Record(ctx, Outcome{Message: Message{MessageID: fmt.Sprintf("m%d@example.nl", i), Store: "lumina", Direction: "in", At: time.Now()},
			Thread: &Thread{Store: "lumina", Customer: "sophie@example.nl"}})
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = id
	}
	// Each transaction takes its first row, waits until the other has taken its
	// own, then asks for the other's. A run again finds the signals given.
	var took [2]chan struct{}
	var once [2]sync.Once
	for i := range took {
		took[i] = make(chan struct{})
	}
	var attempts [2]int
	var mu sync.Mutex
	bump := func(tx txn, id int64) error {
		_, err := tx.ExecContext(ctx, `UPDATE threads SET photos = photos + 1 WHERE id = ?`, id)
		return err
	}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range 2 {
		wg.Go(func() {
			errs[i] = db.inTx(ctx, func(tx txn) error {
				mu.Lock()
				attempts[i]++
				mu.Unlock()
				if err := bump(tx, ids[i]); err != nil {
					return err
				}
				once[i].Do(func() { close(took[i]) })
				<-took[1-i]
				return bump(tx, ids[1-i])
			})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("transaction %d: %v", i, err)
		}
	}
	if attempts[0]+attempts[1] < 3 {
		t.Errorf("attempts %v: no deadlock was met and run again", attempts)
	}
	for _, id := range ids {
		th, err := db.Thread(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if th.Photos != 2 {
			t.Errorf("thread %d bumped %d times, want 2 (once per transaction)", id, th.Photos)
		}
	}
}

// TestSQLiteStatementsPreparedOnce: a SQLite state prepares each statement once, those
// first run inside a transaction once the transaction is over, and runs them again
// from the cache, inside transactions too.
func TestSQLiteStatementsPreparedOnce(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, t.TempDir()+"/state.db")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cache := s.db.stmts
	const q = `SELECT count(*) FROM cases WHERE store = ?`
	count := func(on querier) int {
		var n int
		if err := on.QueryRowContext(ctx, q, "lumina").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if err := s.inTx(ctx, func(tx txn) error { count(tx); return nil }); err != nil {
		t.Fatal(err)
	}
	first := cache.m[q]
	if first == nil {
		t.Fatal("a statement first run in a transaction was not prepared after it")
	}
	count(s.db)
	if err := s.inTx(ctx, func(tx txn) error {
		if tx.prepared(ctx, q) == nil {
			t.Error("a prepared statement was not used in a transaction")
		}
		count(tx)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if cache.m[q] != first || len(cache.wanted) != 0 {
		t.Errorf("the statement was prepared again (%d waiting)", len(cache.wanted))
	}
}

// TestMessageRecordedMeanwhileIsStale: a mail another instance recorded between this
// one's reads and its write fails as stale, so that it is decided again (and found
// recorded), not as a failure of the state.
func TestMessageRecordedMeanwhileIsStale(t *testing.T) {
	eachBackend(t, func(t *testing.T, st string) {
		ctx := context.Background()
		db := openState(t, st)
		rec := func() error {
			_, err := db.Record(ctx, Outcome{Message: Message{MessageID: "both@example.de", Store: "alinora", Direction: "in", At: time.Now()}})
			return err
		}
		if err := rec(); err != nil {
			t.Fatal(err)
		}
		if err := rec(); !errors.Is(err, ErrStale) {
			t.Errorf("the second record of one mail: %v, want ErrStale", err)
		}
	})
}
