package mailbox

import (
	"testing"
	"time"

	"github.com/returnsdesk/returnsdesk/config"
)

// TestDigestRunsInEachStoresZone: digest_at 08:00 is a run at 08:00 in each store's
// own zone (alinora Shanghai, the others Amsterdam), across the change from summer
// time, not at the daemon's.
func TestDigestRunsInEachStoresZone(t *testing.T) {
	stores, err := config.Default().BuildStores("")
	if err != nil {
		t.Fatal(err)
	}
	scheds, err := digestSchedules("08:00", stores)
	if err != nil {
		t.Fatal(err)
	}
	if len(scheds) < 2 {
		t.Fatalf("%d digest schedules, want one per store zone", len(scheds))
	}
	// Saturday 24 October 2026, before the clocks go back in Europe on the 25th.
	from := time.Date(2026, 10, 24, 12, 0, 0, 0, time.UTC)
	want := map[string]bool{}
	for _, zone := range []string{"Asia/Shanghai", "Europe/Amsterdam"} {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatal(err)
		}
		for _, day := range []int{25, 26} {
			want[time.Date(2026, 10, day, 8, 0, 0, 0, loc).UTC().Format(time.RFC3339)] = true
		}
	}
	got := map[string]bool{}
	for _, s := range scheds {
		next := from
		for range 2 {
			next = s.Next(next)
			got[next.UTC().Format(time.RFC3339)] = true
		}
	}
	for w := range want {
		if !got[w] {
			t.Errorf("no digest run at %s (runs %v)", w, got)
		}
	}
	if _, err := digestSchedules("8 Uhr", stores); err == nil {
		t.Error("a digest_at that is no time of day was accepted")
	}
}
