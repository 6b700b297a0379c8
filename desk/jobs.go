package desk

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/returnsdesk/returnsdesk/policy"
	"github.com/returnsdesk/returnsdesk/responder"
	"github.com/returnsdesk/returnsdesk/state"
)

// JobOptions set when the scheduled jobs act.
type JobOptions struct {
	// ShipReminderAfter: a customer with a RAN and no tracking number yet is reminded
	// once, this long after authorisation (unless the last reminder before the RAN
	// lapses, ran_lapsing, is due by then: it says the same and more).
	ShipReminderAfter time.Duration
	// InfoReminderAfter: a customer who has not answered our question is reminded once.
	InfoReminderAfter time.Duration
	// StaffAfter: a thread flagged for staff and not answered by then is escalated
	// once, where the store's policy promises no response time of its own.
	StaffAfter time.Duration
	// DigestAt: from this store-local time of day ("08:00") the store's staff get
	// one digest a day of the open flagged threads; empty sends none.
	DigestAt string
}

func (o JobOptions) withDefaults() JobOptions {
	if o.ShipReminderAfter == 0 {
		o.ShipReminderAfter = 7 * 24 * time.Hour
	}
	if o.InfoReminderAfter == 0 {
		o.InfoReminderAfter = 3 * 24 * time.Hour
	}
	if o.StaffAfter == 0 {
		o.StaffAfter = 24 * time.Hour
	}
	return o
}

// JobMail is one mail a scheduled job sent (a JSON line of replay --jobs-until).
type JobMail struct {
	Job      string    `json:"job"` // "reminder" or "staff_escalation"
	Code     string    `json:"code"`
	Store    string    `json:"store"`
	Order    string    `json:"order"`
	At       time.Time `json:"at"`
	To       string    `json:"to"`
	Subject  string    `json:"subject"`
	Language string    `json:"language"`
	Body     string    `json:"body"`

	Outgoing *state.Outgoing `json:"-"`
}

// remindable are the questions worth asking again: the others were asked of someone
// who may not be the customer.
var remindable = map[string]bool{"missing_order_number": true, "missing_photos": true, "missing_item": true, "verify_recipient": true}

// RunJobs sends the reminders and escalations due at now. It is idempotent: each
// reminder and escalation is sent once per occasion, and recorded with the mark
// that says so in one transaction. A RAN unused by its ship-by day lapses here: the
// case is closed (see ranLife).
//
// A job mail whose thread or case another instance sharing the state changed
// after this run read it is not recorded (state.ErrStale): the run starts again
// on what the state holds now, and what it recorded already is not sent twice.
func (d *Desk) RunJobs(ctx context.Context, now time.Time) ([]JobMail, error) {
	d.decide.Lock()
	defer d.decide.Unlock()
	var sent []JobMail
	for attempt := 1; ; attempt++ {
		mails, err := d.runJobsOnce(ctx, now)
		sent = append(sent, mails...)
		if !errors.Is(err, state.ErrStale) || attempt == maxStaleDecisions {
			return sent, err
		}
		d.log.Debug("a job read a thread or case another instance changed meanwhile: running the jobs again", "err", err)
	}
}

