package desk

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/returnsdesk/returnsdesk/classify"
	"github.com/returnsdesk/returnsdesk/policy"
	"github.com/returnsdesk/returnsdesk/responder"
	"github.com/returnsdesk/returnsdesk/state"
)

// Staff work a referred thread from their mail client: they answer the escalation
// (or the customer's mail, or write to the support address quoting the thread) with
// a one-line command, and the desk carries it out in the customer's thread and
// confirms it to them there.
//
//	approve            the authorisation, exchange or replacement the policy gives once
//	                   the doubt is settled for the customer (policy.Approve)
//	reject <code>      the normal rejection, quoting the clause of <code>
//	ask <code>         the normal request for information <code>
//	refund-issued      the customer is told the refund was issued
//	label-sent         staff sent the prepaid return label the authorisation promised
//	close              the thread is done: no mail to the customer
//	handback           the desk answers the thread again from the next mail on
//
// A staff mail in a thread that is no command (staff answering the customer
// themselves) takes the thread over: the desk records the customer's further mail
// and flags it, but sends nothing, until a command hands the thread back.
//
// Only the store's configured staff addresses command; from anyone else the same
// words are customer mail. A command is a mail, and a mail is processed once, so a
// command redelivered does nothing twice.

// staffCommand is one parsed command line.
type staffCommand struct {
	verb, code string
}

var staffVerbs = map[string]bool{"approve": true, "reject": true, "ask": true, "refund-issued": true, "label-sent": true,
	"close": true, "handback": true}

// parseStaffCommand reads the first line staff wrote: "approve", "Reject used_item.",
// "ask missing_photos". Anything else is not a command.
func parseStaffCommand(fresh string) (staffCommand, bool) {
	for _, line := range strings.Split(fresh, "\n") {
		f := strings.Fields(strings.ToLower(strings.TrimRight(strings.TrimSpace(line), ".!")))
		if len(f) == 0 {
			continue
		}
		cmd := staffCommand{verb: strings.ReplaceAll(f[0], "_", "-")}
		if (cmd.verb == "refund" && len(f) > 1 && f[1] == "issued") || (cmd.verb == "label" && len(f) > 1 && f[1] == "sent") {
			cmd.verb, f = cmd.verb+"-"+f[1], f[1:]
		}
		if !staffVerbs[cmd.verb] {
			return staffCommand{}, false
		}
		needsCode := cmd.verb == "reject" || cmd.verb == "ask"
		switch {
		case needsCode && len(f) == 2:
			cmd.code = f[1]
		case needsCode || len(f) > 1:
			return staffCommand{}, false
		}
		return cmd, true
	}
	return staffCommand{}, false
}

// staffAction is a staff command being carried out in a customer's thread.
type staffAction struct {
	cmd      staffCommand
	staff    addressee // who commanded, for the confirmation
	customer addressee // whom the thread's replies go to
	flagCode string    // why the thread was referred
}

// staffMail decides a mail from a staff address: a command in a customer's thread,
// or staff mail the desk leaves alone.
func (p *processing) staffMail(ctx context.Context) (policy.Decision, error) {
	cmd, ok := parseStaffCommand(p.freshText)
	if !ok {
		// Staff answering a customer themselves take the thread over.
		cmd = staffCommand{verb: "takeover"}
	}
	t, found, err := p.commandedThread(ctx)
	if err == nil && !found && cmd.verb == "takeover" {
		return policy.Machine("staff", "sent by the store's staff"), nil
	}
	if err != nil || !found {
		p.desk.log.Warn("staff command without a thread", "store", p.store.ID(), "message_id", p.msg.MessageID, "command", cmd.verb)
		return policy.Machine("staff", "a staff command ("+cmd.verb+") that names no thread of this store"), err
	}
	p.thread, p.inThread = t, true
	p.staffAct = &staffAction{cmd: cmd, staff: p.sender(), flagCode: t.FlagCode,
		customer: addressee{to: mail.Address{Name: t.CustomerName, Address: t.Customer}, subject: t.Subject,
			messageID: t.LastMessageID, references: t.References, language: t.Language}}
	pol := p.store.Policy
	if t.Order != "" {
		p.order, _ = p.lookup(t.Order)
		c, err := p.desk.state.Case(ctx, pol.ID, t.Order)
		if err != nil && !errors.Is(err, state.ErrNotFound) {
			return policy.Decision{}, err
		}
		p.kase = c
	}
	// The customer's request as the thread holds it, decided as of when they asked.
	p.req = policy.Request{At: t.LastInAt, From: t.Customer, Intent: classify.Intent(t.Intent), Reason: classify.Reason(t.Reason),
		Reading:     classify.Reading{Confidence: 1, Used: t.Used, Unopened: t.Unopened, WantsReplacement: t.WantsReplacement},
		Settled:     true,
		Photos:      t.Photos,
		OrderNumber: t.Order, Order: p.order,
		Case: policyCase(p.kase),
	}
	if p.req.At.IsZero() {
		p.req.At = p.at
	}
	p.res.Order = t.Order
	switch cmd.verb {
	case "approve":
		if p.order == nil {
			return policy.Machine("staff", "approve: the thread has no known order, so there is nothing to authorise; answer the customer yourself"), nil
		}
		_, code, _ := strings.Cut(t.FlagCode, "/")
		return pol.Approve(p.req, code), nil
	case "reject", "ask":
		action := policy.Reject
		if cmd.verb == "ask" {
			action = policy.RequestInfo
		}
		if d, ok := pol.StaffReply(action, cmd.code); ok {
			return d, nil
		}
		return policy.Machine("staff", fmt.Sprintf("staff command %q: %q is not a %s code", cmd.verb, cmd.code, action)), nil
	case "refund-issued":
		d := policy.StaffStatus("the refund was issued, say staff")
		return d, nil
	case "label-sent":
		if p.kase.RAN == "" {
			return policy.Machine("staff", "label-sent: the thread has no open return authorisation"), nil
		}
		p.kase.LabelSentAt = p.at
		return policy.Machine("staff", "staff: label-sent"), nil
	}
	// takeover, close, handback: nothing for the customer.
	return policy.Machine("staff", "staff: "+cmd.verb), nil
}

