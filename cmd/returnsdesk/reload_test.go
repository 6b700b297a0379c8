package main

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestReloadOnSIGHUP: SIGHUP puts a good new configuration into service (a staff
// address added is staff from then on), refuses a bad one and one that would need a
// restart with the reason, and the daemon keeps running on the configuration before.
func TestReloadOnSIGHUP(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds the binary and runs it")
	}
	bin := buildBinary(t)
	w := newCrashWorld(t)
	good := w.configText()
	mail := func(id string) {
		w.deliver([]crashMail{{inbox: crashInboxes[4], id: id, at: time.Now(),
			raw: mailBytes("support@luxnome.example", "Bob", "bob@luxnome.example", "note", "Please keep this for me.", id, time.Now(), false)}})
	}
	mail("before-reload@luxnome.example")
	p := w.start(bin, 1)
	logHas := func(what string, n int) func() (bool, string) {
		return func() (bool, string) {
			data, _ := os.ReadFile(p.log)
			// A daemon on a shared state names its instance in every line.
			got := strings.Count(instanceField.ReplaceAllString(string(data), ""), what)
			return got >= n, fmt.Sprintf("%d× %q", got, what)
		}
	}
	wait := func(what string, cond func() (bool, string)) {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for {
			ok, last := cond()
			if ok {
				return
			}
			if time.Now().After(deadline) {
				data, _ := os.ReadFile(p.log)
				t.Fatalf("timed out waiting for %s (%s)\n%s", what, last, data)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	hup := func() {
		t.Helper()
		if err := p.cmd.Process.Signal(syscall.SIGHUP); err != nil {
			t.Fatal(err)
		}
	}
	write := func(text string) {
		t.Helper()
		if err := os.WriteFile(w.config, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	wait("bob as a customer", logHas("msg=\"message handled\" store=luxnome mailbox=support@luxnome.example uid=1 message_id=before-reload@luxnome.example", 1))

	// A bad configuration: refused, naming the key, and the daemon still answers.
	write(strings.Replace(good, `poll_interval = "200ms"`, `poll_interval = "soon"`, 1))
	hup()
	wait("the refusal", logHas("new configuration refused", 1))
	if data, _ := os.ReadFile(p.log); !strings.Contains(string(data), "poll_interval") {
		t.Errorf("the refusal does not name the wrong key:\n%s", p.logTail())
	}
	// One that changes the connections: refused until a restart.
	write(strings.Replace(good, `poll_interval = "200ms"`, `poll_interval = "2s"`, 1))
	hup()
	wait("the second refusal", logHas("need a restart: daemon", 1))

	// A good one: bob becomes staff.
	write(strings.Replace(good, `staff = ["anna@luxnome.example"]`, `staff = ["anna@luxnome.example", "bob@luxnome.example"]`, 1))
	hup()
	wait("the reload", logHas("configuration reloaded", 1))
	mail("after-reload@luxnome.example")
	wait("bob as staff", logHas("message_id=after-reload@luxnome.example order=\"\" action=ignore code=staff", 1))
	p.stop()
}

var instanceField = regexp.MustCompile(` instance=\S+`)
