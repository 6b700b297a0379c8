package state

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Thread is one conversation with a customer about one matter.
type Thread struct {
	ID           int64
	Store        string
	Customer     string // lower-cased sender address
	CustomerName string
	Order        string
	Intent       string
	Reason       string
	Language     string
	Subject      string
	// Pending is the request_info code the desk is waiting on ("missing_photos", ...).
	Pending          string
	PendingAt        time.Time
	Photos           int
	Used             bool
	Unopened         bool
	WantsReplacement bool
	FlaggedAt        time.Time // when the thread was last flagged for staff; zero when not
	FlagCode         string
	LastInAt         time.Time
	LastMessageID    string   // the customer's latest message
	References       []string // the thread's References chain up to LastMessageID
	RemindedAt       time.Time
	EscalatedAt      time.Time
	// HandledBy is the staff member who took the thread over (replied in it); the
	// desk stays silent in it until staff hand it back. Empty when the desk answers.
	HandledBy string
	HandledAt time.Time
	// Words is the start of the customer's latest mail in their own words, for staff
	// (escalations, the digest).
	Words string
	// RequestWords are the customer's words of the thread's requests (not of their
	// answers to the desk's questions): a follow-up that leaves the item unnamed
	// ("can I swap it for an M?") means the one named there.
	RequestWords string
	// FlagWhy, FlagSection and FlagQuote are the rule and the policy passage behind
	// the flag, for staff.
	FlagWhy, FlagSection, FlagQuote string
	// Version counts the thread's saves. A save of a thread read at one version
	// fails with ErrStale when another save came in between (another instance, or
	// a job): what it would write rests on what it read.
	Version int64
}

// Case is the state of a return or exchange for one order.
type Case struct {
	Store        string
	Order        string
	RAN          string
	Code         string
	Customer     string
	ThreadID     int64
	AuthorizedAt time.Time
	Tracking     string
	Carrier      string
	TrackingAt   time.Time
	RemindedAt   time.Time
	EscalatedAt  time.Time
	// LapseWarnedAt is when the customer was told the RAN is about to lapse
	// (reminder/ran_lapsing); zero when not.
	LapseWarnedAt time.Time
	// LapsedAt is when the RAN lapsed unused (no tracking number by its ship-by day)
	// and the case was closed. A lapsed case keeps the RAN in LapsedRAN and has none
	// in RAN: no job reminds it any more, later mail does not find a return under way,
	// and a new authorisation of the order draws a new RAN.
	LapsedAt  time.Time
	LapsedRAN string
	// A store that promises a prepaid return label has its staff send it: the desk
	// asks them (LabelAskedAt), they answer "label-sent" (LabelSentAt), and one
	// follow-up goes out if they have not by the store's response time
	// (LabelChasedAt). Zero when not.
	LabelAskedAt  time.Time
	LabelSentAt   time.Time
	LabelChasedAt time.Time
	// RANMessageID is the reply that told the customer the RAN. In draft mode the
	// RAN counts as issued only once a person sends that draft (MarkDraftSent).
	RANMessageID string
	// Version counts the case's saves, as Thread.Version does; a case never
	// saved is at 0.
	Version int64
}

// Lapsed reports whether the case was closed because its RAN lapsed unused, and
// no new RAN was issued since.
func (c Case) Lapsed() bool { return c.RAN == "" && !c.LapsedAt.IsZero() }

// Message is one processed mail, in or out.
type Message struct {
	MessageID string
	Store     string
	ThreadID  int64
	Direction string // "in" or "out"
	Sender    string
	At        time.Time
	Action    string
	Code      string
	Flagged   bool
}

// staffKindPrefix begins the Kind of every mail that goes to the store's staff rather
// than a customer.
const staffKindPrefix = "staff_"

// ForStaff reports whether an outbox mail of this kind goes to the store's staff.
func ForStaff(kind string) bool { return strings.HasPrefix(kind, staffKindPrefix) }

// Outgoing is one mail in the outbox.
type Outgoing struct {
	ID        int64
	MessageID string
	Store     string
	Mailbox   string // the store mailbox it is sent from
	Recipient string
	Kind      string // "reply", "reminder", or a staff kind ("staff_escalation", …)
	ThreadID  int64
	SourceID  string // the customer message it answers
	CreatedAt time.Time
	Raw       []byte
	Status    string // "pending", "sent", "failed"
	Attempts  int
	LastError string
	SentAt    time.Time
}

