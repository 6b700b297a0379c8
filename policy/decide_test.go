package policy

import (
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/returnsdesk/returnsdesk/classify"
	"github.com/returnsdesk/returnsdesk/orders"
	"github.com/returnsdesk/returnsdesk/parser"
)

func builtinPolicy(t *testing.T, id string) *Policy {
	t.Helper()
	all, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range all {
		if p.ID == id {
			return p
		}
	}
	t.Fatalf("no built-in policy %q", id)
	return nil
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// item builds a line item of a product Type with options: "sale", "final", "custom".
func item(name, typ string, opts ...string) orders.LineItem {
	p := &orders.Product{Title: name, Type: typ, SKU: name}
	li := orders.LineItem{Name: name, SKU: name, Quantity: 1, Price: 50, Product: p}
	for _, o := range opts {
		switch o {
		case "sale":
			li.CompareAtPrice = 80
		case "final":
			p.Tags = append(p.Tags, "final sale")
		case "custom":
			p.Tags = append(p.Tags, "personalised")
		case "giftcard":
			p.GiftCard = true
		}
	}
	return li
}

type orderSpec struct {
	country             string
	created, delivered  string
	fulfilled, refunded bool
	gift                bool
	zip                 string
	items               []orders.LineItem
}

func order(s orderSpec) *orders.Order {
	o := &orders.Order{Name: "X1", Email: "buyer@example.com", ShippingCountry: s.country, ShippingZip: s.zip, Items: s.items}
	if s.created != "" {
		o.CreatedAt = at(s.created)
	}
	if s.delivered != "" {
		o.DeliveredAt = at(s.delivered)
		o.FulfilledAt = o.DeliveredAt.Add(-72 * time.Hour)
		o.FulfillmentStatus = "fulfilled"
	}
	if s.fulfilled {
		o.FulfillmentStatus = "fulfilled"
		o.FulfilledAt = o.CreatedAt.Add(time.Hour)
	}
	if s.refunded {
		o.FinancialStatus = "refunded"
	}
	if s.gift {
		o.Tags = []string{"gift"}
	}
	return o
}

func TestDecide(t *testing.T) {
	dress := item("Linen Dress", "Apparel")
	tests := []struct {
		name, store string
		req         Request
		action      Action
		code        string
	}{
		// alinora: 30 days from delivery, sale items excluded, EU withdrawal granted.
		{"alinora return day 30", "alinora", Request{At: at("2026-10-31T15:00:00Z"), Intent: "return", Reason: "size",
			Order: order(orderSpec{country: "US", delivered: "2026-10-01T10:00:00+08:00", items: []orders.LineItem{dress}})}, AuthorizeReturn, "return"},
		{"alinora return day 31", "alinora", Request{At: at("2026-11-01T02:00:00Z"), Intent: "return",
			Order: order(orderSpec{country: "US", delivered: "2026-10-01T10:00:00+08:00", items: []orders.LineItem{dress}})}, Reject, "window_expired"},
		{"alinora sale item", "alinora", Request{At: at("2026-10-05T10:00:00Z"), Intent: "return",
			Order: order(orderSpec{country: "US", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{item("Earbuds", "Electronics", "sale")}})}, Reject, "sale_item"},
		{"alinora sale item EU day 10", "alinora", Request{At: at("2026-10-11T10:00:00Z"), Intent: "return",
			Order: order(orderSpec{country: "DE", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{item("Earbuds", "Electronics", "sale")}})}, AuthorizeReturn, "eu_withdrawal"},
		{"alinora sale item GB day 10", "alinora", Request{At: at("2026-10-11T10:00:00Z"), Intent: "return",
			Order: order(orderSpec{country: "GB", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{item("Earbuds", "Electronics", "sale")}})}, Escalate, "statutory_rights"},
		{"alinora sale item EU day 20", "alinora", Request{At: at("2026-10-21T10:00:00Z"), Intent: "return",
			Order: order(orderSpec{country: "DE", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{item("Earbuds", "Electronics", "sale")}})}, Reject, "sale_item"},
		{"alinora personalised EU never withdrawable", "alinora", Request{At: at("2026-10-05T10:00:00Z"), Intent: "return",
			Order: order(orderSpec{country: "FR", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{item("Engraved Ring", "Jewelry", "custom")}})}, Reject, "non_returnable"},
		{"alinora used", "alinora", Request{At: at("2026-10-05T10:00:00Z"), Intent: "return", Reading: classify.Reading{Used: true},
			Order: order(orderSpec{country: "US", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{dress}})}, Reject, "used_item"},
		{"alinora damaged no photos", "alinora", Request{At: at("2026-10-05T10:00:00Z"), Intent: "claim", Reason: "damaged",
			Order: order(orderSpec{country: "US", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{dress}})}, RequestInfo, "missing_photos"},
		{"alinora damaged photos replacement", "alinora", Request{At: at("2026-10-05T10:00:00Z"), Intent: "exchange", Reason: "damaged", Photos: 2,
			Order: order(orderSpec{country: "US", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{dress}})}, AuthorizeExchange, "exchange"},
		{"alinora damaged photos refund", "alinora", Request{At: at("2026-10-05T10:00:00Z"), Intent: "return", Reason: "defective", Photos: 1,
			Order: order(orderSpec{country: "US", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{item("Earbuds", "Electronics", "sale")}})}, AuthorizeReturn, "seller_fault"},
		{"alinora defect after 30 days", "alinora", Request{At: at("2026-11-15T10:00:00Z"), Intent: "claim", Reason: "defective",
			Order: order(orderSpec{country: "US", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{dress}})}, Escalate, "claim_review"},
		{"alinora size exchange", "alinora", Request{At: at("2026-10-05T10:00:00Z"), Intent: "exchange", Reason: "size",
			Order: order(orderSpec{country: "US", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{dress}})}, Reject, "exchange_not_offered"},
		{"alinora cancel", "alinora", Request{At: at("2026-10-05T10:00:00Z"), Intent: "cancel",
			Order: order(orderSpec{country: "US", created: "2026-10-04T10:00:00Z", items: []orders.LineItem{dress}})}, Escalate, "needs_review"},
		{"alinora refund overdue", "alinora", Request{At: at("2026-11-20T10:00:00Z"), Intent: "refund_status", Case: Case{RAN: "AL-1", AuthorizedAt: at("2026-10-20T10:00:00Z")},
			Order: order(orderSpec{country: "US", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{dress}})}, Escalate, "refund_overdue"},
		{"alinora refund not overdue", "alinora", Request{At: at("2026-10-28T10:00:00Z"), Intent: "refund_status", Case: Case{RAN: "AL-1", AuthorizedAt: at("2026-10-20T10:00:00Z")},
			Order: order(orderSpec{country: "US", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{dress}})}, StatusUpdate, "refund_status"},
		{"alinora lost parcel with tracking", "alinora", Request{At: at("2026-10-28T10:00:00Z"), Intent: "lost_parcel",
			Tracking: []parser.TrackingNumber{{Carrier: "ups", Number: "1Z999AA10123456784"}}}, Escalate, "lost_parcel"},

		// alustoora: no refunds; exchanges 14 days from purchase.
		{"alustoora refund", "alustoora", Request{At: at("2026-10-05T10:00:00Z"), Intent: "return", Reason: "changed_mind",
			Order: order(orderSpec{country: "US", created: "2026-10-01T10:00:00Z", delivered: "2026-10-03T10:00:00Z", items: []orders.LineItem{dress}})}, Reject, "no_refunds"},
		{"alustoora refund EU any day", "alustoora", Request{At: at("2026-12-05T10:00:00Z"), Intent: "return",
			Order: order(orderSpec{country: "IE", created: "2026-10-01T10:00:00Z", delivered: "2026-10-03T10:00:00Z", items: []orders.LineItem{dress}})}, Escalate, "statutory_rights"},
		{"alustoora exchange day 14 from purchase", "alustoora", Request{At: at("2026-10-15T20:00:00Z"), Intent: "exchange", Reason: "size",
			Order: order(orderSpec{country: "US", created: "2026-10-01T10:00:00-05:00", delivered: "2026-10-10T10:00:00Z", items: []orders.LineItem{item("Hoodie", "Apparel", "sale")}})}, AuthorizeExchange, "exchange"},
		{"alustoora exchange day 15 from purchase", "alustoora", Request{At: at("2026-10-16T20:00:00Z"), Intent: "exchange", Reason: "size",
			Order: order(orderSpec{country: "US", created: "2026-10-01T10:00:00-05:00", delivered: "2026-10-10T10:00:00Z", items: []orders.LineItem{dress}})}, Reject, "window_expired"},
		{"alustoora exchange custom", "alustoora", Request{At: at("2026-10-05T10:00:00Z"), Intent: "exchange",
			Order: order(orderSpec{country: "US", created: "2026-10-01T10:00:00Z", items: []orders.LineItem{item("Name Necklace", "Jewelry", "custom")}})}, Reject, "non_returnable"},
		{"alustoora exchange final sale", "alustoora", Request{At: at("2026-10-05T10:00:00Z"), Intent: "exchange",
			Order: order(orderSpec{country: "US", created: "2026-10-01T10:00:00Z", items: []orders.LineItem{item("Cap", "Accessories", "final")}})}, Reject, "final_sale"},
		{"alustoora damaged", "alustoora", Request{At: at("2026-10-05T10:00:00Z"), Intent: "claim", Reason: "damaged", Photos: 2,
			Order: order(orderSpec{country: "US", created: "2026-10-01T10:00:00Z", delivered: "2026-10-04T10:00:00Z", items: []orders.LineItem{dress}})}, Escalate, "needs_review"},

		// alusse: portal returns, 48-hour claims, cancellations before shipping.
		{"alusse return", "alusse", Request{At: at("2026-10-05T10:00:00Z"), Intent: "return",
			Order: order(orderSpec{country: "FR", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{dress}})}, RedirectPortal, "return"},
		{"alusse jewelry FR day 3", "alusse", Request{At: at("2026-10-04T10:00:00Z"), Intent: "return",
			Order: order(orderSpec{country: "FR", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{item("Gold Hoops", "Jewelry")}})}, Escalate, "statutory_rights"},
		{"alusse jewelry US", "alusse", Request{At: at("2026-10-04T10:00:00Z"), Intent: "return",
			Order: order(orderSpec{country: "US", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{item("Gold Hoops", "Jewelry")}})}, Reject, "non_returnable"},
		{"alusse intimates FR (hygiene exception)", "alusse", Request{At: at("2026-10-04T10:00:00Z"), Intent: "return",
			Order: order(orderSpec{country: "FR", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{item("Lace Bra", "Intimates")}})}, Reject, "non_returnable"},
		{"alusse exchange", "alusse", Request{At: at("2026-10-04T10:00:00Z"), Intent: "exchange", Reason: "size",
			Order: order(orderSpec{country: "FR", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{dress}})}, RedirectPortal, "no_direct_exchange"},
		{"alusse exchange late", "alusse", Request{At: at("2026-10-24T10:00:00Z"), Intent: "exchange", Reason: "size",
			Order: order(orderSpec{country: "FR", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{dress}})}, Reject, "window_expired"},
		{"alusse damaged 47h", "alusse", Request{At: at("2026-10-03T09:00:00Z"), Intent: "claim", Reason: "damaged", Photos: 2,
			Order: order(orderSpec{country: "FR", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{dress}})}, ReplaceOrRefund, "claim"},
		{"alusse damaged 49h", "alusse", Request{At: at("2026-10-03T11:00:00Z"), Intent: "claim", Reason: "damaged", Photos: 2,
			Order: order(orderSpec{country: "FR", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{dress}})}, Reject, "claim_window_expired"},
		{"alusse cancel unshipped", "alusse", Request{At: at("2026-10-03T11:00:00Z"), Intent: "cancel",
			Order: order(orderSpec{country: "FR", created: "2026-10-01T10:00:00Z", items: []orders.LineItem{dress}})}, CancelOrder, "cancel"},
		{"alusse cancel shipped", "alusse", Request{At: at("2026-10-03T11:00:00Z"), Intent: "cancel",
			Order: order(orderSpec{country: "FR", created: "2026-10-01T10:00:00Z", fulfilled: true, items: []orders.LineItem{dress}})}, Reject, "already_shipped"},

		// luxnome: seller-fault returns only; EU withdrawal; gifts.
		{"luxnome change of mind US", "luxnome", Request{At: at("2026-10-05T10:00:00Z"), Intent: "return", Reason: "changed_mind",
			Order: order(orderSpec{country: "US", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{dress}})}, Reject, "reason_not_accepted"},
		{"luxnome change of mind NL day 14", "luxnome", Request{At: at("2026-10-15T10:00:00Z"), Intent: "return", Reason: "changed_mind",
			Order: order(orderSpec{country: "NL", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{dress}})}, AuthorizeReturn, "eu_withdrawal"},
		{"luxnome change of mind NL day 15", "luxnome", Request{At: at("2026-10-16T10:00:00Z"), Intent: "return", Reason: "changed_mind",
			Order: order(orderSpec{country: "NL", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{dress}})}, Reject, "reason_not_accepted"},
		{"luxnome change of mind GB", "luxnome", Request{At: at("2026-10-05T10:00:00Z"), Intent: "return", Reason: "changed_mind",
			Order: order(orderSpec{country: "GB", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{dress}})}, Escalate, "statutory_rights"},
		{"luxnome wrong item no photos needed", "luxnome", Request{At: at("2026-10-05T10:00:00Z"), Intent: "return", Reason: "wrong_item",
			Order: order(orderSpec{country: "US", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{item("Silk Scarf", "Accessories", "sale")}})}, AuthorizeReturn, "seller_fault"},
		{"luxnome defective no photos", "luxnome", Request{At: at("2026-10-05T10:00:00Z"), Intent: "return", Reason: "defective",
			Order: order(orderSpec{country: "US", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{dress}})}, RequestInfo, "missing_photos"},
		{"luxnome defect day 31", "luxnome", Request{At: at("2026-11-01T10:00:00Z"), Intent: "return", Reason: "defective", Photos: 1,
			Order: order(orderSpec{country: "US", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{dress}})}, Reject, "window_expired"},
		{"luxnome defective clearance", "luxnome", Request{At: at("2026-10-05T10:00:00Z"), Intent: "return", Reason: "defective", Photos: 1,
			Order: order(orderSpec{country: "NL", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{item("Boots", "Shoes", "final")}})}, Reject, "final_sale"},
		{"luxnome defective sale item", "luxnome", Request{At: at("2026-10-05T10:00:00Z"), Intent: "return", Reason: "defective", Photos: 1,
			Order: order(orderSpec{country: "NL", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{item("Boots", "Shoes", "sale")}})}, AuthorizeReturn, "seller_fault"},
		// Wear that revealed a fault does not bar the claim (luxnome.toml, [claims]).
		{"luxnome defective after wear", "luxnome", Request{At: at("2026-10-05T10:00:00Z"), Intent: "return", Reason: "defective", Photos: 1, Reading: classify.Reading{Used: true},
			Order: order(orderSpec{country: "NL", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{dress}})}, AuthorizeReturn, "seller_fault"},
		{"luxnome not as described but worn", "luxnome", Request{At: at("2026-10-05T10:00:00Z"), Intent: "return", Reason: "not_as_described", Photos: 1, Reading: classify.Reading{Used: true},
			Order: order(orderSpec{country: "NL", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{dress}})}, Reject, "used_item"},
		{"luxnome exchange", "luxnome", Request{At: at("2026-10-05T10:00:00Z"), Intent: "exchange", Reason: "size",
			Order: order(orderSpec{country: "US", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{dress}})}, Reject, "exchange_not_offered"},
		{"luxnome worn", "luxnome", Request{At: at("2026-10-05T10:00:00Z"), Intent: "return", Reason: "changed_mind", Reading: classify.Reading{Used: true},
			Order: order(orderSpec{country: "NL", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{dress}})}, Reject, "used_item"},
		// Outside the EU no withdrawal would set the reason rule aside: that rule refuses.
		{"luxnome worn outside the EU", "luxnome", Request{At: at("2026-10-05T10:00:00Z"), Intent: "return", Reason: "changed_mind", Reading: classify.Reading{Used: true},
			Order: order(orderSpec{country: "US", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{dress}})}, Reject, "reason_not_accepted"},
		{"luxnome gift unverified", "luxnome", Request{At: at("2026-10-05T10:00:00Z"), From: "friend@example.org", Intent: "return", Text: "it was a gift",
			Order: order(orderSpec{country: "US", zip: "1071 AB", gift: true, delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{dress}})}, RequestInfo, "verify_recipient"},
		{"luxnome gift verified", "luxnome", Request{At: at("2026-10-05T10:00:00Z"), From: "friend@example.org", Intent: "return", Text: "the postcode is 1071ab",
			Order: order(orderSpec{country: "US", zip: "1071 AB", gift: true, delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{dress}})}, AuthorizeReturn, "gift_credit"},
		{"luxnome gift verified, wrong item", "luxnome", Request{At: at("2026-10-05T10:00:00Z"), From: "friend@example.org", Intent: "claim", Reason: "wrong_item", Text: "postcode 1071 AB",
			Order: order(orderSpec{country: "US", zip: "1071 AB", gift: true, delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{dress}})}, AuthorizeReturn, "gift_credit"},
		{"luxnome gift wrong postcode", "luxnome", Request{At: at("2026-10-05T10:00:00Z"), From: "friend@example.org", Intent: "return", Text: "postcode 1072 AB",
			Order: order(orderSpec{country: "US", zip: "1071 AB", gift: true, delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{dress}})}, RequestInfo, "verify_recipient"},
		{"luxnome not a gift, other sender", "luxnome", Request{At: at("2026-10-05T10:00:00Z"), From: "friend@example.org", Intent: "return", Text: "1071 AB",
			Order: order(orderSpec{country: "US", zip: "1071 AB", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{dress}})}, RequestInfo, "sender_mismatch"},
		{"luxnome refund overdue", "luxnome", Request{At: at("2026-11-20T10:00:00Z"), Intent: "refund_status", Case: Case{RAN: "LX-1", AuthorizedAt: at("2026-11-01T10:00:00Z")},
			Order: order(orderSpec{country: "NL", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{dress}})}, Escalate, "refund_overdue"},
		{"luxnome refunded", "luxnome", Request{At: at("2026-11-20T10:00:00Z"), Intent: "refund_status", Case: Case{RAN: "LX-1", AuthorizedAt: at("2026-11-01T10:00:00Z")},
			Order: order(orderSpec{country: "NL", refunded: true, delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{dress}})}, StatusUpdate, "refund_status"},

		// lumina.
		{"lumina return day 30", "lumina", Request{At: at("2026-10-31T10:00:00Z"), Intent: "return",
			Order: order(orderSpec{country: "US", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{item("Tee", "Apparel", "sale")}})}, AuthorizeReturn, "return"},
		{"lumina return day 31", "lumina", Request{At: at("2026-11-01T10:00:00Z"), Intent: "return",
			Order: order(orderSpec{country: "US", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{dress}})}, Reject, "window_expired"},
		{"lumina opened cosmetics", "lumina", Request{At: at("2026-10-05T10:00:00Z"), Intent: "return",
			Order: order(orderSpec{country: "US", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{item("Lip Oil", "Cosmetics")}})}, Reject, "non_returnable"},
		{"lumina sealed cosmetics", "lumina", Request{At: at("2026-10-05T10:00:00Z"), Intent: "return", Reading: classify.Reading{Unopened: true},
			Order: order(orderSpec{country: "US", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{item("Lip Oil", "Cosmetics")}})}, AuthorizeReturn, "return"},
		{"lumina final sale NL day 5", "lumina", Request{At: at("2026-10-06T10:00:00Z"), Intent: "return",
			Order: order(orderSpec{country: "NL", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{item("Tee", "Apparel", "final")}})}, AuthorizeReturn, "eu_withdrawal"},
		{"lumina swimwear GB (hygiene)", "lumina", Request{At: at("2026-10-06T10:00:00Z"), Intent: "return",
			Order: order(orderSpec{country: "GB", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{item("Bikini", "Swimwear")}})}, Reject, "non_returnable"},
		{"lumina keep and exchange", "lumina", Request{At: at("2026-10-06T10:00:00Z"), Intent: "exchange", Reason: "size",
			Order: order(orderSpec{country: "US", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{item("Bikini", "Swimwear")}})}, AuthorizeExchange, "keep_and_exchange"},
		{"lumina exchange gift card", "lumina", Request{At: at("2026-10-06T10:00:00Z"), Intent: "exchange",
			Order: order(orderSpec{country: "US", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{item("Gift Card", "Gift Card", "giftcard")}})}, Reject, "non_returnable"},
		{"lumina damaged day 7", "lumina", Request{At: at("2026-10-08T20:00:00Z"), Intent: "claim", Reason: "damaged", Photos: 1,
			Order: order(orderSpec{country: "US", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{dress}})}, ReplaceOrRefund, "claim"},
		{"lumina damaged day 8", "lumina", Request{At: at("2026-10-09T10:00:00Z"), Intent: "claim", Reason: "damaged", Photos: 1,
			Order: order(orderSpec{country: "US", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{dress}})}, Reject, "claim_window_expired"},
		{"lumina cancel 23h", "lumina", Request{At: at("2026-10-02T09:00:00Z"), Intent: "cancel",
			Order: order(orderSpec{country: "US", created: "2026-10-01T10:00:00Z", items: []orders.LineItem{dress}})}, CancelOrder, "cancel"},
		{"lumina cancel 23h shipped", "lumina", Request{At: at("2026-10-02T09:00:00Z"), Intent: "cancel",
			Order: order(orderSpec{country: "US", created: "2026-10-01T10:00:00Z", fulfilled: true, items: []orders.LineItem{dress}})}, Reject, "already_shipped"},
		{"lumina cancel 25h", "lumina", Request{At: at("2026-10-02T11:00:00Z"), Intent: "cancel",
			Order: order(orderSpec{country: "US", created: "2026-10-01T10:00:00Z", items: []orders.LineItem{dress}})}, Reject, "cancellation_window_passed"},
		{"lumina missing item", "lumina", Request{At: at("2026-10-05T10:00:00Z"), Intent: "return", Text: "I want to return something",
			Order: order(orderSpec{country: "US", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{dress, item("Lace Bra", "Intimates")}})}, RequestInfo, "missing_item"},
		{"lumina named item", "lumina", Request{At: at("2026-10-05T10:00:00Z"), Intent: "return", Text: "I want to return the dress",
			Order: order(orderSpec{country: "US", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{dress, item("Lace Bra", "Intimates")}})}, AuthorizeReturn, "return"},
		{"lumina named item, other kept", "lumina", Request{At: at("2026-10-05T10:00:00Z"), Intent: "return", Text: "I'd like to return the dress. I'm keeping the bra.",
			Order: order(orderSpec{country: "US", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{item("Lace Bra", "Intimates"), dress}})}, AuthorizeReturn, "return"},
		{"lumina item named earlier in the thread", "lumina", Request{At: at("2026-10-05T10:00:00Z"), Intent: "return", Text: "Re: Return\nsorry, typo. can you send the label?",
			ThreadText: "I'd like to send the dress back, it's too big.",
			Order:      order(orderSpec{country: "US", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{dress, item("Lace Bra", "Intimates")}})}, AuthorizeReturn, "return"},
		{"lumina shared word names no item", "lumina", Request{At: at("2026-10-05T10:00:00Z"), Intent: "return", Text: "lovely silk paper wrapping! I want to return one item",
			Order: order(orderSpec{country: "US", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{item("Silk Dress", "Apparel"), item("Silk Bra", "Intimates"), item("Tee", "Apparel")}})}, RequestInfo, "missing_item"},
		{"lumina tracking", "lumina", Request{At: at("2026-10-05T10:00:00Z"), Intent: "tracking",
			Tracking: []parser.TrackingNumber{{Carrier: "postnl", Number: "3SABCD1234567"}},
			Order:    order(orderSpec{country: "US", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{dress}})}, Acknowledge, "tracking_received"},
		{"lumina tracking without a number or a return", "lumina", Request{At: at("2026-10-05T10:00:00Z"), Intent: "tracking",
			Order: order(orderSpec{country: "US", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{dress}})}, Escalate, "needs_review"},

		// Order checks (all stores).
		{"no order number", "lumina", Request{At: at("2026-10-05T10:00:00Z"), Intent: "return"}, RequestInfo, "missing_order_number"},
		{"unknown order", "lumina", Request{At: at("2026-10-05T10:00:00Z"), Intent: "return", OrderNumber: "LW-99999"}, RequestInfo, "order_not_found"},
		{"sender mismatch", "lumina", Request{At: at("2026-10-05T10:00:00Z"), Intent: "return", From: "someone@example.org",
			Order: order(orderSpec{country: "US", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{dress}})}, RequestInfo, "sender_mismatch"},
		{"not confident", "lumina", Request{At: at("2026-10-05T10:00:00Z"), Intent: "return", OrderNumber: "-",
			Order: order(orderSpec{country: "US", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{dress}})}, Escalate, "needs_review"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := builtinPolicy(t, tc.store)
			req := tc.req
			if tc.name != "not confident" {
				// A clear reading: these cases test the rules, not the guard.
				req.Confidence = 0.9
				if req.Reason != "" && req.ReasonStrength == 0 {
					req.ReasonStrength = 3
				}
				if req.Used && req.UsedStrength == 0 {
					req.UsedStrength = 3
				}
			}
			if req.From == "" {
				req.From = "Buyer@Example.com"
			}
			if req.Order != nil && req.OrderNumber == "" {
				req.OrderNumber = req.Order.Name
			}
			d := p.Decide(req)
			if d.Action != tc.action || d.Code != tc.code {
				t.Errorf("got %s/%s (%s), want %s/%s", d.Action, d.Code, d.Why, tc.action, tc.code)
			}
		})
	}
}

