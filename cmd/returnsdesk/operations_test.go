package main

import (
	"context"
	"errors"
	"github.com/returnsdesk/returnsdesk/state/statetest"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestOperations is the operations check on the built binary: `run --listen` serves
// /metrics (returnsdesk_ lines) and /healthz; a second `run` on the same state exits
// non-zero at once and names the first; `status` prints the mailboxes and the outbox.
func TestOperations(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds the binary and runs it")
	}
	bin := buildBinary(t)
	w := newCrashWorld(t)
	w.deliver(crashCorpus()[:20])
	first := w.start(bin, 1, "--listen", "127.0.0.1:0")
	listening := regexp.MustCompile(`serving /metrics and /healthz" addr=(\S+)`)
	var addr string
	deadline := time.Now().Add(15 * time.Second)
	for addr == "" {
		data, _ := os.ReadFile(first.log)
		if m := listening.FindSubmatch(data); m != nil && strings.Contains(string(data), "watching the mailbox") {
			addr = string(m[1])
			break
		}
		if time.Now().After(deadline) {
			data, _ := os.ReadFile(first.log)
			t.Fatalf("the first daemon did not start listening:\n%s", data)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if why := w.waitDone(first, 25*time.Second); why != "" {
		t.Fatalf("the backlog was not cleared: %s", why)
	}

	metrics := httpGet(t, "http://"+addr+"/metrics", http.StatusOK)
	for _, want := range []string{"returnsdesk_mails_decided_total{", "returnsdesk_mails_sent_total{", "returnsdesk_outbox_messages{status=\"pending\"} 0",
		"returnsdesk_imap_connected{", "returnsdesk_healthy 1"} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics has no %q", want)
		}
	}
	httpGet(t, "http://"+addr+"/healthz", http.StatusOK)

	// One daemon per state file: a second run is refused, naming the first. (On a
	// shared Postgres state a second instance is welcome and waits for leases: the
	// cluster tests hold that.)
	if !statetest.OnPostgres() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		out, err := exec.CommandContext(ctx, bin, "run", "--config", w.config).CombinedOutput()
		if ctx.Err() != nil {
			t.Fatalf("the second run did not exit within 10s:\n%s", out)
		}
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() == 0 {
			t.Fatalf("the second run: %v, want a non-zero exit\n%s", err, out)
		}
		if pid := "pid " + strconv.Itoa(first.cmd.Process.Pid); !strings.Contains(string(out), pid) {
			t.Errorf("the refusal does not name the running daemon (%s):\n%s", pid, out)
		}
		t.Logf("second run refused: %s", strings.TrimSpace(string(out)))
	}

	status, err := exec.Command(bin, "status", "--config", w.config).CombinedOutput()
	if err != nil {
		t.Fatalf("status: %v\n%s", err, status)
	}
	for _, want := range []string{"support@luminahelp.com/INBOX", "ago)", "outbox: sent "} {
		if !strings.Contains(string(status), want) {
			t.Errorf("status has no %q:\n%s", want, status)
		}
	}
	t.Logf("status:\n%s", status)
	first.stop()
}

func httpGet(t *testing.T, url string, want int) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("%s: %d, want %d\n%s", url, resp.StatusCode, want, body)
	}
	return string(body)
}
