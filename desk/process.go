package desk

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"github.com/returnsdesk/returnsdesk/classify"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/returnsdesk/returnsdesk/orders"
	"github.com/returnsdesk/returnsdesk/parser"
	"github.com/returnsdesk/returnsdesk/policy"
	"github.com/returnsdesk/returnsdesk/responder"
	"github.com/returnsdesk/returnsdesk/state"
)

// Result is what the desk did with one message (the replay JSON line, SPEC §6).
type Result struct {
	File             string `json:"file,omitempty"`
	Store            string `json:"store"`
	MessageID        string `json:"message_id"`
	From             string `json:"from"`
	Order            string `json:"order"`
	Intent           string `json:"intent"`
	Reason           string `json:"reason"`
	Language         string `json:"language"`
	Action           string `json:"action"`
	Code             string `json:"code"`
	RAN              string `json:"ran"`
	Flagged          bool   `json:"flagged"`
	AddressDisclosed bool   `json:"address_disclosed"`
	Reply            *Reply `json:"reply"`

	// Explain is why the mail got its decision (replay --explain); nil otherwise.
	Explain *Explanation `json:"explain,omitempty"`

	// Why is the rule that decided, for logs and staff; not part of the JSON line.
	Why string `json:"-"`
	// Reading is what the classifier read in the customer's own words.
	Reading classify.Reading `json:"-"`
	fresh   string           // the customer's own words, for Explanation
	photos  int
	// RecordedID is the id the message is recorded under in the state: its
	// Message-ID, or one derived from its content when it has none.
	RecordedID string `json:"-"`
	// Outgoing is the queued reply (raw bytes and Message-ID), nil when none.
	Outgoing *state.Outgoing `json:"-"`
	// Problems lists what could not be read in the mail.
	Problems []string `json:"-"`
	// StaffConfirmation is the desk's confirmation of a staff command, to the staff
	// member; nil for customer mail.
	StaffConfirmation *Reply `json:"staff_confirmation,omitempty"`
}

// Explanation is a reviewer's view of one decision: the rule that decided and the
// reading it rests on, phrase by phrase.
type Explanation struct {
	Why            string   `json:"why"`
	Confidence     float64  `json:"confidence"`
	ReasonStrength float64  `json:"reason_strength"`
	Photos         int      `json:"photos"`
	Evidence       []string `json:"evidence"`
	FreshText      string   `json:"fresh_text"`
}

// Explanation builds the explanation of a result.
func (r *Result) Explanation() *Explanation {
	e := &Explanation{Why: r.Why, Confidence: r.Reading.Confidence, ReasonStrength: r.Reading.ReasonStrength,
		Photos: r.photos, FreshText: r.fresh, Evidence: []string{}}
	for _, ev := range r.Reading.Evidence {
		e.Evidence = append(e.Evidence, ev.String())
	}
	return e
}

// Reply is the customer-facing part of the reply.
type Reply struct {
	To        string `json:"to"`
	Subject   string `json:"subject"`
	InReplyTo string `json:"in_reply_to"`
	Language  string `json:"language"`
	Body      string `json:"body"`
}

// Process decides one raw mail received at receivedAt (its Date header when zero),
// records the outcome and queues the reply. The error is for the desk's own failures
// (state, templates); a mail it cannot read is escalated to staff, never an error.
func (d *Desk) Process(ctx context.Context, raw []byte, receivedAt time.Time) (*Result, error) {
	return d.decideAfresh(func() (*Result, error) { return d.process(ctx, raw, receivedAt, 0) })
}

// maxStaleDecisions is how often a mail is decided again because another instance
// recorded a decision about the same customer meanwhile. Each refusal means that
// another decision was recorded, so a mail is refused at most as often as the
// customer's other mails are decided while it is: a handful, even for a customer
// writing to every mailbox of the store at once.
const maxStaleDecisions = 10

// decideAfresh runs one decision, and runs it again from the raw mail when the
// state refuses it as stale (state.ErrStale): it read what another instance
// sharing the state changed before it could record.
func (d *Desk) decideAfresh(decide func() (*Result, error)) (*Result, error) {
	for attempt := 1; ; attempt++ {
		res, err := decide()
		if !errors.Is(err, state.ErrStale) || attempt == maxStaleDecisions {
			return res, err
		}
		d.log.Debug("decided on state another instance changed meanwhile: deciding again", "err", err)
	}
}