func TestDecisionFlags(t *testing.T) {
	for _, tc := range []struct {
		action            Action
		code              string
		flagged, disclose bool
	}{
		{Escalate, "needs_review", true, false},
		{CancelOrder, "cancel", true, false},
		{ReplaceOrRefund, "claim", true, false},
		{AuthorizeExchange, "keep_and_exchange", true, false},
		{AuthorizeExchange, "free_exchange", true, false},
		{AuthorizeExchange, "exchange", false, true},
		{AuthorizeReturn, "return", false, true},
		{RequestInfo, "sender_mismatch", false, false},
		{Reject, "window_expired", false, false},
	} {
		d := decide(tc.action, tc.code, "").finish()
		if d.Flagged != tc.flagged || d.AddressDisclosed != tc.disclose {
			t.Errorf("%s/%s: flagged=%t disclosed=%t, want %t %t", tc.action, tc.code, d.Flagged, d.AddressDisclosed, tc.flagged, tc.disclose)
		}
	}
}

func TestMentionsPostcode(t *testing.T) {
	for _, tc := range []struct {
		text, zip string
		want      bool
	}{
		{"my postcode is 1071 AB", "1071 AB", true},
		{"1071ab", "1071 AB", true},
		{"postcode: 1072 AB", "1071 AB", false},
		{"order 210245", "10245", false},
		{"zip 10245, thanks", "10245", true},
		{"SW1A 1AA", "SW1A1AA", true},
		{"", "1071 AB", false},
	} {
		if got := mentionsPostcode(tc.text, tc.zip); got != tc.want {
			t.Errorf("mentionsPostcode(%q, %q) = %t, want %t", tc.text, tc.zip, got, tc.want)
		}
	}
}

