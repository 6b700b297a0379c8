package mailbox

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-message/textproto"

	"github.com/returnsdesk/returnsdesk/parser"
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
		if err := w.d.desk().MarkHandled(ctx, id, "flag cleared in "+w.a.address); err != nil {
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

// sentCheckEvery is how often the Sent folder is read for staff replies.
const sentCheckEvery = time.Minute

// noticeStaffReplies reads what arrived in the account's Sent folder since last time:
// a mail the desk did not write there (not in its outbox) that answers a customer's
// thread is a person answering from the support mailbox itself, and the thread is
// theirs from now on. It leaves the watched folder selected again.
func (w *worker) noticeStaffReplies(ctx context.Context, c *imapclient.Client) (err error) {
	name := w.a.imap.Sent
	if name == "" {
		if name, err = w.d.specialFolder(c, imap.MailboxAttrSent); err != nil {
			if refused(err) {
				return nil
			}
			return err
		}
	}
	if name == "" || strings.EqualFold(name, w.a.folder) {
		return nil
	}
	sel, err := guard(c, w.d.timing.op, c.Select(name, &imap.SelectOptions{ReadOnly: true}).Wait)
	if err != nil {
		if refused(err) {
			return nil
		}
		return fmt.Errorf("examine %s: %w", name, err)
	}
	key := w.a.key + "#sent-staff"
	v, last, err := w.d.db.Cursor(ctx, key)
	if err != nil {
		return err
	}
	if v != sel.UIDValidity {
		// First look (or the folder was renumbered): from now on, not the history. A
		// server that does not say UIDNEXT gets its history read once.
		start := uint32(0)
		if sel.UIDNext > 0 {
			start = uint32(sel.UIDNext) - 1
		}
		return w.d.db.SetCursor(ctx, key, sel.UIDValidity, start)
	}
	if sel.UIDNext != 0 && uint32(sel.UIDNext)-1 <= last {
		return nil
	}
	section := &imap.FetchItemBodySection{Specifier: imap.PartSpecifierHeader, Peek: true,
		HeaderFields: []string{"Message-Id", "In-Reply-To", "References", "From", "X-Returnsdesk-Store"}}
	msgs, err := guard(c, w.d.timing.op, c.Fetch(imap.UIDSet{{Start: imap.UID(last + 1), Stop: 0}},
		&imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{section}}).Collect)
	if err != nil {
		return fmt.Errorf("fetch %s: %w", name, err)
	}
	top := last
	for _, m := range msgs {
		if uint32(m.UID) <= last {
			continue // "n:*" also matches the last message
		}
		top = max(top, uint32(m.UID))
		h, err := textproto.ReadHeader(bufio.NewReader(bytes.NewReader(m.FindBodySection(section))))
		if err != nil {
			continue // nothing readable
		}
		id := strings.Trim(strings.TrimSpace(h.Get("Message-Id")), "<>")
		refs := parser.MessageIDs(h.Get("In-Reply-To") + " " + h.Get("References"))
		ours := h.Get("X-Returnsdesk-Store") != ""
		sentDraft, err := w.noticeSentDraft(ctx, c, m.UID, id, refs, ours)
		if err != nil {
			return err
		}
		if sentDraft || ours {
			continue // the desk's own reply, or its draft sent by a person
		}
		if id != "" {
			if seen, err := w.d.db.Seen(ctx, id); err != nil || seen {
				continue
			}
		}
		if len(refs) == 0 {
			continue
		}
		by := strings.TrimSpace(h.Get("From"))
		if err := w.d.desk().MarkHandledByReply(ctx, w.a.store, refs, "reply in Sent from "+by); err != nil {
			return err
		}
	}
	return w.d.db.SetCursor(ctx, key, sel.UIDValidity, top)
}

// noticeSentDraft recognises, in Sent, a draft of the desk's that a person sent
// (draft mode): the draft itself (its Message-ID kept), or a mail answering the same
// customer mail as a waiting draft, which is that draft, perhaps edited, unless it
// drops the draft's RAN: then the person wrote their own answer, the RAN was never
// given, and the mail is a reply like any other. A recognised draft counts as sent
// from now on (its RAN as issued) and does not take the thread over.
func (w *worker) noticeSentDraft(ctx context.Context, c *imapclient.Client, uid imap.UID, id string, refs []string, ours bool) (bool, error) {
	ids := refs
	if id != "" {
		ids = append([]string{id}, refs...)
	}
	if len(ids) == 0 {
		return false, nil
	}
	drafts, err := w.d.db.DraftsFor(ctx, w.a.store, ids)
	if err != nil || len(drafts) == 0 {
		return false, err
	}
	var text string
	for _, o := range drafts {
		if o.MessageID != id && !ours {
			ran, err := w.d.db.RANOfMessage(ctx, o.MessageID)
			if err != nil {
				return false, err
			}
			if ran != "" {
				if text == "" {
					if text, err = w.sentText(c, uid); err != nil {
						return false, err
					}
				}
				if !strings.Contains(text, ran) {
					continue
				}
			}
		}
		if err := w.d.db.MarkDraftSent(ctx, o, w.d.now()); err != nil {
			return false, err
		}
		w.log.Info("a person sent the desk's draft", "message_id", o.MessageID, "kind", o.Kind)
		return true, nil
	}
	return false, nil
}

// sentText is the readable text of the Sent mail uid (the folder is selected).
func (w *worker) sentText(c *imapclient.Client, uid imap.UID) (string, error) {
	section := &imap.FetchItemBodySection{Peek: true}
	msgs, err := guard(c, w.d.timing.op, c.Fetch(imap.UIDSetNum(uid), &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{section}}).Collect)
	if err != nil {
		return "", fmt.Errorf("fetch sent uid %d: %w", uid, err)
	}
	if len(msgs) == 0 {
		return "", nil
	}
	msg, _ := parser.ParseBytes(msgs[0].FindBodySection(section), parser.DefaultOptions())
	return msg.Text, nil
}
