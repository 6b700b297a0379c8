package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/returnsdesk/returnsdesk/state"
	"github.com/returnsdesk/returnsdesk/state/statetest"
)

// clusterLeaseSeconds is the crash test's lease time: short, so that each
// takeover is over in a few seconds.
const clusterLeaseSeconds = 2

// TestCrashConsistencyPostgres runs three instances of the real binary on one
// Postgres state and the same five mailboxes, kills one of them (one holding
// leases at that moment) with SIGKILL at random moments, starting a new one in its
// place each time, while mail keeps arriving, then lets the three finish. Each
// time, the mailboxes the killed one held are taken over by another instance
// within the lease time (measured from the kill to every one of them held by
// another instance). At the end, whatever the kills hit, the checks of
// TestCrashConsistency hold: every mail recorded, none answered twice (at most a
// byte-identical second delivery of the same reply per kill), every reply filed
// once in Sent.
func TestCrashConsistencyPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the crash test builds the binary and runs it for several seconds")
	}
	dsn := statetest.Postgres(t)
	seed := uint64(20261204)
	if s := os.Getenv("RETURNSDESK_CRASH_SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("RETURNSDESK_CRASH_SEED: %v", err)
		}
		seed = v
	}
	rng := rand.New(rand.NewPCG(seed, seed^0xc1a5))
	began := time.Now()

	bin := buildBinary(t)
	w := newCrashWorld(t)
	w.usePostgres(dsn)
	if out, err := exec.Command(bin, "check-config", "--config", w.config).CombinedOutput(); err != nil {
		t.Fatalf("check-config refuses the test's configuration: %v\n%s", err, out)
	}
	db, err := state.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	mails := crashCorpus()
	early := len(mails) / 2
	w.deliver(mails[:early])
	late := mails[early:]

	runs := 0
	startOne := func() *daemonProcess {
		runs++
		return w.start(bin, runs)
	}
	live := []*daemonProcess{startOne(), startOne(), startOne()}
	kills := 6 + rng.IntN(3)
	var takeovers []time.Duration
	idle := 0 // kills of an instance that held no mailbox at that moment
	for i := range kills {
		time.Sleep(time.Duration(200+rng.IntN(1300)) * time.Millisecond)
		victim, held := pickVictim(t, db, live, rng)
		p := live[victim]
		killedAt := time.Now()
		p.kill()
		t.Logf("kill %d: run %d, holding %v: %s", i+1, p.run, held, p.summary())
		live[victim] = startOne()
		// A last share of the mail arrives during the pause below.
		n := len(late) / (kills + 1 - i)
		w.deliver(late[:n])
		late = late[n:]
		if len(held) == 0 {
			idle++
			continue
		}
		took, ok := waitTakenOver(db, p, held, killedAt, 2*time.Duration(clusterLeaseSeconds)*time.Second+5*time.Second)
		if !ok {
			t.Errorf("kill %d: the leases %v of the killed instance were not all taken over within %v", i+1, held, took)
			continue
		}
		takeovers = append(takeovers, took)
	}
	pausedTook := pauseOne(t, db, live, rng, func() { w.deliver(late) })
	deadline := time.Now().Add(40 * time.Second)
	for {
		done, why := w.done()
		if done {
			break
		}
		for _, p := range live {
			select {
			case <-p.exited:
				t.Fatalf("run %d exited on its own: %v\n%s", p.run, p.err, p.logTail())
			default:
			}
		}
		if time.Now().After(deadline) {
			t.Errorf("the instances did not finish within 40s: %s", why)
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	// status shows who works what: every mailbox and the jobs held by a live instance.
	status := exec.Command(bin, "status", "--config", w.config)
	status.Env = append(os.Environ(), w.env...)
	out, err := status.CombinedOutput()
	if err != nil {
		t.Errorf("status: %v\n%s", err, out)
	}
	if held := strings.Count(string(out), ": held by "); held != len(crashInboxes)+1 {
		t.Errorf("status shows %d leases held, want %d (each mailbox and the jobs):\n%s", held, len(crashInboxes)+1, out)
	}
	for _, p := range live {
		p.stop()
		t.Logf("run %d, to the end: %s", p.run, p.summary())
	}

	f := w.check(db, mails)
	// The pause can cut into the same window as a kill.
	if f.redeliveries > kills+1 {
		t.Errorf("%d replies delivered twice after %d kills: want at most one per kill", f.redeliveries, kills)
	}
	if f.sentTwice > 0 {
		t.Errorf("%d replies filed twice in Sent after %d kills: want none", f.sentTwice, kills)
	}
	// At most what was left of the lease at the kill: the others ask again when it
	// expires. Half a second of slack for a loaded machine.
	lease := time.Duration(clusterLeaseSeconds) * time.Second
	limit := lease + 500*time.Millisecond
	for _, d := range takeovers {
		if d > limit {
			t.Errorf("a takeover took %v: want within the lease (%v), %v at most", d, lease, limit)
		}
	}
	slices.Sort(takeovers)
	t.Logf("seed %d: 3 instances, %d runs, %d mails (%d answered, %d not), %d kills (%d of an instance holding nothing), 1 pause; "+
		"takeover after a kill (lease %ds): %s; after the pause %v; %d replies, %d delivered twice (same bytes), %d Sent copies filed twice; %s in all",
		seed, runs, len(mails), f.answered, len(mails)-f.answered, kills, idle, clusterLeaseSeconds, durationFigures(takeovers),
		pausedTook.Round(10*time.Millisecond), f.replies, f.redeliveries, f.sentTwice, time.Since(began).Round(100*time.Millisecond))
}

// pauseOne stops an instance holding leases (SIGSTOP) until all of them are taken
// over, as a long pause, a migrated VM or a cut network would, with meanwhile
// (new mail) done while it is stopped, then lets it go on (SIGCONT): it must find its leases lost and stop working them, and nothing it
// had in hand may be committed for them (the final checks). It returns how long the
// takeover took: past the lease, Postgres may first have to end a transaction the
// pause left open (state's idle-in-transaction timeout).
func pauseOne(t *testing.T, db *state.DB, live []*daemonProcess, rng *rand.Rand, meanwhile func()) time.Duration {
	t.Helper()
	victim, held := pickVictim(t, db, live, rng)
	p := live[victim]
	if len(held) == 0 {
		t.Fatalf("no instance holds a lease to be paused")
	}
	stoppedAt := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	meanwhile()
	took, ok := waitTakenOver(db, p, held, stoppedAt, time.Duration(clusterLeaseSeconds)*time.Second+10*time.Second)
	if err := p.cmd.Process.Signal(syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	if !ok {
		t.Errorf("the paused instance's leases %v were not all taken over within %v", held, took)
		return took
	}
	t.Logf("run %d paused, holding %v: taken over after %v", p.run, held, took.Round(10*time.Millisecond))
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(readLog(p), "lease lost") {
		if time.Now().After(deadline) {
			t.Errorf("run %d went on after the pause without saying it lost its leases\n%s", p.run, p.logTail())
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	return took
}

// pickVictim draws the instance to kill, among those holding a lease at the
// moment when any does: the first to ask may well hold every mailbox, and killing
// one of the others tests nothing.
func pickVictim(t *testing.T, db *state.DB, live []*daemonProcess, rng *rand.Rand) (int, []string) {
	t.Helper()
	var holders []int
	held := map[int][]string{}
	for i, p := range live {
		if held[i] = leasesOf(t, db, p); len(held[i]) > 0 {
			holders = append(holders, i)
		}
	}
	if len(holders) == 0 {
		i := rng.IntN(len(live))
		return i, nil
	}
	i := holders[rng.IntN(len(holders))]
	return i, held[i]
}

// leasesOf lists the unexpired leases the instance p holds, as the state says.
func leasesOf(t *testing.T, db *state.DB, p *daemonProcess) []string {
	t.Helper()
	leases, err := db.Leases(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range leases {
		if l.Left > 0 && heldBy(l, p) {
			out = append(out, l.Name)
		}
	}
	return out
}

// heldBy: an instance names itself host/pid/random in the leases it holds.
func heldBy(l state.Lease, p *daemonProcess) bool {
	return strings.Contains(l.Holder, fmt.Sprintf("/%d/", p.cmd.Process.Pid))
}

// waitTakenOver waits until every lease in names is held, unexpired, by another
// instance than p; it returns how long after killedAt that was.
func waitTakenOver(db *state.DB, p *daemonProcess, names []string, killedAt time.Time, timeout time.Duration) (time.Duration, bool) {
	for time.Since(killedAt) < timeout {
		leases, err := db.Leases(context.Background())
		if err == nil {
			taken := 0
			for _, l := range leases {
				if slices.Contains(names, l.Name) && l.Left > 0 && !heldBy(l, p) {
					taken++
				}
			}
			if taken == len(names) {
				return time.Since(killedAt), true
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return time.Since(killedAt), false
}

// durationFigures sums sorted durations up: how many, the least, the median, the most.
func durationFigures(ds []time.Duration) string {
	if len(ds) == 0 {
		return "none measured"
	}
	r := func(d time.Duration) time.Duration { return d.Round(10 * time.Millisecond) }
	return fmt.Sprintf("%d measured, min %v, median %v, max %v", len(ds), r(ds[0]), r(ds[len(ds)/2]), r(ds[len(ds)-1]))
}
