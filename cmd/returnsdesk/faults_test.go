//go:build linux

package main

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/returnsdesk/returnsdesk/state"
	"github.com/returnsdesk/returnsdesk/state/statetest"
)

// TestFaults runs one backlog three ways, on Dovecot where it is installed: clean; with SIGKILLs (and restarts); with
// the state's files capped (RLIMIT_FSIZE, as a full disk) part way and freed later.
// After each fault every customer the clean run answered is answered, none twice (a
// kill may double only the reply in the window between the server's 250 and the
// record, byte for byte), no Sent copy twice, no good mail flagged as bad; while the
// state was full the daemon paused with one clear error instead of looping.
// TestCrashConsistency kills at random points of a backlog delivered in parts.
func TestFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds the binary and runs it twice over a backlog")
	}
	bin := buildBinary(t)
	mails := crashCorpus()

	// A real Dovecot where there is one (the mailbox a store really has), else the
	// in-process server.
	logged := false
	world := func() *crashWorld {
		w, ok := newDovecotCrashWorld(t)
		if !logged {
			logged = true
			if ok {
				t.Log("against Dovecot")
			} else {
				t.Log("against the in-process IMAP server (dovecot not installed: apt-get install dovecot-imapd)")
			}
		}
		if !ok {
			w = newCrashWorld(t)
		}
		return w
	}
	run := func(name string, fault func(p *daemonProcess, w *crashWorld) *daemonProcess) (crashFigures, string) {
		t.Helper()
		w := world()
		w.deliver(mails)
		p := w.start(bin, 1)
		if fault != nil {
			p = fault(p, w)
		}
		if why := w.waitDone(p, 60*time.Second); why != "" {
			t.Fatalf("%s: not done within 60s: %s\n%s", name, why, p.logTail())
		}
		p.stop()
		db, err := state.Open(context.Background(), w.statePath)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		log, _ := os.ReadFile(p.log)
		return w.check(db, mails), string(log)
	}

	clean, _ := run("clean", nil)
	const kills = 4
	killed, _ := run("SIGKILL", func(p *daemonProcess, w *crashWorld) *daemonProcess {
		for i := range kills {
			time.Sleep(time.Duration(150+100*i) * time.Millisecond)
			p.kill()
			p = w.start(bin, i+2)
		}
		return p
	})
	t.Logf("SIGKILL ×%d: %d answered, %d replies, %d delivered twice, %d Sent copies twice", kills,
		killed.answered, killed.replies, killed.redeliveries, killed.sentTwice)
	if killed.answered != clean.answered {
		t.Errorf("SIGKILL: %d mails answered, the clean run %d", killed.answered, clean.answered)
	}
	if killed.redeliveries > kills || killed.sentTwice > 0 {
		t.Errorf("SIGKILL: %d replies delivered twice (at most one per kill), %d copies filed twice (none)", killed.redeliveries, killed.sentTwice)
	}
	if statetest.OnPostgres() {
		// The full disk is a limit on the SQLite file the daemon writes; a Postgres
		// server's disk is its own (the state tests hold its class-53 errors to the
		// same storage gate).
		t.Log("full disk: not on Postgres")
		return
	}
	full, log := run("full disk", func(p *daemonProcess, w *crashWorld) *daemonProcess {
		// Part way: once the daemon has decided some of the backlog.
		for strings.Count(readLog(p), `msg="message handled"`) < 20 {
			time.Sleep(5 * time.Millisecond)
		}
		info, err := os.Stat(w.statePath)
		if err != nil {
			t.Fatal(err)
		}
		// A little room beyond what the state holds now: it fills within the backlog.
		limit := uint64(info.Size() + 192<<10)
		if err := unix.Prlimit(p.cmd.Process.Pid, unix.RLIMIT_FSIZE, &unix.Rlimit{Cur: limit, Max: unix.RLIM_INFINITY}, nil); err != nil {
			t.Skipf("cannot cap the daemon's file size (prlimit): %v", err)
		}
		deadline := time.Now().Add(30 * time.Second)
		for !strings.Contains(readLog(p), "the state cannot be written") {
			if time.Now().After(deadline) {
				t.Fatalf("the state never filled up:\n%s", p.logTail())
			}
			time.Sleep(20 * time.Millisecond)
		}
		// Full for a while: the daemon must wait, not loop.
		time.Sleep(2 * time.Second)
		if err := unix.Prlimit(p.cmd.Process.Pid, unix.RLIMIT_FSIZE, &unix.Rlimit{Cur: unix.RLIM_INFINITY, Max: unix.RLIM_INFINITY}, nil); err != nil {
			t.Fatal(err)
		}
		return p
	})
	t.Logf("clean: %d answered, %d replies; full disk: %d answered, %d replies, %d delivered twice, %d Sent copies twice",
		clean.answered, clean.replies, full.answered, full.replies, full.redeliveries, full.sentTwice)
	if full.answered != clean.answered {
		t.Errorf("full disk: %d mails answered, the clean run %d", full.answered, clean.answered)
	}
	if full.redeliveries > 0 || full.sentTwice > 0 {
		t.Errorf("full disk: %d replies delivered twice, %d copies filed twice: want none", full.redeliveries, full.sentTwice)
	}
	if n := strings.Count(log, "the state cannot be written"); n != 1 {
		t.Errorf("the pause was announced %d times, want once (a pause, not a loop)", n)
	}
	if !strings.Contains(log, "the state takes writes again") {
		t.Error("the daemon did not say it resumed")
	}
	if strings.Contains(log, "desk_failed") {
		t.Error("a good mail was flagged as bad because the state was full")
	}
}

func readLog(p *daemonProcess) string {
	data, _ := os.ReadFile(p.log)
	return string(data)
}
