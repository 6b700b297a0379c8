package state

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// TestConcurrentClaimersNeverShareARow: senders of two processes (two handles on
// the state, two goroutines each) claim the same pending rows at once; each row
// goes to exactly one of them. On Postgres they really run at once, on pooled
// connections: the claim's own WHERE, under the row's lock, is all that keeps a
// reply from going out twice.
func TestConcurrentClaimersNeverShareARow(t *testing.T) {
	eachBackend(t, func(t *testing.T, st string) {
		ctx := context.Background()
		first := openState(t, st)
		const rows = 60
		for i := range rows {
			queueClaimable(t, first, i)
		}
		handles := []*DB{first, openState(t, st)}

		var mu sync.Mutex
		claimedBy := map[int64][]string{}
		start := make(chan struct{})
		var wg sync.WaitGroup
		for h, db := range handles {
			for g := range 2 {
				holder := fmt.Sprintf("host%d/%d", h, g)
				wg.Go(func() {
					<-start
					pending, err := db.PendingOutgoing(ctx, 0, rows)
					if err != nil {
						t.Error(err)
						return
					}
					for _, o := range pending {
						ok, err := db.Claim(ctx, o.ID, holder, time.Now())
						if err != nil {
							t.Errorf("%s: claim %d: %v", holder, o.ID, err)
							return
						}
						if ok {
							mu.Lock()
							claimedBy[o.ID] = append(claimedBy[o.ID], holder)
							mu.Unlock()
						}
					}
				})
			}
		}
		close(start)
		wg.Wait()
		if len(claimedBy) != rows {
			t.Errorf("%d of %d rows claimed", len(claimedBy), rows)
		}
		for id, holders := range claimedBy {
			if len(holders) != 1 {
				t.Errorf("row %d claimed by %v", id, holders)
			}
		}
	})
}

// queueClaimable queues one reply to its own customer mail.
func queueClaimable(t *testing.T, db *DB, n int) {
	t.Helper()
	at := time.Date(2026, 11, 20, 10, 0, n, 0, time.UTC)
	in := fmt.Sprintf("in%d@example.nl", n)
	out := Outgoing{MessageID: fmt.Sprintf("out%d@luminahelp.com", n), Store: "lumina", Mailbox: "support@luminahelp.com",
		Recipient: "sophie@example.nl", Kind: "reply", SourceID: in, CreatedAt: at, Raw: []byte("Subject: Re\r\n\r\nhi\r\n")}
	if _, err := db.Record(context.Background(), Outcome{Message: Message{MessageID: in, Store: "lumina", Direction: "in", At: at},
		Thread: &Thread{Store: "lumina", Customer: "sophie@example.nl"}, Reply: &out}); err != nil {
		t.Fatal(err)
	}
}
