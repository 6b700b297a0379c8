// Package desk is the returns desk itself: it takes one raw customer mail, finds the
// store, the thread and the order, asks the store's policy for a decision, renders the
// reply and records everything in the state. The daemon, the replay command and the
// demo all call Process; the scheduled jobs live here too.
package desk

import (
	"crypto/rand"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/returnsdesk/returnsdesk/orders"
	"github.com/returnsdesk/returnsdesk/parser"
	"github.com/returnsdesk/returnsdesk/policy"
	"github.com/returnsdesk/returnsdesk/responder"
	"github.com/returnsdesk/returnsdesk/state"
)

// Store is one store the desk answers for.
type Store struct {
	Policy *policy.Policy
	Orders *orders.Book
	// Staff addresses: their mail to the support mailbox is never answered.
	Staff []string
	// EscalateTo receives the scheduled escalation mails; the store's first mailbox
	// when empty.
	EscalateTo string
	// AuthservID names the receiving server whose Authentication-Results a staff
	// command must pass (staffauth.go); empty trusts the topmost such field.
	AuthservID string
}

// ID is the store's id.
func (s *Store) ID() string { return s.Policy.ID }

// Options tune the desk; the zero value is usable.
type Options struct {
	Limits parser.Options
	// At most RateLimit automated replies per sender and store within RateWindow
	// (SPEC §3: 3 in 24 hours).
	RateLimit  int
	RateWindow time.Duration
	// Rand is the source of RANs and Message-IDs; crypto/rand when nil. Tests inject a
	// seeded source so golden files are stable.
	Rand io.Reader
	// Now is the clock for messages without a date and for scheduled jobs.
	Now    func() time.Time
	Logger *slog.Logger
	Jobs   JobOptions
}

// Desk processes customer mail for a set of stores.
type Desk struct {
	stores   []*Store
	state    *state.DB
	renderer *responder.Renderer
	opts     Options
	log      *slog.Logger

	// decide serialises reading and writing the state for one message (and the
	// jobs): the rate limit, duplicates and RANs are read-then-write, and a store
	// with two mailboxes has two workers. Deciding takes well under a millisecond;
	// parsing, the slow part, runs outside it. A desk that replaces another (a
	// reloaded configuration) shares its lock: see Succeed.
	decide *sync.Mutex
}

// New returns a desk for stores, keeping its memory in db.
func New(stores []*Store, db *state.DB, renderer *responder.Renderer, opts Options) *Desk {
	if opts.Limits == (parser.Options{}) {
		opts.Limits = parser.DefaultOptions()
	}
	if opts.RateLimit == 0 {
		opts.RateLimit = 3
	}
	if opts.RateWindow == 0 {
		opts.RateWindow = 24 * time.Hour
	}
	if opts.Rand == nil {
		opts.Rand = rand.Reader
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	opts.Jobs = opts.Jobs.withDefaults()
	return &Desk{stores: stores, state: db, renderer: renderer, opts: opts, log: opts.Logger, decide: new(sync.Mutex)}
}

// Succeed makes d the successor of old on the same state (a reloaded configuration):
// a message old is still deciding and one d takes up never interleave.
func (d *Desk) Succeed(old *Desk) { d.decide = old.decide }

// Stores returns the stores the desk answers for.
func (d *Desk) Stores() []*Store { return d.stores }

// storeFor finds the store a message was sent to (SPEC §3 step 3) and the mailbox
// that received it. A mail to no known mailbox is matched by its order number when
// exactly one store's numbers fit.
func (d *Desk) storeFor(msg *parser.Message) (*Store, string) {
	for _, rcpt := range msg.Recipients {
		for _, s := range d.stores {
			if s.Policy.HasMailbox(rcpt) {
				return s, rcpt
			}
		}
	}
	var match *Store
	for _, s := range d.stores {
		if s.Policy.OrderNumber.Prefix == "" {
			continue
		}
		if len(parser.FindOrderNumbers(msg.Subject+"\n"+msg.FreshText, s.Policy.Pattern())) > 0 {
			if match != nil {
				return nil, ""
			}
			match = s
		}
	}
	if match != nil {
		return match, match.Policy.Mailboxes[0]
	}
	return nil, ""
}

// ownAddress reports whether addr is one of the desk's own mailboxes.
func (d *Desk) ownAddress(addr string) bool {
	for _, s := range d.stores {
		if s.Policy.HasMailbox(addr) {
			return true
		}
	}
	return false
}

func (s *Store) isStaff(addr string) bool {
	for _, a := range s.Staff {
		if strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(addr)) {
			return true
		}
	}
	return false
}

// domainOf is the domain part of an address.
func domainOf(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return addr[i+1:]
	}
	return "returnsdesk.invalid"
}