// Outcome is everything one processed message changes, written in one transaction so
// a crash leaves either all of it or none.
type Outcome struct {
	Message Message
	Thread  *Thread   // nil: the message belongs to no thread (machine mail)
	Case    *Case     // nil: no case changed
	Reply   *Outgoing // nil: nothing is sent
	// Notices are further mails the message causes, sent with the reply: the
	// confirmation to a staff member whose command the desk carried out.
	Notices []Outgoing
	// Guard, when set, is the customer's mark as the decision read it before
	// anything else (CustomerMark). Record moves the mark on, and fails with
	// ErrStale when another decision about the same customer was recorded in
	// between: the reads this decision rests on (replies counted for the rate
	// limit, the thread, the order's RAN) may be out of date.
	Guard *CustomerGuard
}

// CustomerGuard names a customer of a store and the mark a decision about them
// read.
type CustomerGuard struct {
	Store, Customer string
	Mark            int64
}

// ErrStale is returned by Record when the decision was made on reads another
// decision has changed since (another instance deciding the same customer's mail
// at the same time): nothing was written, and the mail is to be decided again.
var ErrStale = errors.New("the decision was made on state that changed meanwhile")

// CustomerMark returns the customer's mark: how many decisions about them were
// recorded with a guard. Read it before the reads a decision rests on, and hand it
// to Record in Outcome.Guard.
func (s *DB) CustomerMark(ctx context.Context, store, customer string) (int64, error) {
	var mark int64
	err := s.db.QueryRowContext(ctx, `SELECT mark FROM customer_marks WHERE store = ? AND customer = ?`,
		store, strings.ToLower(customer)).Scan(&mark)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read the mark of %s: %w", customer, err)
	}
	return mark, nil
}

// moveMark moves the customer's mark on from g.Mark, or fails with ErrStale when
// it is no longer there. The row stays locked until tx ends, so a concurrent
// decision about the same customer waits here and then finds the mark moved.
func moveMark(ctx context.Context, tx txn, g CustomerGuard) error {
	customer := strings.ToLower(g.Customer)
	var res sql.Result
	var err error
	if g.Mark == 0 {
		res, err = tx.ExecContext(ctx, `INSERT INTO customer_marks (store, customer, mark) VALUES (?, ?, 1) ON CONFLICT DO NOTHING`,
			g.Store, customer)
	} else {
		res, err = tx.ExecContext(ctx, `UPDATE customer_marks SET mark = mark + 1 WHERE store = ? AND customer = ? AND mark = ?`,
			g.Store, customer, g.Mark)
	}
	if err != nil {
		return fmt.Errorf("move the mark of %s: %w", g.Customer, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return fmt.Errorf("%s at %s: %w", g.Customer, g.Store, ErrStale)
	}
	return nil
}

// Seen reports whether a message with this Message-ID was processed or sent.
func (s *DB) Seen(ctx context.Context, messageID string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM messages WHERE message_id = ?`, messageID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("look up message %s: %w", messageID, err)
	}
	return n > 0, nil
}

// MessageByID returns a processed or sent message.
func (s *DB) MessageByID(ctx context.Context, messageID string) (Message, error) {
	var m Message
	var at int64
	var flagged int
	err := s.db.QueryRowContext(ctx, `SELECT message_id, store, thread_id, direction, sender, at, action, code, flagged
		FROM messages WHERE message_id = ?`, messageID).
		Scan(&m.MessageID, &m.Store, &m.ThreadID, &m.Direction, &m.Sender, &at, &m.Action, &m.Code, &flagged)
	if errors.Is(err, sql.ErrNoRows) {
		return m, ErrNotFound
	}
	if err != nil {
		return m, fmt.Errorf("look up message %s: %w", messageID, err)
	}
	m.At, m.Flagged = fromUnix(at), flagged != 0
	return m, nil
}

// ThreadFor finds the thread one of the ids (In-Reply-To, References) belongs to,
// newest reference first.
func (s *DB) ThreadFor(ctx context.Context, store string, ids []string) (Thread, error) {
	for i := len(ids) - 1; i >= 0; i-- {
		m, err := s.MessageByID(ctx, ids[i])
		if errors.Is(err, ErrNotFound) || (err == nil && (m.ThreadID == 0 || m.Store != store)) {
			continue
		}
		if err != nil {
			return Thread{}, err
		}
		return s.Thread(ctx, m.ThreadID)
	}
	return Thread{}, ErrNotFound
}

const threadColumns = `id, store, customer, customer_name, order_no, intent, reason, language, subject, pending, pending_at,
	photos, used, unopened, wants_replacement, flagged_at, flag_code, last_in_at, last_message_id, refs, reminded_at, escalated_at,
	handled_by, handled_at, words, flag_why, flag_section, flag_quote, request_words, version`

func scanThread(row interface{ Scan(...any) error }) (Thread, error) {
	var t Thread
	var pendingAt, flaggedAt, lastInAt, remindedAt, escalatedAt, handledAt int64
	var used, unopened, wants int
	var refs string
	err := row.Scan(&t.ID, &t.Store, &t.Customer, &t.CustomerName, &t.Order, &t.Intent, &t.Reason, &t.Language, &t.Subject,
		&t.Pending, &pendingAt, &t.Photos, &used, &unopened, &wants, &flaggedAt, &t.FlagCode, &lastInAt,
		&t.LastMessageID, &refs, &remindedAt, &escalatedAt, &t.HandledBy, &handledAt, &t.Words, &t.FlagWhy, &t.FlagSection, &t.FlagQuote, &t.RequestWords, &t.Version)
	if err != nil {
		return t, err
	}
	t.PendingAt, t.FlaggedAt, t.LastInAt = fromUnix(pendingAt), fromUnix(flaggedAt), fromUnix(lastInAt)
	t.RemindedAt, t.EscalatedAt, t.HandledAt = fromUnix(remindedAt), fromUnix(escalatedAt), fromUnix(handledAt)
	t.Used, t.Unopened, t.WantsReplacement = used != 0, unopened != 0, wants != 0
	t.References = strings.Fields(refs)
	return t, nil
}

// Thread returns a thread by id.
func (s *DB) Thread(ctx context.Context, id int64) (Thread, error) {
	t, err := scanThread(s.db.QueryRowContext(ctx, `SELECT `+threadColumns+` FROM threads WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return t, ErrNotFound
	}
	if err != nil {
		return t, fmt.Errorf("read thread %d: %w", id, err)
	}
	return t, nil
}

