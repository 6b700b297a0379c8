package mailbox

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/returnsdesk/returnsdesk/state"
)

// monitor is what the daemon tells about itself: Prometheus metrics (counted as the
// work happens, or read from the state at each scrape) and the health verdict.
type monitor struct {
	d        *Daemon
	registry *prometheus.Registry
	started  time.Time

	fetched      *prometheus.CounterVec // store, mailbox
	decided      *prometheus.CounterVec // store, action, code
	sent         *prometheus.CounterVec // store, kind
	failed       *prometheus.CounterVec // store, kind, permanent
	imapUp       *prometheus.GaugeVec   // store, mailbox
	imapErrors   *prometheus.CounterVec // store, mailbox
	smtpErrors   *prometheus.CounterVec // server
	lastSync     *prometheus.GaugeVec   // store, mailbox: Unix seconds
	jobRuns      *prometheus.CounterVec // result
	jobMails     *prometheus.CounterVec // store, code
	outbox       *prometheus.Desc
	outboxOldest *prometheus.Desc
	flagged      *prometheus.Desc
	healthy      *prometheus.Desc

	tokenExpiry *prometheus.Desc
	loginDead   *prometheus.Desc
	writable    *prometheus.Desc

	replyLatency prometheus.Histogram
	// awaiting holds when the desk learned of each mail whose reply is queued and not
	// yet sent, by the mail's recorded Message-ID.
	awaiting map[string]time.Time

	mu     sync.Mutex
	synced map[*account]time.Time // last successful read of each mailbox
	dead   map[string]error       // OAuth2 accounts whose refresh token was refused for good
}

func newMonitor(d *Daemon) *monitor {
	m := &monitor{d: d, registry: prometheus.NewRegistry(), synced: map[*account]time.Time{}, dead: map[string]error{},
		awaiting: map[string]time.Time{},
		replyLatency: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "returnsdesk_reply_latency_seconds",
			Help:    "From the server announcing a customer mail (IMAP EXISTS, or the read that found it) to its reply accepted by SMTP and recorded: the daemon's own share of a reply's delay.",
			Buckets: []float64{.002, .005, .01, .02, .03, .04, .05, .1, .2, .5, 1, 2, 5, 10, 30, 60, 300}}),
		fetched: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "returnsdesk_mails_fetched_total",
			Help: "Customer mails fetched from a store mailbox."}, []string{"store", "mailbox"}),
		decided: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "returnsdesk_mails_decided_total",
			Help: "Mails decided, by store, action and code."}, []string{"store", "action", "code"}),
		sent: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "returnsdesk_mails_sent_total",
			Help: "Mails delivered (or placed in Drafts in draft mode), by store and kind."}, []string{"store", "kind"}),
		failed: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "returnsdesk_mails_failed_total",
			Help: "Delivery attempts that failed; permanent=true: refused for good."}, []string{"store", "kind", "permanent"}),
		imapUp: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "returnsdesk_imap_connected",
			Help: "1 while the mailbox's IMAP session is open and its folder selected."}, []string{"store", "mailbox"}),
		imapErrors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "returnsdesk_imap_session_errors_total",
			Help: "IMAP sessions that ended in an error (the worker then reconnects)."}, []string{"store", "mailbox"}),
		smtpErrors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "returnsdesk_smtp_errors_total",
			Help: "SMTP connections or commands that failed, by server."}, []string{"server"}),
		lastSync: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "returnsdesk_mailbox_last_sync_timestamp_seconds",
			Help: "When the mailbox was last read successfully (Unix time)."}, []string{"store", "mailbox"}),
		jobRuns: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "returnsdesk_job_runs_total",
			Help: "Runs of the scheduled jobs, by result (ok, error)."}, []string{"result"}),
		jobMails: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "returnsdesk_job_mails_total",
			Help: "Reminders, escalations and digests queued by the jobs, by store and code."}, []string{"store", "code"}),
		outbox: prometheus.NewDesc("returnsdesk_outbox_messages",
			"Outbox rows by delivery status.", []string{"status"}, nil),
		outboxOldest: prometheus.NewDesc("returnsdesk_outbox_oldest_pending_seconds",
			"Age of the oldest mail waiting to be delivered (0 when none waits).", nil, nil),
		flagged: prometheus.NewDesc("returnsdesk_flagged_threads_open",
			"Threads flagged for staff and not closed, by store.", []string{"store"}, nil),
		tokenExpiry: prometheus.NewDesc("returnsdesk_oauth_token_expiry_timestamp_seconds",
			"When the OAuth2 access token in use expires (Unix time; refreshed before).", []string{"account"}, nil),
		loginDead: prometheus.NewDesc("returnsdesk_oauth_login_dead",
			"1 when the provider refused the account's refresh token: run returnsdesk login.", []string{"account"}, nil),
		writable: prometheus.NewDesc("returnsdesk_state_writable",
			"0 while the state cannot be written (disk full, read-only, I/O error): mail is neither read nor sent.", nil, nil),
		healthy: prometheus.NewDesc("returnsdesk_healthy",
			"1 when /healthz passes: every mailbox read recently, the outbox moving.", nil, nil),
	}
	m.registry.MustRegister(m.fetched, m.decided, m.sent, m.failed, m.imapUp, m.imapErrors, m.smtpErrors, m.replyLatency,
		m.lastSync, m.jobRuns, m.jobMails, stateCollector{m},
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, a := range d.accounts {
		m.imapUp.WithLabelValues(a.store, a.address)
		m.imapErrors.WithLabelValues(a.store, a.address)
		m.fetched.WithLabelValues(a.store, a.address)
	}
	return m
}

