package mailbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/returnsdesk/returnsdesk/config"
	"github.com/returnsdesk/returnsdesk/oauth"
	"github.com/returnsdesk/returnsdesk/state"
)

// alertKind is the outbox kind of the bot's alerts to staff (desk.AlertStaff).
const alertKind = "staff_alert"

// dispatchBatch is how many outbox rows one query takes.
const dispatchBatch = 100

// dispatcher delivers the outbox: it is the only sender, so no mail goes out twice
// from one daemon. It runs a round when woken (a reply or job mail was queued),
// when a retry falls due, and otherwise every poll interval.
type dispatcher struct {
	d   *Daemon
	log *slog.Logger
	// filing: this one files the copies owed to Sent (woken by d.sent), the other
	// delivers (woken by d.kick): the two go on side by side, each on connections of
	// its own, so copies do not hold back replies.
	filing  bool
	retries *retries
	warnMu  sync.Mutex
	warned  map[string]bool // lasting problems are logged once, not every round
	// delivered are the rows this run delivered but could not yet record as sent:
	// only the record is owed, never a second delivery.
	delivered map[int64]deliveredRow
	// unrecorded are the copies this run filed in Sent (or found there) but could
	// not yet record as filed: only the record is owed, never a second copy. The
	// filer's lanes share it.
	unrecordedMu sync.Mutex
	unrecorded   map[int64]bool
	// Connections outlive the round that opened them while mail keeps coming: a
	// backlog is one login per server, not one per round (each a TLS handshake and
	// a process on some servers). One idle for timing.keepIdle is closed.
	sessMu sync.Mutex // the filer's lanes open their sessions side by side
	smtp   map[config.SMTP]*smtpSession
	imap   map[*account]*imapSession
}

// deliveredRow is a delivery this run made and still has to record.
type deliveredRow struct {
	at      time.Time
	drafted bool // placed in Drafts (draft mode), not sent
}

func newDispatcher(d *Daemon, filing bool) *dispatcher {
	return &dispatcher{d: d, log: d.log, filing: filing, retries: newRetries(d.timing.minBackoff, d.timing.maxBackoff), warned: map[string]bool{},
		delivered: map[int64]deliveredRow{}, unrecorded: map[int64]bool{}, smtp: map[config.SMTP]*smtpSession{}, imap: map[*account]*imapSession{}}
}

