package mailbox

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// folder is the selected folder as the worker knows it.
type folder struct {
	uidValidity uint32
	lastUID     imap.UID // every message up to here is handled
	// The server keeps these keywords; when not, the cursor and the desk's
	// Message-ID memory alone prevent a second answer.
	processedOK, flaggedOK bool
}

// open selects the watched folder and reconciles it with the stored cursor.
func (w *worker) open(ctx context.Context, c *imapclient.Client) (*folder, error) {
	sel, err := guard(c, w.d.timing.op, c.Select(w.a.folder, nil).Wait)
	if err != nil {
		return nil, fmt.Errorf("select %s: %w", w.a.folder, err)
	}
	f := &folder{
		uidValidity: sel.UIDValidity,
		processedOK: keywordAllowed(sel.PermanentFlags, w.d.processedKeyword),
		flaggedOK:   w.d.flaggedKeyword != "" && keywordAllowed(sel.PermanentFlags, w.d.flaggedKeyword),
	}
	if !f.processedOK && !w.warnedKeywords {
		w.warnedKeywords = true
		w.log.Warn("the server does not keep custom keywords in this folder: marking flagged mail with \\Flagged only; the state remembers what was answered",
			"folder", w.a.folder)
	}
	v, last, err := w.d.db.Cursor(ctx, w.a.key)
	if err != nil {
		return nil, err
	}
	if v != sel.UIDValidity {
		if v != 0 {
			// The server renumbered the folder: read it all again. The processed
			// keyword and the desk's Message-ID memory keep anything from being
			// answered twice.
			w.log.Warn("UIDVALIDITY changed: reading the whole folder again", "folder", w.a.folder)
		}
		last = 0
		if v == 0 {
			if last, err = w.firstStart(c, sel); err != nil {
				return nil, err
			}
		}
		if err := w.d.db.SetCursor(ctx, w.a.key, sel.UIDValidity, last); err != nil {
			return nil, err
		}
	}
	f.lastUID = imap.UID(last)
	return f, nil
}

// keywordAllowed reports whether the server keeps kw on messages of the folder. A
// server that announces no PERMANENTFLAGS keeps every flag (RFC 9051 7.1).
func keywordAllowed(permanent []imap.Flag, kw string) bool {
	if len(permanent) == 0 {
		return true
	}
	for _, f := range permanent {
		if f == imap.FlagWildcard || strings.EqualFold(string(f), kw) {
			return true
		}
	}
	return false
}

// hasFlag compares case-insensitively: keywords are case-insensitive in IMAP and
// some servers store them lower-cased.
func hasFlag(flags []imap.Flag, want string) bool {
	for _, f := range flags {
		if strings.EqualFold(string(f), want) {
			return true
		}
	}
	return false
}

// firstStart picks where a mailbox never seen before starts: after the mail older
// than the configured backlog, so pointing the desk at a store's existing inbox does
// not answer years of old mail. It returns the last UID to leave alone.
func (w *worker) firstStart(c *imapclient.Client, sel *imap.SelectData) (uint32, error) {
	backlog := w.d.cfg.Daemon.FirstStartBacklog.Duration
	if backlog <= 0 || sel.NumMessages == 0 {
		return 0, nil
	}
	since := w.d.now().Add(-backlog)
	data, err := guard(c, w.d.timing.op, c.UIDSearch(&imap.SearchCriteria{Since: since}, nil).Wait)
	if err != nil {
		return 0, fmt.Errorf("search %s for recent mail: %w", w.a.folder, err)
	}
	last := uint32(sel.UIDNext) - 1
	if uids := data.AllUIDs(); len(uids) > 0 {
		last = uint32(slices.Min(uids)) - 1
	}
	if last > 0 {
		w.log.Info("first start on this mailbox: older mail is left to staff", "folder", w.a.folder,
			"since", since.Format(time.RFC3339), "uid", last)
	}
	return last, nil
}