// maxAwaiting bounds the mails whose reply latency is kept: replies that cannot go
// out (a dead SMTP server) must not grow it without end.
const maxAwaiting = 10000

// awaitsReply notes when the desk learned of a mail whose reply it queued.
func (m *monitor) awaitsReply(recordedID string, learned time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.awaiting) >= maxAwaiting {
		clear(m.awaiting)
	}
	m.awaiting[recordedID] = learned
}

// replied observes the latency of the mail a reply just sent answers.
func (m *monitor) replied(sourceID string) {
	m.mu.Lock()
	learned, ok := m.awaiting[sourceID]
	delete(m.awaiting, sourceID)
	m.mu.Unlock()
	if ok {
		m.replyLatency.Observe(time.Since(learned).Seconds())
	}
}

// connected records that a's session is open (or closed, with the error that ended it).
func (m *monitor) connected(a *account, up bool, err error) {
	v := 0.0
	if up {
		v = 1
	}
	m.imapUp.WithLabelValues(a.store, a.address).Set(v)
	if err != nil {
		m.imapErrors.WithLabelValues(a.store, a.address).Inc()
	}
}

// didSync records a successful read of a's folder, in memory for health and in the
// state for `status`.
func (m *monitor) didSync(ctx context.Context, a *account) {
	now := m.d.now()
	m.mu.Lock()
	m.synced[a] = now
	m.mu.Unlock()
	m.lastSync.WithLabelValues(a.store, a.address).Set(float64(now.Unix()))
	if err := m.d.db.SetSynced(ctx, a.key, now); err != nil && !m.d.storage.trouble(err) {
		m.d.log.Warn("could not record the mailbox's sync time", "mailbox", a.address, "err", err)
	}
}

// tokenOK and tokenDead record whether an OAuth2 account's login works.
func (m *monitor) tokenOK(account string) {
	m.mu.Lock()
	delete(m.dead, account)
	m.mu.Unlock()
}

func (m *monitor) tokenDead(account string, err error) {
	m.mu.Lock()
	m.dead[account] = err
	m.mu.Unlock()
}

// problems lists why the daemon is unhealthy at now, with sum what the state says;
// none when it is healthy.
func (m *monitor) problems(now time.Time, sum state.Summary) []string {
	var out []string
	maxSync := m.d.cfg.Health.MaxSyncAge.Duration
	m.mu.Lock()
	for account, err := range m.dead {
		out = append(out, fmt.Sprintf("OAuth2 login %s is dead (%v): run returnsdesk login", account, err))
	}
	if err := m.d.storage.closedBy(); err != nil {
		out = append(out, fmt.Sprintf("the state %s cannot be written (%v): reading and sending paused", m.d.cfg.State, err))
	}
	for _, a := range m.d.accounts {
		last, ok := m.synced[a]
		if _, held := m.d.leases.get(mailboxLease(a)); m.d.cluster && !held {
			// Another instance works it: the state has its last read, whoever made it.
			last, ok = sum.Synced[a.key]
		}
		since := last
		if !ok {
			since = m.started
		}
		if maxSync > 0 && now.Sub(since) > maxSync {
			when := "never since the start"
			if ok {
				when = "last at " + last.UTC().Format(time.RFC3339)
			}
			out = append(out, fmt.Sprintf("mailbox %s (%s) not read for %s (%s)", a.address, a.store, now.Sub(since).Round(time.Second), when))
		}
	}
	m.mu.Unlock()
	if max := m.d.cfg.Health.MaxOutboxAge.Duration; max > 0 && !sum.OldestPending.IsZero() && now.Sub(sum.OldestPending) > max {
		out = append(out, fmt.Sprintf("outbox stuck: the oldest of %d waiting mails was queued %s ago", sum.Outbox[state.OutboxPending],
			now.Sub(sum.OldestPending).Round(time.Second)))
	}
	return out
}

