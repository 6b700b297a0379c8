// Command bench measures the daemon against the physical limit on this machine: it
// fills Dovecot mailboxes (one per store) with a backlog of customer mail it writes
// itself, times mbsync downloading the same mailboxes (no client fetches faster than
// a plain sync), times `returnsdesk run` clearing the backlog end to end (fetch, parse,
// decide, render, send to a loopback SMTP listener, copy to Sent, commit state), takes
// the daemon's peak RSS, then measures the reply latency under IDLE for mails
// appended one by one. Run it as bench/run [--mails N]; it ends with one line
//
//	summary mails=N mbsync_s=… run_s=… ratio=… rss_mb=… p50_ms=… p99_ms=…
package main

import (
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	_ "modernc.org/sqlite"

	"github.com/returnsdesk/returnsdesk/mailbox/localmail"
)

const password = "bench-password"

func main() {
	mails := flag.Int("mails", 1000, "size of the backlog")
	compare := flag.Int("compare", -1, "clear a second, smaller backlog of this size first, to compare the cost a mail (default: a tenth of --mails, at least 100; 0: none)")
	latency := flag.Int("latency", 200, "mails appended one by one to measure the reply latency under IDLE")
	photoEvery := flag.Int("photo-every", 50, "every n-th mail carries a large photo")
	keep := flag.Bool("keep", false, "keep the work directory")
	profile := flag.String("profile", "", "write a CPU profile of the daemon on the backlog to this file")
	flag.IntVar(&profileSeconds, "profile-seconds", 3, "how long the CPU profile runs")
	flag.IntVar(&profileDelay, "profile-delay", 0, "seconds into the backlog the CPU profile starts")
	flag.Parse()
	if *compare < 0 {
		*compare = max(*mails/10, 100)
		if *compare >= *mails {
			*compare = 0
		}
	}
	if err := run(*mails, *compare, *latency, *photoEvery, *keep, *profile); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(n, compare, latencyMails, photoEvery int, keep bool, profile string) error {
	if _, err := os.Stat(localmail.DovecotBinary); err != nil {
		return errors.New("needs Dovecot and mbsync: apt-get install dovecot-imapd isync")
	}
	if _, err := exec.LookPath("mbsync"); err != nil {
		return errors.New("needs mbsync: apt-get install isync")
	}
	dir, err := os.MkdirTemp("", "returnsdesk-bench-")
	if err != nil {
		return err
	}
	if keep {
		fmt.Println("work directory:", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	bin := filepath.Join(dir, "returnsdesk")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/returnsdesk").CombinedOutput(); err != nil {
		return fmt.Errorf("build: %v\n%s", err, out)
	}
	sink, err := localmail.NewSMTPSink(localmail.SMTPOptions{})
	if err != nil {
		return err
	}
	defer sink.Close()

	var small *backlogRun
	if compare > 0 {
		if small, err = clearBacklog(filepath.Join(dir, "small"), bin, sink, compare, photoEvery, 0, ""); err != nil {
			return err
		}
	}
	r, err := clearBacklog(filepath.Join(dir, "main"), bin, sink, n, photoEvery, latencyMails, profile)
	if err != nil {
		return err
	}
	slices.Sort(r.waits)
	p50, p99 := percentile(r.waits, 50), percentile(r.waits, 99)

	ratio := r.run.Seconds() / r.mbsync.Seconds()
	fmt.Println()
	fmt.Printf("%-34s %12s %10s %10s\n", "", "time", "mails/s", "peak RSS")
	fmt.Printf("%-34s %12s %10.0f %6.0f MiB\n", "mbsync (the physical limit)", r.mbsync.Round(time.Millisecond), r.rate(r.mbsync), r.mbsyncRSS)
	fmt.Printf("%-34s %12s %10.0f %6.0f MiB\n", "returnsdesk run, backlog cleared", r.run.Round(time.Millisecond), r.rate(r.run), r.rss)
	fmt.Printf("%-34s %12.2f×\n", "ratio", ratio)
	fmt.Printf("%-34s %12s\n", "per mail", r.perMail().Round(time.Microsecond))
	if small != nil {
		fmt.Printf("%-34s %12s at %d mails (%.2f× of mbsync), %s at %d\n", "  per mail by backlog size", small.perMail().Round(time.Microsecond), small.n,
			small.run.Seconds()/small.mbsync.Seconds(), r.perMail().Round(time.Microsecond), r.n)
	}
	fmt.Printf("%-34s %11.0f%% during mbsync, %.0f%% during run (%d cores)\n", "machine CPU busy", r.mbsyncBusy*100, r.runBusy*100, runtime.NumCPU())
	fmt.Printf("%-34s %12s (%s a mail)\n", "daemon CPU on the backlog", r.daemonCPU.Round(time.Millisecond), (r.daemonCPU / time.Duration(n)).Round(time.Microsecond))
	fmt.Printf("%-34s %12d of %d mails\n", "replies sent (backlog)", r.replies, n)
	fmt.Printf("%-34s %12s p50, %s p99 (%d replies)\n", "reply latency under IDLE", p50.Round(time.Millisecond), p99.Round(time.Millisecond), len(r.waits))
	fmt.Printf("%-34s %12s mean, p50 <= %s, p99 <= %s (%d replies)\n", "  of which ours (EXISTS -> SMTP)", r.own.mean().Round(time.Millisecond),
		r.own.quantile(0.50), r.own.quantile(0.99), r.own.count)
	fmt.Println()
	if out, err := exec.Command("go", "test", "./desk", "-run", "^$", "-bench", "Process", "-benchmem", "-benchtime", "2000x").CombinedOutput(); err == nil {
		for _, l := range strings.Split(string(out), "\n") {
			if strings.HasPrefix(l, "Benchmark") {
				fmt.Println("parse+decide+render:", strings.Join(strings.Fields(l)[2:], " "))
			}
		}
	}
	fmt.Printf("summary mails=%d mbsync_s=%.2f run_s=%.2f ratio=%.2f rss_mb=%.0f p50_ms=%d p99_ms=%d own_mean_ms=%d own_p99_ms=%d\n",
		n, r.mbsync.Seconds(), r.run.Seconds(), ratio, r.rss, p50.Milliseconds(), p99.Milliseconds(),
		r.own.mean().Milliseconds(), r.own.quantile(0.99).Milliseconds())
	return nil
}

// backlogRun is what one backlog of n mails measured.
type backlogRun struct {
	n              int
	mbsync, run    time.Duration
	mbsyncRSS, rss float64 // MiB
	mbsyncBusy     float64 // share of the machine's CPU
	runBusy        float64
	daemonCPU      time.Duration
	replies        int
	waits          []time.Duration // APPEND -> reply under IDLE
	own            latencyHistogram
}

func (r *backlogRun) perMail() time.Duration { return r.run / time.Duration(r.n) }

func (r *backlogRun) rate(d time.Duration) float64 { return float64(r.n) / d.Seconds() }

// clearBacklog fills a Dovecot of its own in dir with n mails, times mbsync and the
// daemon on them, and then, with latencyMails > 0, the reply latency under IDLE.
func clearBacklog(dir, bin string, sink *localmail.SMTPSink, n, photoEvery, latencyMails int, profile string) (*backlogRun, error) {
	r := &backlogRun{n: n}
	users := make([]string, len(inboxes))
	for i, in := range inboxes {
		users[i] = in.user
	}
	dove, err := localmail.StartDovecot(filepath.Join(dir, "dovecot"), users, password)
	if err != nil {
		return nil, err
	}
	defer dove.Close()

	if err := writeOrders(filepath.Join(dir, "orders"), n+latencyMails, time.Now()); err != nil {
		return nil, err
	}
	backlog := corpus(0, n, photoEvery, time.Now().Add(-time.Hour))
	start := time.Now()
	var bytesTotal int64
	for _, in := range inboxes {
		var mine []benchMail
		for _, m := range backlog {
			if m.inbox.user == in.user {
				mine = append(mine, m)
				bytesTotal += int64(len(m.raw))
			}
		}
		if err := appendAll(dove.Addr, in.user, mine); err != nil {
			return nil, err
		}
	}
	fmt.Printf("filled %d mails (%.0f MiB) in %s\n", n, float64(bytesTotal)/(1<<20), time.Since(start).Round(time.Millisecond))

	mbsyncCPU := startCPU()
	if r.mbsync, r.mbsyncRSS, err = runMbsync(dir, dove.Addr, users); err != nil {
		return nil, err
	}
	r.mbsyncBusy = mbsyncCPU.busy()
	cfgPath, statePath, err := writeConfig(dir, dove.Addr, sink.Port())
	if err != nil {
		return nil, err
	}
	metricsAddr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	extra := []string{"--listen", metricsAddr}
	pprofAddr := ""
	if profile != "" {
		if pprofAddr, err = freeAddr(); err != nil {
			return nil, err
		}
		extra = append(extra, "--pprof", pprofAddr)
	}
	sentBefore := len(sink.Messages())
	d, err := startDaemon(bin, cfgPath, filepath.Join(dir, "run.log"), extra...)
	if err != nil {
		return nil, err
	}
	defer d.stop()
	if profile != "" {
		go captureProfile(pprofAddr, profile)
	}
	runCPU := startCPU()
	if r.run, err = waitCleared(statePath, n, d, 30*time.Minute); err != nil {
		return nil, err
	}
	r.runBusy, r.daemonCPU = runCPU.busy(), processCPU(d.cmd.Process.Pid)
	r.replies = len(sink.Messages()) - sentBefore
	fmt.Printf("cleared %d mails in %s (mbsync %s)\n", n, r.run.Round(time.Millisecond), r.mbsync.Round(time.Millisecond))

	if latencyMails > 0 {
		// Latency under IDLE: one mail at a time, at random intervals.
		before := len(sink.Messages())
		ownBefore, err := scrapeReplyLatency(metricsAddr)
		if err != nil {
			return nil, err
		}
		lat := corpus(n, latencyMails, 0, time.Now())
		appended := map[string]time.Time{}
		for _, m := range lat {
			time.Sleep(time.Duration(50+rand.IntN(250)) * time.Millisecond)
			appended[m.id] = time.Now()
			if err := appendAll(dove.Addr, m.inbox.user, []benchMail{m}); err != nil {
				return nil, err
			}
		}
		deadline := time.Now().Add(time.Minute)
		for time.Now().Before(deadline) {
			r.waits = r.waits[:0]
			for _, msg := range sink.Messages()[before:] {
				if at, ok := appended[inReplyTo(msg.Raw)]; ok {
					r.waits = append(r.waits, msg.At.Sub(at))
				}
			}
			if len(r.waits) >= expectedReplies(lat) {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		ownAfter, err := scrapeReplyLatency(metricsAddr)
		if err != nil {
			return nil, err
		}
		r.own = ownAfter.since(ownBefore)
	}
	if r.rss, err = d.stop(); err != nil {
		return nil, err
	}
	return r, nil
}

// latencyHistogram is the daemon's returnsdesk_reply_latency_seconds as scraped.
type latencyHistogram struct {
	count   uint64
	sum     float64
	buckets []float64 // upper bounds, seconds
	cum     []uint64  // cumulative counts per bucket
}

// since is the histogram of what was observed after earlier.
func (h latencyHistogram) since(earlier latencyHistogram) latencyHistogram {
	d := latencyHistogram{count: h.count - earlier.count, sum: h.sum - earlier.sum, buckets: h.buckets}
	for i := range h.cum {
		var e uint64
		if i < len(earlier.cum) {
			e = earlier.cum[i]
		}
		d.cum = append(d.cum, h.cum[i]-e)
	}
	return d
}

func (h latencyHistogram) mean() time.Duration {
	if h.count == 0 {
		return 0
	}
	return time.Duration(h.sum / float64(h.count) * float64(time.Second))
}

// quantile is the upper bound of the bucket that holds quantile q.
func (h latencyHistogram) quantile(q float64) time.Duration {
	for i, c := range h.cum {
		if h.count > 0 && float64(c) >= q*float64(h.count) {
			return time.Duration(h.buckets[i] * float64(time.Second))
		}
	}
	return 0
}

// scrapeReplyLatency reads the daemon's reply-latency histogram from /metrics.
func scrapeReplyLatency(addr string) (latencyHistogram, error) {
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		return latencyHistogram{}, fmt.Errorf("scrape the daemon's metrics: %w", err)
	}
	defer resp.Body.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		return latencyHistogram{}, fmt.Errorf("scrape the daemon's metrics: %w", err)
	}
	var h latencyHistogram
	if f := families["returnsdesk_reply_latency_seconds"]; f != nil && len(f.GetMetric()) == 1 {
		hist := f.GetMetric()[0].GetHistogram()
		h.count, h.sum = hist.GetSampleCount(), hist.GetSampleSum()
		for _, b := range hist.GetBucket() {
			h.buckets = append(h.buckets, b.GetUpperBound())
			h.cum = append(h.cum, b.GetCumulativeCount())
		}
	}
	return h, nil
}

// freeAddr is a loopback address with a port nobody listens on.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// appendAll appends mails to a user's INBOX over one connection.
func appendAll(addr, user string, mails []benchMail) error {
	ds := make([]localmail.Delivery, len(mails))
	for i, m := range mails {
		ds[i] = localmail.Delivery{Raw: m.raw, At: m.at}
	}
	_, err := localmail.Append(addr, user, password, "INBOX", ds...)
	return err
}

// runMbsync downloads every mailbox into maildirs and returns the time and the peak
// RSS (MiB).
func runMbsync(dir, addr string, users []string) (time.Duration, float64, error) {
	host, port, _ := strings.Cut(addr, ":")
	var b strings.Builder
	for _, u := range users {
		fmt.Fprintf(&b, "IMAPAccount %[1]s\nHost %[2]s\nPort %[3]s\nUser %[1]s\nPass %[4]s\nSSLType None\nAuthMechs LOGIN\n\n"+
			"IMAPStore %[1]s-remote\nAccount %[1]s\n\nMaildirStore %[1]s-local\nPath %[5]s/\nInbox %[5]s/INBOX\n\n"+
			"Channel %[1]s\nFar :%[1]s-remote:\nNear :%[1]s-local:\nPatterns INBOX\nCreate Near\nSync Pull\nSyncState *\n\n",
			u, host, port, password, filepath.Join(dir, "mbsync", u))
	}
	for _, u := range users {
		if err := os.MkdirAll(filepath.Join(dir, "mbsync", u), 0o700); err != nil {
			return 0, 0, err
		}
	}
	rc := filepath.Join(dir, "mbsyncrc")
	if err := os.WriteFile(rc, []byte(b.String()), 0o600); err != nil {
		return 0, 0, err
	}
	cmd := exec.Command("mbsync", "-c", rc, "-a", "-q")
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, err
	}
	peak := watchRSS(cmd.Process.Pid)
	if err := cmd.Wait(); err != nil {
		return 0, 0, fmt.Errorf("mbsync: %v\n%s", err, out.String())
	}
	return time.Since(start), peak(), nil
}

// watchRSS follows a process's peak resident set (VmHWM, MiB) until it exits; the
// returned function gives the last peak seen. (getrusage's maxrss would count the
// benchmark's own memory, which the child shares between fork and exec.)
func watchRSS(pid int) func() float64 {
	var mu sync.Mutex
	peak := 0.0
	go func() {
		for {
			v, ok := vmHWM(pid)
			if !ok {
				return
			}
			mu.Lock()
			peak = max(peak, v)
			mu.Unlock()
			time.Sleep(5 * time.Millisecond)
		}
	}()
	return func() float64 {
		if v, ok := vmHWM(pid); ok {
			mu.Lock()
			peak = max(peak, v)
			mu.Unlock()
		}
		mu.Lock()
		defer mu.Unlock()
		return peak
	}
}

// vmHWM reads /proc/pid/status' VmHWM in MiB.
func vmHWM(pid int) (float64, bool) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb float64
			fmt.Sscanf(strings.TrimSpace(v), "%f", &kb)
			return kb / 1024, true
		}
	}
	return 0, false
}

