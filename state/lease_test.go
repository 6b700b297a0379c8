package state

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// TestLeases: a free lease is taken with token 1; its holder renews it with the
// same token; another holder is refused until it expires, then takes it with a new
// token; a released lease is free at once, and its token keeps growing.
func TestLeases(t *testing.T) {
	eachBackend(t, func(t *testing.T, st string) {
		ctx := context.Background()
		db := openState(t, st)
		const name = "mailbox/lumina/support@luminahelp.com/INBOX"
		ttl := 300 * time.Millisecond

		tok, ok, err := db.Acquire(ctx, name, "a", ttl)
		if err != nil || !ok || tok != 1 {
			t.Fatalf("first acquire: token %d, ok %t, %v; want 1, true", tok, ok, err)
		}
		if tok, ok, err = db.Acquire(ctx, name, "a", ttl); err != nil || !ok || tok != 1 {
			t.Fatalf("renewal: token %d, ok %t, %v; want the same token 1", tok, ok, err)
		}
		if _, ok, err = db.Acquire(ctx, name, "b", ttl); err != nil || ok {
			t.Fatalf("another holder took a live lease: ok %t, %v", ok, err)
		}
		time.Sleep(ttl + 100*time.Millisecond)
		if tok, ok, err = db.Acquire(ctx, name, "b", ttl); err != nil || !ok || tok != 2 {
			t.Fatalf("takeover after expiry: token %d, ok %t, %v; want 2, true", tok, ok, err)
		}
		if _, ok, err = db.Acquire(ctx, name, "a", ttl); err != nil || ok {
			t.Fatalf("the old holder renewed a lease taken over: ok %t, %v", ok, err)
		}
		if err := db.Release(ctx, name, "a", 1); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ = db.Acquire(ctx, name, "a", ttl); ok {
			t.Fatalf("a release with an old token freed the new holder's lease")
		}
		if err := db.Release(ctx, name, "b", 2); err != nil {
			t.Fatal(err)
		}
		if tok, ok, err = db.Acquire(ctx, name, "a", ttl); err != nil || !ok || tok != 3 {
			t.Fatalf("acquire after release: token %d, ok %t, %v; want 3, true", tok, ok, err)
		}
		leases, err := db.Leases(ctx)
		if err != nil || len(leases) != 1 || leases[0].Holder != "a" || leases[0].Token != 3 || leases[0].Left <= 0 || leases[0].Left > ttl {
			t.Fatalf("leases: %+v, %v", leases, err)
		}
	})
}

// TestFencedWrites: the cursor, an outbox claim and a recorded mail are written
// only with the token the lease is held with; once another holder took the lease
// over, the old holder's writes fail with ErrLeaseLost and change nothing.
func TestFencedWrites(t *testing.T) {
	eachBackend(t, func(t *testing.T, st string) {
		ctx := context.Background()
		db := openState(t, st)
		const name, folder = "mailbox/x", "lumina/support@luminahelp.com/INBOX"
		ttl := 200 * time.Millisecond
		oldTok, _, err := db.Acquire(ctx, name, "old", ttl)
		if err != nil {
			t.Fatal(err)
		}
		old := WithFence(ctx, Fence{Lease: name, Token: oldTok})
		if err := db.SetCursor(old, folder, 7, 10); err != nil {
			t.Fatalf("the holder's cursor: %v", err)
		}
		if _, err := db.Record(ctx, Outcome{Message: Message{MessageID: "q@x", Store: "lumina", Direction: "in", At: time.Now()},
			Reply: &Outgoing{MessageID: "r@x", Store: "lumina", Mailbox: "support@luminahelp.com", Recipient: "c@x", Kind: "reply",
				SourceID: "q@x", CreatedAt: time.Now(), Raw: []byte("x")}}); err != nil {
			t.Fatal(err)
		}
		pending, err := db.PendingOutgoing(ctx, 0, 10)
		if err != nil || len(pending) != 1 {
			t.Fatalf("pending: %v %v", pending, err)
		}

		time.Sleep(ttl + 100*time.Millisecond)
		newTok, ok, err := db.Acquire(ctx, name, "new", ttl)
		if err != nil || !ok {
			t.Fatalf("takeover: %t %v", ok, err)
		}
		if err := db.SetCursor(old, folder, 7, 20); !errors.Is(err, ErrLeaseLost) {
			t.Errorf("old holder's cursor after the takeover: %v, want ErrLeaseLost", err)
		}
		if _, err := db.Claim(old, pending[0].ID, "old", time.Now()); !errors.Is(err, ErrLeaseLost) {
			t.Errorf("old holder's claim after the takeover: %v, want ErrLeaseLost", err)
		}
		_, err = db.Record(old, Outcome{Message: Message{MessageID: "late@x", Store: "lumina", Direction: "in", At: time.Now()}})
		if !errors.Is(err, ErrLeaseLost) {
			t.Errorf("old holder's record after the takeover: %v, want ErrLeaseLost", err)
		}
		if seen, _ := db.Seen(ctx, "late@x"); seen {
			t.Errorf("a refused record left its mail recorded")
		}
		if _, last, _ := db.Cursor(ctx, folder); last != 10 {
			t.Errorf("cursor at %d after the refused write, want 10", last)
		}
		cur := WithFence(ctx, Fence{Lease: name, Token: newTok})
		if claimed, err := db.Claim(cur, pending[0].ID, "new", time.Now()); err != nil || !claimed {
			t.Errorf("new holder's claim: %t %v", claimed, err)
		}
		if err := db.SetCursor(cur, folder, 7, 20); err != nil {
			t.Errorf("new holder's cursor: %v", err)
		}
		// An expired lease fences too, even when nobody took it over.
		time.Sleep(ttl + 100*time.Millisecond)
		if err := db.SetCursor(cur, folder, 7, 30); !errors.Is(err, ErrLeaseLost) {
			t.Errorf("cursor on an expired lease: %v, want ErrLeaseLost", err)
		}
	})
}

