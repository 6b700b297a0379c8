package orders

import (
	"slices"
	"strings"
	"time"
)

// Tags that mark an item final sale or personalised (SPEC §2). Tags are compared
// as whole tags, case-insensitively: "clearance" matches, "clearance-2025" does not.
var (
	finalSaleTags    = []string{"final sale", "final-sale", "clearance"}
	personalisedTags = []string{
		"personalised", "personalized", "custom",
		// The wordings store owners actually use for the same thing; alustoora's
		// policy calls them "custom-made".
		"custom-made", "custom made", "customised", "customized",
	}
)

// OnSale reports whether the item was sold below its compare-at price. The line
// item's own prices decide when the row has any (Shopify copies them at order
// time); otherwise the product variant's current prices do.
func (li LineItem) OnSale() bool {
	if li.Price > 0 || li.CompareAtPrice > 0 {
		return li.CompareAtPrice > li.Price
	}
	if li.Product != nil {
		return li.Product.CompareAtPrice > li.Product.Price
	}
	return false
}

// FinalSale reports whether the product's tags or the order's tags mark the item
// final sale ("final sale", "final-sale", "clearance").
func (li LineItem) FinalSale(orderTags []string) bool {
	return li.taggedAny(orderTags, finalSaleTags)
}

// Personalised reports whether the product's tags or the order's tags mark the
// item personalised ("personalised", "personalized", "custom", "custom-made",
// "customised", "customized"). Order tags count because stores tag a whole order
// "custom" when it was made to measure.
func (li LineItem) Personalised(orderTags []string) bool {
	return li.taggedAny(orderTags, personalisedTags)
}

// Category returns the product Type as written in the export ("Apparel",
// "Gift Card"), "" when the item has no known product.
func (li LineItem) Category() string {
	if li.Product == nil {
		return ""
	}
	return strings.TrimSpace(li.Product.Type)
}

// GiftCard reports whether the item is a gift card: the product's Gift Card
// column is TRUE or its Type is "Gift Card".
func (li LineItem) GiftCard() bool {
	if li.Product == nil {
		return false
	}
	return li.Product.GiftCard || productType(li.Product.Type) == "gift card"
}

func (li LineItem) taggedAny(orderTags, wanted []string) bool {
	if hasAnyTag(orderTags, wanted) {
		return true
	}
	return li.Product != nil && hasAnyTag(li.Product.Tags, wanted)
}

func hasAnyTag(tags, wanted []string) bool {
	for _, t := range tags {
		if slices.Contains(wanted, strings.ToLower(strings.TrimSpace(t))) {
			return true
		}
	}
	return false
}

// BoughtBy reports whether the order was placed with the address addr (case and
// surrounding space ignored; an empty address buys nothing).
func (o *Order) BoughtBy(addr string) bool {
	addr = strings.TrimSpace(addr)
	return addr != "" && strings.EqualFold(addr, strings.TrimSpace(o.Email))
}

// Gift reports whether the order was marked a gift: a "gift" order tag, or a
// "gift" note attribute set to yes, true or 1 (Shopify writes "gift: yes").
func (o *Order) Gift() bool {
	if hasAnyTag(o.Tags, []string{"gift"}) {
		return true
	}
	switch strings.ToLower(strings.TrimSpace(o.NoteAttributes["gift"])) {
	case "yes", "true", "1", "y", "on":
		return true
	}
	return false
}

// RefundIssued reports whether money went back on the order: Financial Status
// refunded or partially_refunded, or a Refunded Amount above zero.
func (o *Order) RefundIssued() bool {
	switch o.FinancialStatus {
	case "refunded", "partially_refunded", "partially refunded":
		return true
	}
	return o.RefundedAmount > 0
}

// Fulfilled reports whether anything of the order has shipped: Fulfillment Status
// fulfilled or partial, or a Fulfilled at time. A partial fulfilment counts
// because the question it answers is "can this still be stopped?".
func (o *Order) Fulfilled() bool {
	switch o.FulfillmentStatus {
	case "fulfilled", "partial", "partially_fulfilled", "shipped":
		return true
	}
	return !o.FulfilledAt.IsZero()
}

// Delivered returns when the order was delivered: Delivered at when the export
// has it, else Fulfilled at plus assumedTransitDays calendar days (same clock
// time). It returns false when the order has neither.
func (o *Order) Delivered(assumedTransitDays int) (time.Time, bool) {
	if !o.DeliveredAt.IsZero() {
		return o.DeliveredAt, true
	}
	if !o.FulfilledAt.IsZero() {
		return o.FulfilledAt.AddDate(0, 0, assumedTransitDays), true
	}
	return time.Time{}, false
}

// DeliveryConfirmed reports whether the export records the actual delivery time
// (Delivered at), as opposed to one assumed from the fulfilment.
func (o *Order) DeliveryConfirmed() bool { return !o.DeliveredAt.IsZero() }

// Cancelled reports whether the order was cancelled.
func (o *Order) Cancelled() bool { return !o.CancelledAt.IsZero() }