// ProcessOversized handles a mail larger than the configured limit from its header
// alone: machine mail is still ignored and the rate limit applies, but a customer's
// mail is referred to staff unread, with a holding reply. The mail stays in the
// mailbox for staff to read.
func (d *Desk) ProcessOversized(ctx context.Context, header []byte, size int64, receivedAt time.Time) (*Result, error) {
	return d.decideAfresh(func() (*Result, error) { return d.process(ctx, header, receivedAt, size) })
}

func (d *Desk) process(ctx context.Context, raw []byte, receivedAt time.Time, oversized int64) (*Result, error) {
	msg, perr := parser.ParseBytes(raw, d.opts.Limits)
	at := receivedAt
	if at.IsZero() {
		at = msg.Date
	}
	if at.IsZero() {
		at = d.opts.Now()
	}
	id := msg.MessageID
	if id == "" {
		// Without a Message-ID the content itself identifies a redelivery.
		sum := sha256.Sum256(raw)
		id = "sha256-" + hex.EncodeToString(sum[:16]) + "@returnsdesk.invalid"
	}
	fresh := msg.FreshText
	reading := classify.Read(msg.Subject, fresh)
	res := &Result{MessageID: msg.MessageID, RecordedID: id, From: strings.ToLower(msg.From.Address), Language: reading.Language,
		Intent: string(reading.Intent), Reason: string(reading.Reason), Problems: msg.Problems}
	store, mailbox := d.storeFor(msg)
	if store != nil {
		res.Store = store.ID()
	}

	p := &processing{desk: d, msg: msg, freshText: fresh, reading: reading, id: id, at: at, store: store, mailbox: mailbox, res: res, oversized: oversized}
	if err := p.run(ctx, perr); err != nil {
		return nil, err
	}
	res.Reading, res.fresh, res.photos = p.reading, p.freshText, msg.Photos
	if len(msg.Problems) > 0 {
		// Limits hit and unreadable parts: what staff need to know, never the text.
		d.log.Warn("mail not fully readable", "store", res.Store, "message_id", res.MessageID,
			"action", res.Action, "problems", strings.Join(msg.Problems, "; "))
	}
	d.log.Info("processed", "store", res.Store, "message_id", res.MessageID, "order", res.Order,
		"action", res.Action, "code", res.Code, "why", res.Why)
	return res, nil
}

// processing carries one message through the desk.
type processing struct {
	desk    *Desk
	msg     *parser.Message
	reading classify.Reading // what the customer's own words say
	// freshText is the customer's own words: msg.FreshText, less the desk's own
	// earlier replies quoted in the mail (dropOwnReplies).
	freshText string
	id        string
	at        time.Time
	store     *Store
	mailbox   string
	res       *Result

	thread    state.Thread
	inThread  bool
	continued bool // the thread is the sender's last, continued without reply headers
	kase      state.Case
	order     *orders.Order
	req       policy.Request
	noRecord  bool  // duplicates leave no trace
	oversized int64 // the size of a mail read from its header only; 0 when read whole
	flagOnly  *state.Thread
	// guard is the customer's mark read before the decision's reads of their
	// thread, case and replies; nil for mail decided on none of those.
	guard    *state.CustomerGuard
	staffAct *staffAction // a staff command being carried out; nil for customer mail
	// relayedBy is the web form's mailer a mail came from (its customer in Reply-To);
	// empty for mail the customer sent themselves.
	relayedBy string
}

// run decides and records the message, one message at a time.
func (p *processing) run(ctx context.Context, perr error) error {
	p.desk.decide.Lock()
	defer p.desk.decide.Unlock()
	dec, err := p.decide(ctx, perr)
	if err != nil {
		return err
	}
	return p.finish(ctx, dec)
}