// commandedThread finds the customer thread a staff mail answers: by its References
// (the escalation mail, the customer's mail), else by the order number it names.
func (p *processing) commandedThread(ctx context.Context) (state.Thread, bool, error) {
	ids := append(append([]string{}, p.msg.References...), p.msg.InReplyTo...)
	t, err := p.desk.state.ThreadFor(ctx, p.store.ID(), ids)
	if err == nil {
		return t, true, nil
	}
	if !errors.Is(err, state.ErrNotFound) {
		return state.Thread{}, false, err
	}
	orderNo, _ := p.findOrder(p.msg.Subject + "\n" + p.msg.Text)
	if orderNo == "" {
		return state.Thread{}, false, nil
	}
	c, err := p.desk.state.Case(ctx, p.store.ID(), orderNo)
	if errors.Is(err, state.ErrNotFound) || err == nil && c.ThreadID == 0 {
		return state.Thread{}, false, nil
	}
	if err != nil {
		return state.Thread{}, false, err
	}
	t, err = p.desk.state.Thread(ctx, c.ThreadID)
	if err != nil {
		return state.Thread{}, false, err
	}
	return t, true, nil
}

// customerName is the name replies greet.
func (p *processing) customerName() string {
	if p.staffAct != nil {
		return p.staffAct.customer.to.Name
	}
	return p.msg.From.Name
}

// finishStaff carries out a staff command's decision in the customer's thread: the
// RAN, the customer's reply, the thread's new state, and the confirmation to staff,
// all in one transaction.
func (p *processing) finishStaff(ctx context.Context, dec policy.Decision) error {
	res, act := p.res, p.staffAct
	out := state.Outcome{Message: state.Message{MessageID: p.id, Direction: "in", Sender: p.msg.From.Address, At: p.at,
		Store: p.store.ID(), Action: res.Action, Code: res.Code, Flagged: res.Flagged}}
	t := &p.thread
	if dec.IssuesRAN() {
		if p.kase.Customer == "" {
			p.kase.Customer = t.Customer
		}
		if err := p.issueRAN(ctx, dec); err != nil {
			return err
		}
		res.RAN = p.kase.RAN
		out.Case = &p.kase
	}
	if act.cmd.verb == "label-sent" {
		// A task done beside the thread: the thread stays as it is.
		out.Thread = t
		return p.recordStaff(ctx, dec, out)
	}
	t.Pending, t.PendingAt = "", time.Time{}
	if dec.Action == policy.RequestInfo {
		t.Pending, t.PendingAt, t.RemindedAt = dec.Code, p.at, time.Time{}
	}
	switch {
	case dec.Flagged:
		t.FlaggedAt, t.FlagCode, t.EscalatedAt = p.at, string(dec.Action)+"/"+dec.Code, time.Time{}
		t.FlagWhy, t.FlagSection, t.FlagQuote = dec.Why, dec.Clause.Section, dec.Clause.Quote
	case act.cmd.verb == "takeover":
		// Flagged or not, the thread is now the staff member's.
	case act.cmd.verb == "close":
		t.FlaggedAt, t.FlagCode = time.Time{}, "closed"
	default:
		t.FlaggedAt, t.FlagCode = time.Time{}, ""
	}
	switch act.cmd.verb {
	case "takeover", "close":
		t.HandledBy, t.HandledAt = act.staff.to.Address, p.at
	default:
		// A command hands the thread back to the desk, which carried it out.
		t.HandledBy, t.HandledAt = "", time.Time{}
	}
	out.Thread = t
	if dec.SendsReply() {
		reply, outgoing, err := p.renderTo(dec, act.customer)
		if err != nil {
			return err
		}
		res.Reply, res.Outgoing, out.Reply = reply, outgoing, outgoing
		if dec.IssuesRAN() {
			p.kase.RANMessageID = outgoing.MessageID
		}
	}
	return p.recordStaff(ctx, dec, out)
}

