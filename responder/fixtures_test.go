package responder

import (
	"sync"
	"testing"
	"time"

	"github.com/returnsdesk/returnsdesk/templates"
)

// testStores mirrors the five stores' policies closely enough for the templates;
// the return addresses are invented (the policies publish none).
var testStores = map[string]Store{
	"alinora": {
		ID: "alinora", Name: "Alinora TechLuxe", Mailbox: "alinora-overseas@outlook.com",
		ReturnAddress:        []string{"Alinora TechLuxe Returns", "88 Keji Road, Nanshan", "Shenzhen 518000", "China"},
		CustomerPaysShipping: true, TrackedShipping: true,
		RefundTime: "10 business days", ResponseTime: "24 hours", OrderNumberExample: "AL-204518",
	},
	"alustoora": {
		ID: "alustoora", Name: "ALUSTOORA", Mailbox: "support@alustoora.com",
		ReturnAddress:        []string{"ALUSTOORA Exchanges", "1200 W Lake St", "Chicago, IL 60607", "United States"},
		CustomerPaysShipping: true, OrderNumberExample: "#10234",
	},
	"alusse": {
		ID: "alusse", Name: "Alussé", Mailbox: "info@alusse.com",
		PortalSteps: []string{
			"Log in to your Alussé account on our website.",
			`Go to "My Orders" or "Order History".`,
			"Select the order and the item(s) you wish to return.",
			`Click "Request Return/Refund" and provide the reason for return.`,
		},
		CustomerPaysShipping: true, RefundTime: "5 to 10 business days", ResponseTime: "1-3 business days",
		OrderNumberExample: "ALS10482",
	},
	"luxnome": {
		ID: "luxnome", Name: "LuxNome", Mailbox: "support@luxnome.example",
		PrepaidLabel: true, TrackedShipping: true,
		RefundTime: "10 business days", ResponseTime: "2 business days", OrderNumberExample: "LX100233",
	},
	"lumina": {
		ID: "lumina", Name: "Lumina Wear", Mailbox: "support@luminahelp.com",
		ReturnAddress:        []string{"Lumina Wear Returns", "Elzenhoven 2", "3162 PJ Rhoon", "Netherlands"},
		CustomerPaysShipping: true, TrackedShipping: true,
		RefundTime: "5-7 business days", ResponseTime: "24 business hours", ExchangeFee: "$25",
		OrderNumberExample: "LW-58213",
	},
}

// storeIDs lists "" (no store: the generic templates) and the five stores.
var storeIDs = []string{"", "alinora", "alustoora", "alusse", "luxnome", "lumina"}

// storeFor returns the test store for id, or a generic one for "".
func storeFor(id string) Store {
	if s, ok := testStores[id]; ok {
		return s
	}
	return Store{Name: "Example Store", Mailbox: "help@example.com",
		ReturnAddress:        []string{"Example Store Returns", "1 Test Street", "1000 AA Amsterdam"},
		CustomerPaysShipping: true, TrackedShipping: true, RefundTime: "10 business days", ResponseTime: "24 hours"}
}

// Distinctive values, so that a test can tell whether a body gives them away.
const (
	fullOrder    = "ZX-771204"
	fullRAN      = "RAN-7KQ2X9PD"
	fullItem     = "Velvet Lounge Robe, M"
	otherItem    = "Silk Sleep Mask"
	fullTracking = "3SQWE1234567"
)

var (
	fullDeadline = time.Date(2026, 3, 16, 12, 0, 0, 0, time.UTC)
	fullExchange = time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
)

// fullData fills every field a template may print.
func fullData(store, code string) Data {
	return Data{
		Store:            storeFor(store),
		Code:             code,
		CustomerName:     "Anna Müller",
		Order:            fullOrder,
		Items:            []string{fullItem},
		RAN:              fullRAN,
		Section:          "2. Non-Returnable Items",
		Quote:            "Items marked final sale cannot be returned.",
		ExchangeUntil:    fullExchange,
		StoreCredit:      true,
		ReturnPossible:   true,
		Deadline:         fullDeadline,
		RequestedAt:      time.Date(2026, 2, 1, 10, 30, 0, 0, time.UTC),
		TrackingNumber:   fullTracking,
		Carrier:          "PostNL",
		RefundDue:        time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
		CandidateItems:   []string{fullItem, otherItem},
		OrderNumberTried: "ZX-000000",
		AskedFor:         "missing_photos",
		CustomerEmail:    "anna@example.com",
		ThreadSubject:    "Return of my robe",
		FlagCode:         "escalate/claim_review",
		BusinessDays:     16,
		CustomerWords:    "The robe's seam opened after one wash.",
		Digest: []DigestEntry{{Since: time.Date(2026, 2, 1, 10, 30, 0, 0, time.UTC), Age: "3 days", FlagCode: "escalate/claim_review",
			Customer: "Anna Müller <anna@example.com>", Order: fullOrder, Subject: "Return of my robe",
			FirstLine: "The robe's seam opened after one wash."}},
	}
}

var (
	builtinOnce     sync.Once
	builtinRenderer *Renderer
	builtinErr      error
)

// newBuiltinRenderer parses the embedded templates once for all tests.
func newBuiltinRenderer(tb testing.TB) *Renderer {
	tb.Helper()
	builtinOnce.Do(func() { builtinRenderer, builtinErr = NewRenderer(templates.FS, "") })
	if builtinErr != nil {
		tb.Fatalf("NewRenderer(templates.FS): %v", builtinErr)
	}
	return builtinRenderer
}

// sortedActions returns the keys of Codes in a stable order.
func sortedActions() []string {
	return []string{"acknowledge", "authorize_exchange", "authorize_return", "cancel_order",
		"escalate", "redirect_portal", "reject", "reminder", "replace_or_refund",
		"request_info", "staff_alert", "staff_confirmation", "staff_digest", "staff_escalation", "status_update"}
}

func TestSortedActionsCoverCodes(t *testing.T) {
	if got, want := len(sortedActions()), len(Codes); got != want {
		t.Fatalf("sortedActions has %d actions, Codes %d", got, want)
	}
	for _, a := range sortedActions() {
		if _, ok := Codes[a]; !ok {
			t.Errorf("sortedActions lists %q, which is not in Codes", a)
		}
	}
}
