// Package policy holds each store's return policy as data a store owner can read and
// edit (one TOML file per store, the five built-in ones embedded) and the decision
// engine that checks a customer's request against it.
package policy

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"github.com/returnsdesk/returnsdesk/classify"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/returnsdesk/returnsdesk/parser"
	"github.com/returnsdesk/returnsdesk/policy/calendar"
)

//go:embed stores/*.toml
var builtin embed.FS

// Policy is one store's return policy. Every rule carries the clause of the store's
// written policy it comes from, so a rejection can cite it.
type Policy struct {
	ID                 string   `toml:"id"`
	Name               string   `toml:"name"`
	Mailboxes          []string `toml:"mailboxes"`
	TimeZone           string   `toml:"timezone"`
	Country            string   `toml:"country"`
	AssumedTransitDays int      `toml:"assumed_transit_days"`
	RANPrefix          string   `toml:"ran_prefix"`
	ResponseTime       string   `toml:"response_time"`
	Currency           string   `toml:"currency"` // ISO 4217, what the store charges in: amounts in replies are in it
	PolicyURL          string   `toml:"policy_url"`
	Source             string   `toml:"source"` // which written policy this file was built from

	OrderNumber   OrderNumber   `toml:"order_number"`
	Returns       Returns       `toml:"returns"`
	NonReturnable NonReturnable `toml:"non_returnable"`
	Claims        Claims        `toml:"claims"`
	Exchanges     Exchanges     `toml:"exchanges"`
	Cancellation  Cancellation  `toml:"cancellation"`
	Withdrawal    Withdrawal    `toml:"withdrawal"`
	Gifts         Gifts         `toml:"gifts"`
	Refunds       Refunds       `toml:"refunds"`
	Holidays      Holidays      `toml:"holidays"`
	BusinessHours BusinessHours `toml:"business_hours"`

	// MailboxRequired marks a policy whose published text names no support address:
	// the daemon refuses to start until the operator configures one.
	MailboxRequired bool `toml:"mailbox_required"`
	// ExampleAddress marks a built-in return address that is only an example: the
	// daemon refuses to start until the operator configures the real one.
	ExampleAddress bool `toml:"example_address"`

	loc          *time.Location
	cal          *calendar.Calendar
	translations Translations // see SetTranslations
	hours        calendar.Hours
	response     *calendar.Period // response_time parsed; nil when the policy promises none
}

// Clause is a passage of the store's written policy.
type Clause struct {
	Section string `toml:"section"`
	Quote   string `toml:"quote"`
}

// OrderNumber describes the store's order numbers.
type OrderNumber struct {
	Prefix    string `toml:"prefix"` // letters before the digits; empty for Shopify's "#1234"
	MinDigits int    `toml:"min_digits"`
	MaxDigits int    `toml:"max_digits"`
	Format    string `toml:"format"`  // canonical form, "{digits}" stands for the digits: "AL-{digits}", "#{digits}"
	Example   string `toml:"example"` // shown to customers asked for their order number
}

// Returns is the store's own change-of-mind return rule.
type Returns struct {
	// Mode: "email" (RAN and address by email), "portal" (returns only through the
	// store's account portal), "no_refunds" (the store refunds nothing: exchanges only),
	// "seller_fault_only" (change of mind is not an accepted reason).
	Mode                 string   `toml:"mode"`
	WindowDays           int      `toml:"window_days"`
	WindowFrom           string   `toml:"window_from"` // "delivery" or "purchase"
	ShipWithinDays       int      `toml:"ship_within_days"`
	Address              []string `toml:"address"`
	PrepaidLabel         bool     `toml:"prepaid_label"`
	CustomerPaysShipping bool     `toml:"customer_pays_shipping"`
	TrackedShipping      bool     `toml:"tracked_shipping"`
	PortalSteps          []string `toml:"portal_steps"`
	// StatutoryReviewAnyDay: a refusal of an EU/UK customer goes to a person whatever
	// the day, not only within the 14-day withdrawal period.
	StatutoryReviewAnyDay  bool `toml:"statutory_review_any_day"`
	StoreCreditAfterWindow bool `toml:"store_credit_after_window"`

	Clause          Clause `toml:"clause"`
	WindowClause    Clause `toml:"window_clause"`
	ConditionClause Clause `toml:"condition_clause"`
	ReasonClause    Clause `toml:"reason_clause"`
}