// cpuWindow is the machine's CPU counters (/proc/stat) at the start of a window.
type cpuWindow struct{ busy0, total0 uint64 }

func startCPU() cpuWindow {
	b, t := machineCPU()
	return cpuWindow{b, t}
}

// busy is the share of the machine's CPU time that was busy since the window began.
func (w cpuWindow) busy() float64 {
	b, t := machineCPU()
	if t == w.total0 {
		return 0
	}
	return float64(b-w.busy0) / float64(t-w.total0)
}

// machineCPU sums /proc/stat's cpu line: busy and total jiffies.
func machineCPU() (busy, total uint64) {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	line, _, _ := strings.Cut(string(data), "\n")
	for i, f := range strings.Fields(line)[1:] {
		if i >= 8 { // guest time is counted in user time already
			break
		}
		v, _ := strconv.ParseUint(f, 10, 64)
		total += v
		if i != 3 && i != 4 { // idle, iowait
			busy += v
		}
	}
	return busy, total
}

// processCPU is a process's user and system time so far (/proc/pid/stat).
func processCPU(pid int) time.Duration {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	_, rest, _ := strings.Cut(string(data), ") ") // the command name may hold spaces
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseUint(f[11], 10, 64)
	stime, _ := strconv.ParseUint(f[12], 10, 64)
	return time.Duration(utime+stime) * time.Second / 100 // USER_HZ is 100 on Linux
}

