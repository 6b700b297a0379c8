// Package responder renders the reply for a decision from the store's templates and
// builds the outgoing mail: threading headers, Auto-Submitted, a fresh Message-ID.
package responder

import "time"

// Data is everything a reply template may use. Customer-supplied strings (name,
// subject, item names) are only ever data here, never template text.
type Data struct {
	Store    Store
	Language string // the language of the template being rendered
	Action   string // e.g. "reject"
	Code     string // e.g. "window_expired"

	CustomerName string // display name from From, may be empty
	Order        string // canonical order number; empty when not known or not to be disclosed
	Items        []string
	RAN          string // return (or exchange) authorisation number

	// Rejections rest on a policy clause.
	Section string // e.g. "2. Non-Returnable Items"
	Quote   string // the clause as the policy words it

	// What the customer can still do; which apply depends on the code.
	ExchangeUntil  time.Time // a refund was refused but an exchange is possible until then
	StoreCredit    bool      // the store may offer store credit
	ReturnPossible bool      // an exchange was refused but a return is possible

	Deadline    time.Time // ship the return by this day (RAN validity); zero when none
	RequestedAt time.Time // when the RAN or request was issued (status replies, reminders)

	// Status and acknowledgements.
	TrackingNumber string
	Carrier        string
	RefundIssued   bool
	RefundDue      time.Time // the refund should be issued by then; zero when unknown

	WantsReplacement bool     // for replace_or_refund / exchanges: the customer asked for a replacement
	CandidateItems   []string // missing_item: the items of the order to choose from
	OrderNumberTried string   // order_not_found: the number we looked for (the customer's own words)

	// Added for the scheduled mails (reminder, staff_escalation).

	// AskedFor is, for reminder/missing_info, the request_info code of the request still
	// unanswered (missing_order_number, order_not_found, missing_photos, missing_item,
	// verify_recipient, sender_mismatch): it picks what the reminder asks for. The
	// reminder never names the order, so it is safe after sender_mismatch too.
	AskedFor string
	// CustomerEmail is the customer's address, for staff_escalation mails.
	CustomerEmail string
	// ThreadSubject is the subject of the customer's thread, for staff_escalation mails.
	ThreadSubject string
	// FlagCode is why the thread was flagged ("escalate/claim_review",
	// "cancel_order/cancel", ...), for staff_escalation/flagged_unanswered.
	FlagCode string
	// BusinessDays counts the business days since RequestedAt, for staff_escalation
	// (refund_overdue: since the RAN was issued; flagged_unanswered: since flagging).
	BusinessDays int
	// Outcome is, for staff_confirmation, what the desk did on the command
	// ("authorize_return/eu_withdrawal"); empty when the customer was sent nothing,
	// and then Note says why.
	Outcome string
	Note    string
	// CustomerWords is the start of the customer's latest mail, for staff mails.
	CustomerWords string
	// Digest lists the open flagged threads, oldest first, for staff_digest.
	Digest []DigestEntry
	// ShipFrom is where a return label starts: the order's shipping name, postcode
	// and country (staff_escalation/label_needed).
	ShipFrom string
}

// DigestEntry is one open flagged thread in the daily digest.
type DigestEntry struct {
	Since     time.Time // flagged since
	Age       string    // "3 days", "5 hours"
	FlagCode  string    // "escalate/statutory_rights"
	Customer  string    // name <address>
	Order     string
	Subject   string
	FirstLine string // the first line of the customer's latest words
	Task      string // for a task rather than a thread: what staff are to do
}

// Store is the part of a store's policy that replies quote.
type Store struct {
	ID      string
	Name    string
	Mailbox string // the address the reply is sent from

	ReturnAddress        []string // lines of the return address; empty when a label is sent instead
	PrepaidLabel         bool     // the store sends a prepaid return label
	CustomerPaysShipping bool
	TrackedShipping      bool     // the customer must use a tracked (and insured) service
	PortalSteps          []string // for stores that take returns only through their site
	RefundTime           string   // e.g. "10 business days"; shown as written
	ResponseTime         string   // e.g. "24 hours", for holding replies
	ExchangeFee          string   // keep-and-exchange fee, e.g. "$25"
	PolicyURL            string
	// OrderNumberExample shows what the store's order numbers look like (e.g.
	// "LW-58213"), so a request for the order number can say what to look for. Added
	// for request_info; may be empty.
	OrderNumberExample string
}
