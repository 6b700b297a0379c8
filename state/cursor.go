package state

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Cursor returns how far a watched folder was read: its UIDVALIDITY and the highest
// UID handled. A folder never read returns zeros. The key names the folder, e.g.
// "lumina/support@luminahelp.com/INBOX".
func (s *DB) Cursor(ctx context.Context, mailbox string) (uidValidity, lastUID uint32, err error) {
	var v, last int64
	err = s.db.QueryRowContext(ctx, `SELECT uidvalidity, last_uid FROM cursors WHERE mailbox = ?`, mailbox).Scan(&v, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, nil
	}
	if err != nil {
		return 0, 0, fmt.Errorf("read cursor of %s: %w", mailbox, err)
	}
	return uint32(v), uint32(last), nil
}

// SetCursor records that every message of the folder up to lastUID was handled
// under uidValidity. With a fence in ctx (WithFence) only the lease's holder moves
// it: a worker that lost its mailbox cannot move the cursor of the one that took
// the mailbox over.
func (s *DB) SetCursor(ctx context.Context, mailbox string, uidValidity, lastUID uint32) error {
	err := s.inTx(ctx, func(tx txn) error {
		if err := checkFence(ctx, tx); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO cursors (mailbox, uidvalidity, last_uid) VALUES (?, ?, ?)
			ON CONFLICT (mailbox) DO UPDATE SET uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid`,
			mailbox, int64(uidValidity), int64(lastUID))
		return err
	})
	if err != nil {
		return fmt.Errorf("save cursor of %s: %w", mailbox, err)
	}
	return nil
}
