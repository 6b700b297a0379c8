package policy

import (
	"fmt"
	"github.com/returnsdesk/returnsdesk/classify"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/returnsdesk/returnsdesk/orders"
	"github.com/returnsdesk/returnsdesk/responder"
)

// Decide checks one request against the policy: SPEC §3 steps 4 to 7 (the desk has
// already dealt with machine mail, duplicates, the rate limit and the store). It is a
// pure function of its arguments; req.At is the only clock it reads.
func (p *Policy) Decide(req Request) Decision {
	return p.guard(req, p.decide(req)).finish()
}

func (p *Policy) decide(req Request) Decision {
	// A mail on a return already authorised is read in the light of that case (see
	// followUp): "still nothing!" there is a question about the refund.
	underWay := req.Case.Authorized() && req.Order != nil
	switch {
	case req.Intent == classify.IntentLostParcel:
		// Even with a tracking number: a person deals with the carrier.
		return decide(Escalate, "lost_parcel", "the customer reports a lost return parcel")
	case underWay:
	case req.Order != nil && !req.Order.BoughtBy(req.From) && !(p.Gifts.VerifyRecipient && req.Order.Gift()):
		// Someone else writes about an order (SPEC §3 step 4, before the reading of
		// the request): whatever they ask, they are asked to write from the order's
		// address and told nothing, which is safe however the request reads.
		return decide(RequestInfo, "sender_mismatch", "the sender is not the address the order was placed with")
	case req.Intent == classify.IntentUnknown || req.Intent == classify.IntentOther || !req.confident(classify.ConfidenceThreshold):
		return decide(Escalate, "needs_review", fmt.Sprintf("intent %q not understood with confidence", req.Intent))
	case req.Intent == classify.IntentClaim && !req.Reason.SellerFault():
		if d, ok := p.photosFirst(req); ok {
			return d
		}
		return decide(Escalate, "needs_review", "a problem is reported but not what it is")
	}

	if req.OrderNumber == "" {
		return decide(RequestInfo, "missing_order_number", "no order number in the mail or thread")
	}
	if req.Order == nil {
		return decide(RequestInfo, "order_not_found", fmt.Sprintf("order %s is not in the store's orders", req.OrderNumber))
	}
	gift := false
	if !req.Order.BoughtBy(req.From) {
		wantsReturn := req.Intent == classify.IntentReturn || req.Intent == classify.IntentExchange || req.Intent == classify.IntentClaim
		if !p.Gifts.VerifyRecipient || !req.Order.Gift() || !wantsReturn {
			return decide(RequestInfo, "sender_mismatch", "the sender is not the address the order was placed with")
		}
		if !mentionsPostcode(req.Text, req.Order.ShippingZip) {
			return decide(RequestInfo, "verify_recipient", "gift order: the recipient must confirm the shipping postcode")
		}
		gift = true
	}

	if underWay {
		return p.followUp(req, gift)
	}
	if req.Order.Cancelled() && (req.Intent == classify.IntentCancel || req.Intent == classify.IntentReturn) {
		// "You cancelled my order, where is my money?": a cancelled order has nothing
		// left to cancel or return; what is left is its refund.
		return p.refundStatus(req)
	}
	if req.Intent == classify.IntentReturn && !req.Order.Fulfilled() {
		// Nothing has shipped yet, so there is nothing to send back: taking the
		// order back now is cancelling it (SPEC §3: what "cancel" and "return" mean
		// depends on where the parcel is).
		return p.cancel(req)
	}
	switch req.Intent {
	case classify.IntentCancel:
		return p.cancel(req)
	case classify.IntentRefundStatus:
		return p.refundStatus(req)
	case classify.IntentTracking:
		if len(req.Tracking) == 0 && !req.NumberShaped {
			// "Track & trace says delivered, but nothing came": no return under way
			// and no number to record; what is wrong is for a person to find out.
			return decide(Escalate, "needs_review", "a parcel's tracking told, with no number and no return under way")
		}
		return decide(Acknowledge, "tracking_received", "the customer sent the return tracking number")
	}
	return p.forItems(req, gift)
}

