package classify

import (
	"encoding/csv"
	"errors"
	"io/fs"
	"os"
	"testing"
)

// bitextCSV is Bitext's English customer-support utterances (a subset kept in the
// shared corpora, never copied into the repository).
const bitextCSV = "../../shared/corpora/bitext-customer-support/Bitext_Sample_Customer_Support_Training_Dataset.subset.csv"

// bitextIntents maps Bitext's labels to ours; every other label (check_refund_policy,
// complaint, track_order, ...) counts as none of the three measured intents.
var bitextIntents = map[string]Intent{
	"cancel_order": IntentCancel,
	"get_refund":   IntentReturn,
	"track_refund": IntentRefundStatus,
}

type intentTally struct{ tp, fp, fn int }

func (t intentTally) precision() float64 { return ratio(t.tp, t.tp+t.fp) }
func (t intentTally) recall() float64    { return ratio(t.tp, t.tp+t.fn) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// TestClassifyBitext measures precision and recall of cancel, return and
// refund_status on the corpus. Even rows were read while the lexicon was written; odd
// rows were not, so the odd split is the honest estimate. The floors are generous:
// they catch a broken classifier, not a slightly worse one.
func TestClassifyBitext(t *testing.T) {
	f, err := os.Open(bitextCSV)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("Bitext corpus not present at %s", bitextCSV)
	}
	if err != nil {
		t.Fatalf("open corpus: %v", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("read corpus: %v", err)
	}
	if len(rows) < 2 {
		t.Fatalf("corpus has %d rows", len(rows))
	}
	header := map[string]int{}
	for i, h := range rows[0] {
		header[h] = i
	}
	textCol, okText := header["instruction"]
	labelCol, okLabel := header["intent"]
	if !okText || !okLabel {
		t.Fatalf("corpus header %v lacks instruction/intent", rows[0])
	}

	measured := []Intent{IntentCancel, IntentReturn, IntentRefundStatus}
	splits := map[string]map[Intent]*intentTally{"all": {}, "seen (even rows)": {}, "held out (odd rows)": {}}
	for _, m := range splits {
		for _, in := range measured {
			m[in] = &intentTally{}
		}
	}
	confident, total := 0, 0
	var misses []string
	for i, row := range rows[1:] {
		want := bitextIntents[row[labelCol]]
		got := Read("", row[textCol])
		total++
		if got.Confidence >= ConfidenceThreshold {
			confident++
		}
		split := "seen (even rows)"
		if i%2 == 1 {
			split = "held out (odd rows)"
		}
		for _, name := range []string{"all", split} {
			for _, in := range measured {
				tally := splits[name][in]
				switch {
				case got.Intent == in && want == in:
					tally.tp++
				case got.Intent == in:
					tally.fp++
				case want == in:
					tally.fn++
				}
			}
		}
		if (want != "" || got.Intent == IntentCancel || got.Intent == IntentReturn || got.Intent == IntentRefundStatus) &&
			got.Intent != want && len(misses) < 400 && i%2 == 0 {
			misses = append(misses, row[labelCol]+" -> "+string(got.Intent)+": "+row[textCol])
		}
	}

	for _, name := range []string{"all", "seen (even rows)", "held out (odd rows)"} {
		for _, in := range measured {
			tl := splits[name][in]
			t.Logf("%-20s %-14s precision %.3f recall %.3f (tp %d fp %d fn %d)",
				name, in, tl.precision(), tl.recall(), tl.tp, tl.fp, tl.fn)
		}
	}
	t.Logf("confident (>= %.2f) on %d of %d utterances", ConfidenceThreshold, confident, total)
	if testing.Verbose() {
		for _, m := range misses {
			t.Logf("miss on a seen row: %s", m)
		}
	}

	floors := map[Intent]struct{ precision, recall float64 }{
		IntentCancel:       {0.9, 0.8},
		IntentReturn:       {0.45, 0.7},
		IntentRefundStatus: {0.8, 0.25},
	}
	for _, in := range measured {
		tl := splits["all"][in]
		if fl := floors[in]; tl.precision() < fl.precision || tl.recall() < fl.recall {
			t.Errorf("%s: precision %.3f recall %.3f, floor %.2f / %.2f",
				in, tl.precision(), tl.recall(), fl.precision, fl.recall)
		}
	}
}