func TestBuiltinPolicies(t *testing.T) {
	all, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range all {
		ids = append(ids, p.ID)
	}
	want := []string{"alinora", "alusse", "alustoora", "lumina", "luxnome"}
	if len(ids) != len(want) {
		t.Fatalf("ids %v, want %v", ids, want)
	}
	for i := range want {
		if ids[i] != want[i] {
			t.Fatalf("ids %v, want %v", ids, want)
		}
	}
}

func TestParseRejectsUnknownKey(t *testing.T) {
	data, err := BuiltinFile("lumina")
	if err != nil {
		t.Fatal(err)
	}
	bad := append(append([]byte{}, data...), []byte("\n[returns2]\nwindow = 3\n")...)
	_, err = Parse(bad, "lumina.toml")
	if err == nil || !strings.Contains(err.Error(), "returns2") {
		t.Fatalf("err = %v, want it to name the unknown key", err)
	}
}

// TestItemWords: the product words file is valid, and customers name items in their
// own language.
func TestItemWords(t *testing.T) {
	var f struct {
		Words map[string][]string `toml:"words"`
	}
	if _, err := toml.Decode(string(itemWordsTOML), &f); err != nil {
		t.Fatalf("itemwords.toml: %v", err)
	}
	if len(productWords()) < 40 {
		t.Fatalf("only %d product words", len(productWords()))
	}
	sleeve, earbuds := item("Monogram Laptop Sleeve", "Accessories", "custom"), item("Aura Earbuds", "Electronics")
	for _, text := range []string{
		"quiero devolver la funda, los auriculares me los quedo",
		"Ich möchte die Hülle zurückgeben.",
		"我想退保护套，耳机我留着。",
	} {
		named := namedItems(text, "en", []orders.LineItem{sleeve, earbuds})
		if len(named) != 1 || named[0].Name != sleeve.Name {
			t.Errorf("%q names %v, want the sleeve", text, named)
		}
	}
}

