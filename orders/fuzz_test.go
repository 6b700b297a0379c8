package orders

import (
	"strings"
	"testing"
)

// FuzzLoad feeds arbitrary text as both exports: Load must return a book or an
// error, never panic, and a loaded book must answer every question.
func FuzzLoad(f *testing.F) {
	f.Add(ordersBasic, productsBasic)
	f.Add("\uFEFFName,Email,Created at\n#1,a@example.com,2026-10-01\n", "")
	f.Add("Name,Email,Created at,Note Attributes\n#1,a@example.com,2026-10-01,\"gift=1\n:x\"\n", "Handle,Variant SKU\n,\n")
	f.Add("Name,Email,Created at,Lineitem price\n#1,a,2026-10-01,\"1,5\"\n#1,,,\n", "Handle,Variant SKU,Gift Card\nh,s,TRUE\nh,S,\n")
	f.Add("\"", "\"")
	f.Fuzz(func(t *testing.T, orders, products string) {
		var b *Book
		var err error
		if products == "" {
			b, err = Load(strings.NewReader(orders), nil)
		} else {
			b, err = Load(strings.NewReader(orders), strings.NewReader(products))
		}
		if err != nil {
			if b != nil {
				t.Fatal("Load returned both a book and an error")
			}
			return
		}
		for _, o := range b.Orders() {
			if got, ok := b.Lookup(o.Name); !ok || got == nil {
				t.Fatalf("Lookup(%q) failed for a loaded order", o.Name)
			}
			o.Gift()
			o.RefundIssued()
			o.Fulfilled()
			o.Cancelled()
			o.Delivered(10)
			for _, li := range o.Items {
				li.OnSale()
				li.FinalSale(o.Tags)
				li.Personalised(o.Tags)
				li.Category()
				li.GiftCard()
			}
		}
	})
}