func (d *Desk) runJobsOnce(ctx context.Context, now time.Time) ([]JobMail, error) {
	var sent []JobMail
	threads, err := d.state.Threads(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range threads {
		s := d.store(t.Store)
		if s == nil {
			continue
		}
		// A thread a person has taken over gets no mail from the desk, reminders
		// included; its staff are still reminded of it.
		if t.HandledBy == "" && t.Pending != "" && remindable[t.Pending] && t.RemindedAt.IsZero() && now.Sub(t.PendingAt) >= d.opts.Jobs.InfoReminderAfter {
			data := responder.Data{Code: "missing_info", RequestedAt: t.PendingAt, AskedFor: t.Pending}
			if t.Pending == "missing_photos" || t.Pending == "missing_item" {
				data.Order = t.Order
			}
			t.RemindedAt = now
			m, err := d.jobMail(ctx, s, "reminder", t.Pending, t, data, now, &t, nil)
			if err != nil {
				return sent, err
			}
			sent = append(sent, m)
		}
		if !t.FlaggedAt.IsZero() && t.EscalatedAt.IsZero() && !now.Before(s.responseDue(t.FlaggedAt, d.opts.Jobs.StaffAfter)) {
			data := responder.Data{Code: "flagged_unanswered", Order: t.Order, RequestedAt: t.FlaggedAt.In(s.Policy.Location()), FlagCode: t.FlagCode,
				CustomerEmail: t.Customer, ThreadSubject: t.Subject, CustomerWords: t.Words, Note: t.FlagWhy,
				Section: t.FlagSection, Quote: t.FlagQuote}
			t.EscalatedAt = now
			m, err := d.jobMail(ctx, s, "staff_escalation", "flagged_unanswered", t, data, now, &t, nil)
			if err != nil {
				return sent, err
			}
			sent = append(sent, m)
		}
	}
	cases, err := d.state.Cases(ctx)
	if err != nil {
		return sent, err
	}
	digests, err := d.digests(ctx, now, threads, cases)
	if err != nil {
		return sent, err
	}
	sent = append(sent, digests...)
	for _, c := range cases {
		s := d.store(c.Store)
		if s == nil || c.RAN == "" || c.AuthorizedAt.IsZero() {
			// No RAN, or it lapsed and the case is closed: nothing to remind of.
			continue
		}
		if c.RANMessageID != "" {
			// Draft mode: the RAN is issued when a person sends its draft.
			drafted, err := d.state.Drafted(ctx, c.RANMessageID)
			if err != nil {
				return sent, err
			}
			if drafted {
				continue
			}
		}
		t, err := d.state.Thread(ctx, c.ThreadID)
		if err != nil {
			t = state.Thread{ID: c.ThreadID, Store: c.Store, Customer: c.Customer, Order: c.Order}
		}
		shipsBack := c.Code != "keep_and_exchange" && c.Code != "free_exchange"
		if t.HandledBy != "" {
			// Staff have the thread: they decide what the customer hears.
			continue
		}
		if shipsBack && c.Tracking == "" && s.Policy.Returns.PrepaidLabel {
			m, err := d.labelTask(ctx, s, &c, t, now)
			if err != nil {
				return sent, err
			}
			sent = append(sent, m...)
			if !doneFor(c.LabelSentAt, c.AuthorizedAt) {
				// The customer cannot ship without the label the store promised:
				// no reminder to ship and no lapse until staff say it is sent.
				continue
			}
		}
		if shipsBack && c.Tracking == "" {
			m, closed, err := d.ranLife(ctx, s, &c, t, now)
			if err != nil {
				return sent, err
			}
			sent = append(sent, m...)
			if closed {
				continue
			}
		}
		if shipsBack && c.Tracking == "" && !doneFor(c.RemindedAt, c.AuthorizedAt) && now.Sub(canShipFrom(c)) >= d.opts.Jobs.ShipReminderAfter {
			data := responder.Data{Code: "ship_return", Order: c.Order, RAN: c.RAN, RequestedAt: c.AuthorizedAt}
			data.Store = storeInfo(s.Policy, s.Policy.Mailboxes[0], policy.Decision{Code: c.Code}, t.Language)
			c.RemindedAt = now
			m, err := d.jobMail(ctx, s, "reminder", "ship_return", t, data, now, nil, &c)
			if err != nil {
				return sent, err
			}
			sent = append(sent, m)
		}
		// A refund is overdue only for a parcel on its way back: without a tracking
		// number the customer has not shipped, and the reminders above are theirs.
		if n := s.Policy.Refunds.OverdueAfterBusinessDays; n > 0 && !doneFor(c.EscalatedAt, c.AuthorizedAt) && shipsBack && c.Tracking != "" {
			o, ok := s.Orders.Lookup(c.Order)
			cal, loc := s.Policy.Calendar(), s.Policy.Location()
			if ok && !o.RefundIssued() && cal.BusinessDaysBetween(c.AuthorizedAt.In(loc), now.In(loc)) > n {
				data := responder.Data{Code: "refund_overdue", Order: c.Order, RAN: c.RAN, RequestedAt: c.AuthorizedAt,
					TrackingNumber: c.Tracking, Carrier: c.Carrier, CustomerEmail: c.Customer, ThreadSubject: t.Subject,
					BusinessDays: cal.BusinessDaysBetween(c.AuthorizedAt.In(loc), now.In(loc)),
					RefundDue:    cal.AddBusinessDays(c.AuthorizedAt.In(loc), n)}
				c.EscalatedAt = now
				m, err := d.jobMail(ctx, s, "staff_escalation", "refund_overdue", t, data, now, nil, &c)
				if err != nil {
					return sent, err
				}
				sent = append(sent, m)
			}
		}
	}
	return sent, nil
}

// labelTask has the store's staff keep the promise of a prepaid return label: c has
// a RAN in a store that sends one, and no tracking number yet. The staff are asked
// once per RAN (label_needed, in the customer's thread, with what the label needs),
// and followed up once (label_overdue) when they have not answered "label-sent" by
// the store's response time. Until they do, the case also stays in the digest.
func (d *Desk) labelTask(ctx context.Context, s *Store, c *state.Case, t state.Thread, now time.Time) ([]JobMail, error) {
	var code string
	switch {
	case !doneFor(c.LabelAskedAt, c.AuthorizedAt):
		code, c.LabelAskedAt = "label_needed", now
	case !doneFor(c.LabelSentAt, c.AuthorizedAt) && !doneFor(c.LabelChasedAt, c.AuthorizedAt) &&
		!now.Before(s.responseDue(c.LabelAskedAt, d.opts.Jobs.StaffAfter)):
		code, c.LabelChasedAt = "label_overdue", now
	default:
		return nil, nil
	}
	data := responder.Data{Code: code, Order: c.Order, RAN: c.RAN, RequestedAt: c.AuthorizedAt.In(s.Policy.Location()),
		CustomerEmail: c.Customer, ThreadSubject: t.Subject}
	if lastDay, ok := s.Policy.ShipBy(c.AuthorizedAt); ok {
		data.Deadline = lastDay
	}
	if o, ok := s.Orders.Lookup(c.Order); ok {
		data.Items = itemNames(o.Items)
		data.ShipFrom = strings.Join(slices.DeleteFunc([]string{o.ShippingName, strings.TrimSpace(o.ShippingZip + " " + o.ShippingCountry)},
			func(s string) bool { return s == "" }), ", ")
	}
	m, err := d.jobMail(ctx, s, "staff_escalation", code, t, data, now, nil, c)
	if err != nil {
		return nil, err
	}
	return []JobMail{m}, nil
}

// canShipFrom is when the customer could first send the parcel: when the RAN was
// issued, or, in a store that sends a prepaid label, when staff sent it. The ship
// reminder and the RAN's ship-by day count from then, so a label sent late never
// costs the customer days they were given.
func canShipFrom(c state.Case) time.Time {
	if doneFor(c.LabelSentAt, c.AuthorizedAt) {
		return c.LabelSentAt
	}
	return c.AuthorizedAt
}

// labelOpen reports whether c waits for its staff to send the prepaid label.
func labelOpen(c state.Case) bool {
	return c.RAN != "" && c.Tracking == "" && doneFor(c.LabelAskedAt, c.AuthorizedAt) && !doneFor(c.LabelSentAt, c.AuthorizedAt)
}

// lapseWarningDays: a RAN still unused this many store-local days before its
// ship-by day gets the last reminder (ran_lapsing).
const lapseWarningDays = 2

// ranLife sends what the end of an unused RAN's life calls for: c has a RAN, ships
// back and has no tracking number yet. From lapseWarningDays before the ship-by day
// the customer is reminded once that it lapses (ran_lapsing); once the ship-by day
// is over the case is closed and the customer told once (ran_lapsed), and closed
// reports it. Each mail is due from a point in time, not at a tick, so a run after
// days of downtime sends only what is due then: never both for one case, only
// ran_lapsed when the RAN has lapsed meanwhile. A store without ship_within_days
// issues RANs that do not lapse.
func (d *Desk) ranLife(ctx context.Context, s *Store, c *state.Case, t state.Thread, now time.Time) (sent []JobMail, closed bool, err error) {
	lastDay, ok := s.Policy.ShipBy(canShipFrom(*c))
	if !ok {
		return nil, false, nil
	}
	loc := s.Policy.Location()
	lapsesAt := localDay(lastDay, loc, 1)
	warnFrom := localDay(lastDay, loc, -lapseWarningDays)
	data := responder.Data{Order: c.Order, RAN: c.RAN, RequestedAt: c.AuthorizedAt, Deadline: lastDay}
	data.Store = storeInfo(s.Policy, s.Policy.Mailboxes[0], policy.Decision{Code: c.Code}, t.Language)
	switch {
	case !now.Before(lapsesAt):
		data.Code = "ran_lapsed"
		c.LapsedRAN, c.RAN, c.LapsedAt = c.RAN, "", now
	case !now.Before(warnFrom) && warnFrom.After(canShipFrom(*c)) && !doneFor(c.LapseWarnedAt, c.AuthorizedAt):
		// A RAN valid for lapseWarningDays or less gets no warning: the
		// authorisation itself said by when to ship.
		data.Code = "ran_lapsing"
		c.LapseWarnedAt = now
		// The last reminder is a reminder to ship too: no ship_return after it.
		if !doneFor(c.RemindedAt, c.AuthorizedAt) {
			c.RemindedAt = now
		}
	default:
		return nil, false, nil
	}
	m, err := d.jobMail(ctx, s, "reminder", data.Code, t, data, now, nil, c)
	if err != nil {
		return nil, false, err
	}
	return []JobMail{m}, data.Code == "ran_lapsed", nil
}

// localDay is midnight at the start of the store-local day n days after day's.
func localDay(day time.Time, loc *time.Location, n int) time.Time {
	y, m, dd := day.In(loc).Date()
	return time.Date(y, m, dd+n, 0, 0, 0, 0, loc)
}

// doneFor reports whether a job that marked a case at `at` acted on its current
// authorisation: marks from before a new RAN was issued (after an earlier one
// lapsed) do not count.
func doneFor(at, authorizedAt time.Time) bool { return !at.IsZero() && !at.Before(authorizedAt) }

// policyCase is a case as the decision engine sees it: a lapsed case is no return
// under way, so later mail is decided afresh (a new request gets a new RAN, judged
// as of its own day), never as a follow-up of the lapsed RAN.
func policyCase(c state.Case) policy.Case {
	if c.Lapsed() {
		return policy.Case{}
	}
	return policy.Case{RAN: c.RAN, AuthorizedAt: c.AuthorizedAt, Tracking: c.Tracking, Exchange: policy.ExchangeCode(c.Code)}
}

// digests sends each store's daily digest of open flagged threads and of the
// prepaid labels still to send, once per store-local day from DigestAt on: a day
// missed while the daemon was down is not made up with a digest per missed day,
// the next run sends today's.
func (d *Desk) digests(ctx context.Context, now time.Time, threads []state.Thread, cases []state.Case) ([]JobMail, error) {
	at, err := time.Parse("15:04", d.opts.Jobs.DigestAt)
	if d.opts.Jobs.DigestAt == "" || err != nil {
		return nil, nil
	}
	var sent []JobMail
	for _, s := range d.stores {
		pol := s.Policy
		local := now.In(pol.Location())
		if local.Hour()*60+local.Minute() < at.Hour()*60+at.Minute() {
			continue
		}
		day := local.Format(time.DateOnly)
		done, err := d.state.DigestSent(ctx, pol.ID, day)
		if err != nil {
			return sent, err
		}
		if done {
			continue
		}
		var entries []responder.DigestEntry
		for _, t := range threads {
			if t.Store != pol.ID || t.FlaggedAt.IsZero() || t.FlagCode == "closed" {
				continue
			}
			customer := t.Customer
			if t.CustomerName != "" {
				customer = t.CustomerName + " <" + t.Customer + ">"
			}
			entries = append(entries, responder.DigestEntry{Since: t.FlaggedAt, Age: age(now.Sub(t.FlaggedAt)), FlagCode: t.FlagCode,
				Customer: customer, Order: t.Order, Subject: t.Subject, FirstLine: excerpt(firstLine(t.Words), 160)})
		}
		labels := 0
		for _, c := range cases {
			if c.Store != pol.ID || !labelOpen(c) {
				continue
			}
			labels++
			entries = append(entries, responder.DigestEntry{Since: c.LabelAskedAt, Age: age(now.Sub(c.LabelAskedAt)), FlagCode: "label_needed",
				Customer: c.Customer, Order: c.Order, Task: "send the prepaid return label for " + c.RAN + `, then answer "label-sent"`})
		}
		if len(entries) == 0 {
			// Nothing open: no mail, but the day is done.
			if err := d.state.RecordDigest(ctx, pol.ID, day, nil, now); err != nil {
				return sent, err
			}
			continue
		}
		slices.SortFunc(entries, func(a, b responder.DigestEntry) int { return a.Since.Compare(b.Since) })
		from := pol.Mailboxes[0]
		data := responder.Data{Code: "daily", Action: "staff_digest", Store: storeInfo(pol, from, policy.Decision{}, "en"), Digest: entries}
		body, used, err := d.renderer.Render(pol.ID, "en", "staff_digest", data)
		if err != nil {
			return sent, fmt.Errorf("render digest for %s: %w", pol.ID, err)
		}
		to := mail.Address{Address: s.escalateTo()}
		subject := fmt.Sprintf("[Returnsdesk] %s: %s, %s", pol.Name, digestCount(len(entries)-labels, labels), day)
		out, err := d.generatedMail(pol, "staff_digest", to, subject, used, body, now, state.Thread{})
		if err != nil {
			return sent, err
		}
		if err := d.state.RecordDigest(ctx, pol.ID, day, &out, now); err != nil {
			return sent, err
		}
		sent = append(sent, JobMail{Job: "staff_digest", Code: "daily", Store: pol.ID, At: now, To: to.Address, Subject: subject,
			Language: used, Body: body, Outgoing: &out})
	}
	return sent, nil
}

// digestCount says what a digest holds: "3 open flagged threads", "1 open flagged
// thread, 2 labels to send".
func digestCount(threads, labels int) string {
	plural := func(n int, one, many string) string {
		if n == 1 {
			return "1 " + one
		}
		return fmt.Sprintf("%d %s", n, many)
	}
	var parts []string
	if threads > 0 || labels == 0 {
		parts = append(parts, plural(threads, "open flagged thread", "open flagged threads"))
	}
	if labels > 0 {
		parts = append(parts, plural(labels, "label to send", "labels to send"))
	}
	return strings.Join(parts, ", ")
}

// firstLine is the customer's first line that says something: "Hello," and "Dear
// team," are skipped.
func firstLine(words string) string {
	lines := strings.Split(strings.TrimSpace(words), "\n")
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if len(strings.Fields(l)) > 3 || !strings.HasSuffix(l, ",") && l != "" {
			return l
		}
	}
	return ""
}