// decide runs SPEC §3 in order.
func (p *processing) decide(ctx context.Context, perr error) (policy.Decision, error) {
	d, msg := p.desk, p.msg
	// 1. No reply to machines.
	seen, err := d.state.Seen(ctx, p.id)
	if err != nil {
		return policy.Decision{}, err
	}
	if seen {
		p.noRecord = true
		return policy.Machine("duplicate", "this Message-ID was processed before"), nil
	}
	if msg.Machine != parser.NotMachine {
		dec := policy.Machine(string(msg.Machine), "written by a machine")
		if msg.Machine == parser.Bounce {
			if err := p.flagBouncedThread(ctx, &dec); err != nil {
				return dec, err
			}
		}
		return dec, nil
	}
	if d.ownAddress(msg.From.Address) {
		return policy.Machine("own_message", "sent from one of the desk's own mailboxes"), nil
	}
	if p.store != nil && p.store.isStaff(msg.From.Address) {
		ok, why := p.store.staffAuthentic(msg)
		if ok {
			return p.staffMail(ctx)
		}
		// Someone wrote a staff address into From: a stranger's mail, whose
		// command does nothing.
		p.desk.log.Warn("mail from a staff address failed the server's authentication: read as a stranger's",
			"store", p.store.ID(), "message_id", msg.MessageID, "from", msg.From.Address, "why", why)
	}
	if p.store == nil {
		return policy.Escalation("needs_review", "sent to no mailbox of a known store"), nil
	}
	if isFormRelay(msg.From.Address) && msg.ReplyTo.Address != "" {
		// A store's contact form (Shopify's) mails from the shop's mailer, with the
		// address the customer typed in Reply-To. That address is answered, since it is
		// the only way to the customer, but it proves nothing: the request is decided
		// as the mailer's, which owns no order, so nothing about one is disclosed and
		// the customer is asked to write from the order's address.
		p.relayedBy = msg.From.Address
		msg.From = msg.ReplyTo
	}
	if msg.From.Address == "" {
		return policy.Escalation("needs_review", "no sender address to reply to"), nil
	}

	// Another instance may be deciding this customer's mail in another mailbox of
	// the store at the same moment: what is read from here on is checked, when
	// recorded, against the mark read first.
	mark, err := d.state.CustomerMark(ctx, p.store.ID(), msg.From.Address)
	if err != nil {
		return policy.Decision{}, err
	}
	p.guard = &state.CustomerGuard{Store: p.store.ID(), Customer: msg.From.Address, Mark: mark}

	// 2. Rate limit.
	n, err := d.state.RepliesSince(ctx, p.store.ID(), msg.From.Address, p.at.Add(-d.opts.RateWindow))
	if err != nil {
		return policy.Decision{}, err
	}
	if err := p.loadThread(ctx); err != nil {
		return policy.Decision{}, err
	}
	if err := p.dropOwnReplies(ctx); err != nil {
		return policy.Decision{}, err
	}
	p.readOwnEarlierMail()
	if n >= d.opts.RateLimit {
		return policy.Escalation("rate_limited", fmt.Sprintf("%d replies to this sender in %s", n, d.opts.RateWindow)), nil
	}
	if p.inThread && p.thread.HandledBy != "" {
		// A person has taken the thread over: the desk keeps out of it.
		return policy.HeldForStaff("the thread is handled by " + p.thread.HandledBy), nil
	}

	// A mail the parser could not read whole goes to a person.
	if p.oversized > 0 {
		return policy.Escalation("needs_review", fmt.Sprintf("the mail is %d bytes, over the size limit: not read", p.oversized)), nil
	}
	if perr != nil && (errors.Is(perr, parser.ErrTooLarge) || strings.TrimSpace(msg.FreshText+msg.Subject) == "") {
		return policy.Escalation("needs_review", "the mail could not be read: "+perr.Error()), nil
	}
	if msg.OverLimit != "" {
		// What was read may not be what the customer asked: the rest of the mail is
		// for a person to read, never answered from a part of it.
		return policy.Escalation("needs_review", "over a limit: "+msg.OverLimit), nil
	}

	// 4–7. Order, item and policy.
	if err := p.buildRequest(ctx); err != nil {
		return policy.Decision{}, err
	}
	return p.store.Policy.Decide(p.req), nil
}

// continuedWithin is how soon a customer's new mail, written without replying, is
// taken for a second thought on their last one.
const continuedWithin = 2 * time.Hour