// NonReturnable lists what the store's own terms exclude from change-of-mind returns.
type NonReturnable struct {
	Categories []string `toml:"categories"` // product Types, case-insensitive
	// ReturnableWhenSealed: categories excluded only once opened.
	ReturnableWhenSealed []string `toml:"returnable_when_sealed"`
	FinalSale            bool     `toml:"final_sale"`
	Personalised         bool     `toml:"personalised"`
	SaleItems            bool     `toml:"sale_items"`

	CategoryClause     Clause `toml:"category_clause"`
	FinalSaleClause    Clause `toml:"final_sale_clause"`
	PersonalisedClause Clause `toml:"personalised_clause"`
	SaleClause         Clause `toml:"sale_clause"`
}

// Claims covers damaged, defective, wrong and not-as-described items.
type Claims struct {
	// Mode: "return_or_exchange" (RAN to send it back; an exchange when a replacement is
	// asked for), "return" (RAN, shipping refunded), "replace_or_refund" (staff send a
	// replacement or refund), "review" (the policy does not cover claims: a person decides).
	Mode        string `toml:"mode"`
	WindowDays  int    `toml:"window_days"`
	WindowHours int    `toml:"window_hours"` // counted in clock hours from delivery, when set
	// PhotosFor lists the reasons that need photos; empty means none do.
	PhotosFor []string `toml:"photos_for"`
	// Late: "review" (a person evaluates) or a reject code.
	Late string `toml:"late"`
	// Exclusions: the non-returnable rules (but for sale items) apply to claims too;
	// for a store that takes back only faulty goods they are the only place those
	// rules can bite.
	Exclusions bool `toml:"exclusions"`
	// UsedBarsFor lists the claim reasons for which an item the customer says was used
	// is refused: what was plain on arrival (not as described, the wrong item) is told
	// before wearing; a defect often shows only in use (a strap that tears when
	// carried), so it is not listed.
	UsedBarsFor []string `toml:"used_bars_for"`

	Clause       Clause `toml:"clause"`
	WindowClause Clause `toml:"window_clause"`
}

// Exchanges covers a different size or colour of a sound item.
type Exchanges struct {
	// Mode: "rma" (send it back for another, RMA by email), "keep_and_exchange" (keep
	// the original, pay a fee, staff ship the new one), "portal" (no direct exchanges:
	// return through the portal and re-order), "not_offered".
	Mode                 string   `toml:"mode"`
	WindowDays           int      `toml:"window_days"`
	WindowFrom           string   `toml:"window_from"`
	Fee                  float64  `toml:"fee"` // keep-and-exchange fee, in the store's currency
	ExcludedCategories   []string `toml:"excluded_categories"`
	ExcludePersonalised  bool     `toml:"exclude_personalised"`
	ExcludeFinalSale     bool     `toml:"exclude_final_sale"`
	Address              []string `toml:"address"` // where exchanges are sent; the return address when empty
	CustomerPaysShipping bool     `toml:"customer_pays_shipping"`
	// SameProductOnly: only another size or colour of the product bought; an
	// exchange for another product is a return and a new order.
	SameProductOnly bool `toml:"same_product_only"`

	Clause       Clause `toml:"clause"`
	WindowClause Clause `toml:"window_clause"`
	// OtherProductClause is the rule quoted when another product is asked for.
	OtherProductClause Clause `toml:"other_product_clause"`
}

// Cancellation covers cancelling an order before it ships.
type Cancellation struct {
	// Mode: "before_fulfilment", "window" (within WindowHours of the order and not
	// shipped), "review" (not covered: a person decides).
	Mode        string `toml:"mode"`
	WindowHours int    `toml:"window_hours"`
	Clause      Clause `toml:"clause"`
}

// Withdrawal is the statutory 14-day right of withdrawal (EU, UK).
type Withdrawal struct {
	// GrantedTo: countries the store's policy grants the right to: "EU" stands for the
	// 27 member states, otherwise ISO codes. Customers in EU/GB not listed are referred
	// to a person.
	GrantedTo []string `toml:"granted_to"`
	Days      int      `toml:"days"`
	Clause    Clause   `toml:"clause"`
}