// age says how long ago, as staff read it in a list: "40 minutes", "5 hours", "3 days".
func age(d time.Duration) string {
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%d minutes", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d hours", int(d.Hours()))
	}
	return fmt.Sprintf("%d days", int(d.Hours()/24))
}

// responseDue is when the store's staff should have answered a thread flagged at
// `flagged`: the response time its policy promises, on its own calendar (business
// hours skip nights, closed days and public holidays), else `fallback` later.
func (s *Store) responseDue(flagged time.Time, fallback time.Duration) time.Time {
	if due, ok := s.Policy.ResponseDue(flagged); ok {
		return due
	}
	return flagged.Add(fallback)
}

func (d *Desk) store(id string) *Store {
	for _, s := range d.stores {
		if s.ID() == id {
			return s
		}
	}
	return nil
}

// jobMail renders and queues one job mail: reminders go to the customer in the
// thread's language, escalations to the store's staff in English.
func (d *Desk) jobMail(ctx context.Context, s *Store, job, code string, t state.Thread, data responder.Data,
	now time.Time, markThread *state.Thread, markCase *state.Case) (JobMail, error) {
	pol := s.Policy
	from := pol.Mailboxes[0]
	data.Action, data.CustomerName = job, t.CustomerName
	to := mail.Address{Name: t.CustomerName, Address: t.Customer}
	lang := t.Language
	if job == "staff_escalation" {
		to = mail.Address{Address: s.escalateTo()}
		lang = "en"
	}
	lang = d.renderer.Language(pol.ID, lang, job)
	if data.Store.ID == "" {
		data.Store = storeInfo(pol, from, policy.Decision{}, lang)
	}
	body, used, err := d.renderer.Render(pol.ID, lang, job, data)
	if err != nil {
		return JobMail{}, fmt.Errorf("render %s/%s: %w", job, code, err)
	}
	subject := responder.Subject(t.Subject)
	if job == "staff_escalation" {
		subject = fmt.Sprintf("[Returnsdesk] %s: %s %s", pol.Name, code, t.Order)
	}
	out, err := d.generatedMail(pol, job, to, subject, used, body, now, t)
	if err != nil {
		return JobMail{}, err
	}
	if err := d.state.RecordJobMail(ctx, out, markThread, markCase); err != nil {
		return JobMail{}, err
	}
	d.log.Info("job mail", "store", pol.ID, "order", t.Order, "action", job, "code", code)
	return JobMail{Job: job, Code: code, Store: pol.ID, Order: data.Order, At: now, To: to.Address, Subject: subject,
		Language: used, Body: body, Outgoing: &out}, nil
}