// loadThread finds the thread the message continues, if any.
func (p *processing) loadThread(ctx context.Context) error {
	ids := append(append([]string{}, p.msg.References...), p.msg.InReplyTo...)
	t, err := p.desk.state.ThreadFor(ctx, p.store.ID(), ids)
	switch {
	case errors.Is(err, state.ErrNotFound):
		p.thread = state.Thread{Store: p.store.ID(), Customer: strings.ToLower(p.msg.From.Address)}
		// "Sorry, I forgot: it's only the coat": a new mail (no reply headers) from
		// the same customer shortly after their last one continues it.
		last, err := p.desk.state.LatestThread(ctx, p.store.ID(), p.msg.From.Address)
		if err != nil && !errors.Is(err, state.ErrNotFound) {
			return err
		}
		if err == nil && last.HandledBy == "" && !p.at.Before(last.LastInAt) && p.at.Sub(last.LastInAt) <= continuedWithin {
			p.thread, p.inThread, p.continued = last, true, true
		}
	case err != nil:
		return err
	case !strings.EqualFold(t.Customer, p.msg.From.Address):
		// Someone else writing into a customer's thread (a reply-all, a stranger
		// quoting it) starts a thread of their own: one customer's case never
		// carries another's words, and another's words never change it.
		p.thread = state.Thread{Store: p.store.ID(), Customer: strings.ToLower(p.msg.From.Address)}
	default:
		p.thread, p.inThread = t, true
	}
	return nil
}

// dropOwnReplies removes from the customer's words what the desk itself wrote earlier
// in the thread and the customer quoted, however their client quoted it: the desk's
// own "return authorisation", "final sale" or "defective" must never be read as the
// customer's. The reading is redone on what is left.
func (p *processing) dropOwnReplies(ctx context.Context) error {
	if !p.inThread || p.thread.ID == 0 {
		return nil
	}
	replies, err := p.desk.state.ThreadReplies(ctx, p.thread.ID, maxQuotedReplies)
	if err != nil {
		return err
	}
	var own []string
	for _, r := range replies {
		m, _ := parser.ParseBytes(r.Raw, p.desk.opts.Limits)
		own = append(own, m.Text)
	}
	fresh := parser.WithoutKnownText(p.freshText, own)
	if fresh == p.freshText {
		return nil
	}
	p.freshText = fresh
	p.reading = classify.Read(p.msg.Subject, fresh)
	p.res.Language, p.res.Intent, p.res.Reason = p.reading.Language, string(p.reading.Intent), string(p.reading.Reason)
	return nil
}

// readOwnEarlierMail reads the customer's own earlier mail, forwarded or quoted below,
// as their request when the new words ask nothing ("I sent the note below to the wrong
// address", "still no answer to my mail below") or ask again what it asked ("no answer
// yet; I'd really like to send the skirt back"), and the mail belongs to no thread the
// desk knows by its reply headers: a reply in a thread of the desk's is read with that
// thread, and what the thread asked before is the thread's.
func (p *processing) readOwnEarlierMail() {
	if p.inThread && !p.continued {
		return
	}
	own := parser.OwnForwardedText(p.msg.Text, p.msg.From.Address)
	if own == "" {
		return
	}
	// About another order than the new words name, the mail below is another matter.
	if was, _ := p.findOrder(own); was != "" {
		if now, _ := p.findOrder(p.freshText); now != "" && now != was {
			return
		}
	}
	// Only words that ask nothing at all are read with it: a new text about a parcel
	// or a refund, however unsure its reading, is about that, not about the old
	// request. One that asks the same again ("no answer yet; I'd really like to send
	// the skirt back") is the request, and what the mail below told of the item
	// (worn, unopened, why) holds for it too.
	if in := classify.Read("", p.freshText).Intent; in != classify.IntentUnknown && in != classify.IntentOther {
		earlier := classify.Read("", own)
		if earlier.Intent != in {
			return
		}
		p.reading = p.reading.WithFactsOf(earlier)
		p.res.Reason = string(p.reading.Reason)
		return
	}
	p.freshText = strings.TrimSpace(p.freshText + "\n\n" + own)
	p.reading = classify.Read(p.msg.Subject, p.freshText)
	p.res.Language, p.res.Intent, p.res.Reason = p.reading.Language, string(p.reading.Intent), string(p.reading.Reason)
}

// formRelays are the mailers of store contact forms: mail from them carries the
// customer's typed address in Reply-To.
var formRelays = []string{"mailer@shopify.com"}

func isFormRelay(addr string) bool {
	return slices.ContainsFunc(formRelays, func(r string) bool { return strings.EqualFold(r, addr) })
}

// maxQuotedReplies bounds how many of the desk's earlier replies are looked for.
const maxQuotedReplies = 5

