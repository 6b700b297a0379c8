// Package orders reads a store's orders and products from Shopify's CSV exports and
// answers the questions the return policies ask of them: when was it delivered, is the
// item on sale, final sale, personalised, a gift card, which category is it.
package orders

import "time"

// Order is one Shopify order with its line items.
type Order struct {
	Name              string // canonical order number, e.g. "AL-204518" or "#10234"
	Email             string
	FinancialStatus   string // lower-cased: paid, refunded, partially_refunded, ...
	FulfillmentStatus string // lower-cased: fulfilled, unfulfilled, partial, ""
	CreatedAt         time.Time
	FulfilledAt       time.Time // zero when not fulfilled
	DeliveredAt       time.Time // zero when the export has no "Delivered at"
	CancelledAt       time.Time
	RefundedAmount    float64
	ShippingName      string // whom the parcel went to; a return label is made out from there
	ShippingZip       string
	ShippingCountry   string // ISO 3166-1 alpha-2, upper-case
	Tags              []string
	NoteAttributes    map[string]string // lower-cased keys
	Items             []LineItem
}

// LineItem is one row of an order, joined with its product.
type LineItem struct {
	Name           string
	SKU            string
	Quantity       int
	Price          float64
	CompareAtPrice float64 // 0 when none
	Product        *Product
}

// Product is one variant row of the products export with the inherited product fields.
type Product struct {
	Handle         string
	Title          string
	Type           string
	Tags           []string
	SKU            string
	Price          float64
	CompareAtPrice float64
	GiftCard       bool
}