// Threads returns the threads the scheduled jobs look at: those waiting on the
// customer or flagged for staff.
func (s *DB) Threads(ctx context.Context) ([]Thread, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+threadColumns+` FROM threads WHERE pending != '' OR flagged_at != 0 ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list threads: %w", err)
	}
	defer rows.Close()
	var out []Thread
	for rows.Next() {
		t, err := scanThread(rows)
		if err != nil {
			return nil, fmt.Errorf("list threads: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// Case returns the case of an order.
func (s *DB) Case(ctx context.Context, store, order string) (Case, error) {
	c, err := scanCase(s.db.QueryRowContext(ctx, `SELECT `+caseColumns+` FROM cases WHERE store = ? AND order_no = ?`, store, order))
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNotFound
	}
	if err != nil {
		return c, fmt.Errorf("read case %s/%s: %w", store, order, err)
	}
	return c, nil
}

// Cases returns every case, for the scheduled jobs.
func (s *DB) Cases(ctx context.Context) ([]Case, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+caseColumns+` FROM cases ORDER BY authorized_at, store, order_no`)
	if err != nil {
		return nil, fmt.Errorf("list cases: %w", err)
	}
	defer rows.Close()
	var out []Case
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, fmt.Errorf("list cases: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// LatestCaseFor returns the newest case of a customer in a store, for a mail that
// names no order but follows up on a return (a tracking number, "where is my refund").
func (s *DB) LatestCaseFor(ctx context.Context, store, customer string, since time.Time) (Case, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+caseColumns+` FROM cases WHERE store = ? AND customer = ? AND authorized_at >= ?
		ORDER BY authorized_at DESC LIMIT 2`, store, customer, unix(since))
	if err != nil {
		return Case{}, fmt.Errorf("find case of %s: %w", customer, err)
	}
	defer rows.Close()
	var found []Case
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return Case{}, fmt.Errorf("find case of %s: %w", customer, err)
		}
		found = append(found, c)
	}
	if err := rows.Err(); err != nil {
		return Case{}, err
	}
	// Two open cases: guessing which one is meant could disclose the wrong one.
	if len(found) != 1 {
		return Case{}, ErrNotFound
	}
	return found[0], nil
}

const caseColumns = `store, order_no, ran, code, customer, thread_id, authorized_at, tracking, carrier, tracking_at, reminded_at, escalated_at,
	lapse_warned_at, lapsed_at, lapsed_ran, label_asked_at, label_sent_at, label_chased_at, ran_message_id, version`

func scanCase(row interface{ Scan(...any) error }) (Case, error) {
	var c Case
	var authorizedAt, trackingAt, remindedAt, escalatedAt, lapseWarnedAt, lapsedAt, labelAskedAt, labelSentAt, labelChasedAt int64
	err := row.Scan(&c.Store, &c.Order, &c.RAN, &c.Code, &c.Customer, &c.ThreadID, &authorizedAt, &c.Tracking, &c.Carrier,
		&trackingAt, &remindedAt, &escalatedAt, &lapseWarnedAt, &lapsedAt, &c.LapsedRAN, &labelAskedAt, &labelSentAt, &labelChasedAt, &c.RANMessageID, &c.Version)
	c.AuthorizedAt, c.TrackingAt = fromUnix(authorizedAt), fromUnix(trackingAt)
	c.RemindedAt, c.EscalatedAt = fromUnix(remindedAt), fromUnix(escalatedAt)
	c.LapseWarnedAt, c.LapsedAt = fromUnix(lapseWarnedAt), fromUnix(lapsedAt)
	c.LabelAskedAt, c.LabelSentAt, c.LabelChasedAt = fromUnix(labelAskedAt), fromUnix(labelSentAt), fromUnix(labelChasedAt)
	return c, err
}

// RANOfMessage is the RAN the reply messageID told the customer, "" when none.
func (s *DB) RANOfMessage(ctx context.Context, messageID string) (string, error) {
	var ran string
	err := s.db.QueryRowContext(ctx, `SELECT ran FROM cases WHERE ran_message_id = ? AND ran != ''`, messageID).Scan(&ran)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("RAN of %s: %w", messageID, err)
	}
	return ran, nil
}

// RANExists reports whether a RAN was ever issued, so a new one is never a repeat:
// a lapsed RAN counts too.
func (s *DB) RANExists(ctx context.Context, ran string) (bool, error) {
	var n int
	// Two lookups, one index each (an OR of the two columns reads every case).
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM (
			SELECT 1 FROM cases WHERE ran = ? AND ran != ''
			UNION ALL SELECT 1 FROM cases WHERE lapsed_ran = ? AND lapsed_ran != '') AS issued`, ran, ran).Scan(&n); err != nil {
		return false, fmt.Errorf("look up RAN: %w", err)
	}
	return n > 0, nil
}

