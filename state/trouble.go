package state

import (
	"context"
	"errors"
	"fmt"
	"syscall"
	"time"

	"modernc.org/sqlite"
)

// SQLite's primary result codes for storage that cannot take a write.
const (
	sqliteReadOnly = 8
	sqliteIOErr    = 10
	sqliteFull     = 13
	sqliteCantOpen = 14
)

// IsStorageError reports whether err is the storage failing (disk full, read-only,
// an I/O error) rather than anything about the data: such an error passes when the
// storage is mended, and the work that met it is to be done again, not given up.
func IsStorageError(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqliteReadOnly, sqliteIOErr, sqliteFull, sqliteCantOpen:
			return true
		}
	}
	for _, errno := range []syscall.Errno{syscall.ENOSPC, syscall.EROFS, syscall.EIO, syscall.EFBIG, syscall.EDQUOT} {
		if errors.Is(err, errno) {
			return true
		}
	}
	return false
}

// probeSchema is the one row Probe writes.
var probeSchema = []string{
	`CREATE TABLE IF NOT EXISTS probe (id INTEGER PRIMARY KEY CHECK (id = 1), at INTEGER NOT NULL, pad TEXT NOT NULL DEFAULT '')`,
}

// Probe writes to the state and commits, to learn whether it takes writes again. It
// writes a few kilobytes, so that a disk with room for the probe alone does not
// count as mended.
func (s *DB) Probe(ctx context.Context, at time.Time) error {
	pad := make([]byte, 16<<10)
	for i := range pad {
		pad[i] = 'x'
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO probe (id, at, pad) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at, pad = excluded.pad`,
		at.UnixNano(), string(pad))
	if err != nil {
		return fmt.Errorf("probe write: %w", err)
	}
	return nil
}