// photosFirst answers a claim whose fault the words do not name: where the store
// would ask for photos of a fault of any kind and none came, asking for them is
// right whatever the fault turns out to be, and the photos let a person (or the
// next reading) see it. Anything else about such a claim is for a person.
func (p *Policy) photosFirst(req Request) (Decision, bool) {
	if req.Photos > 0 {
		return Decision{}, false
	}
	for _, r := range []classify.Reason{classify.ReasonDefective, classify.ReasonDamaged} {
		other := req
		other.Reason, other.ReasonStrength = r, classify.ClearReason
		if d := p.decide(other); d.Action != RequestInfo || d.Code != "missing_photos" {
			return Decision{}, false
		}
	}
	return decide(RequestInfo, "missing_photos", "a problem is reported but not what it is: photos first, as any fault needs them"), true
}

// askedAgainWithin is how long after an authorisation the same request is the
// customer asking for the instructions again rather than for news.
const askedAgainWithin = 7 * 24 * time.Hour

// followUp decides a mail on a return already under way (a case with a RAN). Its
// window was judged when it was authorised, so nothing the customer writes now is
// refused as late: it is about the return's progress, the tracking number, the same
// request again (the same RAN, as authorised then), or for a person.
func (p *Policy) followUp(req Request, gift bool) Decision {
	// The order export is one snapshot: it may already show the refund of a return
	// this very thread asks for, so a refund only tells about a case under way.
	refunded := req.Order.RefundIssued()
	newTracking := len(req.Tracking) > 0 && req.Tracking[0].Number != req.Case.Tracking
	vague := !req.confident(classify.ConfidenceThreshold) || req.Intent == classify.IntentUnknown || req.Intent == classify.IntentOther
	aboutMoney := req.WantsRefund || req.SentBack || refunded
	switch {
	case req.Intent == classify.IntentTracking && len(req.Tracking) == 0:
		// "I sent it weeks ago" without a number: where the return and its money are.
		return p.refundStatus(req)
	case req.Intent == classify.IntentTracking, newTracking:
		// The parcel's number is news to record; a refund question beside it is
		// answered by the acknowledgement, unless the refund is already overdue.
		if d := p.refundStatus(req); d.Action == Escalate {
			return d
		}
		return decide(Acknowledge, "tracking_received", "a tracking number for the authorised return")
	case req.Intent == classify.IntentRefundStatus:
		return p.refundStatus(req)
	case vague && aboutMoney:
		// "You authorised my return a month ago and I still have nothing."
		return p.refundStatus(req)
	case vague:
		return decide(Escalate, "needs_review", fmt.Sprintf("a mail on return %s not understood with confidence", req.Case.RAN))
	case req.Case.Exchange && req.Intent == classify.IntentReturn && req.WantsRefund && !req.SentBack && req.Case.Tracking == "":
		// "I'd rather send it back for my money after all": an exchange authorised,
		// nothing sent yet, and now a refund asked instead is a new request, decided
		// as one — as of the authorisation, whose windows it was asked within: only
		// what the policy refuses whenever asked (no refunds, final sale) is refused.
		then := req
		then.At = req.Case.AuthorizedAt
		d := p.forItems(then, gift)
		d.Why += " (instead of exchange " + req.Case.RAN + ")"
		return d
	case req.Intent == classify.IntentReturn || req.Intent == classify.IntentClaim:
		if aboutMoney {
			// "I sent it back, where is my money?"
			return p.refundStatus(req)
		}
		if req.Case.Tracking != "" || req.At.Sub(req.Case.AuthorizedAt) > askedAgainWithin {
			// Weeks after the authorisation, or once the parcel is on its way, the
			// same words are about the return's progress: "you authorised my return
			// a month ago and I still have nothing".
			return p.refundStatus(req)
		}
		// Asked again: the answer it got then, judged as of then, with the same RAN.
		then := req
		then.At = req.Case.AuthorizedAt
		if d := p.forItems(then, gift); d.IssuesRAN() {
			d.Why += " (as authorised on " + req.Case.AuthorizedAt.In(p.loc).Format("2006-01-02") + ")"
			return d
		}
	}
	// An exchange, a cancellation or another item on a return under way: a person
	// sees the whole case.
	return decide(Escalate, "needs_review", fmt.Sprintf("%s asked on return %s, already authorised", req.Intent, req.Case.RAN))
}

// ExchangeCode reports whether an authorisation's code is an exchange's.
func ExchangeCode(code string) bool {
	return slices.Contains(responder.Codes[string(AuthorizeExchange)], code)
}