// buildRequest merges the message with what its thread already established.
func (p *processing) buildRequest(ctx context.Context) error {
	msg, t, pol := p.msg, &p.thread, p.store.Policy
	cls := p.reading
	intent, reason := cls.Intent, cls.Reason
	confident := intent != classify.IntentUnknown && cls.Confidence >= classify.ConfidenceThreshold
	vague := !confident || intent == classify.IntentOther
	settled := false
	if p.inThread && vague && t.Pending != "" && t.Intent != "" {
		// An answer to our question ("here are the photos", "it is LX100233").
		intent, settled = classify.Intent(t.Intent), true
	}
	answersOurQuestion := p.inThread && t.Pending != ""
	if p.inThread && t.Reason != "" && (reason == classify.ReasonNone || cls.ReasonStrength < classify.ClearReason ||
		answersOurQuestion && classify.Reason(t.Reason).SellerFault() && !reason.SellerFault()) {
		// The reason the thread established was read clearly enough to be recorded;
		// a weaker hint in the answer ("here are the photos of the colour") does not
		// replace it, nor does a fault's size or colour named again in the answer to
		// our question ("I'd rather have it in the right colour").
		reason = classify.Reason(t.Reason)
		cls.ReasonStrength = max(cls.ReasonStrength, classify.ClearReason)
	}

	text := msg.Subject + "\n" + p.freshText
	// The customer's new words name the order before an old subject line does.
	orderNo, order := p.findOrder(p.freshText + "\n" + msg.Subject)
	if orderNo == "" && t.Order != "" {
		orderNo = t.Order
		order, _ = p.lookup(orderNo)
	}
	if orderNo == "" {
		orderNo, order = p.quotedOwnOrder()
	}
	if orderNo == "" && followUp(intent, msg) {
		// A new mail that follows up on a return without naming the order.
		c, err := p.desk.state.LatestCaseFor(ctx, pol.ID, strings.ToLower(msg.From.Address), p.at.AddDate(0, 0, -120))
		if err != nil && !errors.Is(err, state.ErrNotFound) {
			return err
		}
		if err == nil {
			orderNo = c.Order
			order, _ = p.lookup(orderNo)
		}
	}
	if orderNo == "" && intent == classify.IntentRefundStatus {
		// "Where is my refund?" from the address of exactly one order: that order
		// (the sender is its buyer, so nothing is disclosed to anyone else).
		if o, ok := p.store.Orders.OnlyOrderOf(msg.From.Address); ok {
			orderNo, order = o.Name, o
		}
	}
	if orderNo != "" {
		c, err := p.desk.state.Case(ctx, pol.ID, orderNo)
		if err != nil && !errors.Is(err, state.ErrNotFound) {
			return err
		}
		if err == nil {
			p.kase = c
		}
	}
	if len(msg.Tracking) > 0 && vague && intent != classify.IntentLostParcel && (p.kase.RAN != "" || t.Intent != "") {
		// A tracking number in a vague mail on a return: the tracking message. A
		// lost return parcel stays lost, tracking number or not (SPEC §3).
		intent, settled = classify.IntentTracking, true
	}

	if len(msg.Tracking) > 0 && cls.SentBack && (intent == classify.IntentReturn || intent == classify.IntentExchange) {
		// "I sent it back this morning, the tracking number is …; the size I want is
		// the M": the parcel is on its way, and its number is the news; what it was
		// sent for was asked before.
		intent = classify.IntentTracking
	}
	var threadText string
	if p.inThread && t.RequestWords != "" && order != nil && len(order.Items) > 1 {
		// "Then can I swap it for an M?": the item, or "one of the pieces", is the
		// one the thread's request spoke of (only an order of several items has to be
		// told which).
		threadText = t.RequestWords
		if !cls.OneItem && !cls.WholeOrder {
			cls.OneItem = classify.Read("", threadText).OneItem
		}
	}
	if cls.Used && order != nil && cls.UsedOnlyInNames(itemNames(order.Items)) {
		// "Oversized Denim Jacket in Washed Blue": the colour's name, not a wash.
		cls.Used, cls.UsedStrength = false, 0
	}
	cls.Used = cls.Used || t.Used
	cls.Unopened = cls.Unopened || t.Unopened
	cls.WantsReplacement = cls.WantsReplacement || t.WantsReplacement
	p.order = order
	p.req = policy.Request{
		At: p.at, From: cmp.Or(p.relayedBy, msg.From.Address), Intent: intent, Reason: reason, Reading: cls, Settled: settled,
		Text: text, ThreadText: threadText, Catalogue: p.store.Orders.Products(), Photos: msg.Photos + t.Photos, Tracking: msg.Tracking,
		OrderNumber: orderNo, Order: order,
		Case: policyCase(p.kase),
	}
	p.res.Intent, p.res.Reason, p.res.Order = string(intent), string(reason), orderNo
	return nil
}

