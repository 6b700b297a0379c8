package demo

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestDemo runs the demo end to end and checks every sample mail was decided as
// mail/expect.tsv says and that the replies went out and were filed.
func TestDemo(t *testing.T) {
	var out bytes.Buffer
	if err := Run(context.Background(), &out, nil, time.Minute); err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	expect, err := os.ReadFile("mail/expect.tsv")
	if err != nil {
		t.Fatal(err)
	}
	decided := regexp.MustCompile(`(?m)^━━━ (\S+)[\s\S]*?⇒ (\S+) / (\S+)`).FindAllStringSubmatch(out.String(), -1)
	got := map[string]string{}
	for _, m := range decided {
		got[m[1]] = m[2] + "/" + m[3]
	}
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(string(expect)), "\n") {
		cols := strings.Split(line, "\t")
		if len(cols) < 3 {
			continue
		}
		n++
		if want := cols[1] + "/" + cols[2]; got[cols[0]] != want {
			t.Errorf("%s: decided %q, want %q", cols[0], got[cols[0]], want)
		}
	}
	if n != len(got) {
		t.Errorf("%d mails decided, %d expected", len(got), n)
	}
	if !strings.Contains(out.String(), "15 replies sent by SMTP, 15 copies in the stores' Sent folders") {
		t.Errorf("summary line wrong:\n%s", out.String()[max(0, out.Len()-300):])
	}
}
