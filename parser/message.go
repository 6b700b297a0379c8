// Package parser turns one raw mail into what the decision engine needs to know:
// who wrote, in which thread, in which language, what they want and why, and the
// evidence they sent (photos, tracking numbers, order numbers).
package parser

import (
	"net/mail"
	"time"
)

// Message is a parsed customer mail. Parse fills it as far as the input allows; a
// field it could not read stays empty and the reason is listed in Problems.
type Message struct {
	MessageID  string   // without angle brackets; empty when the header is missing
	InReplyTo  []string // without angle brackets
	References []string // without angle brackets, oldest first
	From       mail.Address
	ReturnPath string   // "<>" for an empty return path, "" when the header is absent
	Recipients []string // lower-cased addresses from To, Cc, Delivered-To and X-Original-To
	Subject    string   // decoded
	Date       time.Time

	Machine  MachineKind // non-empty for mail written by a machine: never answer it
	BounceOf []string    // Message-IDs of the original mail a bounce reports, when found

	Text      string // the whole readable body: text/plain, or text/html turned into text
	FreshText string // Text without quoted replies, forwarded history and signature

	Attachments []Attachment
	Photos      int // image attachments (inline logos and tracking pixels excluded)
	Tracking    []TrackingNumber

	Classification

	Size     int      // bytes read
	Problems []string // what could not be read, for the log and for staff
}

// MachineKind says why a mail must not be answered.
type MachineKind string

const (
	NotMachine MachineKind = ""
	AutoReply  MachineKind = "auto_reply" // RFC 3834 and vacation notices
	Bulk       MachineKind = "bulk"       // lists, newsletters, Precedence bulk/junk/list
	Bounce     MachineKind = "bounce"     // RFC 3464 DSN and MAILER-DAEMON mail
)

// Attachment describes one non-body part.
type Attachment struct {
	Filename    string
	ContentType string // lower-cased media type, e.g. "image/jpeg"
	Size        int    // decoded bytes
	Inline      bool
}

// TrackingNumber is a carrier tracking number found in the text.
type TrackingNumber struct {
	Carrier string // "ups", "dhl", "postnl", "usps", "royalmail", "chinapost", "cainiao"; "post" for another post's S10 number
	Number  string // upper-case, without spaces
}

// Intent is what the customer asks for.
type Intent string

const (
	IntentUnknown      Intent = ""
	IntentReturn       Intent = "return"        // send it back for a refund ("I want my money back")
	IntentExchange     Intent = "exchange"      // another size, colour or a replacement
	IntentClaim        Intent = "claim"         // reports a damaged, faulty or wrong item without asking for a remedy
	IntentCancel       Intent = "cancel"        // cancel the order
	IntentRefundStatus Intent = "refund_status" // where is my refund / how is my return going
	IntentTracking     Intent = "tracking"      // here is the tracking number of my return parcel
	IntentLostParcel   Intent = "lost_parcel"   // my return parcel got lost
	IntentOther        Intent = "other"         // a question or remark the desk does not handle
)

// Reason is why the customer wants it.
type Reason string

const (
	ReasonNone           Reason = ""
	ReasonChangedMind    Reason = "changed_mind"     // does not want it any more, did not like it
	ReasonSize           Reason = "size"             // does not fit: too small, too big
	ReasonColour         Reason = "colour"           // wants another colour
	ReasonDefective      Reason = "defective"        // does not work, broke
	ReasonDamaged        Reason = "damaged"          // arrived damaged
	ReasonWrongItem      Reason = "wrong_item"       // not what was ordered (also a wrong size or colour sent)
	ReasonNotAsDescribed Reason = "not_as_described" // differs from description or pictures
)

// SellerFault reports whether the reason is the store's fault (a claim).
func (r Reason) SellerFault() bool {
	switch r {
	case ReasonDefective, ReasonDamaged, ReasonWrongItem, ReasonNotAsDescribed:
		return true
	}
	return false
}

// Classification is what the text says, as opposed to how the mail is built.
type Classification struct {
	Intent     Intent
	Reason     Reason
	Language   string  // "en", "de", "nl", "fr", "es"; "en" when unsure
	Confidence float64 // 0..1: how sure the classifier is of Intent

	Used             bool // the customer says the item was worn, used, washed or altered, or its tags removed
	Unopened         bool // the customer says it is unopened, sealed, in its original wrapping
	WantsReplacement bool // asks for a new one / replacement rather than money
	WantsRefund      bool // asks for money back
	WholeOrder       bool // speaks of the whole order / all items
	Gift             bool // says the item was a gift they received
	MentionsPhotos   bool // says photos are attached ("see attached pictures")
}

// OrderPattern describes how a store's order numbers look: Prefix letters (may be
// empty), then Digits digits. Customers may write the prefix in any case, with or
// without a dash or space, with a leading '#'.
type OrderPattern struct {
	Prefix    string // e.g. "AL", "ALS", "LX", "LW"; empty for Shopify's plain "#1234"
	MinDigits int
	MaxDigits int
}
