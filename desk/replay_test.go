package desk_test

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/returnsdesk/returnsdesk/config"
	"github.com/returnsdesk/returnsdesk/desk"
	"github.com/returnsdesk/returnsdesk/responder"
	"github.com/returnsdesk/returnsdesk/state"
	"github.com/returnsdesk/returnsdesk/state/statetest"
	"github.com/returnsdesk/returnsdesk/templates"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// newTestDesk builds a desk over the built-in stores with the fixture orders, a fresh
// in-memory state and a seeded random source, so RANs and Message-IDs are stable.
func newTestDesk(t testing.TB, ordersDir string, edit ...func(*desk.Store)) *desk.Desk {
	t.Helper()
	return newTestDeskOpts(t, ordersDir, desk.Options{}, edit...)
}

// newTestDeskOpts is newTestDesk with options (Rand is always the seeded source).
func newTestDeskOpts(t testing.TB, ordersDir string, opts desk.Options, edit ...func(*desk.Store)) *desk.Desk {
	t.Helper()
	d, _ := deskOn(t, statetest.State(t, ""), ordersDir, [32]byte{'r', 'e', 't', 'u', 'r', 'n', 's'}, opts, edit...)
	return d
}

// deskOn builds a desk of the built-in stores on the state st, with its own pool and
// seeded random source.
func deskOn(t testing.TB, st, ordersDir string, seed [32]byte, opts desk.Options, edit ...func(*desk.Store)) (*desk.Desk, *state.DB) {
	t.Helper()
	stores, err := config.Default().BuildStores(ordersDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stores {
		for _, e := range edit {
			e(s)
		}
	}
	db, err := state.Open(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	renderer, err := responder.NewRenderer(templates.FS, "")
	if err != nil {
		t.Fatal(err)
	}
	opts.Rand = rand.NewChaCha8(seed)
	return desk.New(stores, db, renderer, opts), db
}

// expectation is one line of a store's expect.tsv, written from SPEC.md by someone
// who did not read the engine: action and code may list alternatives with '|'.
type expectation struct {
	file, action, code, flagged, disclosed, why string
}

// allows reports whether action/code is one of the expected pairs; alternatives in the
// action and code columns pair by position ("reject|reject", "non_returnable|final_sale").
func (e expectation) allows(action, code string) bool {
	actions, codes := strings.Split(e.action, "|"), strings.Split(e.code, "|")
	for i, c := range codes {
		a := actions[min(i, len(actions)-1)]
		if a == action && c == code {
			return true
		}
	}
	return false
}

func readExpectations(t *testing.T, path string) map[string]expectation {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]expectation{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "file\t") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) < 5 {
			t.Fatalf("%s:%d: want at least 5 tab-separated columns, got %d", path, n, len(cols))
		}
		e := expectation{file: cols[0], action: cols[1], code: cols[2], flagged: cols[3], disclosed: cols[4]}
		if len(cols) > 5 {
			e.why = cols[5]
		}
		out[e.file] = e
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestReplayFixtures(t *testing.T) {
	root := filepath.Join("..", "testdata", "replay")
	dirs, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, dir := range dirs {
		if !dir.IsDir() {
			continue
		}
		store := dir.Name()
		t.Run(store, func(t *testing.T) {
			d := newTestDesk(t, filepath.Join("..", "testdata", "orders"))
			files, err := desk.ReplayFiles([]string{filepath.Join(root, store)})
			if err != nil {
				t.Fatal(err)
			}
			want := readExpectations(t, filepath.Join(root, store, "expect.tsv"))
			var golden strings.Builder
			var results []*desk.Result
			err = d.Replay(context.Background(), files, desk.ReplayOptions{}, func(v any) error {
				switch r := v.(type) {
				case *desk.Result:
					results = append(results, r)
					writeGolden(&golden, r)
				default:
					return fmt.Errorf("unexpected replay output %#v", v)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range results {
				total++
				name := filepath.Base(r.File)
				e, ok := want[name]
				if !ok {
					t.Errorf("%s: no line in expect.tsv", name)
					continue
				}
				delete(want, name)
				got := fmt.Sprintf("%s/%s flagged=%t disclosed=%t", r.Action, r.Code, r.Flagged, r.AddressDisclosed)
				if !e.allows(r.Action, r.Code) || e.flagged != fmt.Sprint(r.Flagged) || e.disclosed != fmt.Sprint(r.AddressDisclosed) {
					t.Errorf("%s: got %s, want %s/%s flagged=%s disclosed=%s (%s)\n\tintent=%s reason=%s lang=%s order=%q why: %s",
						name, got, e.action, e.code, e.flagged, e.disclosed, e.why, r.Intent, r.Reason, r.Language, r.Order, r.Why)
				}
			}
			for name := range want {
				t.Errorf("%s: in expect.tsv but not replayed", name)
			}
			compareGolden(t, filepath.Join("..", "testdata", "golden", store+".txt"), golden.String())
		})
	}
	t.Logf("%d fixture mails replayed", total)
}

// writeGolden renders a result the way a reviewer reads it in a diff.
func writeGolden(b *strings.Builder, r *desk.Result) {
	fmt.Fprintf(b, "=== %s\n", filepath.Base(r.File))
	fmt.Fprintf(b, "from: %s  order: %s  intent: %s  reason: %s  language: %s\n", r.From, r.Order, r.Intent, r.Reason, r.Language)
	fmt.Fprintf(b, "decision: %s/%s  ran: %s  flagged: %t  address_disclosed: %t\n", r.Action, r.Code, r.RAN, r.Flagged, r.AddressDisclosed)
	fmt.Fprintf(b, "why: %s\n", r.Why)
	if r.Reply != nil {
		fmt.Fprintf(b, "--- reply to %s (%s): %s\n%s", r.Reply.To, r.Reply.Language, r.Reply.Subject, r.Reply.Body)
	}
	b.WriteString("\n")
}

func compareGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./desk -run TestReplayFixtures -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from this run (go test ./desk -run TestReplayFixtures -update rewrites it; review the diff):\n%s",
			path, firstDifference(string(want), got))
	}
}

func firstDifference(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\n  want: %s\n  got:  %s", i+1, w, g)
		}
	}
	return "(no line differs)"
}