// TestItemsNamedAcrossCatalogueLanguages: a catalogue written in French is named in
// English, and an item said to be fine is the one the customer keeps.
func TestItemsNamedAcrossCatalogueLanguages(t *testing.T) {
	blouse, earrings := item("Blouse Soie Inès - Ivoire / M", "Apparel"), item("Boucles d'oreilles Perle Aya - Doré", "Jewelry")
	items := []orders.LineItem{blouse, earrings}
	for _, tc := range []struct{ text, want string }{
		{"oh sorry, it's the earrings I want to send back", earrings.Name},
		{"its the blouse, the earrings are fine. could i swap it for the navy one?", blouse.Name},
		{"la blusa no me queda bien, los pendientes están perfectos", blouse.Name},
	} {
		named := namedItems(tc.text, "", items)
		if len(named) != 1 || named[0].Name != tc.want {
			t.Errorf("%q names %v, want %s", tc.text, named, tc.want)
		}
	}
	// "Fine" told of the past is no keeping: the lamp that was fine for two days is
	// the one that failed.
	lamp, cable := item("Arc Desk Lamp", "Electronics"), item("Braided USB-C Cable", "Electronics", "final")
	if named := namedItems("The lamp was fine for two days, then it died.", "en", []orders.LineItem{lamp, cable}); len(named) != 1 || named[0].Name != lamp.Name {
		t.Errorf("a past 'fine' names %v, want the lamp", named)
	}
}

