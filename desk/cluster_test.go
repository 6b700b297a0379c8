package desk_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/returnsdesk/returnsdesk/desk"
	"github.com/returnsdesk/returnsdesk/state"
	"github.com/returnsdesk/returnsdesk/state/statetest"
)

// alinoraMailboxes are the store's two mailboxes: a customer may write to both,
// and two instances may then decide their mail at the same moment.
var alinoraMailboxes = []string{"alinora-overseas@outlook.com", "13986307982@139.com"}

const jonasMail = "From: Jonas Weber <jonas.weber@example.de>\r\nTo: %s\r\nSubject: Return AL-204518\r\n" +
	"Date: %s\r\nMessage-ID: <%s@example.de>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
	"Hello, I would like to return the earbuds from order AL-204518, I changed my mind.\r\n"

// clusterDesk is a desk of its own (its own pool, its own in-process lock, its own
// random source) on the shared Postgres state st: what one instance runs.
func clusterDesk(t *testing.T, st string, seed byte, opts desk.Options) (*desk.Desk, *state.DB) {
	t.Helper()
	return deskOn(t, st, "", [32]byte{'i', 'n', 's', 't', seed}, opts)
}

// decideAtOnce has two desks on one state decide n mails of one customer, written
// to both of the store's mailboxes, all at once: mail i goes to desk i%2.
func decideAtOnce(t *testing.T, desks []*desk.Desk, n int, start time.Time) []*desk.Result {
	t.Helper()
	results := make([]*desk.Result, n)
	var wg sync.WaitGroup
	gate := make(chan struct{})
	for i := range n {
		raw := fmt.Appendf(nil, jonasMail, alinoraMailboxes[i%2], start.Add(time.Duration(i)*time.Minute).Format(time.RFC1123Z),
			fmt.Sprintf("jonas-%d-%d", start.Unix(), i))
		wg.Go(func() {
			<-gate
			res, err := desks[i%2].Process(context.Background(), raw, time.Time{})
			if err != nil {
				t.Errorf("mail %d: %v", i, err)
				return
			}
			results[i] = res
		})
	}
	close(gate)
	wg.Wait()
	return results
}

// TestConcurrentDecisionsPostgres: two instances deciding one customer's mails to
// two mailboxes of a store at the same moment keep the one-decision-at-a-time
// rules: the rate limit counts the replies of both (never more than three a day),
// and an order gets one RAN however many mails ask for it at once.
func TestConcurrentDecisionsPostgres(t *testing.T) {
	st := statetest.Postgres(t)
	start := time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC)

	t.Run("rate limit", func(t *testing.T) {
		a, db := clusterDesk(t, st, 1, desk.Options{})
		b, _ := clusterDesk(t, st, 2, desk.Options{})
		results := decideAtOnce(t, []*desk.Desk{a, b}, 10, start)
		replied, limited := 0, 0
		for i, r := range results {
			switch {
			case r == nil:
			case r.Outgoing != nil:
				replied++
			case r.Code == "rate_limited":
				limited++
			default:
				t.Errorf("mail %d: %s/%s without a reply", i, r.Action, r.Code)
			}
		}
		n, err := db.RepliesSince(context.Background(), "alinora", "jonas.weber@example.de", start.Add(-time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if replied != 3 || n != 3 || limited != 7 {
			t.Errorf("%d replies (%d in the outbox), %d rate-limited; want 3 replies and 7 rate-limited", replied, n, limited)
		}
	})

	t.Run("one mail to both mailboxes", func(t *testing.T) {
		// The customer wrote to both addresses at once: each mailbox holds a copy of
		// the same mail, and each instance reads its own copy at the same moment.
		a, db := clusterDesk(t, st, 5, desk.Options{})
		b, _ := clusterDesk(t, st, 6, desk.Options{})
		raw := fmt.Appendf(nil, jonasMail, strings.Join(alinoraMailboxes, ", "), start.AddDate(0, 0, 6).Format(time.RFC1123Z), "jonas-both")
		results := make([]*desk.Result, 2)
		var wg sync.WaitGroup
		gate := make(chan struct{})
		for i, d := range []*desk.Desk{a, b} {
			wg.Go(func() {
				<-gate
				res, err := d.Process(context.Background(), raw, time.Time{})
				if err != nil {
					t.Errorf("instance %d: %v", i, err)
				}
				results[i] = res
			})
		}
		close(gate)
		wg.Wait()
		answered := 0
		for _, r := range results {
			if r != nil && r.Outgoing != nil {
				answered++
			}
		}
		outs, err := db.OutgoingBySource(context.Background(), "jonas-both@example.de")
		if err != nil {
			t.Fatal(err)
		}
		if answered != 1 || len(outs) != 1 {
			t.Errorf("the mail was answered by %d instances, %d replies queued: want one", answered, len(outs))
		}
	})

	t.Run("one RAN per order", func(t *testing.T) {
		opts := desk.Options{RateLimit: 100}
		a, db := clusterDesk(t, st, 3, opts)
		b, _ := clusterDesk(t, st, 4, opts)
		results := decideAtOnce(t, []*desk.Desk{a, b}, 8, start.AddDate(0, 0, 3))
		rans := map[string]int{}
		for i, r := range results {
			if r == nil {
				continue
			}
			if r.Action != "authorize_return" || r.RAN == "" {
				t.Errorf("mail %d: %s/%s, RAN %q; want a return authorised", i, r.Action, r.Code, r.RAN)
				continue
			}
			rans[r.RAN]++
		}
		if len(rans) != 1 {
			t.Errorf("the order got %d different RANs (%v): want one", len(rans), rans)
		}
		c, err := db.Case(context.Background(), "alinora", "AL-204518")
		if err != nil {
			t.Fatal(err)
		}
		if rans[c.RAN] == 0 {
			t.Errorf("the case holds RAN %q, the customer was told %v", c.RAN, rans)
		}
	})
}
