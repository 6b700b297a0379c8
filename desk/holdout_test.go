package desk_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/returnsdesk/returnsdesk/desk"
)

// TestHoldoutScore replays testdata/holdout — mail written from the specification
// after the classifier, never tuned against — on the built-in orders and reports the
// share decided as expected. It guards against regressions with a floor; it is a
// measure, so failures here are fixed in general mechanisms, never per mail.
func TestHoldoutScore(t *testing.T) {
	root := filepath.Join("..", "testdata", "holdout")
	dirs, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	total, right := 0, 0
	for _, dir := range dirs {
		if !dir.IsDir() {
			continue
		}
		want := readExpectations(t, filepath.Join(root, dir.Name(), "expect.tsv"))
		files, err := desk.ReplayFiles([]string{filepath.Join(root, dir.Name())})
		if err != nil {
			t.Fatal(err)
		}
		d := newTestDesk(t, "")
		err = d.Replay(context.Background(), files, desk.ReplayOptions{}, func(v any) error {
			r, ok := v.(*desk.Result)
			if !ok {
				return nil
			}
			total++
			e := want[filepath.Base(r.File)]
			if e.allows(r.Action, r.Code) && e.flagged == fmt.Sprint(r.Flagged) && e.disclosed == fmt.Sprint(r.AddressDisclosed) {
				right++
			} else {
				t.Logf("%s/%s: %s/%s, expected %s/%s", dir.Name(), filepath.Base(r.File), r.Action, r.Code, e.action, e.code)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("held-out score: %d/%d", right, total)
	if total < 70 || right*100 < total*85 {
		t.Errorf("held-out score %d/%d is below the 85%% floor", right, total)
	}
}