// handler serves /metrics and /healthz.
func (m *monitor) handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry}))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		sum, err := m.d.db.Summarize(r.Context())
		p := m.problems(m.d.now(), sum)
		if err != nil {
			p = append(p, "state unreadable: "+err.Error())
		}
		if len(p) > 0 {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintln(w, "unhealthy")
			for _, line := range p {
				fmt.Fprintln(w, "- "+line)
			}
		} else {
			fmt.Fprintf(w, "ok: %d mailboxes read within %s, outbox moving\n", len(m.d.accounts), m.d.cfg.Health.MaxSyncAge.Duration)
		}
		m.writeInstance(w)
	})
	return mux
}

// writeInstance tells which instance answers, and on a shared state what it holds.
func (m *monitor) writeInstance(w io.Writer) {
	fmt.Fprintf(w, "instance: %s\n", m.d.holder)
	if m.d.cluster {
		fmt.Fprintf(w, "leases held (of %d mailboxes and the jobs): %s\n", len(m.d.accounts), strings.Join(m.d.leases.names(), ", "))
	}
}

// stateCollector reads at each scrape what the state knows: the outbox, the threads
// waiting for staff, and the health verdict.
type stateCollector struct{ m *monitor }

func (c stateCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.m.outbox
	ch <- c.m.outboxOldest
	ch <- c.m.flagged
	ch <- c.m.tokenExpiry
	ch <- c.m.loginDead
	ch <- c.m.writable
	ch <- c.m.healthy
}

func (c stateCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	now := c.m.d.now()
	writable := 1.0
	if c.m.d.storage.closedBy() != nil {
		writable = 0
	}
	ch <- prometheus.MustNewConstMetric(c.m.writable, prometheus.GaugeValue, writable)
	sum, err := c.m.d.db.Summarize(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.m.outbox, err)
		return
	}
	statuses := []string{state.OutboxPending, state.OutboxSent, state.OutboxDrafted, state.OutboxFailed}
	for s := range sum.Outbox {
		if !slices.Contains(statuses, s) {
			statuses = append(statuses, s)
		}
	}
	for _, s := range statuses {
		ch <- prometheus.MustNewConstMetric(c.m.outbox, prometheus.GaugeValue, float64(sum.Outbox[s]), s)
	}
	oldest := 0.0
	if !sum.OldestPending.IsZero() {
		oldest = now.Sub(sum.OldestPending).Seconds()
	}
	ch <- prometheus.MustNewConstMetric(c.m.outboxOldest, prometheus.GaugeValue, oldest)
	for _, a := range c.m.d.accounts {
		if _, ok := sum.OpenFlagged[a.store]; !ok {
			sum.OpenFlagged[a.store] = 0
		}
	}
	for store, n := range sum.OpenFlagged {
		ch <- prometheus.MustNewConstMetric(c.m.flagged, prometheus.GaugeValue, float64(n), store)
	}
	for name, src := range c.m.d.sources {
		if exp := src.Expiry(); !exp.IsZero() {
			ch <- prometheus.MustNewConstMetric(c.m.tokenExpiry, prometheus.GaugeValue, float64(exp.Unix()), name)
		}
		c.m.mu.Lock()
		_, dead := c.m.dead[name]
		c.m.mu.Unlock()
		v := 0.0
		if dead {
			v = 1
		}
		ch <- prometheus.MustNewConstMetric(c.m.loginDead, prometheus.GaugeValue, v, name)
	}
	healthy := 1.0
	if len(c.m.problems(now, sum)) > 0 {
		healthy = 0
	}
	ch <- prometheus.MustNewConstMetric(c.m.healthy, prometheus.GaugeValue, healthy)
}
