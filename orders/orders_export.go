package orders

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// Orders export columns (SPEC §2). Header matching is case-insensitive.
const (
	colName              = "Name"
	colEmail             = "Email"
	colFinancialStatus   = "Financial Status"
	colFulfillmentStatus = "Fulfillment Status"
	colFulfilledAt       = "Fulfilled at"
	colDeliveredAt       = "Delivered at" // our extension; Shopify has no such column
	colCreatedAt         = "Created at"
	colCancelledAt       = "Cancelled at"
	colRefundedAmount    = "Refunded Amount"
	colItemQuantity      = "Lineitem quantity"
	colItemName          = "Lineitem name"
	colItemPrice         = "Lineitem price"
	colItemCompareAt     = "Lineitem compare at price"
	colItemSKU           = "Lineitem sku"
	colShippingName      = "Shipping Name"
	colShippingZip       = "Shipping Zip"
	colShippingCountry   = "Shipping Country"
	colTags              = "Tags"
	colNoteAttributes    = "Note Attributes"
)

// readOrders reads the orders export: one row per line item, order-level values
// on the order's first row. Rows of one order are merged by Name wherever they
// are in the file; a value already set is never overwritten, by blanks or
// otherwise. Orders keep the order of their first row.
func readOrders(file string, src io.Reader, loc *time.Location) ([]*Order, error) {
	t, err := newTable(file, src)
	if err != nil {
		return nil, err
	}
	if err := t.require(colName, colEmail, colCreatedAt); err != nil {
		return nil, err
	}
	var list []*Order
	byName := map[string]*Order{}
	firstLine := map[*Order]int{}
	createdSeen := map[*Order]bool{} // a Created at cell was present, valid or not
	for {
		more, err := t.next()
		if err != nil {
			return nil, err
		}
		if !more {
			break
		}
		if t.blank() {
			continue
		}
		name := t.get(colName)
		if name == "" {
			t.fail(colName, errors.New("missing order number"))
			continue
		}
		o := byName[name]
		if o == nil {
			o = &Order{Name: name}
			byName[name] = o
			firstLine[o] = t.line(colName)
			list = append(list, o)
		}
		if t.get(colCreatedAt) != "" {
			createdSeen[o] = true
		}
		mergeOrderRow(t, o, loc)
		if item, ok := readItem(t); ok {
			o.Items = append(o.Items, item)
		}
	}
	for _, o := range list {
		if o.Email == "" {
			t.failAt(firstLine[o], t.names[strings.ToLower(colEmail)], fmt.Errorf("missing for order %s", o.Name))
		}
		if !createdSeen[o] {
			t.failAt(firstLine[o], t.names[strings.ToLower(colCreatedAt)], fmt.Errorf("missing for order %s", o.Name))
		}
	}
	if err := t.err(); err != nil {
		return nil, err
	}
	return list, nil
}

// mergeOrderRow fills the order-level fields still empty from the current row.
func mergeOrderRow(t *table, o *Order, loc *time.Location) {
	fill(&o.Email, t.get(colEmail))
	fill(&o.FinancialStatus, strings.ToLower(t.get(colFinancialStatus)))
	fill(&o.FulfillmentStatus, strings.ToLower(t.get(colFulfillmentStatus)))
	fill(&o.ShippingName, t.get(colShippingName))
	fill(&o.ShippingZip, t.get(colShippingZip))
	fill(&o.ShippingCountry, strings.ToUpper(t.get(colShippingCountry)))
	fillTime(t, colCreatedAt, &o.CreatedAt, loc)
	fillTime(t, colFulfilledAt, &o.FulfilledAt, loc)
	fillTime(t, colDeliveredAt, &o.DeliveredAt, loc)
	fillTime(t, colCancelledAt, &o.CancelledAt, loc)
	if raw := t.get(colRefundedAmount); raw != "" {
		v, err := parseAmount(raw)
		if err != nil {
			t.fail(colRefundedAmount, err)
		} else if o.RefundedAmount == 0 {
			o.RefundedAmount = v
		}
	}
	if o.Tags == nil {
		o.Tags = parseTags(t.get(colTags))
	}
	if o.NoteAttributes == nil {
		o.NoteAttributes = parseNoteAttributes(t.get(colNoteAttributes))
	}
}

// readItem reads the current row's line item; false when the row has none.
func readItem(t *table) (LineItem, bool) {
	li := LineItem{
		Name: t.get(colItemName),
		SKU:  t.get(colItemSKU),
	}
	qty, price, compare := t.get(colItemQuantity), t.get(colItemPrice), t.get(colItemCompareAt)
	if li.Name == "" && li.SKU == "" && qty == "" && price == "" {
		return LineItem{}, false
	}
	var err error
	if li.Quantity, err = parseQuantity(qty); err != nil {
		t.fail(colItemQuantity, err)
	}
	if li.Price, err = parseAmount(price); err != nil {
		t.fail(colItemPrice, err)
	}
	if li.CompareAtPrice, err = parseAmount(compare); err != nil {
		t.fail(colItemCompareAt, err)
	}
	return li, true
}

func fill(dst *string, v string) {
	if *dst == "" {
		*dst = v
	}
}

func fillTime(t *table, col string, dst *time.Time, loc *time.Location) {
	raw := t.get(col)
	if raw == "" {
		return
	}
	v, err := parseTime(raw, loc)
	if err != nil {
		t.fail(col, err)
		return
	}
	if dst.IsZero() {
		*dst = v
	}
}
