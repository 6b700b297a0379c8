package state

import (
	"context"
	"fmt"
	"time"
)

// SetSynced records that mailbox (a cursor key) was read successfully at at.
func (s *DB) SetSynced(ctx context.Context, mailbox string, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO syncs (mailbox, synced_at) VALUES (?, ?)
		ON CONFLICT (mailbox) DO UPDATE SET synced_at = excluded.synced_at`, mailbox, unix(at))
	if err != nil {
		return fmt.Errorf("record sync of %s: %w", mailbox, err)
	}
	return nil
}

// Summary is what the state says of the daemon's work, for people (status) and
// monitoring (metrics).
type Summary struct {
	// Outbox counts the outbox rows per delivery state (pending, sent, failed, …).
	Outbox map[string]int
	// OldestPending is when the oldest mail still waiting to go out was queued; zero
	// when none waits.
	OldestPending time.Time
	// OpenFlagged counts per store the threads flagged for staff and not closed.
	OpenFlagged map[string]int
	// Synced is each mailbox's last successful read, by cursor key.
	Synced map[string]time.Time
}

// Summarize reads the Summary.
func (s *DB) Summarize(ctx context.Context) (Summary, error) {
	sum := Summary{OpenFlagged: map[string]int{}, Synced: map[string]time.Time{}}
	var err error
	if sum.Outbox, err = s.OutboxCounts(ctx); err != nil {
		return sum, err
	}
	var oldest int64
	if err := s.db.QueryRowContext(ctx, `SELECT coalesce(min(created_at), 0) FROM outbox WHERE status = ?`, OutboxPending).Scan(&oldest); err != nil {
		return sum, fmt.Errorf("oldest pending mail: %w", err)
	}
	sum.OldestPending = fromUnix(oldest)
	err = s.eachRow(ctx, "count flagged threads", `SELECT store, count(*) FROM threads WHERE flagged_at != 0 AND flag_code != 'closed' GROUP BY store`,
		func(scan func(...any) error) error {
			var store string
			var n int
			err := scan(&store, &n)
			sum.OpenFlagged[store] = n
			return err
		})
	if err != nil {
		return sum, err
	}
	err = s.eachRow(ctx, "read syncs", `SELECT mailbox, synced_at FROM syncs`, func(scan func(...any) error) error {
		var mailbox string
		var at int64
		err := scan(&mailbox, &at)
		sum.Synced[mailbox] = fromUnix(at)
		return err
	})
	return sum, err
}

// DecidedSince counts the customer mails of store decided since since, per action.
func (s *DB) DecidedSince(ctx context.Context, store string, since time.Time) (map[string]int, error) {
	out := map[string]int{}
	err := s.eachRow(ctx, "count decisions", `SELECT action, count(*) FROM messages WHERE direction = 'in' AND store = ? AND at >= ? GROUP BY action`,
		func(scan func(...any) error) error {
			var action string
			var n int
			err := scan(&action, &n)
			out[action] = n
			return err
		}, store, unix(since))
	return out, err
}

// eachRow runs query and hands each row's Scan to row; what names the work in errors.
func (s *DB) eachRow(ctx context.Context, what, query string, row func(scan func(...any) error) error, args ...any) error {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows.Scan); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}