func (s *Store) escalateTo() string {
	if s.EscalateTo != "" {
		return s.EscalateTo
	}
	if len(s.Staff) > 0 {
		return s.Staff[0]
	}
	// Only replay and the demo get here: run refuses a store whose escalations
	// would reach nobody (config.ReadyToRun).
	return s.Policy.Mailboxes[0]
}

// generatedMail builds a scheduled mail of kind from the store's first mailbox. It is
// generated, not a reply to what anyone just wrote; in thread t (when t has mail)
// it continues the customer's thread, and an escalation opens in it, so that staff
// see the customer's mails around it.
func (d *Desk) generatedMail(pol *policy.Policy, kind string, to mail.Address, subject, lang, body string,
	now time.Time, t state.Thread) (state.Outgoing, error) {
	from := pol.Mailboxes[0]
	r := responder.Reply{
		From: mail.Address{Name: pol.Name, Address: from}, To: to, Subject: subject,
		MessageID: responder.NewMessageID(domainOf(from), d.opts.Rand), Date: now, Language: lang, Body: body,
		Headers: map[string]string{"X-Returnsdesk-Store": pol.ID, "Auto-Submitted": "auto-generated"},
	}
	if t.LastMessageID != "" {
		r.InReplyTo, r.References = t.LastMessageID, t.References
	}
	raw, err := r.Bytes()
	if err != nil {
		return state.Outgoing{}, fmt.Errorf("build %s mail for %s: %w", kind, pol.ID, err)
	}
	return state.Outgoing{MessageID: r.MessageID, Store: pol.ID, Mailbox: from, Recipient: to.Address,
		Kind: kind, ThreadID: t.ID, CreatedAt: now, Raw: raw}, nil
}