// RepliesSince counts the automated replies sent to a customer by a store since t.
func (s *DB) RepliesSince(ctx context.Context, store, recipient string, since time.Time) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE store = ? AND recipient = ? AND kind = 'reply' AND created_at > ?`,
		store, strings.ToLower(recipient), unix(since)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count replies to %s: %w", recipient, err)
	}
	return n, nil
}

// Record writes everything one processed message changes, atomically. A new thread
// gets its id here; the returned thread id is also set on the message and reply.
// With a fence in ctx (WithFence: the lease of the mailbox the mail came from)
// only the lease's holder records; with o.Guard, only a decision made on current
// reads (ErrStale otherwise).
func (s *DB) Record(ctx context.Context, o Outcome) (threadID int64, err error) {
	err = s.inTx(ctx, func(tx txn) error {
		threadID = 0 // a transaction run again starts over
		if err := checkFence(ctx, tx); err != nil {
			return err
		}
		if o.Guard != nil {
			if err := moveMark(ctx, tx, *o.Guard); err != nil {
				return err
			}
		}
		if o.Thread != nil {
			id, err := saveThread(ctx, tx, *o.Thread)
			if err != nil {
				return fmt.Errorf("save thread: %w", err)
			}
			threadID = id
		}
		m := o.Message
		m.ThreadID = threadID
		if err := insertMessage(ctx, tx, m); err != nil {
			return err
		}
		if o.Case != nil {
			c := *o.Case
			if c.ThreadID == 0 {
				c.ThreadID = threadID
			}
			if err := saveCase(ctx, tx, c); err != nil {
				return fmt.Errorf("save case: %w", err)
			}
		}
		queued := o.Notices
		if o.Reply != nil {
			queued = append([]Outgoing{*o.Reply}, queued...)
		}
		for _, q := range queued {
			q.ThreadID = threadID
			if err := queueOutgoing(ctx, tx, q); err != nil {
				return fmt.Errorf("queue %s: %w", q.Kind, err)
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("record %s: %w", o.Message.MessageID, err)
	}
	return threadID, nil
}

func insertMessage(ctx context.Context, tx txn, m Message) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO messages (message_id, store, thread_id, direction, sender, at, action, code, flagged)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.MessageID, m.Store, m.ThreadID, m.Direction, strings.ToLower(m.Sender), unix(m.At), m.Action, m.Code, boolInt(m.Flagged))
	if err != nil && tx.dialect.duplicate(err) {
		// Another instance recorded this very mail between this one's reads and now
		// (the copy of one mail in two of the store's mailboxes): deciding again
		// finds it recorded.
		return fmt.Errorf("insert message %s: recorded meanwhile: %w", m.MessageID, ErrStale)
	}
	if err != nil {
		return fmt.Errorf("insert message %s: %w", m.MessageID, err)
	}
	return nil
}

func saveThread(ctx context.Context, tx txn, t Thread) (int64, error) {
	args := []any{t.Store, strings.ToLower(t.Customer), t.CustomerName, t.Order, t.Intent, t.Reason, t.Language, t.Subject,
		t.Pending, unix(t.PendingAt), t.Photos, boolInt(t.Used), boolInt(t.Unopened), boolInt(t.WantsReplacement),
		unix(t.FlaggedAt), t.FlagCode, unix(t.LastInAt), t.LastMessageID, strings.Join(t.References, " "),
		unix(t.RemindedAt), unix(t.EscalatedAt), t.HandledBy, unix(t.HandledAt), t.Words, t.FlagWhy, t.FlagSection, t.FlagQuote, t.RequestWords}
	if t.ID == 0 {
		// RETURNING, not LastInsertId: Postgres's driver has no last insert id, and
		// SQLite understands RETURNING too.
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO threads (store, customer, customer_name, order_no, intent, reason, language, subject,
			pending, pending_at, photos, used, unopened, wants_replacement, flagged_at, flag_code, last_in_at, last_message_id, refs,
			reminded_at, escalated_at, handled_by, handled_at, words, flag_why, flag_section, flag_quote, request_words)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, args...).Scan(&id)
		return id, err
	}
	// The version in the WHERE decides under the row's lock: of two saves of one
	// version, the second finds none.
	res, err := tx.ExecContext(ctx, `UPDATE threads SET store = ?, customer = ?, customer_name = ?, order_no = ?, intent = ?, reason = ?,
		language = ?, subject = ?, pending = ?, pending_at = ?, photos = ?, used = ?, unopened = ?, wants_replacement = ?,
		flagged_at = ?, flag_code = ?, last_in_at = ?, last_message_id = ?, refs = ?, reminded_at = ?, escalated_at = ?,
		handled_by = ?, handled_at = ?, words = ?, flag_why = ?, flag_section = ?, flag_quote = ?, request_words = ?,
		version = version + 1
		WHERE id = ? AND version = ?`, append(args, t.ID, t.Version)...)
	if err != nil {
		return 0, err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return 0, fmt.Errorf("thread %d at version %d: %w", t.ID, t.Version, ErrStale)
	}
	return t.ID, nil
}

// saveCase writes the case read at c.Version (0: a case not read from the state).
// A new row starts at version 0 and every update moves it on; when another save
// came in between, the update's WHERE finds no row and the save fails with
// ErrStale: the RAN, the tracking number or the lapse it would write rest on what
// it read.
func saveCase(ctx context.Context, tx txn, c Case) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO cases (store, order_no, ran, code, customer, thread_id, authorized_at, tracking, carrier,
		tracking_at, reminded_at, escalated_at, lapse_warned_at, lapsed_at, lapsed_ran, label_asked_at, label_sent_at, label_chased_at, ran_message_id, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (store, order_no) DO UPDATE SET ran = excluded.ran, code = excluded.code, customer = excluded.customer,
		thread_id = excluded.thread_id, authorized_at = excluded.authorized_at, tracking = excluded.tracking,
		carrier = excluded.carrier, tracking_at = excluded.tracking_at, reminded_at = excluded.reminded_at,
		escalated_at = excluded.escalated_at, lapse_warned_at = excluded.lapse_warned_at, lapsed_at = excluded.lapsed_at,
		lapsed_ran = excluded.lapsed_ran, label_asked_at = excluded.label_asked_at, label_sent_at = excluded.label_sent_at,
		label_chased_at = excluded.label_chased_at, ran_message_id = excluded.ran_message_id, version = cases.version + 1
		WHERE cases.version = excluded.version`,
		c.Store, c.Order, c.RAN, c.Code, strings.ToLower(c.Customer), c.ThreadID, unix(c.AuthorizedAt), c.Tracking, c.Carrier,
		unix(c.TrackingAt), unix(c.RemindedAt), unix(c.EscalatedAt), unix(c.LapseWarnedAt), unix(c.LapsedAt), c.LapsedRAN,
		unix(c.LabelAskedAt), unix(c.LabelSentAt), unix(c.LabelChasedAt), c.RANMessageID, c.Version)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return fmt.Errorf("case %s/%s at version %d: %w", c.Store, c.Order, c.Version, ErrStale)
	}
	return nil
}

