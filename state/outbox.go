package state

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Delivery states of an outbox row.
const (
	OutboxPending = "pending" // queued, not yet accepted by anyone
	OutboxSent    = "sent"    // accepted by the SMTP server
	OutboxDrafted = "drafted" // placed in the store's Drafts folder (draft mode)
	OutboxFailed  = "failed"  // refused for good; the thread is flagged for staff
)

// FlagDeliveryFailed is the flag code a thread gets when its reply was refused for good.
const FlagDeliveryFailed = "delivery_failed"

const outgoingColumns = `outbox.id, message_id, store, mailbox, recipient, kind, thread_id, source_id, created_at, raw,
	status, attempts, last_error, sent_at`

func scanOutgoing(row interface{ Scan(...any) error }) (Outgoing, error) {
	var o Outgoing
	var createdAt, sentAt int64
	err := row.Scan(&o.ID, &o.MessageID, &o.Store, &o.Mailbox, &o.Recipient, &o.Kind, &o.ThreadID, &o.SourceID,
		&createdAt, &o.Raw, &o.Status, &o.Attempts, &o.LastError, &sentAt)
	o.CreatedAt, o.SentAt = fromUnix(createdAt), fromUnix(sentAt)
	return o, err
}

func (s *DB) queryOutgoing(ctx context.Context, what, query string, args ...any) ([]Outgoing, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", what, err)
	}
	defer rows.Close()
	var out []Outgoing
	for rows.Next() {
		o, err := scanOutgoing(rows)
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", what, err)
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list %s: %w", what, err)
	}
	return out, nil
}

// PendingOutgoing returns up to limit queued mails with an id above afterID,
// oldest first (page with the last id seen; start at 0).
func (s *DB) PendingOutgoing(ctx context.Context, afterID int64, limit int) ([]Outgoing, error) {
	return s.queryOutgoing(ctx, "pending mail", `SELECT `+outgoingColumns+` FROM outbox WHERE status = ? AND id > ?
		ORDER BY id LIMIT ?`, OutboxPending, afterID, limit)
}

// UnfiledOutgoing returns up to limit sent mails with an id above afterID whose copy
// is not yet in the store's Sent folder, oldest first.
func (s *DB) UnfiledOutgoing(ctx context.Context, afterID int64, limit int) ([]Outgoing, error) {
	return s.queryOutgoing(ctx, "unfiled mail", `SELECT `+outgoingColumns+` FROM outbox
		JOIN outbox_copies c ON c.outbox_id = outbox.id WHERE c.filed_at = 0 AND outbox.id > ? ORDER BY outbox.id LIMIT ?`,
		afterID, limit)
}

// OutgoingBySource returns the mails queued in answer to one customer message.
func (s *DB) OutgoingBySource(ctx context.Context, sourceID string) ([]Outgoing, error) {
	return s.queryOutgoing(ctx, "replies to "+sourceID, `SELECT `+outgoingColumns+` FROM outbox WHERE source_id = ? ORDER BY id`, sourceID)
}

// ThreadReplies returns the latest limit mails queued to the customer in a thread
// (replies and reminders, not staff mail), newest first.
func (s *DB) ThreadReplies(ctx context.Context, threadID int64, limit int) ([]Outgoing, error) {
	return s.queryOutgoing(ctx, fmt.Sprintf("replies in thread %d", threadID), `SELECT `+outgoingColumns+` FROM outbox
		WHERE thread_id = ? AND substr(kind, 1, ?) != ? ORDER BY id DESC LIMIT ?`,
		threadID, len(staffKindPrefix), staffKindPrefix, limit)
}

// OutboxCounts counts the outbox rows per delivery state.
func (s *DB) OutboxCounts(ctx context.Context) (map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT status, count(*) FROM outbox GROUP BY status`)
	if err != nil {
		return nil, fmt.Errorf("count outbox: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var status string
		var n int
		if err := rows.Scan(&status, &n); err != nil {
			return nil, fmt.Errorf("count outbox: %w", err)
		}
		out[status] = n
	}
	return out, rows.Err()
}

// Claim takes a pending outbox row for holder before it is sent, in a committed
// write: a row another holder claimed is not sent (false), and a state that cannot
// record the claim sends nothing. MarkAttempt releases the claim after a failure;
// after the server's acceptance MarkSent records it. With a fence in ctx
// (WithFence: the lease of the row's mailbox) only the lease's holder claims.
func (s *DB) Claim(ctx context.Context, id int64, holder string, at time.Time) (bool, error) {
	var claimed bool
	err := s.inTx(ctx, func(tx txn) error {
		if err := checkFence(ctx, tx); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET claimed_by = ?, claimed_at = ? WHERE id = ? AND status = ? AND claimed_by IN ('', ?)`,
			holder, unix(at), id, OutboxPending, holder)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		claimed = n == 1
		return err
	})
	if err != nil {
		return false, fmt.Errorf("claim mail %d: %w", id, err)
	}
	return claimed, nil
}

