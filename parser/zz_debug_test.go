//go:build parserdebug

package parser

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