// TestCustomerGuard: of two decisions about one customer made on the same reads,
// the first recorded wins and the second is refused as stale, writing nothing.
func TestCustomerGuard(t *testing.T) {
	eachBackend(t, func(t *testing.T, st string) {
		ctx := context.Background()
		db := openState(t, st)
		mark, err := db.CustomerMark(ctx, "alinora", "Jonas@Example.de")
		if err != nil || mark != 0 {
			t.Fatalf("mark of a new customer: %d %v", mark, err)
		}
		outcome := func(id string) Outcome {
			return Outcome{Message: Message{MessageID: id, Store: "alinora", Direction: "in", At: time.Now()},
				Thread: &Thread{Store: "alinora", Customer: "jonas@example.de"},
				Guard:  &CustomerGuard{Store: "alinora", Customer: "jonas@example.de", Mark: mark}}
		}
		if _, err := db.Record(ctx, outcome("first@x")); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Record(ctx, outcome("second@x")); !errors.Is(err, ErrStale) {
			t.Fatalf("second decision on the same reads: %v, want ErrStale", err)
		}
		if seen, _ := db.Seen(ctx, "second@x"); seen {
			t.Errorf("the stale decision was recorded")
		}
		if mark, err = db.CustomerMark(ctx, "alinora", "jonas@example.de"); err != nil || mark != 1 {
			t.Fatalf("mark after one decision: %d %v", mark, err)
		}
		if _, err := db.Record(ctx, outcome("second@x")); err != nil {
			t.Fatalf("decided again on fresh reads: %v", err)
		}
	})
}

// TestCustomerGuardConcurrentPostgres: many sessions record decisions about one
// customer at once, each on the mark it read: exactly one per mark wins, however
// the transactions interleave.
func TestCustomerGuardConcurrentPostgres(t *testing.T) {
	st := postgresState(t)
	ctx := context.Background()
	db := openState(t, st)
	other := openState(t, st)
	const n = 12
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		s := db
		if i%2 == 1 {
			s = other
		}
		wg.Go(func() {
			_, errs[i] = s.Record(ctx, Outcome{Message: Message{MessageID: "m" + itoa(int64(i)) + "@x", Store: "alinora", Direction: "in", At: time.Now()},
				Guard: &CustomerGuard{Store: "alinora", Customer: "mia@example.nl", Mark: 0}})
		})
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, ErrStale):
			t.Errorf("unexpected error: %v", err)
		}
	}
	if won != 1 {
		t.Errorf("%d decisions on mark 0 recorded, want exactly 1", won)
	}
}