// ReleaseClaims frees the rows a holder other than holder claimed and did not
// finish: on a state only one daemon opens, those are a run that ended (killed, or
// the machine went down) between claiming and recording. Each may or may not have
// been delivered; it is sent again (the one window a crash can double). It returns
// how many there were.
func (s *DB) ReleaseClaims(ctx context.Context, holder string) (int, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE outbox SET claimed_by = '' WHERE status = ? AND claimed_by NOT IN ('', ?)`, OutboxPending, holder)
	if err != nil {
		return 0, fmt.Errorf("release claims: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// ReleaseMailboxClaims is ReleaseClaims for the rows sent from one store mailbox,
// for an instance that has just taken that mailbox's lease over: the claims of
// other holders there are an instance's that stopped holding it (killed, cut off)
// between claiming and recording. Those of other mailboxes are other live
// instances' work, and are left alone.
func (s *DB) ReleaseMailboxClaims(ctx context.Context, store, mailbox, holder string) (int, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE outbox SET claimed_by = '' WHERE status = ? AND store = ? AND mailbox = ? AND claimed_by NOT IN ('', ?)`,
		OutboxPending, store, mailbox, holder)
	if err != nil {
		return 0, fmt.Errorf("release claims of %s: %w", mailbox, err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// MarkSent records that the SMTP server accepted the mail; its copy for the Sent
// folder is then owed (see UnfiledOutgoing, MarkFiled).
func (s *DB) MarkSent(ctx context.Context, id int64, at time.Time) error {
	err := s.inTx(ctx, func(tx txn) error {
		if err := setStatus(ctx, tx, id, OutboxSent, at); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO outbox_copies (outbox_id) VALUES (?) ON CONFLICT DO NOTHING`, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("mark mail %d sent: %w", id, err)
	}
	return nil
}

// MarkDrafted records that the mail was placed in the store's Drafts folder.
func (s *DB) MarkDrafted(ctx context.Context, id int64, at time.Time) error {
	if err := setStatus(ctx, s.db, id, OutboxDrafted, at); err != nil {
		return fmt.Errorf("mark mail %d drafted: %w", id, err)
	}
	return nil
}

// Drafted reports whether the mail messageID waits in the store's Drafts folder
// for a person to send it (draft mode).
func (s *DB) Drafted(ctx context.Context, messageID string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE message_id = ? AND status = ?`, messageID, OutboxDrafted).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("look up draft %s: %w", messageID, err)
	}
	return n > 0, nil
}

// DraftsFor returns the drafts of store that are, or answer, one of ids: the
// draft itself (a client that kept its Message-ID when sending it) or a draft
// replying to the same customer mail.
func (s *DB) DraftsFor(ctx context.Context, store string, ids []string) ([]Outgoing, error) {
	var out []Outgoing
	for _, id := range ids {
		found, err := s.queryOutgoing(ctx, "drafts", `SELECT `+outgoingColumns+` FROM outbox
			WHERE store = ? AND status = ? AND (message_id = ? OR source_id = ?)`, store, OutboxDrafted, id, id)
		if err != nil {
			return nil, err
		}
		for _, o := range found {
			if !slices.ContainsFunc(out, func(x Outgoing) bool { return x.ID == o.ID }) {
				out = append(out, o)
			}
		}
	}
	return out, nil
}

// MarkDraftSent records that a person sent the draft o (it appeared in Sent at
// `at`): it is sent, and a RAN it carries counts as issued from then on, so its
// reminders and ship-by day start when the customer got it. Only the call that
// finds the draft still a draft moves the RAN's day: a second look at the same
// sent copy (another worker, a restart) leaves it.
func (s *DB) MarkDraftSent(ctx context.Context, o Outgoing, at time.Time) error {
	err := s.inTx(ctx, func(tx txn) error {
		// The UPDATE's own WHERE decides, under the row's lock: two callers at once
		// cannot both see a draft.
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET status = ?, sent_at = ? WHERE id = ? AND status = ?`,
			OutboxSent, unix(at), o.ID, OutboxDrafted)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE cases SET authorized_at = ?, version = version + 1 WHERE ran_message_id = ? AND ran != ''`, unix(at), o.MessageID)
		return err
	})
	if err != nil {
		return fmt.Errorf("mark draft %s sent: %w", o.MessageID, err)
	}
	return nil
}

func setStatus(ctx context.Context, db querier, id int64, status string, at time.Time) error {
	res, err := db.ExecContext(ctx, `UPDATE outbox SET status = ?, sent_at = ?, attempts = attempts + 1, last_error = '' WHERE id = ?`,
		status, unix(at), id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("outbox row %d: %w", id, ErrNotFound)
	}
	return nil
}

// MarkFiled records that the copy of a sent mail is in the store's Sent folder, or
// that it never will be (no such folder): either way it is no longer owed.
func (s *DB) MarkFiled(ctx context.Context, id int64, at time.Time) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE outbox_copies SET filed_at = ? WHERE outbox_id = ?`, unix(at), id); err != nil {
		return fmt.Errorf("mark mail %d filed: %w", id, err)
	}
	return nil
}

// MarkAttempt records a failed delivery attempt. A permanent failure ends the
// row's delivery (status failed) and flags its thread for staff in the same
// transaction, so nobody waits for a reply that will never arrive. An escalation
// mail to staff that fails does not flag its thread again: that would only queue
// the same escalation to the same refusing address.
func (s *DB) MarkAttempt(ctx context.Context, id int64, at time.Time, errText string, permanent bool) error {
	status := OutboxPending
	if permanent {
		status = OutboxFailed
	}
	err := s.inTx(ctx, func(tx txn) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET status = ?, attempts = attempts + 1, last_error = ?, claimed_by = '' WHERE id = ?`,
			status, errText, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		if !permanent {
			return nil
		}
		_, err = tx.ExecContext(ctx, `UPDATE threads SET flagged_at = ?, flag_code = ?, escalated_at = 0, version = version + 1
			WHERE id = (SELECT thread_id FROM outbox WHERE id = ? AND kind != 'staff_escalation')`, unix(at), FlagDeliveryFailed, id)
		if err != nil {
			return fmt.Errorf("flag its thread: %w", err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record attempt for mail %d: %w", id, err)
	}
	return nil
}
