package mailbox

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/returnsdesk/returnsdesk/config"
	"github.com/returnsdesk/returnsdesk/desk"
	"github.com/returnsdesk/returnsdesk/oauth"
	"github.com/returnsdesk/returnsdesk/state"
)

// bodiesInFlight is how many bytes of mail bodies the workers may hold at once.
const bodiesInFlight = 32 << 20

// Defaults for the mailbox keywords (config daemon.processed_keyword and
// daemon.flagged_keyword).
const (
	DefaultProcessedKeyword = "$ReturnsdeskDone"
	DefaultFlaggedKeyword   = "$ReturnsdeskReview"
)

// Daemon watches every configured store mailbox, delivers the outbox and runs the
// scheduled jobs until its context ends.
type Daemon struct {
	cfg *config.Config
	// current is the desk in use; Reload swaps in one built from a new configuration.
	current    atomic.Pointer[desk.Desk]
	db         *state.DB
	log        *slog.Logger
	accounts   []*account
	deliveries map[string]delivery // by store id

	processedKeyword string
	flaggedKeyword   string // empty: \Flagged only
	maxMessageBytes  int64

	// kick wakes the dispatcher: a reply or a job mail was queued. sent wakes the
	// filer: a copy is owed to Sent.
	kick, sent chan struct{}

	now     func() time.Time
	timing  timing
	monitor *monitor
	// sources hand out the OAuth2 access tokens, by [[oauth]] account name.
	sources map[string]*oauth.Source
	// storage pauses the work while the state cannot be written.
	storage *storageGate
	// holder names this run (the instance) in the outbox rows it claims, in the
	// leases it holds, in its log lines and on /healthz.
	holder string
	// cluster: the state is PostgreSQL, which several instances may share, each
	// mailbox worked by the instance that holds its lease (lease.go).
	cluster  bool
	leaseTTL time.Duration
	leases   *leaseBook
	// bodies bounds the mail bodies the workers hold at once.
	bodies    *bodyBudget
	tlsConfig *tls.Config // nil: the system's roots; tests trust their own CA
}

// timing gathers the daemon's clocks, so tests can run them fast.
type timing struct {
	poll       time.Duration // without IDLE: how often to look for new mail
	maxBackoff time.Duration // the longest wait before reconnecting or retrying delivery
	minBackoff time.Duration // the first such wait
	watchdog   time.Duration // while idling: how often to check the connection with NOOP
	live       time.Duration // how long the watchdog's check may take before the connection counts as dead
	refusedMax time.Duration // the longest wait before reconnecting to a server that refused the connection
	smtpStall  time.Duration // an SMTP command or the end of data unanswered this long: the mail is retried later
	probe      time.Duration // while the state cannot be written: how often to try a write
	dial       time.Duration // connecting, TLS and greeting
	op         time.Duration // one IMAP command
	fetch      time.Duration // fetching one message body
	logout     time.Duration
	useIdle    bool          // use IDLE when the server has it
	sentCheck  time.Duration // how often the Sent folder is read for staff replies
	// keepIdle is how long the dispatchers keep an unused SMTP or IMAP connection:
	// well inside servers' idle timeouts (SMTP 5 min by RFC 5321, IMAP 30 min).
	keepIdle time.Duration
	// keepCheck: a connection unused this long answers a NOOP before it is used
	// again, so that one the server dropped meanwhile costs no mail a failed try.
	keepCheck time.Duration
}

// Open opens the state named by cfg, builds the desk and the daemon over it. A
// SQLite state is opened for this process alone (a second daemon on the same file
// is refused); a PostgreSQL one is shared with any other daemons on it, which
// divide the mailboxes between them by lease. The caller runs the daemon and
// closes the state when it returns.
func Open(ctx context.Context, cfg *config.Config, logger *slog.Logger) (*Daemon, *state.DB, error) {
	open := state.OpenExclusive
	if state.IsPostgres(cfg.State) {
		open = state.Open
	}
	db, err := open(ctx, cfg.State)
	if err != nil {
		return nil, nil, err
	}
	d, err := cfg.NewDesk("", db, logger)
	if err == nil {
		var daemon *Daemon
		if daemon, err = New(cfg, d, db, logger); err == nil {
			return daemon, db, nil
		}
	}
	db.Close()
	return nil, nil, err
}

