package desk_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/returnsdesk/returnsdesk/desk"
)

// A scored set is mail written from the specification alone by someone who never saw
// the code (testdata/holdout, testdata/blind-*): one directory per store, each with
// an expect.tsv, replayed against one fresh state each. The sets are measures, never
// tuning material: a failure is fixed in a general mechanism, never for its mail.

// scoredRow is one expected decision. Columns come from the header line when there is
// one (file action code flagged address_disclosed language why), else in that order
// without language (the first held-out set).
type scoredRow struct {
	expectation
	language string
}

func readScoredSet(t *testing.T, path string) map[string]scoredRow {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cols := []string{"file", "action", "code", "flagged", "address_disclosed", "why"}
	out := map[string]scoredRow{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, "\t")
		if fields[0] == "file" {
			cols = fields
			continue
		}
		get := func(name string) string {
			if i := slices.Index(cols, name); i >= 0 && i < len(fields) {
				return strings.TrimSpace(fields[i])
			}
			return ""
		}
		r := scoredRow{expectation: expectation{file: get("file"), action: get("action"), code: get("code"),
			flagged: get("flagged"), disclosed: get("address_disclosed"), why: get("why")}, language: get("language")}
		if r.file == "" || r.action == "" {
			t.Fatalf("%s:%d: no file or action", path, n)
		}
		out[r.file] = r
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// tally counts right decisions out of all, per key.
type tally struct{ right, total int }

func (c tally) String() string {
	if c.total == 0 {
		return "-"
	}
	return fmt.Sprintf("%d/%d (%.0f%%)", c.right, c.total, 100*float64(c.right)/float64(c.total))
}

// scoreCard is a set's result: decisions right (action and code; flagged and
// address_disclosed are counted apart), per store, expected action and language, and
// the refusals of mail that should not have been refused.
type scoreCard struct {
	all, flags    tally
	byStore       map[string]*tally
	byAction      map[string]*tally
	byLanguage    map[string]*tally
	wrongRefusals []string
	misses        []string
}

func (sc *scoreCard) add(m map[string]*tally, key string, right bool) {
	c := m[key]
	if c == nil {
		c = &tally{}
		m[key] = c
	}
	c.total++
	if right {
		c.right++
	}
}

// scoreSet replays every store directory of root (orders from ordersDir, or the
// built-in ones when empty) and scores it.
func scoreSet(t *testing.T, root, ordersDir string) *scoreCard {
	t.Helper()
	card := &scoreCard{byStore: map[string]*tally{}, byAction: map[string]*tally{}, byLanguage: map[string]*tally{}}
	dirs, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range dirs {
		if !dir.IsDir() || dir.Name() == "orders" {
			continue
		}
		if _, err := os.Stat(filepath.Join(root, dir.Name(), "expect.tsv")); err != nil {
			t.Logf("%s: no expect.tsv, not scored", dir.Name())
			continue
		}
		want := readScoredSet(t, filepath.Join(root, dir.Name(), "expect.tsv"))
		files, err := desk.ReplayFiles([]string{filepath.Join(root, dir.Name())})
		if err != nil {
			t.Fatal(err)
		}
		d := newTestDesk(t, ordersDir)
		err = d.Replay(context.Background(), files, desk.ReplayOptions{}, func(v any) error {
			r, ok := v.(*desk.Result)
			if !ok {
				return nil
			}
			name := filepath.Base(r.File)
			e, ok := want[name]
			if !ok {
				t.Errorf("%s/%s: not in expect.tsv", dir.Name(), name)
				return nil
			}
			right := e.allows(r.Action, r.Code)
			card.all.total++
			card.flags.total++
			if right {
				card.all.right++
			} else {
				card.misses = append(card.misses, fmt.Sprintf("%s/%s: %s/%s, expected %s/%s (%s)", dir.Name(), name, r.Action, r.Code, e.action, e.code, r.Why))
			}
			if slices.Contains(strings.Split(e.flagged, "|"), fmt.Sprint(r.Flagged)) &&
				slices.Contains(strings.Split(e.disclosed, "|"), fmt.Sprint(r.AddressDisclosed)) {
				card.flags.right++
			}
			card.add(card.byStore, dir.Name(), right)
			card.add(card.byAction, strings.SplitN(e.action, "|", 2)[0], right)
			if e.language != "" {
				card.add(card.byLanguage, e.language, right)
			}
			if r.Action == "reject" && !slices.Contains(strings.Split(e.action, "|"), "reject") {
				card.wrongRefusals = append(card.wrongRefusals, fmt.Sprintf("%s/%s: reject/%s, expected %s/%s", dir.Name(), name, r.Code, e.action, e.code))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return card
}

// report logs the score card.
func (sc *scoreCard) report(t *testing.T, name string) {
	t.Helper()
	for _, m := range sc.misses {
		t.Log("  miss " + m)
	}
	for _, w := range sc.wrongRefusals {
		t.Log("  WRONG REFUSAL " + w)
	}
	line := func(label string, m map[string]*tally) {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		var parts []string
		for _, k := range keys {
			parts = append(parts, k+" "+m[k].String())
		}
		t.Logf("  %-9s %s", label, strings.Join(parts, ", "))
	}
	t.Logf("%s: %s decisions right; flagged and address_disclosed right %s; %d wrong refusals", name, sc.all, sc.flags, len(sc.wrongRefusals))
	line("store", sc.byStore)
	line("action", sc.byAction)
	line("language", sc.byLanguage)
}

// TestScoreDir scores any set: RETURNSDESK_SCORE_DIR=path [RETURNSDESK_SCORE_ORDERS=dir]
// go test ./desk -run TestScoreDir -v. The set's orders default to root/orders when
// that exists.
func TestScoreDir(t *testing.T) {
	root := os.Getenv("RETURNSDESK_SCORE_DIR")
	if root == "" {
		t.Skip("set RETURNSDESK_SCORE_DIR to score a set of mails")
	}
	orders := os.Getenv("RETURNSDESK_SCORE_ORDERS")
	if orders == "" {
		if st, err := os.Stat(filepath.Join(root, "orders")); err == nil && st.IsDir() {
			orders = filepath.Join(root, "orders")
		}
	}
	scoreSet(t, root, orders).report(t, root)
}

// TestBlindSetScores holds the blind sets written from the specification as
// regression floors: each must keep its share of right decisions, and none may ever
// refuse a customer it should not have (a wrong refusal fails the test outright).
func TestBlindSetScores(t *testing.T) {
	for _, set := range []struct {
		dir   string
		floor int // per cent of decisions right
	}{
		{"blind-1", 95},
		{"blind-2", 95},
		{"blind-3", 95},
		{"blind-4", 95},
		{"blind-5", 95},
		{"blind-6", 95},
		{"blind-7", 95},
		{"blind-8", 95},
		{"blind-9", 95},
		{"blind-10", 95},
		{"blind-11", 95},
		{"blind-12", 92}, // the later fresh sets: their misses go to staff (their README.md)
		{"blind-13", 88},
		{"blind-14", 95},
		{"blind-15", 95},
		{"blind-16", 95},
		{"blind-17", 95},
		{"blind-18", 95},
		{"blind-19", 95},
		{"blind-20", 95},
		{"blind-21", 92},
		{"blind-22", 95},
		{"blind-23", 88}, // partly worked through (README.md)
		{"blind-24", 95},
		{"blind-25", 95},
		{"blind-26", 95},
	} {
		t.Run(set.dir, func(t *testing.T) {
			root := filepath.Join("..", "testdata", set.dir)
			card := scoreSet(t, root, filepath.Join(root, "orders"))
			card.report(t, set.dir)
			if card.all.total == 0 || card.all.right*100 < card.all.total*set.floor {
				t.Errorf("%s: %s right, below the %d%% floor", set.dir, card.all, set.floor)
			}
			if len(card.wrongRefusals) > 0 {
				t.Errorf("%s: %d wrong refusals", set.dir, len(card.wrongRefusals))
			}
		})
	}
}
