package orders

import (
	"io/fs"
	"slices"
	"strings"
	"testing"
	"time"
)

// The stores' time zones and order-number shapes, from SPEC §4.
var defaultStores = map[string]struct {
	tz      string
	example string // the SPEC's example order number
}{
	"alinora":   {"Asia/Shanghai", "AL-204518"},
	"alustoora": {"America/Chicago", "#10234"},
	"alusse":    {"Europe/Paris", "ALS10482"},
	"luxnome":   {"Europe/Amsterdam", "LX100233"},
	"lumina":    {"Europe/Amsterdam", "LW-58213"},
}

func TestDefaultStores(t *testing.T) {
	var want []string
	for id := range defaultStores {
		want = append(want, id)
	}
	slices.Sort(want)
	if got := DefaultStores(); !slices.Equal(got, want) {
		t.Errorf("DefaultStores() = %v, want %v", got, want)
	}
	if _, err := LoadDefault("nosuchstore"); err == nil {
		t.Error("LoadDefault of an unknown store: want an error")
	}
}

func TestDefaultData(t *testing.T) {
	readme, err := fs.ReadFile(Defaults(), "README.md")
	if err != nil {
		t.Fatalf("README.md: %v", err)
	}
	rangeStart := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	rangeEnd := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
	for id, info := range defaultStores {
		t.Run(id, func(t *testing.T) {
			loc, err := time.LoadLocation(info.tz)
			if err != nil {
				t.Skipf("no tzdata: %v", err)
			}
			b, err := LoadDefault(id)
			if err != nil {
				t.Fatal(err)
			}
			if n := b.Len(); n < 12 || n > 20 {
				t.Errorf("%d orders, want 12..20", n)
			}
			if _, ok := b.Lookup(info.example); !ok {
				t.Errorf("the SPEC's example order %s is missing", info.example)
			}
			var sale, final, personalised, gift, delivered, assumed, unfulfilled, refunded, multi int
			for _, o := range b.Orders() {
				if !strings.Contains(string(readme), "| "+o.Name+" |") {
					t.Errorf("%s is not listed in defaults/README.md", o.Name)
				}
				if o.CreatedAt.Before(rangeStart) || o.CreatedAt.After(rangeEnd) {
					t.Errorf("%s created %v, outside 2026-09-01..2026-11-20", o.Name, o.CreatedAt)
				}
				for _, ts := range []time.Time{o.CreatedAt, o.FulfilledAt, o.DeliveredAt, o.CancelledAt} {
					if ts.IsZero() {
						continue
					}
					_, got := ts.Zone()
					_, want := ts.In(loc).Zone()
					if got != want {
						t.Errorf("%s: %v has offset %d, the store's zone has %d then", o.Name, ts, got, want)
					}
				}
				if !o.DeliveredAt.IsZero() && o.DeliveredAt.Before(o.FulfilledAt) {
					t.Errorf("%s delivered before it was fulfilled", o.Name)
				}
				if len(o.Items) == 0 {
					t.Errorf("%s has no line items", o.Name)
				}
				for _, li := range o.Items {
					if li.Product == nil {
						t.Errorf("%s: line item %s (%s) has no product", o.Name, li.Name, li.SKU)
						continue
					}
					if li.Category() == "" {
						t.Errorf("%s: %s has no Type", o.Name, li.SKU)
					}
					if li.OnSale() {
						sale++
					}
					if li.FinalSale(o.Tags) {
						final++
					}
					if li.Personalised(o.Tags) {
						personalised++
					}
				}
				if o.Gift() {
					gift++
				}
				switch {
				case o.DeliveryConfirmed():
					delivered++
				case o.Fulfilled():
					assumed++
				default:
					unfulfilled++
				}
				if o.RefundIssued() {
					refunded++
				}
				if len(o.Items) > 1 {
					multi++
				}
			}
			// Every store has the scenarios the brief asks for.
			for name, n := range map[string]int{
				"delivered": delivered, "fulfilled only": assumed, "unfulfilled": unfulfilled,
				"refunded": refunded, "multi-item": multi, "on sale": sale, "final sale": final,
			} {
				if n == 0 {
					t.Errorf("no %s order", name)
				}
			}
			if (id == "alinora" || id == "alustoora" || id == "lumina") && personalised == 0 {
				t.Error("no personalised item")
			}
			if id == "luxnome" && gift < 3 {
				t.Errorf("%d gift orders, want at least 3", gift)
			}
		})
	}
}
