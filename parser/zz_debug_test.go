//go:build parserdebug

package parser

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDebugCorpora(t *testing.T) {
	for _, path := range corpusMailFiles(t) {
		raw, _ := os.ReadFile(path)
		msg, err := Parse(strings.NewReader(string(raw)), DefaultOptions())
		if err != nil || strings.TrimSpace(msg.Text) == "" || os.Getenv("ALL") != "" {
			t.Logf("%s: err=%v machine=%q text=%d atts=%d problems=%q", strings.TrimPrefix(path, corporaDir), err, msg.Machine, len(msg.Text), len(msg.Attachments), msg.Problems)
		}
	}
}

func TestDebugFixtures(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.eml")
	for _, path := range files {
		raw, _ := os.ReadFile(path)
		msg, err := Parse(strings.NewReader(string(raw)), DefaultOptions())
		t.Logf("==== %s err=%v\nID=%q IRT=%q Refs=%q From=%+v RP=%q Rcpt=%q Subj=%q Date=%v\nMachine=%q BounceOf=%q Photos=%d Atts=%+v Tracking=%+v Problems=%q\n--- Text:\n%s\n--- Fresh:\n%s", path, err, msg.MessageID, msg.InReplyTo, msg.References, msg.From, msg.ReturnPath, msg.Recipients, msg.Subject, msg.Date, msg.Machine, msg.BounceOf, msg.Photos, msg.Attachments, msg.Tracking, msg.Problems, msg.Text, msg.FreshText)
	}
}

func FuzzParseSlow(f *testing.F) {
	fixtures, _ := filepath.Glob("testdata/*.eml")
	for _, p := range fixtures {
		if raw, err := os.ReadFile(p); err == nil {
			f.Add(raw)
		}
	}
	files := corpusMailFiles(f)
	step := len(files)/fuzzCorpusSeeds + 1
	for i := 0; i < len(files); i += step {
		if raw, err := os.ReadFile(files[i]); err == nil && len(raw) < 256<<10 {
			f.Add(raw)
		}
	}
	opts := Options{MaxSize: 1 << 20, MaxParts: 50, MaxDepth: 5, MaxHeaderBytes: 64 << 10}
	f.Fuzz(func(t *testing.T, data []byte) {
		start := time.Now()
		Parse(bytes.NewReader(data), opts)
		if d := time.Since(start); d > 500*time.Millisecond {
			t.Fatalf("slow: %v for %d bytes", d, len(data))
		}
	})
}

func TestDebugHugeText(t *testing.T) {
	line := "Hello I want to return order AL-204518 1Z 999 AA1 01 2345 6784 and 12345 67890 call 0612345678.\n"
	for _, body := range []string{strings.Repeat(line, 200000), strings.Repeat("a", 20<<20), strings.Repeat("1 ", 10<<20), strings.Repeat("> q\n", 5<<20)} {
		raw := "From: a@b.c\nSubject: x\n\n" + body
		start := time.Now()
		msg, err := Parse(strings.NewReader(raw), DefaultOptions())
		t.Logf("%d bytes: %v err=%v tracking=%d", len(raw), time.Since(start), err, len(msg.Tracking))
		start = time.Now()
		FindOrderNumbers(body, OrderPattern{MinDigits: 4, MaxDigits: 6})
		t.Logf("  orders %v", time.Since(start))
	}
	html := "<html><body>" + strings.Repeat("<div><b>x</b> <blockquote>y<br></blockquote></div>", 300000) + "</body></html>"
	start := time.Now()
	HTMLToText(html)
	t.Logf("html %d bytes: %v", len(html), time.Since(start))
}