// Gifts covers returns by the recipient of a gift.
type Gifts struct {
	// VerifyRecipient: a sender who is not the buyer of a gift order proves they
	// received it by giving the shipping postcode, then gets gift credit.
	VerifyRecipient bool   `toml:"verify_recipient"`
	Clause          Clause `toml:"clause"`
}

// Refunds says how long refunds take.
type Refunds struct {
	Time string `toml:"time"` // as customers are told, e.g. "10 business days"
	// OverdueAfterBusinessDays: a customer asking after this many business days since
	// authorisation, with no refund on the order, is referred to a person. 0: never.
	OverdueAfterBusinessDays int    `toml:"overdue_after_business_days"`
	Clause                   Clause `toml:"clause"`
}

// Holidays adjusts the country's public holiday calendar.
type Holidays struct {
	Extra    []string `toml:"extra"`    // further closing days, "2006-01-02"
	Workdays []string `toml:"workdays"` // weekend days that are working days
}

// Load reads the policy file name from fsys with the translations beside it
// (<name without .toml>.translations.toml), when there are any.
func Load(fsys fs.FS, name string) (*Policy, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	p, err := Parse(data, name)
	if err != nil {
		return nil, err
	}
	tname := strings.TrimSuffix(name, ".toml") + TranslationsSuffix
	tdata, err := fs.ReadFile(fsys, tname)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return p, nil
	case err != nil:
		return nil, err
	}
	t, err := ParseTranslations(tdata, tname, p)
	if err != nil {
		return nil, err
	}
	p.SetTranslations(t)
	return p, nil
}

// Builtin returns the five built-in store policies, in id order.
func Builtin() ([]*Policy, error) {
	entries, err := fs.ReadDir(builtin, "stores")
	if err != nil {
		return nil, fmt.Errorf("read built-in policies: %w", err)
	}
	var out []*Policy
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), TranslationsSuffix) {
			continue
		}
		p, err := Load(builtin, path.Join("stores", e.Name()))
		if err != nil {
			return nil, fmt.Errorf("built-in policy: %w", err)
		}
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b *Policy) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// BuiltinFile returns the embedded TOML of one store, for operators who want a copy
// to edit.
func BuiltinFile(id string) ([]byte, error) {
	return builtin.ReadFile(path.Join("stores", id+".toml"))
}

// Parse reads one policy file. Unknown keys are errors: a typo in a policy must not
// silently drop a rule.
func Parse(data []byte, name string) (*Policy, error) {
	var p Policy
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&p)
	if err != nil {
		var perr toml.ParseError
		if errors.As(err, &perr) {
			return nil, fmt.Errorf("policy %s: line %d: %s%s", name, perr.Position.Line, keyPrefix(perr.LastKey), perr.Message)
		}
		return nil, fmt.Errorf("policy %s: %w", name, err)
	}
	if undec := md.Undecoded(); len(undec) > 0 {
		return nil, fmt.Errorf("policy %s: unknown key %q", name, undec[0].String())
	}
	if err := p.init(); err != nil {
		return nil, fmt.Errorf("policy %s: %w", name, err)
	}
	return &p, nil
}

