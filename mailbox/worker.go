package mailbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/returnsdesk/returnsdesk/state"
)

// worker owns one IMAP connection to one store mailbox: it alone issues commands on
// it, so it needs no lock. The server's news reaches it through news.
type worker struct {
	d   *Daemon
	a   *account
	log *slog.Logger

	// news is signalled when the server says, unasked, that the folder changed: new
	// mail (EXISTS) or flags another client set or cleared (FETCH FLAGS, as IDLE
	// reports them), so a cleared flag is noticed at once, not at the watchdog's turn.
	news chan struct{}
	// announced is when (Unix ns) the server first told of new mail not yet read;
	// set by the client's reading goroutine, taken by the next sync.
	announced atomic.Int64
	// failures counts desk errors per message, so a mail the desk keeps failing on
	// goes to staff instead of blocking the folder.
	failures map[imap.UID]int
	// warnedKeywords: the server's refusal of custom keywords is logged once.
	warnedKeywords bool
}

// maxDeskFailures is how often the desk may fail on one mail before the mail is
// handed to staff.
const maxDeskFailures = 3

func newWorker(d *Daemon, a *account) *worker {
	return &worker{
		d: d, a: a,
		log:      d.log.With("store", a.store, "mailbox", a.address),
		news:     make(chan struct{}, 1),
		failures: map[imap.UID]int{},
	}
}

// run keeps a session open until ctx ends, reconnecting with backoff. On a
// shared state it also ends when a write finds the mailbox's lease lost.
func (w *worker) run(ctx context.Context) {
	b := newBackoff(w.d.timing.minBackoff, w.d.timing.maxBackoff)
	for {
		err := w.safeSession(ctx, b)
		if ctx.Err() != nil || errors.Is(err, state.ErrLeaseLost) {
			return
		}
		delay := b.next()
		if refusedConnection(err) {
			// Nobody listens yet (a restart, a deploy): it will be back in seconds,
			// so do not let the wait grow to minutes.
			delay = min(delay, w.d.timing.refusedMax)
		}
		w.log.Warn("mailbox session ended; reconnecting", "err", err, "delay", delay)
		if !sleep(ctx, delay) {
			return
		}
	}
}

// runLeased works the mailbox once this instance holds its lease (ctx is fenced
// with it): it frees what the mailbox's earlier holder claimed in its outbox and
// left unfinished, has the outbox looked at at once, and watches the folder.
func (w *worker) runLeased(ctx context.Context) {
	w.log.Info("watching the mailbox", "folder", w.a.folder)
	w.d.freeClaims(ctx, w.a, w.log)
	w.d.queued()
	w.d.copyOwed()
	w.run(ctx)
}

// safeSession runs a session; a panic in it (outside the desk, which has its own
// guard) ends the session like a broken connection instead of the daemon.
func (w *worker) safeSession(ctx context.Context, b *backoff) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v\n%s", p, debug.Stack())
		}
		w.d.monitor.connected(w.a, false, err)
	}()
	return w.session(ctx, b)
}

// handler hands the server's unsolicited news to the worker. It runs on the
// client's reader goroutine and must never issue a command or block.
func (w *worker) handler() *imapclient.UnilateralDataHandler {
	signal := func() {
		select {
		case w.news <- struct{}{}:
		default:
		}
	}
	return &imapclient.UnilateralDataHandler{
		Mailbox: func(data *imapclient.UnilateralDataMailbox) {
			if data.NumMessages != nil {
				w.announced.CompareAndSwap(0, time.Now().UnixNano())
				signal()
			}
		},
		// The client runs this on a goroutine of its own and needs the data read.
		Fetch: func(msg *imapclient.FetchMessageData) {
			for item := msg.Next(); item != nil; item = msg.Next() {
				if _, ok := item.(imapclient.FetchItemDataFlags); ok {
					signal()
				}
			}
		},
	}
}

// session connects, reads what is new and then waits for more, until the
// connection fails (an error) or ctx ends (nil).
func (w *worker) session(ctx context.Context, b *backoff) error {
	c, err := w.d.dialIMAP(ctx, w.a, w.handler())
	if err != nil {
		return err
	}
	defer w.d.logout(c)
	f, err := w.open(ctx, c)
	if err != nil {
		return err
	}
	w.d.monitor.connected(w.a, true, nil)
	if err := w.sync(ctx, c, f); err != nil {
		return err
	}
	w.d.monitor.didSync(ctx, w.a)
	if err := w.noticeClearedFlags(ctx, c, f); err != nil {
		return err
	}
	b.reset()
	var lastSent time.Time // the Sent folder is read every timing.sentCheck
	idle := w.d.timing.useIdle && c.Caps().Has(imap.CapIdle)
	for ctx.Err() == nil {
		if idle {
			err = w.idle(ctx, c)
		} else {
			err = w.poll(ctx, c)
		}
		if err != nil {
			return err
		}
		if ctx.Err() != nil {
			break
		}
		if err := w.sync(ctx, c, f); err != nil {
			return err
		}
		w.d.monitor.didSync(ctx, w.a)
		if err := w.noticeClearedFlags(ctx, c, f); err != nil {
			return err
		}
		if time.Since(lastSent) >= w.d.timing.sentCheck {
			lastSent = time.Now()
			if err := w.noticeStaffReplies(ctx, c); err != nil {
				return err
			}
			if f, err = w.open(ctx, c); err != nil {
				return err
			}
			// Mail that arrived while Sent was selected was announced to nobody: read
			// it now, or it would wait for the watchdog.
			if err := w.sync(ctx, c, f); err != nil {
				return err
			}
		}
	}
	return nil
}

// idle waits in IDLE for new mail, ctx's end or the watchdog's turn, then leaves
// IDLE so the worker may speak again.
func (w *worker) idle(ctx context.Context, c *imapclient.Client) error {
	cmd, err := guard(c, w.d.timing.op, c.Idle)
	if err != nil {
		return fmt.Errorf("start IDLE: %w", err)
	}
	timer := time.NewTimer(w.d.timing.watchdog)
	defer timer.Stop()
	check := false
	select {
	case <-ctx.Done():
	case <-w.news:
	case <-timer.C:
		check = true
	case <-c.Closed():
		return errors.New("the server closed the connection")
	}
	// A live server ends IDLE at once; one that does not answer within the
	// liveness time is dead or hung.
	err = guardErr(c, w.d.timing.live, func() error {
		if err := cmd.Close(); err != nil {
			return err
		}
		return cmd.Wait()
	})
	if err != nil {
		return fmt.Errorf("stop IDLE: %w", err)
	}
	if check {
		return w.noop(c)
	}
	return nil
}

// poll waits one poll interval, then asks the server for news with NOOP.
func (w *worker) poll(ctx context.Context, c *imapclient.Client) error {
	timer := time.NewTimer(w.d.timing.poll)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return nil
	case <-w.news:
	case <-timer.C:
	case <-c.Closed():
		return errors.New("the server closed the connection")
	}
	return w.noop(c)
}

// refusedConnection reports whether err is a server's port refusing the connection.
func refusedConnection(err error) bool {
	return errors.Is(err, syscall.ECONNREFUSED)
}

// noop is the watchdog's question: a connection that cannot answer it within the
// liveness time is closed.
func (w *worker) noop(c *imapclient.Client) error {
	if err := guardErr(c, w.d.timing.live, c.Noop().Wait); err != nil {
		return fmt.Errorf("NOOP: %w", err)
	}
	return nil
}