// refundsOfTheOrder reports whether every sum asked back is one of the order's: an
// item's price, its line's, or all of them.
func refundsOfTheOrder(amounts []float64, items []orders.LineItem) bool {
	var all float64
	for _, it := range items {
		all += it.Price * float64(max(it.Quantity, 1))
	}
	for _, a := range amounts {
		ok := math.Abs(a-all) < 0.01
		for _, it := range items {
			ok = ok || math.Abs(a-it.Price) < 0.01 || math.Abs(a-it.Price*float64(max(it.Quantity, 1))) < 0.01
		}
		if !ok {
			return false
		}
	}
	return true
}

// forItems decides a return, exchange or claim. With several line items the decision
// only needs the customer to say which one when the items would be decided differently.
func (p *Policy) forItems(req Request, gift bool) Decision {
	items := req.Order.Items
	if len(items) == 0 {
		return decide(Escalate, "needs_review", "the order has no line items")
	}
	if req.Intent == classify.IntentReturn && !refundsOfTheOrder(req.RefundAmounts, items) {
		// "Fine, I'll keep the coat. But I want that £41.60 refunded": a sum the order
		// does not show (duties, a fee, a difference) is no return, and no rule's to
		// refuse.
		return decide(Escalate, "needs_review", "the refund asked for is of a sum the order does not show")
	}
	candidates := items
	named := namedItems(req.Text, req.Language, items)
	if len(named) == 0 && !req.WholeOrder {
		named = namedItems(req.ThreadText, req.Language, items)
	}
	if len(named) > 0 && !req.WholeOrder {
		candidates = named
	}
	if len(items) > 1 && len(named) == 0 && !req.WholeOrder && !req.Settled {
		switch {
		case req.Intent == classify.IntentExchange && !req.Reason.SellerFault():
			// "It runs small, I'd like a size up": an exchange is of one thing, and the
			// store must know which to send.
			return missingItem(items, "an exchange of one of the order's items, none named")
		case req.OneItem:
			return missingItem(items, "one of the order's items, none named")
		}
	}
	var first Decision
	for i, it := range candidates {
		d := p.forItem(req, it, gift)
		if i == 0 {
			first = d
			continue
		}
		if d.Action != first.Action || d.Code != first.Code {
			if len(named) == 0 && !req.WholeOrder {
				return missingItem(items, "the order's items would be decided differently and none is named")
			}
			return decide(Escalate, "needs_review", "the items named would be decided differently")
		}
	}
	first.Items = candidates
	return first
}

// missingItem asks which of the order's items the customer means.
func missingItem(items []orders.LineItem, why string) Decision {
	d := decide(RequestInfo, "missing_item", why)
	for _, it := range items {
		d.CandidateItems = append(d.CandidateItems, it.Name)
	}
	return d
}

func (p *Policy) forItem(req Request, it orders.LineItem, gift bool) Decision {
	var d Decision
	switch {
	case req.Reason.SellerFault():
		d = p.claim(req, it)
	case req.Intent == classify.IntentExchange:
		d = p.exchange(req, it)
	default:
		d = p.withStatutoryRight(req, it, p.ownReturnTerms(req, it, gift))
	}
	// The recipient of a gift is refunded in gift credit, whatever the reason (§9).
	if gift && d.Action == AuthorizeReturn {
		d.Code = "gift_credit"
		d.Clause = p.Gifts.Clause
		d.Why += "; gift recipient verified by postcode: refund as gift credit"
	}
	return d
}

// ownReturnTerms applies the store's own change-of-mind rules, in the precedence SPEC
// §3 sets: non-returnable before window before condition.
func (p *Policy) ownReturnTerms(req Request, it orders.LineItem, gift bool) Decision {
	r := p.Returns
	if r.Mode == "no_refunds" {
		d := reject("no_refunds", r.Clause, "the store does not refund")
		if ex := p.exchange(req, it); ex.Action == AuthorizeExchange {
			d.ExchangeUntil = p.windowEnd(req.Order, p.Exchanges.WindowDays, p.Exchanges.WindowFrom)
		}
		return d
	}
	if d, refused := p.nonReturnable(req, it); refused {
		return d
	}
	if r.Mode == "seller_fault_only" && !gift {
		return reject("reason_not_accepted", r.ReasonClause, "change of mind is not an accepted reason")
	}
	if d, late := p.late(req, r.WindowDays, r.WindowFrom, "window_expired", r.WindowClause); late {
		d.StoreCredit = r.StoreCreditAfterWindow
		return d
	}
	if req.Used {
		return reject("used_item", r.ConditionClause, "the customer says the item was used")
	}
	if r.Mode == "portal" {
		return decide(RedirectPortal, "return", "eligible; the store takes returns through its portal")
	}
	d := decide(AuthorizeReturn, "return", fmt.Sprintf("change of mind within %d days", r.WindowDays))
	d.Deadline = p.shipBy(req.At)
	return d
}