// daemon is `returnsdesk run` as a child process.
type daemon struct {
	cmd    *exec.Cmd
	exited chan struct{}
	done   bool
	peak   func() float64
}

func startDaemon(bin, cfg, log string, extra ...string) (*daemon, error) {
	f, err := os.Create(log)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, append([]string{"run", "--config", cfg}, extra...)...)
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	d := &daemon{cmd: cmd, exited: make(chan struct{}), peak: watchRSS(cmd.Process.Pid)}
	go func() { cmd.Wait(); f.Close(); close(d.exited) }()
	return d, nil
}

// stop ends the daemon with SIGTERM and returns its peak RSS (MiB).
func (d *daemon) stop() (float64, error) {
	if d.done {
		return d.peak(), nil
	}
	d.done = true
	peak := d.peak()
	d.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-d.exited:
	case <-time.After(30 * time.Second):
		d.cmd.Process.Kill()
		<-d.exited
		return 0, errors.New("the daemon did not stop within 30s of SIGTERM")
	}
	return peak, nil
}

// waitCleared waits until the state has decided every mail and nothing is left to
// send or file, and returns how long that took from the start.
func waitCleared(statePath string, n int, d *daemon, limit time.Duration) (time.Duration, error) {
	start := time.Now()
	var db *sql.DB
	for {
		select {
		case <-d.exited:
			return 0, errors.New("the daemon exited before clearing the backlog (see run.log)")
		default:
		}
		if db == nil {
			if _, err := os.Stat(statePath); err == nil {
				db, _ = sql.Open("sqlite", "file:"+statePath+"?mode=ro&_pragma=busy_timeout(5000)")
			}
		}
		if db != nil {
			var decided, open int
			err := db.QueryRow(`SELECT count(*) FROM messages WHERE direction = 'in'`).Scan(&decided)
			if err == nil {
				err = db.QueryRow(`SELECT (SELECT count(*) FROM outbox WHERE status = 'pending') +
					(SELECT count(*) FROM outbox_copies WHERE filed_at = 0)`).Scan(&open)
			}
			if err == nil && decided >= n && open == 0 {
				db.Close()
				return time.Since(start), nil
			}
		}
		if time.Since(start) > limit {
			return 0, fmt.Errorf("the backlog was not cleared within %s", limit)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// writeConfig is what an operator would write for these mailboxes.
func writeConfig(dir, imapAddr string, smtpPort int) (cfg, statePath string, err error) {
	host, port, _ := strings.Cut(imapAddr, ":")
	statePath = filepath.Join(dir, "state.db")
	var b strings.Builder
	fmt.Fprintf(&b, "state = %q\nlog_level = \"info\"\n\n[jobs]\nschedule = \"@yearly\"\n\n", statePath)
	b.WriteString("[daemon]\nfirst_start_backlog = \"0s\"\n\n")
	fmt.Fprintf(&b, "[smtp]\nhost = \"127.0.0.1\"\nport = %d\nsecurity = \"none\"\nauth = \"none\"\n\n", smtpPort)
	for _, in := range inboxes {
		extra := ""
		switch in.store {
		case "luxnome":
			extra = "mailboxes = [\"support@luxnome.example\"]\n"
		case "alinora":
			extra = "return_address = [\"Alinora TechLuxe Returns\", \"Building 5, 88 Gaoxin Road\", \"Wuhan 430000\", \"China\"]\n"
		case "alustoora":
			extra = "return_address = [\"ALUSTOORA Returns\", \"1200 Commerce Street\", \"Dallas, TX 75202\", \"USA\"]\n"
		}
		fmt.Fprintf(&b, "[[stores]]\nid = %q\norders = %q\nescalate_to = \"team@%s.example\"\n%s  [[stores.imap]]\n  address = %q\n  host = %q\n  port = %s\n"+
			"  security = \"none\"\n  auth = \"plain\"\n  username = %q\n  password = %q\n\n", in.store, filepath.Join(dir, "orders", in.store), in.store, extra, in.address, host, port, in.user, password)
	}
	cfg = filepath.Join(dir, "returnsdesk.toml")
	return cfg, statePath, os.WriteFile(cfg, []byte(b.String()), 0o600)
}

// The window of the CPU profile: late windows show what grows with the backlog.
var profileSeconds, profileDelay int

// captureProfile writes the daemon's CPU profile of one window of the backlog to file.
func captureProfile(addr, file string) {
	time.Sleep(time.Duration(profileDelay) * time.Second)
	var resp *http.Response
	var err error
	for range 100 {
		if resp, err = http.Get(fmt.Sprintf("http://%s/debug/pprof/profile?seconds=%d", addr, profileSeconds)); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench: profile:", err)
		return
	}
	defer resp.Body.Close()
	f, err := os.Create(file)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench: profile:", err)
		return
	}
	defer f.Close()
	io.Copy(f, resp.Body)
	fmt.Println("CPU profile of the daemon written to", file, "(go tool pprof -top", file+")")
}

func inReplyTo(raw []byte) string {
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "In-Reply-To:"); ok {
			return strings.Trim(strings.TrimSpace(v), "<>")
		}
		if strings.TrimSpace(line) == "" {
			break
		}
	}
	return ""
}

func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, len(sorted)*p/100)]
}

func expectedReplies(mails []benchMail) int { return len(mails) * 9 / 10 }
