package orders

import (
	"testing"
	"time"
)

func TestLineItemFlags(t *testing.T) {
	regular := &Product{Type: "Apparel", Price: 50}
	saleVariant := &Product{Type: "Apparel", Price: 40, CompareAtPrice: 60}
	clearance := &Product{Type: "Shoes", Tags: []string{"boots", "clearance"}}
	custom := &Product{Type: "Jewelry", Tags: []string{"Custom"}}
	giftByFlag := &Product{Type: "Voucher", GiftCard: true}
	giftByType := &Product{Type: " gift card "}

	tests := []struct {
		name         string
		li           LineItem
		orderTags    []string
		onSale       bool
		finalSale    bool
		personalised bool
		giftCard     bool
		category     string
	}{
		{name: "regular", li: LineItem{Price: 50, Product: regular}, category: "Apparel"},
		{name: "line compare-at above price", li: LineItem{Price: 40, CompareAtPrice: 60, Product: regular}, onSale: true, category: "Apparel"},
		{name: "line prices win over variant's", li: LineItem{Price: 60, Product: saleVariant}, category: "Apparel"},
		{name: "variant's prices when line has none", li: LineItem{Product: saleVariant}, onSale: true, category: "Apparel"},
		{name: "compare-at equal to price", li: LineItem{Price: 40, CompareAtPrice: 40}},
		{name: "product tag clearance", li: LineItem{Price: 10, Product: clearance}, finalSale: true, category: "Shoes"},
		{name: "order tag final-sale", li: LineItem{Price: 10, Product: regular}, orderTags: []string{"final-sale"}, finalSale: true, category: "Apparel"},
		{name: "order tag Final Sale, any case", li: LineItem{Price: 10}, orderTags: []string{" Final Sale "}, finalSale: true},
		{name: "partial tag is not a tag", li: LineItem{Price: 10}, orderTags: []string{"clearance-2025", "not final sale"}},
		{name: "product tag custom", li: LineItem{Price: 10, Product: custom}, personalised: true, category: "Jewelry"},
		{name: "order tag personalized", li: LineItem{Price: 10}, orderTags: []string{"personalized"}, personalised: true},
		{name: "custom-made", li: LineItem{Price: 10}, orderTags: []string{"custom-made"}, personalised: true},
		{name: "gift card by flag", li: LineItem{Price: 50, Product: giftByFlag}, giftCard: true, category: "Voucher"},
		{name: "gift card by type", li: LineItem{Price: 50, Product: giftByType}, giftCard: true, category: "gift card"},
		{name: "no product", li: LineItem{Price: 50}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			li := tc.li
			if got := li.OnSale(); got != tc.onSale {
				t.Errorf("OnSale = %v, want %v", got, tc.onSale)
			}
			if got := li.FinalSale(tc.orderTags); got != tc.finalSale {
				t.Errorf("FinalSale = %v, want %v", got, tc.finalSale)
			}
			if got := li.Personalised(tc.orderTags); got != tc.personalised {
				t.Errorf("Personalised = %v, want %v", got, tc.personalised)
			}
			if got := li.GiftCard(); got != tc.giftCard {
				t.Errorf("GiftCard = %v, want %v", got, tc.giftCard)
			}
			if got := li.Category(); got != tc.category {
				t.Errorf("Category = %q, want %q", got, tc.category)
			}
		})
	}
}

func TestOrderGift(t *testing.T) {
	tests := []struct {
		name  string
		order Order
		want  bool
	}{
		{"gift tag", Order{Tags: []string{"vip", "gift"}}, true},
		{"gift: yes", Order{NoteAttributes: map[string]string{"gift": "yes"}}, true},
		{"gift=TRUE", Order{NoteAttributes: map[string]string{"gift": "TRUE"}}, true},
		{"gift 1", Order{NoteAttributes: map[string]string{"gift": "1"}}, true},
		{"gift: no", Order{NoteAttributes: map[string]string{"gift": "no"}}, false},
		{"gift-wrap tag is not gift", Order{Tags: []string{"gift-wrap"}}, false},
		{"gift_message alone", Order{NoteAttributes: map[string]string{"gift_message": "hi"}}, false},
		{"nothing", Order{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.order.Gift(); got != tc.want {
				t.Errorf("Gift = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestOrderStatus(t *testing.T) {
	fulfilled := time.Date(2026, 10, 2, 10, 0, 0, 0, time.FixedZone("+0200", 2*3600))
	delivered := time.Date(2026, 10, 4, 13, 5, 0, 0, time.FixedZone("+0200", 2*3600))
	tests := []struct {
		name          string
		order         Order
		refund        bool
		fulfilledWant bool
		cancelled     bool
		delivered     time.Time
		deliveredOK   bool
	}{
		{name: "new order", order: Order{FinancialStatus: "paid", FulfillmentStatus: "unfulfilled"}},
		{name: "refunded", order: Order{FinancialStatus: "refunded"}, refund: true},
		{name: "partially refunded", order: Order{FinancialStatus: "partially_refunded"}, refund: true},
		{name: "refunded amount", order: Order{FinancialStatus: "paid", RefundedAmount: 0.01}, refund: true},
		{name: "partial fulfilment counts", order: Order{FulfillmentStatus: "partial"}, fulfilledWant: true},
		{
			name:          "fulfilled, delivery assumed",
			order:         Order{FulfillmentStatus: "fulfilled", FulfilledAt: fulfilled},
			fulfilledWant: true, delivered: fulfilled.AddDate(0, 0, 5), deliveredOK: true,
		},
		{
			name:          "delivered at wins",
			order:         Order{FulfilledAt: fulfilled, DeliveredAt: delivered},
			fulfilledWant: true, delivered: delivered, deliveredOK: true,
		},
		{name: "cancelled", order: Order{CancelledAt: fulfilled}, cancelled: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := &tc.order
			if got := o.RefundIssued(); got != tc.refund {
				t.Errorf("RefundIssued = %v, want %v", got, tc.refund)
			}
			if got := o.Fulfilled(); got != tc.fulfilledWant {
				t.Errorf("Fulfilled = %v, want %v", got, tc.fulfilledWant)
			}
			if got := o.Cancelled(); got != tc.cancelled {
				t.Errorf("Cancelled = %v, want %v", got, tc.cancelled)
			}
			d, ok := o.Delivered(5)
			if ok != tc.deliveredOK || !d.Equal(tc.delivered) {
				t.Errorf("Delivered(5) = %v, %v; want %v, %v", d, ok, tc.delivered, tc.deliveredOK)
			}
			if o.DeliveryConfirmed() != !o.DeliveredAt.IsZero() {
				t.Error("DeliveryConfirmed disagrees with DeliveredAt")
			}
		})
	}
}
