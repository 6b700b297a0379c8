package mailbox

import (
	"context"
	"fmt"
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// noticeClearedFlags finds the flagged messages whose \Flagged staff cleared in their
// mail client (the review keyword stays, \Flagged is gone): each such thread is
// handled by a person from now on, and the desk stays silent in it until staff hand it
// back. The keyword is removed once the desk has recorded that, so every clearing is
// noticed once.
func (w *worker) noticeClearedFlags(ctx context.Context, c *imapclient.Client, f *folder) error {
	if !f.flaggedOK {
		return nil
	}
	kw := imap.Flag(w.d.flaggedKeyword)
	data, err := guard(c, w.d.timing.op, c.UIDSearch(&imap.SearchCriteria{Flag: []imap.Flag{kw}, NotFlag: []imap.Flag{imap.FlagFlagged}}, nil).Wait)
	if err != nil {
		if refused(err) {
			return nil
		}
		return fmt.Errorf("search cleared flags: %w", err)
	}
	uids := data.AllUIDs()
	if len(uids) == 0 {
		return nil
	}
	set := imap.UIDSetNum(uids...)
	msgs, err := guard(c, w.d.timing.op, c.Fetch(set, &imap.FetchOptions{UID: true, Envelope: true}).Collect)
	if err != nil {
		return fmt.Errorf("fetch cleared flags: %w", err)
	}
	for _, m := range msgs {
		if m.Envelope == nil || m.Envelope.MessageID == "" {
			continue
		}
		id := strings.Trim(m.Envelope.MessageID, "<>")
		if err := w.d.desk.MarkHandled(ctx, id, "flag cleared in "+w.a.address); err != nil {
			return fmt.Errorf("thread of %s handled: %w", id, err)
		}
		w.log.Info("flag cleared: the thread is handled by staff", "message_id", id, "uid", m.UID)
	}
	store := c.Store(set, &imap.StoreFlags{Op: imap.StoreFlagsDel, Silent: true, Flags: []imap.Flag{kw}}, nil)
	if err := guardErr(c, w.d.timing.op, store.Close); err != nil && !refused(err) {
		return fmt.Errorf("unmark cleared flags: %w", err)
	}
	return nil
}
