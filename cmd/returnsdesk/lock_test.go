package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestSecondRunIsRefused is the operations check: while one daemon runs on a state, a
// second `run` on the same state exits non-zero at once and names the first.
func TestSecondRunIsRefused(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds the binary and runs it")
	}
	bin := buildBinary(t)
	w := newCrashWorld(t)
	first := w.start(bin, 1)
	waitLog := time.Now().Add(15 * time.Second)
	for {
		data, _ := os.ReadFile(first.log)
		if strings.Contains(string(data), "watching the mailbox") {
			break
		}
		if time.Now().After(waitLog) {
			t.Fatalf("the first daemon did not start:\n%s", first.logTail())
		}
		time.Sleep(20 * time.Millisecond)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	second := exec.CommandContext(ctx, bin, "run", "--config", w.config)
	out, err := second.CombinedOutput()
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
	first.stop()
}