// nonReturnable checks the store's exclusions: category, final sale, personalised, sale.
func (p *Policy) nonReturnable(req Request, it orders.LineItem) (Decision, bool) {
	n := p.NonReturnable
	tags := req.Order.Tags
	if cat := itemCategory(it); inCategories(n.Categories, cat) && !(req.Unopened && inCategories(n.ReturnableWhenSealed, cat)) {
		return reject("non_returnable", n.CategoryClause, fmt.Sprintf("category %s is not returnable", cat)), true
	}
	if n.FinalSale && it.FinalSale(tags) {
		return reject("final_sale", n.FinalSaleClause, "the item is final sale"), true
	}
	if n.Personalised && it.Personalised(tags) {
		return reject("non_returnable", n.PersonalisedClause, "the item is personalised"), true
	}
	if n.SaleItems && it.OnSale() {
		return reject("sale_item", n.SaleClause, "the item was bought on sale"), true
	}
	return Decision{}, false
}

// itemCategory is the product Type; a gift card counts as one whatever its Type.
func itemCategory(it orders.LineItem) string {
	if it.GiftCard() {
		return "Gift Card"
	}
	return it.Category()
}

func inCategories(list []string, cat string) bool {
	return cat != "" && slices.ContainsFunc(list, func(c string) bool { return strings.EqualFold(c, cat) })
}

// statutoryOverridable are the refusals the EU/UK right of withdrawal can set aside.
var statutoryOverridable = []string{"sale_item", "final_sale", "non_returnable", "reason_not_accepted", "no_refunds"}

// withStatutoryRight applies the 14-day right of withdrawal (SPEC §3) to a refused
// change-of-mind return: granted where the store's policy grants it, otherwise a person
// decides. It never overrides the statutory exceptions.
func (p *Policy) withStatutoryRight(req Request, it orders.LineItem, own Decision) Decision {
	if own.Action != Reject || !slices.Contains(statutoryOverridable, own.Code) {
		return own
	}
	country := strings.ToUpper(req.Order.ShippingCountry)
	if !statutoryCountry(country) {
		return own
	}
	if exception := p.statutoryException(req, it); exception != "" {
		if own.Code == "reason_not_accepted" && req.Used && exception == usedException {
			// Change of mind alone would be a withdrawal; what refuses it is the use, so
			// the reply cites the condition rule, not the reason rule.
			return reject("used_item", p.Returns.ConditionClause, own.Why+"; no statutory right: "+exception)
		}
		own.Why += "; no statutory right: " + exception
		return own
	}
	inPeriod := false
	if delivered, ok := req.Order.Delivered(p.AssumedTransitDays); ok {
		inPeriod = !p.afterDays(req.At, delivered, p.Withdrawal.Days)
	} else {
		// Not delivered yet: the withdrawal period has not even started.
		inPeriod = true
	}
	granted := p.grants(country)
	switch {
	case granted && inPeriod:
		d := decide(AuthorizeReturn, "eu_withdrawal", fmt.Sprintf("statutory withdrawal within %d days (%s: %s)", p.Withdrawal.Days, country, own.Why))
		d.Clause = p.Withdrawal.Clause
		d.Deadline = p.shipBy(req.At)
		return d
	case !granted && (inPeriod || p.Returns.StatutoryReviewAnyDay):
		return decide(Escalate, "statutory_rights", fmt.Sprintf("%s customer may have a statutory right the policy does not mention (%s)", country, own.Why))
	}
	return own
}

