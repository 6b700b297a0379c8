package mailbox

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"sort"
	"sync"
	"time"

	"github.com/returnsdesk/returnsdesk/state"
)

// On a PostgreSQL state several daemons ("instances") may run side by side. Each
// mailbox is then worked by the one instance that holds its lease, and its outbox
// sent and filed by that one too; the scheduled jobs run where the jobs lease is
// held. A lease lasts leaseTTL unrenewed and is renewed every third of it, so an
// instance that stops renewing (killed, cut off) loses its mailboxes to another
// within leaseTTL, and every write only the holder may make is fenced with the
// lease's token in the state (state.WithFence). On SQLite there is one daemon per
// state file and no lease.

// jobsLease is the lease of the scheduled jobs; it also covers outbox rows of a
// mailbox no worker watches (a store without IMAP).
const jobsLease = "jobs"

// mailboxLease is the lease of one watched folder.
func mailboxLease(a *account) string { return "mailbox/" + a.key }

// heldLease is a lease this instance holds: the fence its writes carry, and when
// it was taken (what an earlier holder left half done is from before then).
type heldLease struct {
	fence state.Fence
	since time.Time
	// until is when the lease expires at the earliest, on this machine's monotonic
	// clock: the time the last successful renewal was asked for, plus the lease
	// time (the database renewed it later than that). Past it the lease counts as
	// lost before any renewal says so, so that an instance paused past its lease
	// sends and files nothing when it goes on: what is not fenced by the state (an
	// SMTP delivery, an APPEND to Sent) must not begin once another may hold the
	// mailbox.
	until time.Time
}

func (l heldLease) live() bool { return time.Now().Before(l.until) }

// leaseBook is what this instance holds now, for the dispatcher, the jobs and
// /healthz; the lease loops keep it.
type leaseBook struct {
	mu   sync.Mutex
	held map[string]heldLease
}

func newLeaseBook() *leaseBook { return &leaseBook{held: map[string]heldLease{}} }

func (b *leaseBook) hold(name string, l heldLease) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.held[name] = l
}

func (b *leaseBook) drop(name string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.held, name)
}

// extend records a successful renewal asked for at asked.
func (b *leaseBook) extend(name string, asked time.Time, ttl time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if l, ok := b.held[name]; ok {
		l.until = asked.Add(ttl)
		b.held[name] = l
	}
}

// get returns the lease name while this instance holds it and it has not expired
// by this machine's clock.
func (b *leaseBook) get(name string) (heldLease, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	l, ok := b.held[name]
	return l, ok && l.live()
}

// names lists the leases held, sorted.
func (b *leaseBook) names() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]string, 0, len(b.held))
	for name := range b.held {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// renewEvery is how often a held lease is renewed, and a lease another holds is
// tried again.
func (d *Daemon) renewEvery() time.Duration { return d.leaseTTL / 3 }

// holdLease runs work for as long as this instance holds the lease name, again
// and again, until ctx ends. While another instance holds the lease it asks
// again when that one's expires (and at least every renewEvery, for a lease given
// up early), so a mailbox whose holder died is taken over within the lease time;
// once it holds it, it runs work with a context fenced with the lease's token and
// renews the lease every renewEvery. As soon as a renewal fails, or finds the
// lease taken or taken anew, work's context is cancelled: another instance may be
// working it already. When ctx ends the lease is given up at once, so another
// instance need not wait for it to expire.
func (d *Daemon) holdLease(ctx context.Context, name string, log *slog.Logger, work func(ctx context.Context)) {
	// Instances started together (a deploy) would otherwise ask for every lease in
	// the same order, and the first to ask would take them all: a wait of up to
	// half a renewal period spreads the mailboxes between them.
	if !sleep(ctx, rand.N(d.renewEvery()/2+1)) {
		return
	}
	for {
		asked := time.Now()
		token, ok, err := d.db.Acquire(ctx, name, d.holder, d.leaseTTL)
		switch {
		case err != nil && ctx.Err() == nil:
			if !d.storage.trouble(err) {
				log.Warn("could not ask for the lease; will try again", "lease", name, "err", err)
			}
		case ok:
			d.workLeased(ctx, name, heldLease{fence: state.Fence{Lease: name, Token: token}, since: d.now(), until: asked.Add(d.leaseTTL)}, log, work)
		}
		if !sleep(ctx, d.untilFree(ctx, name)) {
			return
		}
	}
}

// untilFree is how long to wait before asking for the lease name again: until the
// holder's lease expires, at most a renewal period. A few milliseconds more, drawn
// at random, keep the instances waiting for it from asking at the very same
// moment.
func (d *Daemon) untilFree(ctx context.Context, name string) time.Duration {
	wait := d.renewEvery()
	if left, err := d.db.LeaseLeft(ctx, name); err == nil && left >= 0 && left < wait {
		wait = left
	}
	return wait + 5*time.Millisecond + rand.N(50*time.Millisecond)
}

// workLeased runs work under the lease l just acquired, renewing it, until the
// lease is lost, work ends by itself, or ctx ends.
func (d *Daemon) workLeased(ctx context.Context, name string, l heldLease, log *slog.Logger, work func(ctx context.Context)) {
	token := l.fence.Token
	d.leases.hold(name, l)
	defer d.leases.drop(name)
	log.Info("lease acquired: this instance works it", "lease", name, "token", token)

	wctx, cancel := context.WithCancel(state.WithFence(ctx, l.fence))
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		work(wctx)
	}()
	renew := time.NewTicker(d.renewEvery())
	defer renew.Stop()
	for {
		select {
		case <-done:
			// Work stops by itself only when a fenced write found the lease lost.
			if ctx.Err() == nil {
				log.Warn("lease lost (a write was refused): stopped working it", "lease", name, "token", token)
			}
			d.releaseLease(name, token, log)
			return
		case <-ctx.Done():
			cancel()
			<-done
			d.releaseLease(name, token, log)
			return
		case <-renew.C:
			asked := time.Now()
			if why := d.renewLease(ctx, name, token); why != "" {
				log.Warn("lease lost: stopping work on it", "lease", name, "token", token, "why", why)
				d.leases.drop(name) // nothing more is sent under it while work winds down
				cancel()
				<-done
				return
			}
			d.leases.extend(name, asked, d.leaseTTL)
		}
	}
}