// TestKeptItemNamedBefore: a keep-word with a pronoun points back at the item just
// named, however often that sentence named it; "the rest" keeps the others; a pronoun
// after a clause that names nothing the catalogue knows points at nothing.
func TestKeptItemNamedBefore(t *testing.T) {
	bag, attar := item("Medina Leather Crossbody - Cognac", "Accessories"), item("Oud Noir Attar 12ml", "Beauty")
	pack, flask := item("Summit Daypack 28L - Blue", "Bags"), item("Engraved Steel Flask - Brushed steel", "Home", "custom")
	for _, tc := range []struct {
		text  string
		items []orders.LineItem
		want  string
	}{
		{"Das Oud Noir ist wunderbar, meine Nachbarin hat gefragt, was ich trage. Das behalte ich. Die Medina-Tasche möchte ich zurückschicken.", []orders.LineItem{bag, attar}, bag.Name},
		{"The Oud Noir attar smells amazing, that one I'm keeping. Can I send the bag back?", []orders.LineItem{bag, attar}, bag.Name},
		{"I want to return the Oud Noir attar, I'll keep the rest.", []orders.LineItem{bag, attar}, attar.Name},
		// The daypack named a sentence earlier is not the one kept.
		{"Ik heb de Summit Daypack 28L in blauw en een gegraveerde drinkbus besteld. De drinkbus is mooi geworden, die houd ik. Maar de rugzak wil ik ruilen.", []orders.LineItem{pack, flask}, pack.Name},
		// An article before a noun the catalogue does not know is no pronoun.
		{"C'est seulement le Summit Daypack que je veux retourner. La gourde je la garde.", []orders.LineItem{pack, flask}, pack.Name},
		// The pronoun before the keep-word, with only the subject before it.
		{"J'ai commandé le Summit Daypack et une gourde gravée. La gourde est parfaite, je la garde. Je veux retourner l'autre.", []orders.LineItem{pack, item("Engraved Steel Gourde - Brushed steel", "Home")}, pack.Name},
		// Kept by a keep-word, whatever was said of it before; "fine" only weighs.
		{"I ordered the Summit Daypack and an engraved steel flask for me. The flask is lovely, I'm keeping it. Could I return the other one?", []orders.LineItem{pack, flask}, pack.Name},
	} {
		named := namedItems(tc.text, "", tc.items)
		if len(named) != 1 || named[0].Name != tc.want {
			t.Errorf("%q names %v, want %s", tc.text, named, tc.want)
		}
	}
}