// followUp reports whether a mail without an order number may be matched to the
// customer's open case.
func followUp(intent classify.Intent, msg *parser.Message) bool {
	switch intent {
	case classify.IntentTracking, classify.IntentRefundStatus, classify.IntentLostParcel:
		return true
	}
	return len(msg.Tracking) > 0
}

// findOrder picks the order number the customer means: the first candidate that is
// one of the store's orders, else the first candidate.
func (p *processing) findOrder(text string) (string, *orders.Order) {
	pol := p.store.Policy
	cands := parser.FindOrderNumbers(text, pol.Pattern())
	for _, c := range cands {
		name := pol.CanonicalOrder(c)
		if o, ok := p.lookup(name); ok {
			return o.Name, o
		}
	}
	if len(cands) > 0 {
		return pol.CanonicalOrder(cands[0]), nil
	}
	if typo := parser.FindMistypedOrderNumber(text, pol.Pattern()); typo != "" {
		return pol.CanonicalOrder(typo), nil
	}
	return "", nil
}

// quotedOwnOrder finds the order in what the customer quoted or forwarded ("see my
// confirmation below"): only an order that exists and was bought from the sender's
// address, since quoted history may be anyone's mail.
func (p *processing) quotedOwnOrder() (string, *orders.Order) {
	pol := p.store.Policy
	for _, c := range parser.FindOrderNumbers(p.msg.Text, pol.Pattern()) {
		if o, ok := p.lookup(pol.CanonicalOrder(c)); ok && o.BoughtBy(p.msg.From.Address) {
			return o.Name, o
		}
	}
	return "", nil
}

func (p *processing) lookup(name string) (*orders.Order, bool) {
	if p.store.Orders == nil {
		return nil, false
	}
	return p.store.Orders.Lookup(name)
}

// flagBouncedThread flags the thread of a reply of ours that bounced.
func (p *processing) flagBouncedThread(ctx context.Context, dec *policy.Decision) error {
	for _, id := range p.msg.BounceOf {
		m, err := p.desk.state.MessageByID(ctx, id)
		if errors.Is(err, state.ErrNotFound) || (err == nil && (m.Direction != "out" || m.ThreadID == 0)) {
			continue
		}
		if err != nil {
			return err
		}
		t, err := p.desk.state.Thread(ctx, m.ThreadID)
		if err != nil {
			return err
		}
		t.FlaggedAt, t.FlagCode = p.at, "bounce"
		p.flagOnly = &t
		dec.Flagged = true
		dec.Why = "our reply " + id + " bounced: thread flagged for staff"
		return nil
	}
	return nil
}

