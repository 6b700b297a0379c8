package mailbox

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/returnsdesk/returnsdesk/config"
	"github.com/returnsdesk/returnsdesk/state"
)

// dispatchBatch is how many outbox rows one query takes.
const dispatchBatch = 100

// dispatcher delivers the outbox: it is the only sender, so no mail goes out twice
// from one daemon. It runs a round when woken (a reply was queued), when its retry
// backoff ends, and otherwise every poll interval.
type dispatcher struct {
	d      *Daemon
	log    *slog.Logger
	warned map[string]bool // problems logged once, not once per round
}

func newDispatcher(d *Daemon) *dispatcher {
	return &dispatcher{d: d, log: d.log, warned: map[string]bool{}}
}

func (p *dispatcher) run(ctx context.Context) {
	b := newBackoff(p.d.timing.minBackoff, p.d.timing.maxBackoff)
	for {
		retry := p.round(ctx)
		if ctx.Err() != nil {
			return
		}
		if retry {
			// Something failed for now: wait out the backoff even if more mail is
			// queued meanwhile, so a dead server is not hammered.
			if !sleep(ctx, b.next()) {
				return
			}
			continue
		}
		b.reset()
		t := time.NewTimer(p.d.timing.poll)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-p.d.kick:
		case <-t.C:
		}
		t.Stop()
	}
}

// warnOnce logs a lasting problem the first time it is seen.
func (p *dispatcher) warnOnce(key string, log *slog.Logger, msg string, args ...any) {
	if p.warned[key] {
		return
	}
	p.warned[key] = true
	log.Error(msg, args...)
}

// round delivers what is pending and files the copies owed to Sent. It reports
// whether something must be tried again later.
func (p *dispatcher) round(ctx context.Context) (retry bool) {
	r := &round{p: p, smtp: map[config.SMTP]*smtpSession{}, imap: map[*account]*imapSession{}}
	defer r.close()
	retry = r.deliver(ctx)
	if r.file(ctx) {
		retry = true
	}
	return retry
}

// round holds the connections of one delivery round.
type round struct {
	p    *dispatcher
	smtp map[config.SMTP]*smtpSession
	imap map[*account]*imapSession
}

// imapSession is a connection to a store mailbox for APPENDs, with the special
// folders found on it.
type imapSession struct {
	c       *imapclient.Client
	err     error
	folders map[imap.MailboxAttr]string
}

func (r *round) close() {
	for _, s := range r.smtp {
		if s.c != nil {
			s.close()
		}
	}
	for _, s := range r.imap {
		if s.c != nil {
			r.p.d.logout(s.c)
		}
	}
}

func (r *round) deliver(ctx context.Context) (retry bool) {
	db := r.p.d.db
	for {
		rows, err := db.PendingOutgoing(ctx, dispatchBatch)
		if err != nil {
			if ctx.Err() == nil {
				r.p.log.Error("read the outbox", "err", err)
			}
			return true
		}
		for _, o := range rows {
			if ctx.Err() != nil {
				return false
			}
			// The mail in hand is finished even when the daemon is asked to stop.
			if !r.deliverOne(context.WithoutCancel(ctx), o) {
				retry = true
			}
		}
		if retry || len(rows) < dispatchBatch {
			return retry
		}
	}
}

// deliverOne sends or drafts one mail; false means it is still pending.
func (r *round) deliverOne(ctx context.Context, o state.Outgoing) bool {
	d := r.p.d
	log := r.p.log.With("store", o.Store, "mailbox", o.Mailbox, "message_id", o.MessageID, "action", o.Kind)
	dl, ok := d.deliveries[o.Store]
	if !ok {
		dl = delivery{mode: modeSend, smtp: d.cfg.SMTP}
	}
	var err error
	if dl.mode == modeDraft {
		err = r.draft(ctx, o)
	} else {
		err = r.send(ctx, o, dl.smtp)
	}
	now := d.now()
	var de *deliveryError
	switch {
	case errors.Is(err, errSkipped):
		return false
	case err == nil:
		var merr error
		if dl.mode == modeDraft {
			merr = d.db.MarkDrafted(ctx, o.ID, now)
			log.Info("reply placed in Drafts")
		} else {
			merr = d.db.MarkSent(ctx, o.ID, now)
			log.Info("mail sent")
		}
		if merr != nil {
			// Delivered but not recorded: the next round repeats this mail.
			log.Error("delivered, but the outbox could not record it", "err", merr)
			return false
		}
		return true
	case errors.As(err, &de) && de.permanent:
		if merr := d.db.MarkAttempt(ctx, o.ID, now, err.Error(), true); merr != nil {
			log.Error("record refused mail", "err", merr)
			return false
		}
		log.Error("mail refused for good: the thread is flagged for staff", "err", err)
		return true
	default:
		if merr := d.db.MarkAttempt(ctx, o.ID, now, err.Error(), false); merr != nil {
			log.Error("record failed attempt", "err", merr)
		}
		log.Warn("mail not delivered yet; will retry", "err", err)
		return false
	}
}

// errSkipped: the mail was not tried, because its server already failed in this
// round (the mail that met the failure recorded and logged it).
var errSkipped = errors.New("server unavailable in this round: not tried")

