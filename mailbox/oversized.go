package mailbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/returnsdesk/returnsdesk/parser"
	"github.com/returnsdesk/returnsdesk/state"
)

// escalateOversized handles a mail larger than the configured limit from its header
// alone: it is recorded as escalated for staff (thread flagged, so the scheduled
// staff escalation follows) and nothing is answered automatically, because the desk
// cannot judge a mail it has not read. The mail itself stays in the mailbox.
//
// The desk's Process would answer such a header as if it were the whole mail (the
// subject alone can look like a complete return request), so this path records the
// escalation itself through the state.
func (w *worker) escalateOversized(ctx context.Context, header []byte, m newMessage, log *slog.Logger) (outcome, error) {
	msg, _ := parser.Parse(bytes.NewReader(header), parser.DefaultOptions())
	id := recordedID(msg.MessageID, header)
	o := outcome{messageID: msg.MessageID, action: "escalate", code: "too_large", flagged: true}
	db := w.d.db
	seen, err := db.Seen(ctx, id)
	if err != nil {
		return o, err
	}
	if seen {
		orig, err := db.MessageByID(ctx, id)
		if err != nil {
			return o, err
		}
		o.action, o.code, o.flagged = "ignore", "duplicate", orig.Flagged
		return o, nil
	}
	at := m.internalDate
	if at.IsZero() {
		at = msg.Date
	}
	if at.IsZero() {
		at = w.d.now()
	}
	refs := append(append([]string{}, msg.References...), msg.InReplyTo...)
	t, err := db.ThreadFor(ctx, w.a.store, refs)
	if errors.Is(err, state.ErrNotFound) {
		t = state.Thread{Store: w.a.store, Customer: strings.ToLower(msg.From.Address), CustomerName: msg.From.Name,
			Subject: msg.Subject, Language: msg.Language}
	} else if err != nil {
		return o, err
	}
	// A new flag: the staff escalation job owes one more mail for it.
	t.FlaggedAt, t.FlagCode, t.EscalatedAt, t.LastInAt = at, "needs_review", time.Time{}, at
	if msg.MessageID != "" {
		t.LastMessageID = msg.MessageID
		t.References = append(refs, msg.MessageID)
	}
	rec := state.Message{MessageID: id, Store: w.a.store, Direction: "in", Sender: msg.From.Address, At: at,
		Action: "escalate", Code: "needs_review", Flagged: true}
	if _, err := db.Record(ctx, state.Outcome{Message: rec, Thread: &t}); err != nil {
		return o, fmt.Errorf("record oversized mail: %w", err)
	}
	log.Warn("mail larger than the limit: escalated to staff unread", "message_id", msg.MessageID, "action", "escalate")
	return o, nil
}