// finish issues the RAN, renders the reply and records the outcome.
func (p *processing) finish(ctx context.Context, dec policy.Decision) error {
	res := p.res
	res.Action, res.Code, res.Flagged, res.AddressDisclosed, res.Why = string(dec.Action), dec.Code, dec.Flagged, dec.AddressDisclosed, dec.Why
	if p.noRecord {
		return nil
	}
	if p.staffAct != nil {
		return p.finishStaff(ctx, dec)
	}
	out := state.Outcome{Message: state.Message{MessageID: p.id, Direction: "in", Sender: p.msg.From.Address, At: p.at,
		Action: res.Action, Code: res.Code, Flagged: res.Flagged}, Guard: p.guard}
	if p.store != nil {
		out.Message.Store = p.store.ID()
	}
	if dec.Action == policy.Ignore || p.store == nil {
		out.Thread = p.flagOnly
		_, err := p.desk.state.Record(ctx, out)
		return err
	}

	if dec.IssuesRAN() {
		if err := p.issueRAN(ctx, dec); err != nil {
			return err
		}
		res.RAN = p.kase.RAN
		out.Case = &p.kase
	}
	if dec.Action == policy.Acknowledge && p.order != nil {
		if len(p.msg.Tracking) > 0 {
			p.kase.Tracking, p.kase.Carrier = p.msg.Tracking[0].Number, p.msg.Tracking[0].Carrier
		}
		p.kase.Store, p.kase.Order, p.kase.TrackingAt = p.store.ID(), p.order.Name, p.at
		if p.kase.Customer == "" {
			p.kase.Customer = p.msg.From.Address
		}
		out.Case = &p.kase
	}
	p.updateThread(dec)
	out.Thread = &p.thread

	if dec.SendsReply() {
		reply, outgoing, err := p.render(dec)
		if err != nil {
			// A broken (override) template must not lose the mail: staff answer it.
			p.desk.log.Error("render reply", "store", res.Store, "message_id", res.MessageID, "action", res.Action, "err", err)
			dec = policy.Escalation("needs_review", "the reply could not be rendered: "+err.Error())
			res.Action, res.Code, res.Flagged, res.AddressDisclosed, res.Why = string(dec.Action), dec.Code, dec.Flagged, dec.AddressDisclosed, dec.Why
			res.RAN = ""
			p.updateThread(dec)
			out.Message.Action, out.Message.Code, out.Message.Flagged = res.Action, res.Code, res.Flagged
			reply, outgoing, err = p.render(dec)
		}
		if err == nil {
			res.Reply, res.Outgoing = reply, outgoing
			out.Reply = outgoing
			if dec.IssuesRAN() {
				p.kase.RANMessageID = outgoing.MessageID
			}
		}
	}
	_, err := p.desk.state.Record(ctx, out)
	return err
}

// issueRAN reuses the order's RAN or draws a new, unguessable one.
func (p *processing) issueRAN(ctx context.Context, dec policy.Decision) error {
	pol := p.store.Policy
	if p.kase.RAN == "" {
		for {
			ran := pol.RANPrefix + "-" + randomCode(p.desk.opts.Rand, 10)
			exists, err := p.desk.state.RANExists(ctx, ran)
			if err != nil {
				return err
			}
			if !exists {
				p.kase.RAN = ran
				break
			}
		}
		p.kase.AuthorizedAt = p.at
	}
	p.kase.Store, p.kase.Order, p.kase.Code = pol.ID, p.order.Name, dec.Code
	if p.kase.Customer == "" {
		p.kase.Customer = p.msg.From.Address
	}
	return nil
}

// updateThread records what this message established for the thread.
func (p *processing) updateThread(dec policy.Decision) {
	t, msg, req := &p.thread, p.msg, p.req
	if t.CustomerName == "" {
		t.CustomerName = msg.From.Name
	}
	if req.OrderNumber != "" && dec.Code != "order_not_found" {
		t.Order = req.OrderNumber
	}
	if req.Intent != classify.IntentUnknown && req.Intent != classify.IntentOther {
		t.Intent = string(req.Intent)
	}
	if req.Reason != classify.ReasonNone {
		t.Reason = string(req.Reason)
	}
	if t.Language == "" || p.reading.Language != "" {
		t.Language = p.reading.Language
	}
	if t.Subject == "" {
		t.Subject = msg.Subject
	}
	t.Photos = req.Photos
	t.Used, t.Unopened, t.WantsReplacement = req.Used, req.Unopened, req.WantsReplacement
	t.Pending, t.PendingAt = "", time.Time{}
	if dec.Action == policy.RequestInfo {
		t.Pending, t.PendingAt, t.RemindedAt = dec.Code, p.at, time.Time{}
	}
	if words := excerpt(p.freshText, maxThreadWords); words != "" {
		t.Words = words
		if !req.Settled && req.Intent != classify.IntentUnknown && req.Intent != classify.IntentOther {
			// A request, not an answer to the desk's question: kept with the thread's
			// earlier ones (the newest last, the oldest dropped first).
			t.RequestWords = lastWords(t.RequestWords+"\n"+words, maxThreadWords)
		}
	}
	if dec.Flagged {
		t.FlaggedAt, t.FlagCode, t.EscalatedAt = p.at, string(dec.Action)+"/"+dec.Code, time.Time{}
		t.FlagWhy, t.FlagSection, t.FlagQuote = dec.Why, dec.Clause.Section, dec.Clause.Quote
	} else if dec.SendsReply() {
		// The desk answered: nothing left for staff on this thread.
		t.FlaggedAt, t.FlagCode = time.Time{}, ""
	}
	t.LastInAt = p.at
	if p.msg.MessageID != "" {
		t.LastMessageID = p.msg.MessageID
		t.References = appendRef(p.msg.References, p.msg.MessageID)
	}
}

