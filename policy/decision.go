package policy

import (
	"github.com/returnsdesk/returnsdesk/classify"
	"time"

	"github.com/returnsdesk/returnsdesk/orders"
	"github.com/returnsdesk/returnsdesk/parser"
)

// Action is what the desk does with a message (SPEC §3).
type Action string

const (
	AuthorizeReturn   Action = "authorize_return"
	AuthorizeExchange Action = "authorize_exchange"
	RedirectPortal    Action = "redirect_portal"
	ReplaceOrRefund   Action = "replace_or_refund"
	CancelOrder       Action = "cancel_order"
	StatusUpdate      Action = "status_update"
	Acknowledge       Action = "acknowledge"
	RequestInfo       Action = "request_info"
	Reject            Action = "reject"
	Escalate          Action = "escalate"
	Ignore            Action = "ignore"
)

// Request is what the engine decides on: the customer's message as parsed (merged with
// what earlier messages of the thread said), the order it names, and the case so far.
type Request struct {
	At     time.Time // when the customer wrote
	From   string    // sender address
	Intent classify.Intent
	Reason classify.Reason
	classify.Reading
	// Settled: the intent was settled by the thread (the answer to our question, a
	// tracking number for a return under way), not read from this mail's words, so
	// Confidence does not apply to it.
	Settled bool

	Text string // subject and the customer's own words: item names, postcodes
	// ThreadText is what the customer asked earlier in the thread: the items a
	// follow-up leaves unnamed are the ones named there.
	ThreadText string
	// Catalogue is the store's products: an exchange may ask for one the order lacks.
	Catalogue []*orders.Product
	Photos    int // photos received in the thread so far
	Tracking  []parser.TrackingNumber

	OrderNumber string        // canonical; empty when the mail names none
	Order       *orders.Order // nil when OrderNumber is not in the store's orders
	Case        Case
}

// Case is what earlier messages established for the order.
type Case struct {
	RAN          string
	AuthorizedAt time.Time // when the RAN was issued; zero when none was
	Tracking     string    // return tracking number received
	Exchange     bool      // what was authorised is an exchange: no refund is under way
}

// Authorized reports whether a RAN was issued for the case.
func (c Case) Authorized() bool { return c.RAN != "" && !c.AuthorizedAt.IsZero() }

// Decision is the engine's verdict on one message.
type Decision struct {
	Action           Action
	Code             string
	Flagged          bool // a person must act before the customer's next step
	AddressDisclosed bool // the reply gives the return address or a label
	Why              string

	Items  []orders.LineItem // the line items the decision is about
	Clause Clause            // the policy passage a rejection or referral rests on

	// What the customer can still do after a rejection.
	ExchangeUntil  time.Time
	ReturnPossible bool
	StoreCredit    bool

	Deadline       time.Time // ship the return by then
	RefundDue      time.Time // status replies: the refund should be issued by then
	RefundIssued   bool      // status replies: staff say the refund was issued
	Held           bool      // a person handles the thread: no reply from the desk
	CandidateItems []string  // missing_item: what to choose from
}

// IssuesRAN reports whether the reply carries a return or exchange authorisation number.
func (d Decision) IssuesRAN() bool {
	return d.Action == AuthorizeReturn || d.Action == AuthorizeExchange
}

// SendsReply reports whether the customer gets a reply.
func (d Decision) SendsReply() bool {
	return d.Action != Ignore && !d.Held && !(d.Action == Escalate && d.Code == "rate_limited")
}

// HeldForStaff is the decision on a customer's mail in a thread a person has taken
// over: recorded and flagged for them, never answered by the desk.
func HeldForStaff(why string) Decision {
	d := decide(Escalate, "needs_review", why)
	d.Held = true
	return d.finish()
}

// finish fills the flags that follow from action and code (SPEC §3).
func (d Decision) finish() Decision {
	switch d.Action {
	case Escalate, CancelOrder, ReplaceOrRefund:
		d.Flagged = true
	case AuthorizeExchange:
		d.Flagged = d.Code == "keep_and_exchange" || d.Code == "free_exchange"
		d.AddressDisclosed = d.Code == "exchange"
	case AuthorizeReturn:
		d.AddressDisclosed = true
	}
	return d
}

func decide(action Action, code, why string) Decision {
	return Decision{Action: action, Code: code, Why: why}
}

func reject(code string, clause Clause, why string) Decision {
	return Decision{Action: Reject, Code: code, Clause: clause, Why: why}
}

// Machine returns the decision for a message the desk must not answer.
func Machine(code, why string) Decision {
	return decide(Ignore, code, why).finish()
}

// Escalation returns a referral to staff decided outside the policy (rate limit,
// unreadable mail, unknown store).
func Escalation(code, why string) Decision {
	return decide(Escalate, code, why).finish()
}
