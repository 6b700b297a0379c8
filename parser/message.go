// Package parser turns one raw mail into what the desk needs to know: who wrote, in
// which thread, the customer's own new words (quotes, forwarded history and signature
// removed), and the evidence they sent (photos, tracking numbers, order numbers).
// What those words ask for is package classify's job.
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
	// ReplyTo is the first Reply-To address; zero when there is none.
	ReplyTo    mail.Address
	ReturnPath string   // "<>" for an empty return path, "" when the header is absent
	Recipients []string // lower-cased addresses from To, Cc, Delivered-To and X-Original-To
	Subject    string   // decoded
	Date       time.Time
	// AuthResults are the Authentication-Results fields (RFC 8601) in mail order:
	// the topmost is the one the receiving server added last.
	AuthResults []string

	Machine  MachineKind // non-empty for mail written by a machine: never answer it
	BounceOf []string    // Message-IDs of the original mail a bounce reports, when found

	Text      string // the whole readable body: text/plain, or text/html turned into text
	FreshText string // Text without quoted replies, forwarded history and signature

	Attachments []Attachment
	Photos      int // images the customer attached as evidence (logos the HTML body shows excluded)
	Tracking    []TrackingNumber

	Size     int      // bytes read
	Problems []string // what could not be read, for the log and for staff
	// OverLimit says which limit of Options cut the reading short (size, MIME parts,
	// nesting depth, header size); empty when the whole mail was read.
	OverLimit string
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
	ContentID   string // without angle brackets; empty when the part has none
	Related     bool   // inside multipart/related: part of the HTML letter (a logo, a banner) rather than attached beside it
}

// TrackingNumber is a carrier tracking number found in the text.
type TrackingNumber struct {
	Carrier string // "ups", "dhl", "postnl", "usps", "royalmail", "chinapost", "cainiao"; "post" for another post's S10 number
	Number  string // upper-case, without spaces
}

// OrderPattern describes how a store's order numbers look: Prefix letters (may be
// empty), then Digits digits. Customers may write the prefix in any case, with or
// without a dash or space, with a leading '#'.
type OrderPattern struct {
	Prefix    string // e.g. "AL", "ALS", "LX", "LW"; empty for Shopify's plain "#1234"
	MinDigits int
	MaxDigits int
}