// TestExchangeForAnotherProduct: a store that exchanges only sizes and colours refuses
// an exchange for another product it sells, read from what follows the exchange's
// "for"; a product told of elsewhere, or another size, is no such request.
func TestExchangeForAnotherProduct(t *testing.T) {
	p := builtinPolicy(t, "lumina")
	jacket, belt := item("Halden Quilted Jacket - Sand / M", "Apparel"), item("Tessa Leather Belt - Black / S", "Accessories")
	catalogue := []*orders.Product{{Title: "Halden Quilted Jacket"}, {Title: "Tessa Leather Belt"}, {Title: "Ridge Wool Overshirt"}, {Title: "Coastline Linen Shirt"}}
	for _, tc := range []struct {
		text string
		want string
	}{
		{"The jacket is too puffy on me. Could you swap it for the Ridge overshirt in M?", "exchange_not_offered"},
		{"Kunnen jullie de jas omruilen voor die overshirt? Hij is te pofferig.", "exchange_not_offered"},
		// A product word several catalogue items share still names one the order lacks.
		{"La chaqueta es demasiado voluminosa. ¿Me la podéis cambiar por la camisa?", "exchange_not_offered"},
		{"The jacket is too puffy on me; could you swap it for a size S?", "keep_and_exchange"},
		{"I love the Ridge overshirt I bought last year. The jacket is too puffy, can I swap it for an S?", "keep_and_exchange"},
	} {
		req := Request{At: at("2026-10-05T10:00:00Z"), From: "Buyer@Example.com", Intent: "exchange", Reason: "changed_mind", Text: tc.text, Catalogue: catalogue,
			Order: order(orderSpec{country: "NL", delivered: "2026-10-01T10:00:00Z", items: []orders.LineItem{jacket, belt}})}
		// What the exchange asks for is the classifier's reading of the words.
		req.ExchangeTargets = classify.Read("", tc.text).ExchangeTargets
		req.Confidence, req.ReasonStrength, req.OrderNumber = 0.9, 3, req.Order.Name
		if d := p.Decide(req); d.Code != tc.want {
			t.Errorf("%q: %s/%s (%s), want %s", tc.text, d.Action, d.Code, d.Why, tc.want)
		}
	}
}
