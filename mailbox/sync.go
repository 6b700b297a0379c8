package mailbox

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"slices"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/returnsdesk/returnsdesk/desk"
	"github.com/returnsdesk/returnsdesk/state"
)

// newMessage is what the worker learns about a message before reading it.
type newMessage struct {
	uid          imap.UID
	flags        []imap.Flag
	internalDate time.Time
	size         int64
}

// outcome is what became of one message, for the mailbox marks and the log.
type outcome struct {
	messageID, order, action, code string
	recordedID                     string // the Message-ID the desk recorded (one is made up when absent)
	flagged                        bool
	queued                         bool // a reply went into the outbox
}

// errVanished: the message was expunged between listing and reading it.
var errVanished = errors.New("message no longer in the folder")

// sync handles every message after the cursor, oldest first.
func (w *worker) sync(ctx context.Context, c *imapclient.Client, f *folder) error {
	// The reply latency runs from the server's news of new mail, or from this read.
	learned := time.Now()
	if at := w.announced.Swap(0); at != 0 {
		learned = time.Unix(0, at)
	}
	msgs, err := w.listNew(c, f)
	if err != nil {
		return err
	}
	marks := &pendingMarks{}
	for _, m := range msgs {
		if ctx.Err() != nil {
			break
		}
		if err := w.handle(ctx, c, f, m, marks, learned); err != nil {
			return err
		}
		if len(marks.uids) >= marksBatch {
			if err := w.flushMarks(ctx, c, f, marks); err != nil {
				return err
			}
		}
	}
	return w.flushMarks(context.WithoutCancel(ctx), c, f, marks)
}

// marksBatch is how many handled messages share one STORE and one cursor commit.
const marksBatch = 50

// pendingMarks are messages decided and recorded whose processed keyword is not yet
// on the server, and the cursor position past them. A crash before the flush reads
// them again: the desk knows their Message-IDs and marks them as it decided then.
type pendingMarks struct {
	uids []imap.UID // to get the processed keyword
	last imap.UID   // the cursor moves past this
}

// flushMarks marks the pending messages in one STORE and moves the cursor once.
func (w *worker) flushMarks(ctx context.Context, c *imapclient.Client, f *folder, marks *pendingMarks) error {
	if marks.last == 0 {
		return nil
	}
	if len(marks.uids) > 0 && f.processedOK {
		err := w.addFlags(c, imap.UIDSetNum(marks.uids...), []imap.Flag{imap.Flag(w.d.processedKeyword)}, w.log)
		if err != nil {
			return fmt.Errorf("mark %d messages: %w", len(marks.uids), err)
		}
	}
	if err := w.advance(ctx, f, marks.last); err != nil {
		return err
	}
	*marks = pendingMarks{}
	return nil
}

// listNew fetches the metadata of the messages after the cursor.
func (w *worker) listNew(c *imapclient.Client, f *folder) ([]newMessage, error) {
	// Stop 0 is "*". "n:*" also matches the last message when n is beyond it, so the
	// answer is filtered below.
	set := imap.UIDSet{{Start: f.lastUID + 1, Stop: 0}}
	cmd := c.Fetch(set, &imap.FetchOptions{UID: true, Flags: true, InternalDate: true, RFC822Size: true})
	bufs, err := guard(c, w.d.timing.fetch, cmd.Collect) // Collect drains and closes the command
	if err != nil {
		return nil, fmt.Errorf("list new messages in %s: %w", w.a.folder, err)
	}
	var out []newMessage
	for _, b := range bufs {
		if b.UID > f.lastUID {
			out = append(out, newMessage{uid: b.UID, flags: b.Flags, internalDate: b.InternalDate, size: b.RFC822Size})
		}
	}
	slices.SortFunc(out, func(a, b newMessage) int { return cmp.Compare(a.uid, b.uid) })
	return out, nil
}