// renewLease renews the lease held with token; it returns why not, "" when it was
// renewed. A renewal gets no longer than one renewal period: an answer later than
// that could come after the lease expired.
func (d *Daemon) renewLease(ctx context.Context, name string, token int64) string {
	rctx, cancel := context.WithTimeout(ctx, d.renewEvery())
	defer cancel()
	got, ok, err := d.db.Acquire(rctx, name, d.holder, d.leaseTTL)
	switch {
	case err != nil:
		d.storage.trouble(err)
		return "the renewal failed: " + err.Error()
	case !ok:
		return "another instance holds it"
	case got != token:
		return "it expired and was taken anew"
	}
	return ""
}

// releaseLease gives a lease up at the end of its work, so another instance may
// take it at once. The daemon may be stopping: this gets a context of its own.
func (d *Daemon) releaseLease(name string, token int64, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), d.timing.op)
	defer cancel()
	if err := d.db.Release(ctx, name, d.holder, token); err != nil {
		log.Warn("could not give the lease up; it expires by itself", "lease", name, "err", err)
	}
}

// outboxLease is the lease under which a row of the outbox, sent from store's
// mailbox, is sent and filed: that mailbox's, or the jobs lease for a mailbox no
// worker watches. ok is false when this instance does not hold it. Without
// leases (SQLite) every row is this instance's.
func (d *Daemon) outboxLease(store, mailbox string) (name string, l heldLease, ok bool) {
	if !d.cluster {
		return "", heldLease{since: d.monitor.started}, true
	}
	name = jobsLease
	if a := accountFor(d.accounts, store, mailbox); a != nil {
		name = mailboxLease(a)
	}
	l, ok = d.leases.get(name)
	return name, l, ok
}

// stillHolds checks, right before a delivery or a copy for Sent that the state
// cannot fence, that the lease the row is sent under is still this instance's by
// this machine's clock.
func (d *Daemon) stillHolds(store, mailbox string) bool {
	_, _, ok := d.outboxLease(store, mailbox)
	return ok
}

// outboxContext is ctx fenced for a row sent from store's mailbox (see outboxLease).
func (d *Daemon) outboxContext(ctx context.Context, store, mailbox string) (context.Context, heldLease, bool) {
	name, l, ok := d.outboxLease(store, mailbox)
	if !ok || name == "" {
		return ctx, l, ok
	}
	return state.WithFence(ctx, l.fence), l, true
}

// holdJobs is the work of the jobs lease: the schedule runs the jobs while it is
// held (RunJobs looks), and the outbox rows of the stores no worker watches are
// sent under it.
func (d *Daemon) holdJobs(ctx context.Context) {
	d.freeClaims(ctx, nil, d.log)
	d.queued()
	<-ctx.Done()
}

// freeClaims frees, for an instance that has just taken a lease over, the outbox
// rows sent under that lease (a's mailbox lease; the jobs lease when a is nil)
// that other holders claimed and did not finish: those are an instance's that
// stopped holding the lease (killed, cut off) between claiming and recording. They
// are sent again from here, the window a crash can double, as on one instance.
// Claims under other leases are other live instances' work and stay.
func (d *Daemon) freeClaims(ctx context.Context, a *account, log *slog.Logger) {
	for _, s := range d.desk().Stores() {
		for _, mailbox := range s.Policy.Mailboxes {
			if accountFor(d.accounts, s.ID(), mailbox) != a {
				continue
			}
			n, err := d.db.ReleaseMailboxClaims(ctx, s.ID(), mailbox, d.holder)
			if err != nil {
				if !d.storage.trouble(err) && ctx.Err() == nil {
					log.Warn("could not free the outbox claims of the lease's earlier holder", "mailbox", mailbox, "err", err)
				}
				continue
			}
			if n > 0 {
				log.Warn("mail claimed by the lease's earlier holder, which stopped before recording it: sent again", "mailbox", mailbox, "mails", n)
			}
		}
	}
}