// New checks the daemon's part of the configuration and prepares the state. The
// desk d must be built from the same cfg.
func New(cfg *config.Config, d *desk.Desk, db *state.DB, logger *slog.Logger) (*Daemon, error) {
	if cfg == nil || d == nil || db == nil {
		return nil, errors.New("mailbox: New needs a config, a desk and a state")
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	host, _ := os.Hostname()
	holder := fmt.Sprintf("%s/%d/%x", host, os.Getpid(), rand.Uint64())
	cluster := state.IsPostgres(cfg.State)
	if cluster {
		// Several instances log to one place: each line says whose it is.
		logger = logger.With("instance", holder)
	}
	accounts, deliveries, err := accountsFrom(cfg, d.Stores())
	if err != nil {
		return nil, err
	}
	dm := &Daemon{
		cfg: cfg, db: db, log: logger, accounts: accounts, deliveries: deliveries,
		holder: holder, cluster: cluster, leases: newLeaseBook(),
		leaseTTL:         time.Duration(positiveInt(cfg.Cluster.LeaseSeconds, 30)) * time.Second,
		processedKeyword: orDefault(cfg.Daemon.ProcessedFlag, DefaultProcessedKeyword),
		flaggedKeyword:   cfg.Daemon.FlaggedKeyword,
		maxMessageBytes:  cfg.Limits.MaxMessageBytes,
		kick:             make(chan struct{}, 1),
		sent:             make(chan struct{}, 1),
		now:              time.Now,
		timing: timing{
			poll:       positive(cfg.Daemon.PollInterval.Duration, time.Minute),
			maxBackoff: positive(cfg.Daemon.MaxBackoff.Duration, 5*time.Minute),
			minBackoff: time.Second,
			// A dead or hung server is noticed within a minute: the check after 45 s
			// of quiet, given 15 s to answer.
			watchdog:   45 * time.Second,
			live:       15 * time.Second,
			refusedMax: 30 * time.Second,
			smtpStall:  time.Minute,
			probe:      5 * time.Second,
			dial:       30 * time.Second,
			op:         2 * time.Minute,
			fetch:      10 * time.Minute,
			logout:     5 * time.Second,
			useIdle:    true,
			sentCheck:  sentCheckEvery,
			keepIdle:   30 * time.Second,
			keepCheck:  5 * time.Second,
		},
	}
	dm.current.Store(d)
	dm.storage = &storageGate{d: dm}
	dm.bodies = newBodyBudget(bodiesInFlight)
	if dm.sources, err = openSources(cfg, dm); err != nil {
		return nil, err
	}
	dm.monitor = newMonitor(dm)
	if dm.maxMessageBytes <= 0 {
		dm.maxMessageBytes = config.Default().Limits.MaxMessageBytes
	}
	if err := checkKeyword("daemon.processed_keyword", dm.processedKeyword); err != nil {
		return nil, err
	}
	if dm.flaggedKeyword != "" {
		if err := checkKeyword("daemon.flagged_keyword", dm.flaggedKeyword); err != nil {
			return nil, err
		}
	}
	if _, err := parseSchedule(cfg.Jobs.Schedule); err != nil {
		return nil, fmt.Errorf("jobs.schedule: %w", err)
	}
	return dm, nil
}

func positiveInt(n, def int) int {
	if n <= 0 {
		return def
	}
	return n
}

func positive(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// checkKeyword accepts an IMAP keyword: an atom that is not a system flag.
func checkKeyword(key, kw string) error {
	if strings.HasPrefix(kw, `\`) {
		return fmt.Errorf("%s: %q is a system flag, not a keyword", key, kw)
	}
	for _, r := range kw {
		if r <= ' ' || r >= 0x7f || strings.ContainsRune(`(){%*"\]`, r) {
			return fmt.Errorf("%s: %q is not an IMAP keyword (letters, digits, $ and the like, no spaces or brackets)", key, kw)
		}
	}
	return nil
}

// SetClock replaces the daemon's clock (time.Now), which dates the scheduled jobs
// and the delivery records. Call it before Run. Mail is always judged at its
// arrival time on the server, whatever the clock.
func (d *Daemon) SetClock(now func() time.Time) { d.now = now }

// Run watches the mailboxes, delivers mail and runs the jobs until ctx ends. It
// finishes the message in hand, closes its connections and returns nil.
func (d *Daemon) Run(ctx context.Context) error {
	d.log.Info("daemon starting", "instance", d.holder, "shared_state", d.cluster)
	d.monitor.started = d.now()
	if !d.cluster {
		// This state is open to this process alone (the lock): rows another holder
		// claimed were left by a run that ended before it could record their
		// sending. (On a shared state each mailbox's are freed when its lease is
		// taken over.)
		if n, err := d.db.ReleaseClaims(ctx, d.holder); err != nil {
			if !d.storage.trouble(err) {
				return err
			}
		} else if n > 0 {
			d.log.Warn("mail claimed by a run that ended before recording it: sent again (the one window a crash can double)", "mails", n)
		}
	}
	var wg sync.WaitGroup
	for _, a := range d.accounts {
		w := newWorker(d, a)
		if !d.cluster {
			w.log.Info("watching the mailbox", "folder", a.folder)
			wg.Go(func() { w.run(ctx) })
			continue
		}
		wg.Go(func() { d.holdLease(ctx, mailboxLease(a), w.log, w.runLeased) })
	}
	if d.cluster {
		// The jobs' lease is only held: the schedule looks whether it is (runJobs).
		wg.Go(func() { d.holdLease(ctx, jobsLease, d.log, d.holdJobs) })
	}
	disp, filer := newDispatcher(d, false), newDispatcher(d, true)
	wg.Go(func() { disp.run(ctx) })
	wg.Go(func() { filer.run(ctx) })
	jobs, err := d.startJobs(ctx)
	if err != nil {
		// New checked the schedule; this cannot fail, but never run half a daemon.
		<-ctx.Done()
		wg.Wait()
		return err
	}
	<-ctx.Done()
	<-jobs.Stop().Done()
	wg.Wait()
	d.log.Info("daemon stopped")
	return nil
}

// desk is the desk in use now.
func (d *Daemon) desk() *desk.Desk { return d.current.Load() }

// Reload puts a configuration read anew into service without dropping a connection:
// policies, templates, orders, staff lists and the decision and job settings, in the
// desk dk built from cfg. What a connection or a schedule was made from (mailbox
// servers and credentials, the daemon's timings, the job schedule, health limits) is
// refused with the key that changed, and the running configuration is kept: a
// restart applies those.
func (d *Daemon) Reload(cfg *config.Config, dk *desk.Desk) error {
	accounts, deliveries, err := accountsFrom(cfg, dk.Stores())
	if err != nil {
		return err
	}
	var changed []string
	if len(accounts) != len(d.accounts) {
		changed = append(changed, "stores[].imap")
	} else {
		for i, a := range accounts {
			if *a != *d.accounts[i] {
				changed = append(changed, fmt.Sprintf("stores (%s).imap (%s)", a.store, a.address))
			}
		}
	}
	if !maps.Equal(deliveries, d.deliveries) {
		changed = append(changed, "smtp or stores[].smtp or stores[].mode")
	}
	if !slices.EqualFunc(cfg.OAuth, d.cfg.OAuth, sameOAuth) {
		changed = append(changed, "oauth")
	}
	for key, same := range map[string]bool{
		"daemon":         cfg.Daemon == d.cfg.Daemon,
		"health":         cfg.Health == d.cfg.Health,
		"jobs.schedule":  cfg.Jobs.Schedule == d.cfg.Jobs.Schedule,
		"jobs.digest_at": cfg.Jobs.DigestAt == d.cfg.Jobs.DigestAt,
		"state":          cfg.State == d.cfg.State,
		"limits":         cfg.Limits == d.cfg.Limits,
		"cluster":        cfg.Cluster == d.cfg.Cluster,
	} {
		if !same {
			changed = append(changed, key)
		}
	}
	if len(changed) > 0 {
		slices.Sort(changed)
		return fmt.Errorf("these settings change how the daemon connects or is scheduled and need a restart: %s", strings.Join(changed, ", "))
	}
	dk.Succeed(d.desk())
	d.current.Store(dk)
	return nil
}

// sameOAuth compares two OAuth2 accounts, secrets by value.
func sameOAuth(a, b config.OAuth) bool {
	return a.Name == b.Name && a.Provider == b.Provider && a.Tenant == b.Tenant && a.ClientID == b.ClientID &&
		a.ClientSecret.Value == b.ClientSecret.Value && a.Issuer == b.Issuer && a.AuthURL == b.AuthURL &&
		a.TokenURL == b.TokenURL && a.DeviceURL == b.DeviceURL && slices.Equal(a.Scopes, b.Scopes) && a.Flow == b.Flow
}

// Handler serves the daemon's Prometheus metrics on /metrics and its health on
// /healthz (200 when every mailbox was read within health.max_sync_age and no mail
// waited in the outbox longer than health.max_outbox_age, else 503 with the reasons).
func (d *Daemon) Handler() http.Handler { return d.monitor.handler() }

// copyOwed wakes the filer after a mail was sent.
func (d *Daemon) copyOwed() {
	select {
	case d.sent <- struct{}{}:
	default:
	}
}

// queued wakes the dispatcher after something was put in the outbox.
func (d *Daemon) queued() {
	select {
	case d.kick <- struct{}{}:
	default:
	}
}