// maxThreadWords bounds the customer's words kept in a thread for staff.
const maxThreadWords = 600

// excerpt is the start of text, at most n bytes, cut at a word.
func excerpt(text string, n int) string {
	text = strings.TrimSpace(text)
	if len(text) <= n {
		return text
	}
	cut := strings.LastIndexAny(text[:n], " \n")
	if cut < n/2 {
		cut = n
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
	}
	return strings.TrimSpace(text[:cut]) + " …"
}

func appendRef(refs []string, id string) []string {
	out := append([]string{}, refs...)
	for _, r := range out {
		if r == id {
			return out
		}
	}
	return append(out, id)
}

// addressee is whom a reply goes to and which of their mails it answers.
type addressee struct {
	to         mail.Address
	subject    string
	messageID  string   // the mail answered; empty when it had none
	references []string // its References
	language   string
}

// sender is the author of the mail being processed: whom a reply normally goes to.
func (p *processing) sender() addressee {
	lang := p.reading.Language
	if lang == "" {
		lang = p.thread.Language
	}
	return addressee{to: mail.Address{Name: p.msg.From.Name, Address: p.msg.From.Address}, subject: p.msg.Subject,
		messageID: p.msg.MessageID, references: p.msg.References, language: lang}
}

// render builds the reply mail for a decision, to the mail's sender.
func (p *processing) render(dec policy.Decision) (*Reply, *state.Outgoing, error) {
	if p.staffAct != nil {
		return p.renderTo(dec, p.staffAct.customer)
	}
	return p.renderTo(dec, p.sender())
}

// renderTo builds the reply mail for a decision to a.
func (p *processing) renderTo(dec policy.Decision, a addressee) (*Reply, *state.Outgoing, error) {
	pol := p.store.Policy
	lang := p.desk.renderer.Language(pol.ID, a.language, string(dec.Action))
	body, used, err := p.desk.renderer.Render(pol.ID, lang, string(dec.Action), p.replyData(dec, lang))
	if err != nil {
		return nil, nil, fmt.Errorf("render %s/%s for %s: %w", dec.Action, dec.Code, p.id, err)
	}
	return p.mailTo(a, "reply", used, body)
}

// mailTo builds the desk's mail to a in answer to this message: in the thread of the
// addressee's mail, from the store mailbox, queued as kind.
func (p *processing) mailTo(a addressee, kind, lang, body string) (*Reply, *state.Outgoing, error) {
	pol := p.store.Policy
	r := responder.Reply{
		From:       mail.Address{Name: pol.Name, Address: p.mailbox},
		To:         a.to,
		Subject:    responder.Subject(a.subject),
		InReplyTo:  a.messageID,
		References: appendRef(a.references, a.messageID),
		MessageID:  responder.NewMessageID(domainOf(p.mailbox), p.desk.opts.Rand),
		Date:       p.at,
		Language:   lang,
		Body:       body,
		Headers:    map[string]string{"X-Returnsdesk-Store": pol.ID},
	}
	if a.messageID == "" {
		r.InReplyTo, r.References = "", nil
	}
	raw, err := r.Bytes()
	if err != nil {
		return nil, nil, fmt.Errorf("build %s to %s for %s: %w", kind, a.to.Address, p.id, err)
	}
	reply := &Reply{To: a.to.Address, Subject: r.Subject, InReplyTo: a.messageID, Language: lang, Body: body}
	out := &state.Outgoing{MessageID: r.MessageID, Store: pol.ID, Mailbox: p.mailbox, Recipient: a.to.Address,
		Kind: kind, SourceID: p.id, CreatedAt: p.at, Raw: raw}
	return reply, out, nil
}

// lastWords returns the end of text, at most n bytes, cut at a word boundary.
func lastWords(text string, n int) string {
	text = strings.TrimSpace(text)
	if len(text) <= n {
		return text
	}
	cut := len(text) - n
	if i := strings.IndexAny(text[cut:], " \n"); i >= 0 && i < n/2 {
		cut += i
	}
	for cut < len(text) && !utf8.RuneStart(text[cut]) {
		cut++
	}
	return strings.TrimSpace(text[cut:])
}