// statutoryException names why the statutory right does not apply to the item, or "".
func (p *Policy) statutoryException(req Request, it orders.LineItem) string {
	cat := itemCategory(it)
	switch {
	case it.Personalised(req.Order.Tags):
		return "personalised item"
	case inCategories([]string{"Food", "Plants"}, cat):
		return "perishable goods"
	case inCategories([]string{"Cosmetics", "Personal Care", "Intimates", "Swimwear"}, cat) && !req.Unopened:
		return "unsealed hygiene goods"
	case cat == "Gift Card":
		return "gift card"
	case inCategories([]string{"Software"}, cat):
		return "downloadable software"
	case req.Used:
		return usedException
	}
	return ""
}

const usedException = "the customer says the item was used"

// euMembers are the 27 member states of the European Union.
var euMembers = []string{"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"}

func statutoryCountry(c string) bool { return c == "GB" || slices.Contains(euMembers, c) }

func (p *Policy) grants(country string) bool {
	for _, g := range p.Withdrawal.GrantedTo {
		g = strings.ToUpper(g)
		if g == country || (g == "EU" && slices.Contains(euMembers, country)) {
			return true
		}
	}
	return false
}

// exchange decides a size or colour exchange of a sound item.
func (p *Policy) exchange(req Request, it orders.LineItem) Decision {
	x := p.Exchanges
	switch x.Mode {
	case "not_offered":
		d := reject("exchange_not_offered", x.Clause, "the store does not exchange sound items")
		ret := p.withStatutoryRight(req, it, p.ownReturnTerms(req, it, false))
		d.ReturnPossible = ret.Action == AuthorizeReturn || ret.Action == RedirectPortal
		return d
	case "portal":
		d := p.ownReturnTerms(req, it, false)
		if d.Action == RedirectPortal {
			d.Code = "no_direct_exchange"
			d.Clause = x.Clause
			d.Why = "no direct exchanges: return through the portal and order again"
		}
		return d
	}
	if x.SameProductOnly {
		if other, ok := otherProductAsked(req); ok {
			d := reject("exchange_not_offered", orClause(x.OtherProductClause, x.Clause),
				fmt.Sprintf("an exchange for another product (%s): only sizes and colours of the same one are exchanged", other))
			ret := p.withStatutoryRight(req, it, p.ownReturnTerms(req, it, false))
			d.ReturnPossible = ret.Action == AuthorizeReturn || ret.Action == RedirectPortal
			return d
		}
	}
	cat := itemCategory(it)
	if inCategories(x.ExcludedCategories, cat) {
		return reject("non_returnable", p.NonReturnable.CategoryClause, fmt.Sprintf("category %s cannot be exchanged", cat))
	}
	if x.ExcludePersonalised && it.Personalised(req.Order.Tags) {
		return reject("non_returnable", orClause(p.NonReturnable.PersonalisedClause, x.Clause), "personalised items cannot be exchanged")
	}
	if x.ExcludeFinalSale && it.FinalSale(req.Order.Tags) {
		return reject("final_sale", orClause(p.NonReturnable.FinalSaleClause, x.Clause), "final-sale items cannot be exchanged")
	}
	if d, late := p.late(req, x.WindowDays, orDefault(x.WindowFrom, "delivery"), "window_expired", x.WindowClause); late {
		return d
	}
	if req.Used {
		return reject("used_item", p.Returns.ConditionClause, "the customer says the item was used")
	}
	if x.Mode == "keep_and_exchange" {
		return decide(AuthorizeExchange, "keep_and_exchange", fmt.Sprintf("size/colour exchange within %d days: keep and exchange", x.WindowDays))
	}
	d := decide(AuthorizeExchange, "exchange", fmt.Sprintf("exchange within %d days of %s", x.WindowDays, orDefault(x.WindowFrom, "delivery")))
	d.Deadline = p.shipBy(req.At)
	return d
}

