package mailbox

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// mark records the outcome on the message: the processed keyword, and for a thread
// staff must see \Flagged, the flagged keyword and a move to the review folder. A
// refusal by the server (NO) is logged and the worker carries on: the state already
// holds the decision. A broken connection is returned.
func (w *worker) mark(c *imapclient.Client, f *folder, uid imap.UID, o outcome, log *slog.Logger) error {
	var flags []imap.Flag
	if f.processedOK {
		flags = append(flags, imap.Flag(w.d.processedKeyword))
	}
	if o.flagged {
		flags = append(flags, imap.FlagFlagged)
		if f.flaggedOK {
			flags = append(flags, imap.Flag(w.d.flaggedKeyword))
		}
	}
	set := imap.UIDSetNum(uid)
	if err := w.addFlags(c, set, flags, log); err != nil {
		return fmt.Errorf("mark uid %d: %w", uid, err)
	}
	review := w.a.imap.Review
	if !o.flagged || review == "" || strings.EqualFold(review, w.a.folder) {
		return nil
	}
	// Without MOVE, go-imap copies, marks \Deleted and expunges this UID.
	if _, err := guard(c, w.d.timing.op, c.Move(set, review).Wait); err != nil {
		if !refused(err) {
			return fmt.Errorf("move uid %d to %s: %w", uid, review, err)
		}
		log.Error("could not move the message for review; it stays flagged in place", "folder", review, "err", err)
	}
	return nil
}

// addFlags adds flags to the messages of set. A refusal by the server is logged and
// passed over (the state holds the decision); a broken connection is returned.
func (w *worker) addFlags(c *imapclient.Client, set imap.UIDSet, flags []imap.Flag, log *slog.Logger) error {
	if len(flags) == 0 {
		return nil
	}
	store := c.Store(set, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: flags}, nil)
	if err := guardErr(c, w.d.timing.op, store.Close); err != nil {
		if !refused(err) {
			return err
		}
		log.Error("the server refused to mark the message", "uids", set.String(), "err", err)
	}
	return nil
}

// refused reports whether the server answered NO or BAD: the connection is fine.
func refused(err error) bool {
	var ierr *imap.Error
	return errors.As(err, &ierr)
}