// handle takes one message through the desk and marks it. An error means the
// connection (or the state) failed and the session must start again; the message
// is then read again, and the desk's Message-ID memory keeps it from being answered
// twice.
func (w *worker) handle(ctx context.Context, c *imapclient.Client, f *folder, m newMessage, marks *pendingMarks, learned time.Time) error {
	log := w.log.With("uid", uint32(m.uid))
	if hasFlag(m.flags, w.d.processedKeyword) {
		marks.last = m.uid
		return nil
	}
	if hasFlag(m.flags, string(imap.FlagDeleted)) {
		// Someone deleted it before the desk saw it: not for answering.
		log.Debug("skipping a message marked \\Deleted")
		marks.last = m.uid
		return nil
	}
	// Nothing is decided that could not be recorded.
	if err := w.d.storage.wait(ctx); err != nil {
		return err
	}
	// A large mail waits for the others' bodies to be done with (memory stays flat).
	held, err := w.d.bodies.acquire(ctx, m.size)
	if err != nil {
		return err
	}
	defer w.d.bodies.release(held)
	// The message in hand is finished even when the daemon is asked to stop.
	mctx := context.WithoutCancel(ctx)
	raw, headerOnly, err := w.fetchBody(c, m)
	if errors.Is(err, errVanished) {
		log.Info("message vanished before it was read")
		marks.last = m.uid
		return nil
	}
	if err != nil {
		return err
	}
	w.d.monitor.fetched.WithLabelValues(w.a.store, w.a.address).Inc()
	var o outcome
	if headerOnly {
		log.Warn("mail larger than the limit: referred to staff unread", "size", m.size)
		o, err = w.process(mctx, func() (*desk.Result, error) {
			return w.d.desk().ProcessOversized(mctx, raw, m.size, m.internalDate)
		}, log)
	} else {
		o, err = w.process(mctx, func() (*desk.Result, error) {
			return w.d.desk().Process(mctx, raw, m.internalDate)
		}, log)
	}
	if o.queued {
		w.d.monitor.awaitsReply(o.recordedID, learned)
		w.d.queued()
	}
	if w.d.storage.trouble(err) || errors.Is(err, state.ErrLeaseLost) {
		// The state failed, not the mail, or the mailbox is another instance's now:
		// read it again once the state is mended (or leave it to that instance),
		// without counting it against the mail.
		return fmt.Errorf("process uid %d: %w", m.uid, err)
	}
	if err != nil {
		w.failures[m.uid]++
		if w.failures[m.uid] < maxDeskFailures {
			return fmt.Errorf("process uid %d: %w", m.uid, err)
		}
		log.Error("the desk failed on this message again and again: flagged for staff", "err", err)
		o = outcome{flagged: true, action: "escalate", code: "desk_failed"}
	}
	delete(w.failures, m.uid)
	if o.flagged {
		// A thread for staff is marked at once, with everything it needs, and in
		// order: the messages before it first.
		if err := w.flushMarks(mctx, c, f, marks); err != nil {
			return err
		}
		if err := w.mark(c, f, m.uid, o, log); err != nil {
			return err
		}
		if err := w.advance(mctx, f, m.uid); err != nil {
			return err
		}
	} else {
		marks.uids = append(marks.uids, m.uid)
		marks.last = m.uid
	}
	if o.action != "" {
		w.d.monitor.decided.WithLabelValues(w.a.store, o.action, o.code).Inc()
	}
	log.Info("message handled", "message_id", o.messageID, "order", o.order, "action", o.action, "code", o.code)
	return nil
}

// fetchBody reads the whole message, or only its header when it is larger than the
// configured limit. \Seen is never set (BODY.PEEK).
func (w *worker) fetchBody(c *imapclient.Client, m newMessage) (raw []byte, headerOnly bool, err error) {
	section := &imap.FetchItemBodySection{Peek: true}
	if m.size > w.d.maxMessageBytes {
		section.Specifier = imap.PartSpecifierHeader
		headerOnly = true
	}
	cmd := c.Fetch(imap.UIDSetNum(m.uid), &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{section}})
	found := false
	err = guardErr(c, w.d.timing.fetch, func() error {
		for msg := cmd.Next(); msg != nil; msg = cmd.Next() {
			var uid imap.UID
			var body []byte
			for item := msg.Next(); item != nil; item = msg.Next() {
				switch it := item.(type) {
				case imapclient.FetchItemDataUID:
					uid = it.UID
				case imapclient.FetchItemDataBodySection:
					if it.Literal == nil {
						continue
					}
					// Read into a buffer of the literal's size at once: a mail of
					// 20 MiB then costs 20 MiB, not the doublings of a growing one
					// (a bytes.Buffer grown to the size still doubles when it looks
					// for more at the end).
					body = make([]byte, it.Literal.Size())
					if _, err := io.ReadFull(it.Literal, body); err != nil {
						return err
					}
				}
			}
			if uid == m.uid && body != nil {
				raw, found = body, true
			}
		}
		return cmd.Close()
	})
	if err != nil {
		return nil, false, fmt.Errorf("fetch uid %d: %w", m.uid, err)
	}
	if !found {
		return nil, false, errVanished
	}
	return raw, headerOnly, nil
}

// process hands one mail to the desk. A panic costs this one mail, which goes to
// staff; the worker carries on.
func (w *worker) process(ctx context.Context, decide func() (*desk.Result, error), log *slog.Logger) (o outcome, err error) {
	defer func() {
		if p := recover(); p != nil {
			log.Error("panic while processing a message: flagged for staff", "err", fmt.Errorf("%v\n%s", p, debug.Stack()))
			o, err = outcome{flagged: true, action: "escalate", code: "desk_failed"}, nil
		}
	}()
	res, err := decide()
	if err != nil {
		return outcome{}, err
	}
	o = outcome{messageID: res.MessageID, recordedID: res.RecordedID, order: res.Order, action: res.Action, code: res.Code, flagged: res.Flagged,
		queued: res.Outgoing != nil}
	if res.Action == "ignore" && res.Code == "duplicate" {
		// Seen before: perhaps by this worker before a crash that left the mailbox
		// unmarked. The marks follow the original decision.
		orig, err := w.d.db.MessageByID(ctx, res.RecordedID)
		switch {
		case err == nil:
			o.flagged = orig.Flagged
		case !errors.Is(err, state.ErrNotFound):
			return o, err
		}
	}
	return o, nil
}

// advance moves the cursor past uid.
func (w *worker) advance(ctx context.Context, f *folder, uid imap.UID) error {
	if err := w.d.db.SetCursor(ctx, w.a.key, f.uidValidity, uint32(uid)); err != nil {
		w.d.storage.trouble(err)
		return err
	}
	f.lastUID = uid
	return nil
}