// otherProductAsked reports whether the mail asks to exchange for a product of the
// catalogue that the order does not hold ("kunnen jullie de jas omruilen voor die
// overshirt?"), and its title. Only what the exchange asks for counts
// (Reading.ExchangeTargets): a product named anywhere else is told of, not asked for.
func otherProductAsked(req Request) (string, bool) {
	if len(req.Catalogue) == 0 || req.Order == nil {
		return "", false
	}
	if len(req.ExchangeTargets) == 0 {
		return "", false
	}
	ordered := map[string]bool{}
	items := slices.Clone(req.Order.Items)
	for _, it := range req.Order.Items {
		title, _ := splitVariant(it)
		ordered[strings.ToLower(title)] = true
	}
	for _, pr := range req.Catalogue {
		if pr.Title != "" && !ordered[strings.ToLower(pr.Title)] && !pr.GiftCard {
			ordered[strings.ToLower(pr.Title)] = true
			items = append(items, orders.LineItem{Name: pr.Title})
		}
	}
	// Each other product is weighed against the order's items alone: "el vestido" names
	// a dress beside the skirt ordered, however many dresses the catalogue has.
	for _, target := range req.ExchangeTargets {
		for _, other := range items[len(req.Order.Items):] {
			named := namedItems(target, req.Language, append(slices.Clone(req.Order.Items), other))
			if len(named) == 1 && named[0].Name == other.Name {
				return other.Name, true
			}
		}
	}
	return "", false
}

func orClause(c, fallback Clause) Clause {
	if c.Section == "" {
		return fallback
	}
	return c
}

// claim decides a damaged, defective, wrong or not-as-described item.
func (p *Policy) claim(req Request, it orders.LineItem) Decision {
	c := p.Claims
	if c.Mode == "review" {
		return decide(Escalate, "needs_review", "the policy does not cover damaged, faulty or wrong items")
	}
	if c.Exclusions {
		if d, refused := p.nonReturnable(req, it); refused && d.Code != "sale_item" {
			return d
		}
	}
	delivered, ok := req.Order.Delivered(p.AssumedTransitDays)
	if !ok {
		return decide(Escalate, "needs_review", "a problem is reported with an order that has not shipped")
	}
	late := false
	if c.WindowHours > 0 {
		late = req.At.Sub(delivered) > time.Duration(c.WindowHours)*time.Hour
	} else {
		late = p.afterDays(req.At, delivered, c.WindowDays)
	}
	if late {
		if c.Late == "review" || c.Late == "" {
			return decide(Escalate, "claim_review", "a problem reported after the claim window: the policy promises to evaluate it")
		}
		return reject(c.Late, c.WindowClause, "the problem was reported after the claim window")
	}
	if req.Used && slices.Contains(c.UsedBarsFor, string(req.Reason)) {
		return reject("used_item", p.Returns.ConditionClause, "the customer says the item was used")
	}
	if slices.Contains(c.PhotosFor, string(req.Reason)) && req.Photos == 0 {
		return decide(RequestInfo, "missing_photos", fmt.Sprintf("a %s item needs photos", req.Reason))
	}
	wantsReplacement := req.Intent == classify.IntentExchange || req.WantsReplacement
	switch c.Mode {
	case "return_or_exchange":
		if wantsReplacement {
			d := decide(AuthorizeExchange, "exchange", fmt.Sprintf("%s item, replacement asked for", req.Reason))
			d.Deadline = p.shipBy(req.At)
			return d
		}
		d := decide(AuthorizeReturn, "seller_fault", fmt.Sprintf("%s item within the claim window", req.Reason))
		d.Deadline = p.shipBy(req.At)
		return d
	case "return":
		d := decide(AuthorizeReturn, "seller_fault", fmt.Sprintf("%s item within %d days", req.Reason, c.WindowDays))
		d.Deadline = p.shipBy(req.At)
		return d
	}
	return decide(ReplaceOrRefund, "claim", fmt.Sprintf("%s item reported in time with photos", req.Reason))
}

// cancel decides a cancellation.
func (p *Policy) cancel(req Request) Decision {
	c := p.Cancellation
	o := req.Order
	if p.inCoolingOff(req) || p.delivered(req) {
		// "Cancel" of an order the customer already has is a return of it; within
		// the statutory cooling-off period, a withdrawal.
		r := req
		r.Intent, r.WholeOrder = classify.IntentReturn, true
		if r.Reason == classify.ReasonNone {
			r.Reason = classify.ReasonChangedMind
		}
		d := p.forItems(r, false)
		d.Why = "a cancellation of a delivered order is a return of it: " + d.Why
		return d
	}
	switch c.Mode {
	case "before_fulfilment":
		if o.Fulfilled() {
			return reject("already_shipped", c.Clause, "the order has shipped")
		}
		return decide(CancelOrder, "cancel", "the order has not shipped yet")
	case "window":
		if req.At.Sub(o.CreatedAt) > time.Duration(c.WindowHours)*time.Hour {
			return reject("cancellation_window_passed", c.Clause, fmt.Sprintf("more than %d hours since the order", c.WindowHours))
		}
		if o.Fulfilled() {
			return reject("already_shipped", c.Clause, "the order has shipped")
		}
		return decide(CancelOrder, "cancel", fmt.Sprintf("within %d hours and not shipped", c.WindowHours))
	}
	return decide(Escalate, "needs_review", "the policy does not cover cancellations")
}