func (p *dispatcher) run(ctx context.Context) {
	defer p.closeSessions(func(time.Time) bool { return true })
	for {
		p.round(ctx)
		if ctx.Err() != nil {
			return
		}
		now := time.Now()
		open := p.closeSessions(func(used time.Time) bool { return now.Sub(used) >= p.d.timing.keepIdle })
		wait := p.d.timing.poll
		if d, ok := p.retries.next(); ok && d < wait {
			wait = d
		}
		if open {
			// Wake to close what stays idle.
			wait = min(wait, p.d.timing.keepIdle)
		}
		wake := p.d.kick
		if p.filing {
			wake = p.d.sent
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// warnOnce logs a lasting problem the first time it is seen.
func (p *dispatcher) warnOnce(key string, log *slog.Logger, msg string, args ...any) {
	p.warnMu.Lock()
	defer p.warnMu.Unlock()
	if p.warned[key] {
		return
	}
	p.warned[key] = true
	log.Error(msg, args...)
}

// round delivers what is due and files the copies owed to Sent. A panic ends the
// round, not the daemon: the mail stays queued.
func (p *dispatcher) round(ctx context.Context) {
	defer func() {
		if v := recover(); v != nil {
			p.log.Error("delivery round failed", "err", fmt.Errorf("panic: %v\n%s", v, debug.Stack()))
		}
	}()
	if p.d.storage.closedBy() != nil {
		// Nothing goes out that could not be recorded; the gate wakes the dispatcher.
		return
	}
	r := &round{p: p}
	if p.filing {
		r.file(ctx)
	} else {
		r.deliver(ctx)
	}
}

// round is one pass over the outbox.
type round struct {
	p *dispatcher
}

// imapSession is a connection to a store mailbox for APPENDs, with the special
// folders found on it.
type imapSession struct {
	c       *imapclient.Client
	err     error
	folders map[imap.MailboxAttr]string
	// examined is the folder selected read-only to look for earlier copies.
	examined string
	// appends are the copies for Sent whose answers are still to be read.
	appends []pendingAppend
	kept
}

// kept is what the dispatcher knows of a connection it keeps between rounds.
type kept struct {
	used      time.Time // when a round last took it
	loginEnds time.Time // when the OAuth2 token it logged in with expires (zero: never)
}

// reusable reports whether a kept connection may carry the next mail, and closes it
// when not: an OAuth2 login about to expire is logged out (a new login takes a fresh
// token), one the server dropped while idle (no answer to alive after a pause) is
// dropped, and neither costs the next mail a failed try.
func (p *dispatcher) reusable(k kept, alive func() bool, logout, drop func()) bool {
	switch {
	case !p.d.loginValid(k.loginEnds):
		logout()
		return false
	case time.Since(k.used) >= p.d.timing.keepCheck && !alive():
		drop()
		return false
	}
	return true
}

func (s *imapSession) retire(err error) {
	s.err = err
	s.c.Close()
}

// closeSessions closes the connections that broke and those whose last use done
// says is over, and reports whether any stay open.
func (p *dispatcher) closeSessions(done func(used time.Time) bool) (open bool) {
	p.sessMu.Lock()
	defer p.sessMu.Unlock()
	for cfg, s := range p.smtp {
		if s.err != nil || done(s.used) {
			if s.c != nil {
				s.close()
			}
			delete(p.smtp, cfg)
		}
	}
	for a, s := range p.imap {
		if s.err != nil || done(s.used) {
			if s.c != nil && s.err == nil {
				p.d.logout(s.c)
			}
			delete(p.imap, a)
		}
	}
	return len(p.smtp)+len(p.imap) > 0
}

func rowKey(o state.Outgoing) string { return "row/" + strconv.FormatInt(o.ID, 10) }

func smtpKey(cfg config.SMTP) string {
	return "smtp/" + hostPort(cfg.Host, cfg.Port, 0) + "/" + cfg.Username
}

func imapKey(a *account) string { return "imap/" + a.key }

func (r *round) deliver(ctx context.Context) {
	r.eachDue(ctx, r.p.d.db.PendingOutgoing, r.deliverOne)
}

// eachDue pages through the outbox rows read returns and hands each row whose retry
// is due to do. The row in hand is finished even when the daemon is asked to stop.
func (r *round) eachDue(ctx context.Context, read func(ctx context.Context, afterID int64, limit int) ([]state.Outgoing, error),
	do func(ctx context.Context, o state.Outgoing)) {
	var after int64
	for {
		rows, err := read(ctx, after, dispatchBatch)
		if err != nil {
			if ctx.Err() == nil {
				r.p.log.Error("read the outbox", "err", err)
			}
			return
		}
		for _, o := range rows {
			if ctx.Err() != nil {
				return
			}
			after = o.ID
			if r.p.retries.due(rowKey(o)) {
				do(context.WithoutCancel(ctx), o)
			}
		}
		if len(rows) < dispatchBatch {
			return
		}
	}
}

// deliverOne sends or drafts one mail and records the outcome.
func (r *round) deliverOne(ctx context.Context, o state.Outgoing) {
	d, retries := r.p.d, r.p.retries
	log := r.p.log.With("store", o.Store, "mailbox", o.Mailbox, "message_id", o.MessageID, "action", o.Kind)
	dl, ok := d.deliveries[o.Store]
	if !ok {
		dl = delivery{mode: modeSend, smtp: d.cfg.SMTP}
	}
	if done, ok := r.p.delivered[o.ID]; ok {
		// Delivered by this run; only the record failed. Record it, never resend.
		mark := d.db.MarkSent
		if done.drafted {
			mark = d.db.MarkDrafted
		}
		if err := mark(ctx, o.ID, done.at); err != nil {
			d.storage.trouble(err)
			retries.fail(rowKey(o))
			return
		}
		delete(r.p.delivered, o.ID)
		retries.ok(rowKey(o))
		if !done.drafted {
			d.copyOwed()
		}
		log.Info("delivered earlier; now recorded")
		return
	}
	// On a shared state the mailbox's holder sends its mail; the claim is fenced
	// with that lease, so an instance that lost it meanwhile sends nothing.
	claimCtx, _, mine := d.outboxContext(ctx, o.Store, o.Mailbox)
	if !mine {
		return
	}
	// Draft mode holds back what the customer would read; mail to the store's own
	// staff (escalations, the digest, confirmations) always goes out, or staff would
	// never hear of the drafts waiting for them.
	drafting := dl.mode == modeDraft && !state.ForStaff(o.Kind)
	var a *account
	server := smtpKey(dl.smtp)
	if drafting {
		if a = accountFor(d.accounts, o.Store, o.Mailbox); a != nil {
			server = imapKey(a)
		}
	}
	if (a != nil || !drafting) && !retries.due(server) && o.Kind != alertKind {
		return
	}
	if claimed, err := d.db.Claim(claimCtx, o.ID, d.holder, d.now()); err != nil || !claimed {
		// Not claimed, not sent: the state cannot record it, or another holder has it.
		if err != nil && !d.storage.trouble(err) && !errors.Is(err, state.ErrLeaseLost) {
			log.Error("could not claim the mail for sending; will retry", "err", err)
			retries.fail(rowKey(o))
		}
		return
	}
	var err error
	switch {
	case !d.stillHolds(o.Store, o.Mailbox):
		// The lease ran out while the row was being claimed (a pause): the next
		// holder sends it, after freeing the claim.
		log.Warn("the mailbox's lease ran out before the mail could be sent: left to its next holder")
		return
	case drafting && a == nil:
		err = &deliveryError{err: errors.New("draft mode, but the store has no IMAP account to keep drafts in")}
	case drafting:
		err = r.draft(ctx, o, a)
	default:
		err = r.send(ctx, o, dl.smtp)
		if err != nil && o.Kind == alertKind {
			// An alert may be about this very server's login: any server that works
			// will carry it.
			for _, alt := range d.smtpServers() {
				if alt != dl.smtp && r.send(ctx, o, alt) == nil {
					err, server = nil, smtpKey(alt)
					break
				}
			}
		}
	}

	now := d.now()
	var de *deliveryError
	switch {
	case err == nil:
		var merr error
		if drafting {
			merr = d.db.MarkDrafted(ctx, o.ID, now)
		} else {
			merr = d.db.MarkSent(ctx, o.ID, now)
		}
		retries.ok(server)
		if merr != nil {
			// Delivered but not recorded: later rounds owe the record, not the mail.
			r.p.delivered[o.ID] = deliveredRow{at: now, drafted: drafting}
			if !d.storage.trouble(merr) {
				log.Error("delivered, but the outbox could not record it; will record it, not send it again", "err", merr)
			}
			retries.fail(rowKey(o))
			return
		}
		retries.ok(rowKey(o))
		d.monitor.sent.WithLabelValues(o.Store, o.Kind).Inc()
		d.monitor.replied(o.SourceID)
		if !drafting {
			d.copyOwed()
		}
		if drafting {
			log.Info("mail placed in Drafts")
		} else {
			log.Info("mail sent")
		}
	case errors.As(err, &de) && de.permanent:
		d.monitor.failed.WithLabelValues(o.Store, o.Kind, "true").Inc()
		retries.ok(server)
		if merr := d.db.MarkAttempt(ctx, o.ID, now, err.Error(), true); merr != nil {
			d.storage.trouble(merr)
			log.Error("record refused mail", "err", merr)
			retries.fail(rowKey(o))
			return
		}
		retries.ok(rowKey(o))
		log.Error("mail refused for good: the thread is flagged for staff", "err", err)
	default:
		d.monitor.failed.WithLabelValues(o.Store, o.Kind, "false").Inc()
		delay := retries.fail(rowKey(o))
		if errors.As(err, &de) && de.server && server != "" {
			if refusedConnection(err) {
				// Back within seconds, mostly: a restart of the mail server.
				delay = retries.failAtMost(server, d.timing.refusedMax)
			} else {
				delay = retries.fail(server)
			}
			d.monitor.smtpErrors.WithLabelValues(server).Inc()
		}
		if merr := d.db.MarkAttempt(ctx, o.ID, now, err.Error(), false); merr != nil {
			d.storage.trouble(merr)
			log.Error("record failed attempt", "err", merr)
		}
		log.Warn("mail not delivered yet; will retry", "err", err, "delay", delay)
	}
}

// smtpServers lists every configured SMTP server once: the common one and the stores'.
func (d *Daemon) smtpServers() []config.SMTP {
	out := []config.SMTP{d.cfg.SMTP}
	for _, dl := range d.deliveries {
		if !slices.Contains(out, dl.smtp) {
			out = append(out, dl.smtp)
		}
	}
	return out
}

func (r *round) send(ctx context.Context, o state.Outgoing, cfg config.SMTP) error {
	return r.p.smtpFor(ctx, cfg).send(o)
}

// smtpFor is the open connection to an SMTP server, or a new one. One that broke
// is not used again within the round, and is replaced in the next.
func (p *dispatcher) smtpFor(ctx context.Context, cfg config.SMTP) *smtpSession {
	p.sessMu.Lock()
	s, ok := p.smtp[cfg]
	p.sessMu.Unlock()
	if ok && s.err == nil {
		ok = p.reusable(s.kept, func() bool { return s.c.Noop() == nil }, s.close, func() { s.c.Close() })
	}
	if !ok {
		c, err := p.d.dialSMTP(ctx, cfg)
		s = &smtpSession{c: c, err: err, kept: kept{loginEnds: p.d.tokenExpiry(cfg.OAuth)}}
	}
	s.used = time.Now()
	p.sessMu.Lock()
	p.smtp[cfg] = s
	p.sessMu.Unlock()
	return s
}

// draft places the mail in the store mailbox's Drafts folder, marked \Draft, for a
// person to review and send.
func (r *round) draft(ctx context.Context, o state.Outgoing, a *account) error {
	s := r.imapFor(ctx, a)
	if s.err != nil {
		return &deliveryError{err: s.err, server: true}
	}
	folder, err := r.folder(s, a, imap.MailboxAttrDrafts, a.imap.Drafts)
	if err != nil {
		return &deliveryError{err: err, server: true}
	}
	if folder == "" {
		return &deliveryError{err: errors.New("no Drafts folder: set imap.drafts or mark one \\Drafts on the server"), server: true}
	}
	// Unseen and flagged: a draft is work waiting for a person, not a mail read.
	if err := r.p.d.appendMessage(s.c, folder, o.Raw, []imap.Flag{imap.FlagDraft, imap.FlagFlagged}, r.p.d.now()); err != nil {
		if !refused(err) {
			s.retire(err)
			return &deliveryError{err: err, server: true}
		}
		return &deliveryError{err: err}
	}
	return nil
}

// file appends the copies of sent mail to the store mailbox's Sent folder. A store
// without an IMAP account, or without a Sent folder, gets no copies: logged once.
// Each store mailbox has a lane of its own, so that servers file copies side by
// side.
func (r *round) file(ctx context.Context) {
	lanes := map[*account]chan state.Outgoing{}
	var wg sync.WaitGroup
	r.eachDue(ctx, r.p.d.db.UnfiledOutgoing, func(ctx context.Context, o state.Outgoing) {
		a := accountFor(r.p.d.accounts, o.Store, o.Mailbox)
		lane, ok := lanes[a]
		if !ok {
			lane = make(chan state.Outgoing, dispatchBatch)
			lanes[a] = lane
			wg.Add(1)
			go func() {
				defer wg.Done()
				r.fileLane(ctx, a, lane)
			}()
		}
		lane <- o
	})
	for _, lane := range lanes {
		close(lane)
	}
	wg.Wait()
}

// fileLane files one mailbox's copies in order. A panic costs the lane's round,
// not the daemon: the copies stay owed.
func (r *round) fileLane(ctx context.Context, a *account, lane <-chan state.Outgoing) {
	defer func() {
		if v := recover(); v != nil {
			r.p.log.Error("filing round failed", "err", fmt.Errorf("panic: %v\n%s", v, debug.Stack()))
			for range lane {
			}
		}
	}()
	for o := range lane {
		r.fileOne(ctx, o)
	}
	if a == nil {
		return
	}
	r.p.sessMu.Lock()
	s := r.p.imap[a]
	r.p.sessMu.Unlock()
	if s != nil {
		r.settleAppends(ctx, s)
	}
}

// appendsInFlight is how many APPENDs one connection sends before reading their
// answers: copies are filed at the server's pace, not one round trip each.
const appendsInFlight = 32

// pendingAppend is a copy sent to the server whose answer is still to be read.
type pendingAppend struct {
	cmd    *imapclient.AppendCommand
	o      state.Outgoing
	folder string
	log    *slog.Logger
}

func (r *round) fileOne(ctx context.Context, o state.Outgoing) {
	retries := r.p.retries
	log := r.p.log.With("store", o.Store, "mailbox", o.Mailbox, "message_id", o.MessageID)
	// On a shared state the copy is filed by the mailbox's holder, or two
	// instances could both file it.
	_, lease, mine := r.p.d.outboxLease(o.Store, o.Mailbox)
	if !mine {
		return
	}
	r.p.unrecordedMu.Lock()
	owed := r.p.unrecorded[o.ID]
	r.p.unrecordedMu.Unlock()
	if owed {
		// Filed by this run; only the record failed. Record it, never file it again.
		r.filed(ctx, o, log)
		return
	}
	a := accountFor(r.p.d.accounts, o.Store, o.Mailbox)
	if a == nil {
		r.p.warnOnce("noaccount/"+o.Store, log, "no IMAP account for this store: copies of sent mail are not filed in Sent")
		r.filed(ctx, o, log)
		return
	}
	server := imapKey(a)
	if !retries.due(server) {
		return
	}
	s := r.imapFor(ctx, a)
	if s.err != nil {
		retries.fail(server)
		return
	}
	folder, err := r.folder(s, a, imap.MailboxAttrSent, a.imap.Sent)
	if err != nil {
		retries.fail(server)
		log.Warn("could not look for the Sent folder; will retry", "err", err)
		return
	}
	if folder == "" {
		r.p.warnOnce("nosent/"+a.key, log, "no Sent folder: copies of sent mail are not filed (set imap.sent or mark one \\Sent on the server)")
		r.filed(ctx, o, log)
		return
	}
	if !o.SentAt.After(lease.since) {
		// Sent before this run took the mailbox (by an earlier run, or the instance
		// that held it before), which may have filed it and been stopped before it
		// could record that: look first. (Not by when it was queued: a reply is
		// queued at the time its mail arrived, and a backlog's every copy would be
		// looked for in a Sent folder that only grows. SentAt has whole seconds, so
		// what this run sent in its first second is looked for too.)
		there, err := r.inFolder(s, folder, o.MessageID)
		if err != nil {
			s.retire(err)
			log.Warn("could not look in Sent for an earlier copy; will retry", "folder", folder, "err", err, "delay", retries.fail(server))
			return
		}
		if there {
			log.Info("the copy was filed in Sent before a restart")
			r.filed(ctx, o, log)
			return
		}
	}
	if !r.p.d.stillHolds(o.Store, o.Mailbox) {
		// The lease ran out meanwhile (a pause): its next holder files the copy.
		return
	}
	cmd, err := r.p.d.startAppend(s.c, folder, o.Raw, []imap.Flag{imap.FlagSeen}, o.SentAt)
	if err != nil {
		s.retire(err)
		log.Warn("could not file the copy in Sent yet; will retry", "folder", folder, "err", err, "delay", retries.fail(server))
		r.settleAppends(ctx, s)
		return
	}
	s.appends = append(s.appends, pendingAppend{cmd: cmd, o: o, folder: folder, log: log})
	if len(s.appends) >= appendsInFlight {
		r.settleAppends(ctx, s)
	}
}

// settleAppends reads the answers to the session's APPENDs in flight and records
// each copy filed, or its retry. After a broken connection the rest stay owed.
func (r *round) settleAppends(ctx context.Context, s *imapSession) {
	retries := r.p.retries
	pending := s.appends
	s.appends = nil
	for _, p := range pending {
		if s.err != nil {
			continue
		}
		server := imapKey(accountFor(r.p.d.accounts, p.o.Store, p.o.Mailbox))
		err := guardErr(s.c, r.p.d.timing.op, func() error { _, err := p.cmd.Wait(); return err })
		switch {
		case err == nil:
			retries.ok(server)
			r.filed(ctx, p.o, p.log)
		case refused(err) && !transientRefusal(err):
			p.log.Error("the server refused the copy for Sent; it is not filed", "folder", p.folder, "err", err)
			r.filed(ctx, p.o, p.log)
		case refused(err):
			p.log.Warn("could not file the copy in Sent yet; will retry", "folder", p.folder, "err", err, "delay", retries.fail(rowKey(p.o)))
		default:
			s.retire(err)
			p.log.Warn("could not file the copy in Sent yet; will retry", "folder", p.folder, "err", err, "delay", retries.fail(server))
		}
	}
}

// inFolder reports whether folder holds a message with this Message-ID (the session
// examines the folder read-only for it).
func (r *round) inFolder(s *imapSession, folder, messageID string) (bool, error) {
	c, op := s.c, r.p.d.timing.op
	if s.examined != folder {
		if _, err := guard(c, op, c.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait); err != nil {
			return false, fmt.Errorf("examine %s: %w", folder, err)
		}
		s.examined = folder
	}
	data, err := guard(c, op, c.UIDSearch(&imap.SearchCriteria{Header: []imap.SearchCriteriaHeaderField{{Key: "Message-ID", Value: "<" + messageID + ">"}}}, nil).Wait)
	if err != nil {
		return false, fmt.Errorf("search %s for %s: %w", folder, messageID, err)
	}
	return len(data.AllUIDs()) > 0, nil
}

// filed records that no copy is owed any more.
func (r *round) filed(ctx context.Context, o state.Outgoing, log *slog.Logger) {
	err := r.p.d.db.MarkFiled(ctx, o.ID, r.p.d.now())
	r.p.unrecordedMu.Lock()
	if err != nil {
		r.p.unrecorded[o.ID] = true
	} else {
		delete(r.p.unrecorded, o.ID)
	}
	r.p.unrecordedMu.Unlock()
	if err != nil {
		r.p.d.storage.trouble(err)
		log.Error("record filed copy", "err", err)
		r.p.retries.fail(rowKey(o))
		return
	}
	r.p.retries.ok(rowKey(o))
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

// imapFor is the open connection to a store mailbox, or a new one. One that failed
// is not tried again within the round, and is replaced in the next.
func (r *round) imapFor(ctx context.Context, a *account) *imapSession {
	p := r.p
	p.sessMu.Lock()
	s, ok := p.imap[a]
	p.sessMu.Unlock()
	if ok && s.err == nil {
		if ok = p.reusable(s.kept, func() bool { return p.d.alive(s.c) }, func() { p.d.logout(s.c) }, func() { s.c.Close() }); ok {
			s.used = time.Now()
		}
	}
	if ok {
		return s
	}
	c, err := p.d.dialIMAP(ctx, a, nil)
	s = &imapSession{c: c, err: err, folders: map[imap.MailboxAttr]string{}, kept: kept{used: time.Now(), loginEnds: p.d.tokenExpiry(a.imap.OAuth)}}
	if err != nil {
		p.log.Warn("cannot reach the store mailbox to place mail", "store", a.store, "mailbox", a.address, "err", err)
	}
	p.sessMu.Lock()
	p.imap[a] = s
	p.sessMu.Unlock()
	return s
}

// tokenExpiry is when the OAuth2 account's current access token expires; zero for
// none (a password login lasts as long as the connection).
func (d *Daemon) tokenExpiry(account string) time.Time {
	if src := d.sources[account]; account != "" && src != nil {
		return src.Expiry()
	}
	return time.Time{}
}

// loginValid reports whether a connection logged in with a token expiring at ends
// may still be used: servers end such sessions when the token expires, so a new
// login (with a refreshed token) comes first, as for every new connection.
func (d *Daemon) loginValid(ends time.Time) bool {
	return ends.IsZero() || d.now().Add(oauth.RefreshEarly).Before(ends)
}

// alive reports whether a connection kept open answers a NOOP in time.
func (d *Daemon) alive(c *imapclient.Client) bool {
	return guardErr(c, d.timing.live, c.Noop().Wait) == nil
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