// recordStaff records a staff command's outcome with its confirmation to staff
// (none for a takeover: staff answering the customer need no receipt).
func (p *processing) recordStaff(ctx context.Context, dec policy.Decision, out state.Outcome) error {
	if p.staffAct.cmd.verb == "label-sent" && p.kase.RAN != "" {
		out.Case = &p.kase
	}
	if p.staffAct.cmd.verb != "takeover" {
		confirmation, notice, err := p.confirmToStaff(dec)
		if err != nil {
			return err
		}
		p.res.StaffConfirmation = confirmation
		out.Notices = append(out.Notices, *notice)
	}
	_, err := p.desk.state.Record(ctx, out)
	return err
}

// confirmToStaff renders the confirmation of a command, in the staff member's thread.
func (p *processing) confirmToStaff(dec policy.Decision) (*Reply, *state.Outgoing, error) {
	act, pol := p.staffAct, p.store.Policy
	data := responder.Data{Store: storeInfo(pol, p.mailbox, dec, "en"), Code: act.cmd.verb, Order: p.thread.Order,
		RAN: p.kase.RAN, CustomerName: act.customer.to.Name, CustomerEmail: act.customer.to.Address,
		ThreadSubject: p.thread.Subject, FlagCode: act.flagCode, Outcome: string(dec.Action) + "/" + dec.Code}
	if dec.Action == policy.Ignore {
		data.Outcome, data.Note = "", dec.Why
	}
	body, used, err := p.desk.renderer.Render(pol.ID, "en", "staff_confirmation", data)
	if err != nil {
		return nil, nil, fmt.Errorf("render staff confirmation for %s: %w", p.id, err)
	}
	return p.mailTo(act.staff, "staff_confirmation", used, body)
}

// MarkHandled records that a person took over the thread of a message (staff cleared
// its flag in their mail client): the desk records and flags the customer's further
// mail but sends nothing, until staff hand the thread back. A message the desk does
// not know, or one of no thread, changes nothing.
func (d *Desk) MarkHandled(ctx context.Context, messageID, by string) error {
	d.decide.Lock()
	defer d.decide.Unlock()
	return d.saveAfresh(func() error { return d.markHandled(ctx, messageID, by) })
}

// saveAfresh runs a read and save of a thread again when the state refuses the
// save as stale: another instance saved the thread in between.
func (d *Desk) saveAfresh(save func() error) error {
	for attempt := 1; ; attempt++ {
		err := save()
		if !errors.Is(err, state.ErrStale) || attempt == maxStaleDecisions {
			return err
		}
	}
}

func (d *Desk) markHandled(ctx context.Context, messageID, by string) error {
	m, err := d.state.MessageByID(ctx, messageID)
	if errors.Is(err, state.ErrNotFound) || err == nil && m.ThreadID == 0 {
		return nil
	}
	if err != nil {
		return err
	}
	t, err := d.state.Thread(ctx, m.ThreadID)
	if err != nil {
		return err
	}
	if t.HandledBy != "" {
		return nil
	}
	t.HandledBy, t.HandledAt = by, d.opts.Now()
	t.FlaggedAt, t.FlagCode = time.Time{}, ""
	return d.state.SaveThread(ctx, t)
}

// MarkHandledByReply records that a person answered a customer's thread themselves
// (their reply, found in the store's Sent folder, answers one of refs): from now on
// the desk keeps out of the thread, as after a staff member's own reply to it.
func (d *Desk) MarkHandledByReply(ctx context.Context, store string, refs []string, by string) error {
	d.decide.Lock()
	defer d.decide.Unlock()
	return d.saveAfresh(func() error { return d.markHandledByReply(ctx, store, refs, by) })
}

func (d *Desk) markHandledByReply(ctx context.Context, store string, refs []string, by string) error {
	t, err := d.state.ThreadFor(ctx, store, refs)
	if errors.Is(err, state.ErrNotFound) {
		return nil
	}
	if err != nil || t.HandledBy != "" {
		return err
	}
	t.HandledBy, t.HandledAt = by, d.opts.Now()
	d.log.Info("a person answered the thread: the desk keeps out of it", "store", store, "order", t.Order)
	return d.state.SaveThread(ctx, t)
}