// delivered reports whether the order is in the customer's hands: delivered (or
// assumed delivered, transit days after fulfilment) before the message.
func (p *Policy) delivered(req Request) bool {
	at, ok := req.Order.Delivered(p.AssumedTransitDays)
	return ok && !at.After(req.At)
}

// inCoolingOff reports whether the order was delivered to a customer with the
// statutory right of withdrawal (SPEC §3) and its period still runs.
func (p *Policy) inCoolingOff(req Request) bool {
	delivered, ok := req.Order.Delivered(p.AssumedTransitDays)
	return ok && !delivered.After(req.At) && statutoryCountry(strings.ToUpper(req.Order.ShippingCountry)) &&
		!p.afterDays(req.At, delivered, p.Withdrawal.Days)
}

// refundStatus answers "where is my refund", referring overdue refunds to a person.
func (p *Policy) refundStatus(req Request) Decision {
	n := p.Refunds.OverdueAfterBusinessDays
	since := req.Case.AuthorizedAt
	if n > 0 && !since.IsZero() && !req.Order.RefundIssued() {
		if days := p.cal.BusinessDaysBetween(since.In(p.loc), req.At.In(p.loc)); days > n {
			d := decide(Escalate, "refund_overdue", fmt.Sprintf("%d business days since authorisation, no refund", days))
			d.Clause = p.Refunds.Clause
			return d
		}
	}
	d := decide(StatusUpdate, "refund_status", "status of the return and refund")
	if !since.IsZero() && n > 0 {
		d.RefundDue = p.cal.AddBusinessDays(since.In(p.loc), n)
	}
	return d
}

// late reports whether req comes after a day window counted from delivery or purchase.
func (p *Policy) late(req Request, days int, from, code string, clause Clause) (Decision, bool) {
	start, ok := p.windowStart(req.Order, from)
	if !ok {
		// Not delivered yet: no window has started to run.
		return Decision{}, false
	}
	if p.afterDays(req.At, start, days) {
		return reject(code, clause, fmt.Sprintf("more than %d days after %s (%s)", days, from, start.In(p.loc).Format("2006-01-02"))), true
	}
	return Decision{}, false
}

func (p *Policy) windowStart(o *orders.Order, from string) (time.Time, bool) {
	if from == "purchase" {
		return o.CreatedAt, !o.CreatedAt.IsZero()
	}
	return o.Delivered(p.AssumedTransitDays)
}

// windowEnd is the last day of a window, or zero when it has not started.
func (p *Policy) windowEnd(o *orders.Order, days int, from string) time.Time {
	start, ok := p.windowStart(o, orDefault(from, "delivery"))
	if !ok {
		return time.Time{}
	}
	y, m, d := start.In(p.loc).Date()
	return time.Date(y, m, d+days, 0, 0, 0, 0, p.loc)
}

// afterDays reports whether at falls after the calendar day start + days, counted in
// the store's time zone (SPEC §3 "Time").
func (p *Policy) afterDays(at, start time.Time, days int) bool {
	y, m, d := start.In(p.loc).Date()
	last := time.Date(y, m, d+days, 0, 0, 0, 0, p.loc)
	ay, am, ad := at.In(p.loc).Date()
	day := time.Date(ay, am, ad, 0, 0, 0, 0, p.loc)
	return day.After(last)
}

// shipBy is the last day a return authorised at `at` may be sent.
func (p *Policy) shipBy(at time.Time) time.Time {
	if p.Returns.ShipWithinDays == 0 {
		return time.Time{}
	}
	y, m, d := at.In(p.loc).Date()
	return time.Date(y, m, d+p.Returns.ShipWithinDays, 0, 0, 0, 0, p.loc)
}
