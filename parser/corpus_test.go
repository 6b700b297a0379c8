package parser

import (
	"encoding/csv"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// corporaDir holds the shared third-party mail corpora; tests using it skip
// when it is absent and never copy its files.
const corporaDir = "../../shared/corpora"

func requireCorpora(t testing.TB) {
	t.Helper()
	if _, err := os.Stat(corporaDir); err != nil {
		t.Skipf("corpora not available at %s: %v", corporaDir, err)
	}
}

// corpusMailFiles lists every file under the corpora that holds a mail (or an
// mbox of mails): the datasets of customer utterances and the JSON oracles,
// licences and notes are left out.
func corpusMailFiles(t testing.TB) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(corporaDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case "asapp-abcd", "bitext-customer-support", "LICENSES":
				return filepath.SkipDir
			}
			return nil
		}
		name := strings.ToLower(d.Name())
		switch filepath.Ext(name) {
		case ".json", ".csv", ".md", ".py", ".rb", ".yml", ".yaml", ".go":
			return nil
		}
		for _, skip := range []string{"license", "notice", "copying", "readme", "sources"} {
			if strings.Contains(name, skip) {
				return nil
			}
		}
		files = append(files, path)
		return nil
	})
	if err != nil {
		t.Fatalf("walk corpora: %v", err)
	}
	return files
}

// TestParseCorpora runs every corpus mail through Parse: it must not panic, must
// return a Message, and must not hit an internal error.
func TestParseCorpora(t *testing.T) {
	requireCorpora(t)
	files := corpusMailFiles(t)
	var withErr, withProblems, noText, machine int
	for _, path := range files {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("read %s: %v", path, err)
		}
		msg, err := Parse(strings.NewReader(string(raw)), DefaultOptions())
		if msg == nil {
			t.Fatalf("%s: nil Message (err %v)", path, err)
		}
		for _, p := range msg.Problems {
			if strings.HasPrefix(p, internalProblem) {
				t.Errorf("%s: %s", path, p)
			}
		}
		if err != nil {
			withErr++
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrTooLarge) {
				t.Errorf("%s: error wraps no sentinel: %v", path, err)
			}
		}
		if len(msg.Problems) > 0 {
			withProblems++
		}
		if strings.TrimSpace(msg.Text) == "" {
			noText++
		}
		if msg.Machine != NotMachine {
			machine++
		}
	}
	t.Logf("corpora: %d files parsed, %d with error, %d with problems, %d without text, %d machine",
		len(files), withErr, withProblems, noText, machine)
}

// TestMachineDetectionSisimai checks Machine against the classes sisimai's file
// names imply (LABELS-derived.csv) and reports detected/total per class.
func TestMachineDetectionSisimai(t *testing.T) {
	requireCorpora(t)
	dir := filepath.Join(corporaDir, "sisimai-set-of-emails")
	f, err := os.Open(filepath.Join(dir, "LABELS-derived.csv"))
	if err != nil {
		t.Skipf("sisimai labels not available: %v", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("read labels: %v", err)
	}

	type tally struct{ total, ok, machine int }
	counts := map[string]*tally{}
	var misses []string
	for _, row := range rows[1:] {
		path, label := row[0], row[1]
		raw, err := os.ReadFile(filepath.Join(dir, path))
		if err != nil {
			t.Errorf("read %s: %v", path, err)
			continue
		}
		msg, _ := Parse(strings.NewReader(string(raw)), DefaultOptions())
		class, ok := expectedMachine(label, path, msg.Machine)
		c := counts[class]
		if c == nil {
			c = &tally{}
			counts[class] = c
		}
		c.total++
		if msg.Machine != NotMachine {
			c.machine++
		}
		if ok {
			c.ok++
		} else {
			misses = append(misses, path+" ("+class+", got "+string(msg.Machine)+", subject "+truncate(msg.Subject, 60)+")")
		}
	}
	classes := make([]string, 0, len(counts))
	for c := range counts {
		classes = append(classes, c)
	}
	sort.Strings(classes)
	for _, c := range classes {
		t.Logf("%-12s detected %d/%d (machine of any kind: %d)", c, counts[c].ok, counts[c].total, counts[c].machine)
	}
	for _, m := range misses {
		t.Logf("miss: %s", m)
	}

	minRate := map[string]float64{"bounce": 0.95, "auto-reply": 1, "arf": 1, "not-bounce": 1}
	for _, c := range classes {
		if rate := float64(counts[c].ok) / float64(counts[c].total); rate < minRate[c] {
			t.Errorf("%s: detected %.1f%%, want at least %.0f%%", c, 100*rate, 100*minRate[c])
		}
	}
}

// expectedMachine maps a sisimai label to a class name and whether got fits it.
// ARF abuse reports must be machine mail (mostly Bounce; Apple's unsubscribe
// report carries Auto-Submitted and is an AutoReply). Of the three
// "not bounce" files, two are ordinary mail and one (rb-issue-368) is a
// postmaster notification with Auto-Submitted, which is machine mail for the desk.
func expectedMachine(label, path string, got MachineKind) (class string, ok bool) {
	switch {
	case strings.HasPrefix(label, "bounce"):
		return "bounce", got == Bounce
	case label == "auto-reply":
		return "auto-reply", got == AutoReply
	case strings.HasPrefix(label, "feedback-report"):
		return "arf", got != NotMachine
	case label == "not-bounce":
		if strings.Contains(path, "rb-issue-368") {
			return "not-bounce", got != NotMachine
		}
		return "not-bounce", got == NotMachine
	}
	return label, false
}
