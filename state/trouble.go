package state

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
)

// SQLite's primary result codes for storage that cannot take a write.
const (
	sqliteReadOnly = 8
	sqliteIOErr    = 10
	sqliteFull     = 13
	sqliteCantOpen = 14
)

// SQLite's primary result codes for a write that met another writer.
const (
	sqliteBusy   = 5
	sqliteLocked = 6
)

// SQLite's extended result codes for a row that broke a unique key.
const (
	sqliteConstraintPrimaryKey = 1555
	sqliteConstraintUnique     = 2067
)

// IsStorageError reports whether err is the storage failing (disk full, read-only,
// an I/O error; for Postgres also the server out of reach or out of resources)
// rather than anything about the data: such an error passes when the storage is
// mended, and the work that met it is to be done again, not given up.
func IsStorageError(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqliteReadOnly, sqliteIOErr, sqliteFull, sqliteCantOpen:
			return true
		}
	}
	if pe, ok := postgresError(err); ok {
		return postgresStorageCode(pe.Code)
	}
	if postgresUnreachable(err) {
		return true
	}
	for _, errno := range []syscall.Errno{syscall.ENOSPC, syscall.EROFS, syscall.EIO, syscall.EFBIG, syscall.EDQUOT} {
		if errors.Is(err, errno) {
			return true
		}
	}
	return false
}

func postgresError(err error) (*pgconn.PgError, bool) {
	var pe *pgconn.PgError
	ok := errors.As(err, &pe)
	return pe, ok
}

// postgresStorageCode reports whether a SQLSTATE says the server cannot take the
// write for now: out of disk, memory or connections (class 53, "insufficient
// resources", which covers disk quotas too), an I/O error (58030), a read-only
// server (25006: a standby, or one made read-only to save its disk), a server
// shutting down or starting (57P01-57P03), or a lost connection (class 08).
func postgresStorageCode(code string) bool {
	switch {
	case strings.HasPrefix(code, "53"), strings.HasPrefix(code, "08"):
		return true
	}
	switch code {
	case "58000", "58030", "25006", "57P01", "57P02", "57P03":
		return true
	}
	return false
}

// postgresUnreachable reports whether err is the Postgres server out of reach: a
// connection that could not be made, or one lost or timed out under a statement.
// (The state's errors come from its database alone, so a network error here is
// the database's.)
func postgresUnreachable(err error) bool {
	if errors.Is(err, context.Canceled) {
		return false // the daemon stopping, which may close a connection under a statement
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	return errors.As(err, &ce) || errors.Is(err, pgconn.ErrConnClosed) || pgconn.Timeout(err) ||
		errors.As(err, &ne) || errors.Is(err, io.ErrUnexpectedEOF)
}

// conflict reports whether err is a transaction that lost to a concurrent one and
// changed nothing, so that running it again is safe and likely to succeed.
func (d dialect) conflict(err error) bool {
	if d == postgresDialect {
		pe, ok := postgresError(err)
		// serialization_failure, deadlock_detected
		return ok && (pe.Code == "40001" || pe.Code == "40P01")
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqliteBusy, sqliteLocked:
			return true
		}
	}
	return false
}

// duplicate reports whether err is a unique key the row would have broken: written
// meanwhile by a concurrent transaction when the reads before it said otherwise.
func (d dialect) duplicate(err error) bool {
	if d == postgresDialect {
		pe, ok := postgresError(err)
		return ok && pe.Code == "23505" // unique_violation
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqliteConstraintUnique, sqliteConstraintPrimaryKey:
			return true
		}
	}
	return false
}

// Probe writes to the state and commits, to learn whether it takes writes again. It
// writes a few kilobytes, so that a disk with room for the probe alone does not
// count as mended.
func (s *DB) Probe(ctx context.Context, at time.Time) error {
	// Letters at random: Postgres compresses a long value, and a run of one
	// letter would take no room at all.
	pad := make([]byte, 16<<10)
	for i := range pad {
		pad[i] = 'a' + byte(rand.N(26))
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO probe (id, at, pad) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at, pad = excluded.pad`,
		at.UnixNano(), string(pad))
	if err != nil {
		return fmt.Errorf("probe write: %w", err)
	}
	return nil
}
