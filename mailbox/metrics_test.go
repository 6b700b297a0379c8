package mailbox

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/returnsdesk/returnsdesk/config"
	"github.com/returnsdesk/returnsdesk/state"
)

// TestMetricsAndHealth scrapes /metrics and /healthz over HTTP after a small backlog:
// the counters agree with the state and the mail sent, the sessions show as
// connected, and health turns to 503 with the reason once the IMAP server is gone.
func TestMetricsAndHealth(t *testing.T) {
	stores := []string{"lumina", "alusse"}
	e := newEnv(t, nil, stores...)
	e.cfg.Health = config.Health{MaxSyncAge: config.Duration{Duration: 2 * time.Second}, MaxOutboxAge: config.Duration{Duration: time.Hour}}
	mails := mailsOf(mixedMails(), stores...)
	e.deliver(mails...)
	r := e.start()
	e.waitCaughtUp(r)
	ctx := context.Background()
	waitFor(t, 15*time.Second, "the outbox to drain", func() (bool, string) {
		n, err := r.db.OutboxCounts(ctx)
		return err == nil && n[state.OutboxPending] == 0, fmt.Sprint(n, err)
	})
	srv := httptest.NewServer(r.d.Handler())
	defer srv.Close()

	families := scrape(t, srv.URL+"/metrics")
	decided := map[string]float64{}
	for _, m := range families["returnsdesk_mails_decided_total"].GetMetric() {
		// A second delivery of a mail is a decision (ignore/duplicate) but no new record.
		if label(m, "code") != "duplicate" {
			decided[label(m, "action")] += m.GetCounter().GetValue()
		}
	}
	want := map[string]float64{}
	for _, s := range stores {
		byAction, err := r.db.DecidedSince(ctx, s, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		for a, n := range byAction {
			want[a] += float64(n)
		}
	}
	if fmt.Sprint(decided) != fmt.Sprint(want) {
		t.Errorf("decided by action: metrics %v, state %v", decided, want)
	}
	fetched := sum(families["returnsdesk_mails_fetched_total"])
	if fetched != float64(len(mails)) {
		t.Errorf("fetched %v, want %d", fetched, len(mails))
	}
	outbox, err := r.db.OutboxCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := sum(families["returnsdesk_mails_sent_total"]); got != float64(len(e.smtp.Messages())) || got == 0 {
		t.Errorf("sent %v, the SMTP listener got %d", got, len(e.smtp.Messages()))
	}
	// Every reply to a customer mail of this run has its latency observed.
	if h := families["returnsdesk_reply_latency_seconds"].GetMetric(); len(h) != 1 || h[0].GetHistogram().GetSampleCount() == 0 ||
		h[0].GetHistogram().GetSampleSum() <= 0 {
		t.Errorf("reply latency histogram: %v", h)
	}
	for _, m := range families["returnsdesk_outbox_messages"].GetMetric() {
		if s := label(m, "status"); m.GetGauge().GetValue() != float64(outbox[s]) {
			t.Errorf("outbox %s: metric %v, state %d", s, m.GetGauge().GetValue(), outbox[s])
		}
	}
	for _, m := range families["returnsdesk_imap_connected"].GetMetric() {
		if m.GetGauge().GetValue() != 1 {
			t.Errorf("%s not connected", label(m, "mailbox"))
		}
	}
	if n := len(families["returnsdesk_imap_connected"].GetMetric()); n != len(stores) {
		t.Errorf("%d mailboxes in returnsdesk_imap_connected, want %d", n, len(stores))
	}
	if v := sum(families["returnsdesk_healthy"]); v != 1 {
		t.Errorf("returnsdesk_healthy %v, want 1", v)
	}
	if code, body := get(t, srv.URL+"/healthz"); code != http.StatusOK {
		t.Errorf("/healthz %d while all is well:\n%s", code, body)
	}

	e.imap.Close()
	waitFor(t, 15*time.Second, "/healthz to fail with the IMAP server gone", func() (bool, string) {
		code, body := get(t, srv.URL+"/healthz")
		return code == http.StatusServiceUnavailable && strings.Contains(body, "not read for"), fmt.Sprintf("%d %s", code, body)
	})
	families = scrape(t, srv.URL+"/metrics")
	if v := sum(families["returnsdesk_healthy"]); v != 0 {
		t.Errorf("returnsdesk_healthy %v with the IMAP server gone, want 0", v)
	}
	if v := sum(families["returnsdesk_imap_connected"]); v != 0 {
		t.Errorf("returnsdesk_imap_connected sums to %v with the IMAP server gone, want 0", v)
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func scrape(t *testing.T, url string) map[string]*dto.MetricFamily {
	t.Helper()
	code, body := get(t, url)
	if code != http.StatusOK {
		t.Fatalf("%s: %d\n%s", url, code, body)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	families, err := p.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("%s: %v", url, err)
	}
	return families
}

func label(m *dto.Metric, name string) string {
	for _, l := range m.GetLabel() {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}

func sum(f *dto.MetricFamily) float64 {
	var v float64
	for _, m := range f.GetMetric() {
		switch {
		case m.Counter != nil:
			v += m.GetCounter().GetValue()
		case m.Gauge != nil:
			v += m.GetGauge().GetValue()
		}
	}
	return v
}
