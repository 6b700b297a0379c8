package state

import (
	"context"
	"fmt"
)

// ProcessedCount counts the customer mails decided so far.
func (s *DB) ProcessedCount(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM messages WHERE direction = 'in'`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count processed mail: %w", err)
	}
	return n, nil
}