// queueOutgoing puts o in the outbox and records it as an outgoing message of its
// thread, so that an answer to it finds the thread.
func queueOutgoing(ctx context.Context, tx txn, o Outgoing) error {
	status := o.Status
	if status == "" {
		status = "pending"
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (message_id, store, mailbox, recipient, kind, thread_id, source_id, created_at, raw, status)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		o.MessageID, o.Store, o.Mailbox, strings.ToLower(o.Recipient), o.Kind, o.ThreadID, o.SourceID, unix(o.CreatedAt), o.Raw, status); err != nil {
		return err
	}
	return insertMessage(ctx, tx, Message{MessageID: o.MessageID, Store: o.Store, ThreadID: o.ThreadID, Direction: "out", Sender: o.Mailbox, At: o.CreatedAt})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// RecordJobMail queues a reminder or escalation and marks the thread or case it is
// about, in one transaction, so a job never sends the same mail twice. With a
// fence in ctx (the jobs lease) only the lease's holder records. A thread or case
// saved by someone else since it was read fails the record with ErrStale; on
// success t's and c's versions are those saved.
func (s *DB) RecordJobMail(ctx context.Context, o Outgoing, t *Thread, c *Case) error {
	err := s.inTx(ctx, func(tx txn) error {
		if err := checkFence(ctx, tx); err != nil {
			return err
		}
		if t != nil {
			if _, err := saveThread(ctx, tx, *t); err != nil {
				return fmt.Errorf("save thread: %w", err)
			}
		}
		if c != nil {
			if err := saveCase(ctx, tx, *c); err != nil {
				return fmt.Errorf("save case: %w", err)
			}
		}
		if err := queueOutgoing(ctx, tx, o); err != nil {
			return fmt.Errorf("queue: %w", err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record %s mail: %w", o.Kind, err)
	}
	// The caller's copies are now at the versions saved, for its next job mail
	// about the same thread or case in the same run.
	if t != nil {
		t.Version++
	}
	if c != nil {
		c.Version++
	}
	return nil
}

// DigestSent reports whether the store's digest for day ("2006-01-02", store-local)
// was sent.
func (s *DB) DigestSent(ctx context.Context, store, day string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM digests WHERE store = ? AND day = ?`, store, day).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("look up digest %s %s: %w", store, day, err)
	}
	return n > 0, nil
}

// RecordDigest queues a store's digest for day and records it as sent, together, so
// that a restart never sends a day's digest twice. o may be nil: a day with nothing
// to report is recorded too.
func (s *DB) RecordDigest(ctx context.Context, store, day string, o *Outgoing, at time.Time) error {
	err := s.inTx(ctx, func(tx txn) error {
		if err := checkFence(ctx, tx); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO digests (store, day, sent_at) VALUES (?, ?, ?)`, store, day, unix(at)); err != nil {
			return err
		}
		if o != nil {
			if err := queueOutgoing(ctx, tx, *o); err != nil {
				return fmt.Errorf("queue: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record digest %s %s: %w", store, day, err)
	}
	return nil
}

// SaveThread writes a thread on its own (a change staff made outside any message).
func (s *DB) SaveThread(ctx context.Context, t Thread) error {
	err := s.inTx(ctx, func(tx txn) error {
		_, err := saveThread(ctx, tx, t)
		return err
	})
	if err != nil {
		return fmt.Errorf("save thread %d: %w", t.ID, err)
	}
	return nil
}

// LatestThread returns the customer's most recent thread in a store (by its last
// customer mail); ErrNotFound when they have none.
func (s *DB) LatestThread(ctx context.Context, store, customer string) (Thread, error) {
	t, err := scanThread(s.db.QueryRowContext(ctx, `SELECT `+threadColumns+` FROM threads WHERE store = ? AND customer = ?
		ORDER BY last_in_at DESC, id DESC LIMIT 1`, store, strings.ToLower(customer)))
	if errors.Is(err, sql.ErrNoRows) {
		return Thread{}, ErrNotFound
	}
	if err != nil {
		return Thread{}, fmt.Errorf("latest thread of %s: %w", customer, err)
	}
	return t, nil
}