// init validates the policy and prepares its time zone and calendar.
func (p *Policy) init() error {
	if p.ID == "" {
		return errors.New("id: missing")
	}
	if p.Name == "" {
		return errors.New("name: missing")
	}
	loc, err := time.LoadLocation(p.TimeZone)
	if err != nil || p.TimeZone == "" {
		return fmt.Errorf("timezone: %q is not a known time zone", p.TimeZone)
	}
	p.loc = loc
	if len(p.Currency) != 3 || strings.ToUpper(p.Currency) != p.Currency {
		return fmt.Errorf("currency: %q is not an ISO 4217 code such as EUR", p.Currency)
	}
	if len(p.Country) != 2 {
		return fmt.Errorf("country: %q is not an ISO 3166-1 alpha-2 code", p.Country)
	}
	p.Country = strings.ToUpper(p.Country)
	cal, err := calendar.New(p.Country, p.Holidays.Extra, p.Holidays.Workdays)
	if err != nil {
		return fmt.Errorf("holidays: %w", err)
	}
	p.cal = cal
	if err := p.initPromises(); err != nil {
		return err
	}
	for i, m := range p.Mailboxes {
		m = strings.ToLower(strings.TrimSpace(m))
		if !strings.Contains(m, "@") {
			return fmt.Errorf("mailboxes[%d]: %q is not an address", i, m)
		}
		p.Mailboxes[i] = m
	}
	on := p.OrderNumber
	if on.MinDigits < 1 || on.MaxDigits < on.MinDigits {
		return fmt.Errorf("order_number: min_digits/max_digits %d/%d are not a range", on.MinDigits, on.MaxDigits)
	}
	if !strings.Contains(on.Format, "{digits}") {
		return fmt.Errorf("order_number.format: %q has no {digits}", on.Format)
	}
	checks := []struct {
		key, val string
		allowed  []string
	}{
		{"returns.mode", p.Returns.Mode, []string{"email", "portal", "no_refunds", "seller_fault_only"}},
		{"returns.window_from", p.Returns.WindowFrom, []string{"delivery", "purchase"}},
		{"claims.mode", p.Claims.Mode, []string{"return_or_exchange", "return", "replace_or_refund", "review"}},
		{"exchanges.mode", p.Exchanges.Mode, []string{"rma", "keep_and_exchange", "portal", "not_offered"}},
		{"exchanges.window_from", orDefault(p.Exchanges.WindowFrom, "delivery"), []string{"delivery", "purchase"}},
		{"cancellation.mode", p.Cancellation.Mode, []string{"before_fulfilment", "window", "review"}},
		{"claims.late", orDefault(p.Claims.Late, "review"), []string{"review", "window_expired", "claim_window_expired"}},
	}
	for _, c := range checks {
		if !slices.Contains(c.allowed, c.val) {
			return fmt.Errorf("%s: %q is not one of %s", c.key, c.val, strings.Join(c.allowed, ", "))
		}
	}
	for key, reasons := range map[string][]string{"claims.photos_for": p.Claims.PhotosFor, "claims.used_bars_for": p.Claims.UsedBarsFor} {
		for _, r := range reasons {
			if !classify.Reason(r).SellerFault() {
				return fmt.Errorf("%s: %q is not a claim reason (defective, damaged, wrong_item, not_as_described)", key, r)
			}
		}
	}
	if p.Returns.Mode == "email" && len(p.Returns.Address) == 0 && !p.Returns.PrepaidLabel {
		return errors.New("returns.address: a store that issues RANs by email needs a return address or prepaid_label = true")
	}
	if p.Returns.Mode == "portal" && len(p.Returns.PortalSteps) == 0 {
		return errors.New("returns.portal_steps: a portal store must say how to use the portal")
	}
	if p.Withdrawal.Days == 0 {
		p.Withdrawal.Days = 14
	}
	if p.RANPrefix == "" {
		p.RANPrefix = strings.ToUpper(p.ID)
	}
	return nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Location is the store's time zone.
func (p *Policy) Location() *time.Location { return p.loc }

// Calendar is the store's business-day calendar.
func (p *Policy) Calendar() *calendar.Calendar { return p.cal }

// Pattern is how the parser recognises this store's order numbers.
func (p *Policy) Pattern() parser.OrderPattern {
	return parser.OrderPattern{Prefix: p.OrderNumber.Prefix, MinDigits: p.OrderNumber.MinDigits, MaxDigits: p.OrderNumber.MaxDigits}
}

// CanonicalOrder turns a parser candidate ("AL204518", "10234") into the store's
// canonical order name ("AL-204518", "#10234").
func (p *Policy) CanonicalOrder(candidate string) string {
	digits := strings.TrimLeft(strings.ToUpper(candidate), strings.ToUpper(p.OrderNumber.Prefix)+"#- ")
	return strings.ReplaceAll(p.OrderNumber.Format, "{digits}", digits)
}

// HasMailbox reports whether addr is one of the store's support mailboxes.
func (p *Policy) HasMailbox(addr string) bool {
	return slices.Contains(p.Mailboxes, strings.ToLower(strings.TrimSpace(addr)))
}

// keyPrefix names the key a TOML error is about, when the parser knows it.
func keyPrefix(key string) string {
	if key == "" {
		return ""
	}
	return key + ": "
}