// TestStaleSaves: a thread or case saved by someone else after it was read is not
// overwritten with what was read: the second save fails with ErrStale and writes
// nothing (a job's mail included), on a new read it succeeds.
func TestStaleSaves(t *testing.T) {
	eachBackend(t, func(t *testing.T, st string) {
		ctx := context.Background()
		db := openState(t, st)
		at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
		id, err := db.Record(ctx, Outcome{Message: Message{MessageID: "a@x", Store: "lumina", Direction: "in", At: at},
			Thread: &Thread{Store: "lumina", Customer: "sophie@example.nl", Pending: "missing_photos", PendingAt: at},
			Case:   &Case{Store: "lumina", Order: "LW-1", RAN: "LUM-AAAA", AuthorizedAt: at, Customer: "sophie@example.nl"}})
		if err != nil {
			t.Fatal(err)
		}
		th, err := db.Thread(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		c, err := db.Case(ctx, "lumina", "LW-1")
		if err != nil {
			t.Fatal(err)
		}
		// The customer answers: their mail is recorded on the thread and case as read.
		answered, withTracking := th, c
		answered.Pending, answered.LastMessageID = "", "b@x"
		withTracking.Tracking = "3SABC123"
		if _, err := db.Record(ctx, Outcome{Message: Message{MessageID: "b@x", Store: "lumina", Direction: "in", At: at},
			Thread: &answered, Case: &withTracking}); err != nil {
			t.Fatal(err)
		}
		// A job that read both before sends a reminder and lapses the RAN: refused.
		reminded, lapsed := th, c
		reminded.RemindedAt = at.Add(time.Hour)
		lapsed.LapsedRAN, lapsed.RAN = c.RAN, ""
		err = db.RecordJobMail(ctx, Outgoing{MessageID: "rem@x", Store: "lumina", Mailbox: "support@luminahelp.com", Recipient: "sophie@example.nl",
			Kind: "reminder", ThreadID: id, CreatedAt: at, Raw: []byte("x")}, &reminded, &lapsed)
		if !errors.Is(err, ErrStale) {
			t.Fatalf("a job's save of a stale thread and case: %v, want ErrStale", err)
		}
		if seen, _ := db.Seen(ctx, "rem@x"); seen {
			t.Errorf("the refused job mail was queued")
		}
		now, _ := db.Thread(ctx, id)
		kase, _ := db.Case(ctx, "lumina", "LW-1")
		if now.Pending != "" || !now.RemindedAt.IsZero() || kase.Tracking != "3SABC123" || kase.RAN != "LUM-AAAA" {
			t.Errorf("the stale save changed the thread (pending %q, reminded %v) or the case (tracking %q, RAN %q)",
				now.Pending, now.RemindedAt, kase.Tracking, kase.RAN)
		}
		// Staff's own save of a stale thread is refused too.
		handled := th
		handled.HandledBy = "anna@luxnome.example"
		if err := db.SaveThread(ctx, handled); !errors.Is(err, ErrStale) {
			t.Errorf("SaveThread of a stale thread: %v, want ErrStale", err)
		}
		now.HandledBy = "anna@luxnome.example"
		if err := db.SaveThread(ctx, now); err != nil {
			t.Errorf("SaveThread of the thread as read now: %v", err)
		}
	})
}

// TestPausedHolderPostgres: a holder paused in the middle of a fenced write (its
// transaction open, the lease row locked) holds the takeover up only until
// Postgres ends its idle transaction; then the next instance takes the lease, and
// the paused one's write cannot commit.
func TestPausedHolderPostgres(t *testing.T) {
	ctx := context.Background()
	st := postgresState(t)
	paused, other := openState(t, st), openState(t, st)
	const name = "mailbox/x"
	ttl := 300 * time.Millisecond
	tok, _, err := paused.Acquire(ctx, name, "paused", ttl)
	if err != nil {
		t.Fatal(err)
	}
	fenced := WithFence(ctx, Fence{Lease: name, Token: tok})
	tx, err := paused.db.pool.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if err := checkFence(fenced, paused.db.newTxn(tx)); err != nil {
		t.Fatal(err)
	}
	// The process stops here, transaction open.
	time.Sleep(ttl + 100*time.Millisecond)
	began := time.Now()
	wait, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, ok, err := other.Acquire(wait, name, "other", ttl); err != nil || !ok {
		t.Fatalf("takeover after %v: %t %v", time.Since(began).Round(time.Millisecond), ok, err)
	}
	took := time.Since(began)
	t.Logf("the takeover waited %v for the paused transaction to be ended", took.Round(10*time.Millisecond))
	if took > 10*time.Second {
		t.Errorf("the takeover waited %v: the paused transaction was not ended", took)
	}
	if err := tx.Commit(); err == nil {
		t.Errorf("the paused holder's transaction committed after the takeover")
	}
}