// AlertStaff queues a notice about the bot itself (code names it: "login_failed") to
// the store's staff, outside any customer's thread, and returns it.
func (d *Desk) AlertStaff(ctx context.Context, storeID, code string, data responder.Data, now time.Time) (JobMail, error) {
	s := d.store(storeID)
	if s == nil {
		return JobMail{}, fmt.Errorf("alert staff: no store %q", storeID)
	}
	pol := s.Policy
	const job = "staff_alert"
	data.Code = code
	data.Store = storeInfo(pol, pol.Mailboxes[0], policy.Decision{}, "en")
	body, used, err := d.renderer.Render(pol.ID, "en", job, data)
	if err != nil {
		return JobMail{}, fmt.Errorf("render %s/%s: %w", job, code, err)
	}
	to := mail.Address{Address: s.escalateTo()}
	subject := fmt.Sprintf("[Returnsdesk] %s: %s", pol.Name, strings.ReplaceAll(code, "_", " "))
	out, err := d.generatedMail(pol, job, to, subject, used, body, now, state.Thread{})
	if err != nil {
		return JobMail{}, err
	}
	if err := d.state.RecordJobMail(ctx, out, nil, nil); err != nil {
		return JobMail{}, err
	}
	d.log.Warn("staff alerted", "store", pol.ID, "code", code, "to", to.Address)
	return JobMail{Job: job, Code: code, Store: pol.ID, At: now, To: to.Address, Subject: subject, Language: used, Body: body, Outgoing: &out}, nil
}