func (r *round) send(ctx context.Context, o state.Outgoing, cfg config.SMTP) error {
	s, ok := r.smtp[cfg]
	if !ok {
		c, err := r.p.d.dialSMTP(ctx, cfg)
		s = &smtpSession{c: c, err: err}
		r.smtp[cfg] = s
		if err != nil {
			return &deliveryError{err: err}
		}
	}
	if s.err != nil {
		return errSkipped
	}
	return s.send(o)
}

// draft places the mail in the store mailbox's Drafts folder, marked \Draft, for a
// person to review and send.
func (r *round) draft(ctx context.Context, o state.Outgoing) error {
	a := accountFor(r.p.d.accounts, o.Store, o.Mailbox)
	if a == nil {
		return &deliveryError{err: errors.New("draft mode, but the store has no IMAP account to keep drafts in")}
	}
	s, fresh := r.imapFor(ctx, a)
	if s.err != nil {
		if !fresh {
			return errSkipped
		}
		return &deliveryError{err: s.err}
	}
	folder, err := r.folder(s, a, imap.MailboxAttrDrafts, a.imap.Drafts)
	if err != nil {
		return &deliveryError{err: err}
	}
	if folder == "" {
		return &deliveryError{err: errors.New("no Drafts folder: set imap.drafts or mark one \\Drafts on the server")}
	}
	if err := r.p.d.appendMessage(s.c, folder, o.Raw, []imap.Flag{imap.FlagDraft, imap.FlagSeen}, r.p.d.now()); err != nil {
		if !refused(err) {
			s.retire(err)
		}
		return &deliveryError{err: err}
	}
	return nil
}

// file appends the copies of sent mail to the store mailbox's Sent folder. A store
// without an IMAP account, or without a Sent folder, gets no copies: logged once.
func (r *round) file(ctx context.Context) (retry bool) {
	d := r.p.d
	rows, err := d.db.UnfiledOutgoing(ctx, dispatchBatch)
	if err != nil {
		if ctx.Err() == nil {
			r.p.log.Error("read the outbox", "err", err)
		}
		return true
	}
	for _, o := range rows {
		if ctx.Err() != nil {
			return false
		}
		ctx := context.WithoutCancel(ctx)
		log := r.p.log.With("store", o.Store, "mailbox", o.Mailbox, "message_id", o.MessageID)
		a := accountFor(d.accounts, o.Store, o.Mailbox)
		if a == nil {
			r.p.warnOnce("noaccount/"+o.Store, log, "no IMAP account for this store: copies of sent mail are not filed in Sent")
			retry = !r.filed(ctx, o, log) || retry
			continue
		}
		s, _ := r.imapFor(ctx, a)
		if s.err != nil {
			retry = true
			continue
		}
		folder, err := r.folder(s, a, imap.MailboxAttrSent, a.imap.Sent)
		if err != nil {
			retry = true
			continue
		}
		if folder == "" {
			r.p.warnOnce("nosent/"+a.key, log, "no Sent folder: copies of sent mail are not filed (set imap.sent or mark one \\Sent on the server)")
			retry = !r.filed(ctx, o, log) || retry
			continue
		}
		err = d.appendMessage(s.c, folder, o.Raw, []imap.Flag{imap.FlagSeen}, o.SentAt)
		switch {
		case err == nil:
			retry = !r.filed(ctx, o, log) || retry
		case refused(err) && !transientRefusal(err):
			log.Error("the server refused the copy for Sent; it is not filed", "folder", folder, "err", err)
			retry = !r.filed(ctx, o, log) || retry
		default:
			if !refused(err) {
				s.retire(err)
			}
			log.Warn("could not file the copy in Sent yet; will retry", "folder", folder, "err", err)
			retry = true
		}
	}
	return retry
}

func (r *round) filed(ctx context.Context, o state.Outgoing, log *slog.Logger) bool {
	if err := r.p.d.db.MarkFiled(ctx, o.ID, r.p.d.now()); err != nil {
		log.Error("record filed copy", "err", err)
		return false
	}
	return true
}

// transientRefusal: the server refused for now (RFC 5530), not for good.
func transientRefusal(err error) bool {
	var ierr *imap.Error
	if !errors.As(err, &ierr) {
		return false
	}
	switch ierr.Code {
	case imap.ResponseCodeUnavailable, imap.ResponseCodeInUse, imap.ResponseCodeLimit:
		return true
	}
	return false
}

// imapFor connects to a store mailbox once per round; fresh tells whether this
// call made the attempt.
func (r *round) imapFor(ctx context.Context, a *account) (s *imapSession, fresh bool) {
	if s, ok := r.imap[a]; ok {
		return s, false
	}
	c, err := r.p.d.dialIMAP(ctx, a, nil)
	s = &imapSession{c: c, err: err, folders: map[imap.MailboxAttr]string{}}
	if err != nil {
		r.p.log.Warn("cannot reach the store mailbox to file mail", "store", a.store, "mailbox", a.address, "err", err)
	}
	r.imap[a] = s
	return s, true
}

// folder is the configured folder, else the one marked attr on the server.
func (r *round) folder(s *imapSession, a *account, attr imap.MailboxAttr, configured string) (string, error) {
	if configured != "" {
		return configured, nil
	}
	if f, ok := s.folders[attr]; ok {
		return f, nil
	}
	f, err := r.p.d.specialFolder(s.c, attr)
	if err != nil {
		if !refused(err) {
			s.retire(err)
		}
		return "", err
	}
	s.folders[attr] = f
	return f, nil
}

func (s *imapSession) retire(err error) {
	s.err = err
	s.c.Close()
}
