package mailbox

import (
	"fmt"
	"maps"
	"mime"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/returnsdesk/returnsdesk/mailbox/localmail"
)

// The loop tests run the daemon against a customer side that answers every reply it
// gets, and check that the conversation dies out: auto-replies are never answered,
// and a peer that answers like a person is held to the rate limit (SPEC §3 step 2:
// at most 3 automated replies per sender per store in 24 hours).
//
// Time is simulated: every mail is delivered with the date the clock shows, and the
// daemon's clock reads the same clock, so crossing the 24-hour window takes a date,
// not a wait.

// rateLimit and rateWindow are the SPEC's figures, not the configuration's: the
// tests prove the default keeps its promise.
const (
	rateLimit  = 3
	rateWindow = 24 * time.Hour
)

// simClock is the simulated time of a conversation.
type simClock struct {
	mu sync.Mutex
	t  time.Time
}

func newSimClock(start time.Time) *simClock { return &simClock{t: start} }

func (c *simClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// advance moves the clock on and returns the new time.
func (c *simClock) advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	return c.t
}

// peer is the customer's side of a conversation: it turns the n-th reply the daemon
// sent (n from 1) into the mail that comes back, received at at.
type peer func(reply localmail.Message, at time.Time, n int) testMail

// conversation is what a loop between the daemon and a peer produced.
type conversation struct {
	rounds  int                 // rounds in which the daemon said something new
	quiet   bool                // the daemon stopped answering before the rounds ran out
	replies []localmail.Message // everything the daemon sent to the peer's address, in order
	answers []testMail          // what the peer sent back in this conversation
}

// answerGap is how long the peer takes to answer, in simulated time.
const answerGap = 2 * time.Minute

// converse lets the peer answer every reply the daemon sends to addr from store's
// mailbox, after the first already ones, delivering each answer to the store's
// INBOX, until the daemon has nothing new to say or maxRounds rounds have passed.
func (e *env) converse(r *running, clock *simClock, store, addr string, p peer, already, maxRounds int) conversation {
	e.t.Helper()
	var c conversation
	answered := already
	for round := 1; round <= maxRounds; round++ {
		e.waitCaughtUp(r)
		replies := sentTo(e.smtp, addr, storeMailboxes[store])
		if len(replies) == answered {
			c.quiet = true
			break
		}
		c.rounds = round
		for _, rep := range replies[answered:] {
			m := p(rep, clock.advance(answerGap), len(c.answers)+1)
			e.deliver(m)
			c.answers = append(c.answers, m)
		}
		answered = len(replies)
	}
	e.waitCaughtUp(r)
	c.replies = sentTo(e.smtp, addr, storeMailboxes[store])
	return c
}

// sentTo lists what the SMTP server accepted for addr from any of the mailboxes
// from, in order.
func sentTo(s *localmail.SMTPSink, addr string, from ...string) []localmail.Message {
	var out []localmail.Message
	for _, m := range s.Messages() {
		if !slices.ContainsFunc(from, func(f string) bool { return strings.EqualFold(f, m.From) }) {
			continue
		}
		if slices.ContainsFunc(m.To, func(to string) bool { return strings.EqualFold(to, addr) }) {
			out = append(out, m)
		}
	}
	return out
}

// decodedHeader reads a header field of a raw mail, RFC 2047 words decoded.
func decodedHeader(raw []byte, name string) string {
	v := headerOf(raw, name)
	if dec, err := new(mime.WordDecoder).DecodeHeader(v); err == nil {
		return dec
	}
	return v
}

// replyDate is the Date of one of the daemon's replies: the arrival time of the mail
// it answers, which is also the time the rate limit counts it at.
func replyDate(t *testing.T, m localmail.Message) time.Time {
	t.Helper()
	msg, err := mail.ReadMessage(strings.NewReader(string(m.Raw)))
	if err != nil {
		t.Fatalf("read a reply: %v", err)
	}
	d, err := msg.Header.Date()
	if err != nil {
		t.Fatalf("reply %s: Date: %v", headerOf(m.Raw, "Message-Id"), err)
	}
	return d
}

// checkRateWindows fails when more than rateLimit replies fall within any window of
// rateWindow, and returns the most found in one.
func checkRateWindows(t *testing.T, replies []localmail.Message) (most int) {
	t.Helper()
	var dates []time.Time
	for _, m := range replies {
		dates = append(dates, replyDate(t, m))
	}
	slices.SortFunc(dates, time.Time.Compare)
	for i, end := range dates {
		n := 0
		for _, d := range dates[:i+1] {
			if d.After(end.Add(-rateWindow)) {
				n++
			}
		}
		most = max(most, n)
		if n > rateLimit {
			t.Errorf("%d replies to one sender within 24 hours up to %s, want at most %d", n, end.Format(time.RFC3339), rateLimit)
		}
	}
	return most
}

// checkOwnRepliesMarked: every reply carries the RFC 3834 marks that tell a
// well-behaved responder on the other side to stay silent.
func checkOwnRepliesMarked(t *testing.T, replies []localmail.Message) {
	t.Helper()
	for _, m := range replies {
		id := headerOf(m.Raw, "Message-Id")
		if got := headerOf(m.Raw, "Auto-Submitted"); got != "auto-replied" {
			t.Errorf("reply %s: Auto-Submitted %q, want auto-replied", id, got)
		}
		if got := headerOf(m.Raw, "X-Auto-Response-Suppress"); got == "" {
			t.Errorf("reply %s: no X-Auto-Response-Suppress", id)
		}
	}
}

// threadHeaders makes a mail an answer to reply, as a mail client would.
func threadHeaders(reply localmail.Message) []string {
	id := headerOf(reply.Raw, "Message-Id")
	refs := strings.TrimSpace(headerOf(reply.Raw, "References"))
	if refs == "" {
		refs = "<" + id + ">"
	} else {
		refs += " <" + id + ">"
	}
	return []string{"In-Reply-To: <" + id + ">", "References: " + refs}
}

// answerSubject is the subject a client gives an answer: "Re: " once.
func answerSubject(reply localmail.Message) string {
	s := decodedHeader(reply.Raw, "Subject")
	if strings.HasPrefix(strings.ToLower(s), "re:") {
		return s
	}
	return "Re: " + s
}

// TestAutoResponderPeer: a customer whose mailbox answers every mail with an
// auto-reply gets exactly one reply, to the mail they wrote; none of the
// auto-replies is answered, whatever marks it as one, and the conversation is over
// after one round.
func TestAutoResponderPeer(t *testing.T) {
	const customer = "emma.devries@example.nl"
	first := testMail{store: "luxnome", from: "Emma de Vries <" + customer + ">", subject: "Defective coat LX100233",
		body: "Hello, the coat from order LX100233 has a broken zipper. Photos attached. Emma", photos: 2}

	// Each style is one way out-of-office replies are marked in the wild.
	for _, style := range []struct {
		name    string
		subject func(reply localmail.Message) string
		headers []string
	}{
		{"RFC 3834 Auto-Submitted", func(r localmail.Message) string { return "Automatic reply: " + decodedHeader(r.Raw, "Subject") },
			[]string{"Auto-Submitted: auto-replied"}},
		{"X-Autoreply under a plain Re: subject", answerSubject, []string{"X-Autoreply: yes"}},
		{"Exchange OOF with an empty return path", func(r localmail.Message) string { return "Automatic reply: " + decodedHeader(r.Raw, "Subject") },
			[]string{"Return-Path: <>", "X-Auto-Response-Suppress: All"}},
		{"vacation subject alone", func(r localmail.Message) string { return "Out of Office: " + decodedHeader(r.Raw, "Subject") }, nil},
	} {
		t.Run(style.name, func(t *testing.T) {
			e := newEnv(t, nil, "luxnome")
			clock := newSimClock(day20(9, 0))
			m := first
			m.at, m.id = clock.now(), "first.emma@mail.example"
			e.deliver(m)
			r := e.start(func(d *Daemon) { d.SetClock(clock.now) })

			autoReply := func(reply localmail.Message, at time.Time, n int) testMail {
				return testMail{store: "luxnome", from: "Emma de Vries <" + customer + ">", subject: style.subject(reply),
					body: "I am out of the office until 1 December and have no access to my mail.", at: at,
					id: fmt.Sprintf("ooo%02d.emma@mail.example", n), headers: append(threadHeaders(reply), style.headers...), machine: true}
			}
			c := e.converse(r, clock, "luxnome", customer, autoReply, 0, 30)

			if len(c.replies) != 1 {
				t.Fatalf("%d replies to the customer, want exactly 1 (the answer to her own mail)", len(c.replies))
			}
			if got := headerOf(c.replies[0].Raw, "In-Reply-To"); got != m.id {
				t.Errorf("the reply answers %q, want %q", got, m.id)
			}
			if !c.quiet || c.rounds != 1 {
				t.Errorf("the conversation did not end after one round (rounds %d, quiet %t)", c.rounds, c.quiet)
			}
			checkOwnRepliesMarked(t, c.replies)
			for _, a := range c.answers {
				rec, err := r.db.MessageByID(ctxb(), a.id)
				if err != nil {
					t.Fatalf("auto-reply %s not recorded: %v", a.id, err)
				}
				if rec.Action != "ignore" || rec.Code != "auto_reply" || rec.Flagged {
					t.Errorf("auto-reply %s decided %s/%s (flagged %t), want ignore/auto_reply", a.id, rec.Action, rec.Code, rec.Flagged)
				}
			}
			e.checkAnsweredOnce(r.db, append([]testMail{m}, c.answers...))
			e.checkMailboxMarks(r.db, "luxnome")
			t.Logf("%d reply, %d auto-replies ignored, %d round", len(c.replies), len(c.answers), c.rounds)
		})
	}
}

// naiveBot answers every mail it gets like a person would, with none of the marks
// of an auto-reply and a new Message-ID each time. threaded: it sets In-Reply-To and
// References (most do); otherwise every answer starts a new thread.
func naiveBot(store, from string, threaded bool) peer {
	return func(reply localmail.Message, at time.Time, n int) testMail {
		m := testMail{store: store, from: from, at: at, id: fmt.Sprintf("bot%03d.%d@helpdesk.example", n, at.Unix()),
			body: "Thanks for your mail, we will get back to you.\n\nKind regards,\nThe Hoffmann Trading team"}
		if threaded {
			m.subject, m.headers = answerSubject(reply), threadHeaders(reply)
		} else {
			m.subject = fmt.Sprintf("We received your message [ticket %d]", 4100+n)
		}
		return m
	}
}

// TestNaiveBotPeer: a customer's helpdesk bot that answers every mail without any
// auto-reply header would loop with the desk forever; the rate limit stops it at 3
// replies in 24 hours, the next mail goes to staff (escalate/rate_limited, flagged,
// no reply) and the conversation dies. A day later the same sender is answered again
// (the limit is a window, not a ban), and again for at most 3 replies.
func TestNaiveBotPeer(t *testing.T) {
	const customer = "felix.hoffmann@example.de"
	from := "Felix Hoffmann <" + customer + ">"
	for _, threaded := range []bool{true, false} {
		name := map[bool]string{true: "answers in the thread", false: "opens a new thread each time"}[threaded]
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, nil, "luxnome")
			clock := newSimClock(day20(9, 0))
			day1 := testMail{store: "luxnome", from: from, subject: "Return LX100229", at: clock.now(), id: "day1.felix@mail.example",
				body: "Hello, I changed my mind about the coat from order LX100229 and would like to return it. Felix"}
			e.deliver(day1)
			r := e.start(func(d *Daemon) { d.SetClock(clock.now) })
			bot := naiveBot("luxnome", from, threaded)

			c1 := e.converse(r, clock, "luxnome", customer, bot, 0, 30)
			if !c1.quiet {
				t.Fatalf("day 1: still answering the bot after %d rounds (%d replies)", c1.rounds, len(c1.replies))
			}
			if len(c1.replies) == 0 || len(c1.replies) > rateLimit {
				t.Fatalf("day 1: %d replies to the bot's sender, want 1..%d", len(c1.replies), rateLimit)
			}
			limited := e.checkRateLimited(r, c1.answers[len(c1.replies)-1:])

			// The next day the customer writes himself; the window has passed.
			day2 := testMail{store: "luxnome", from: from, subject: "Where do I send the coat?", at: clock.advance(25 * time.Hour),
				id: "day2.felix@mail.example", body: "Hello, where do I send the coat from order LX100229 back to? Felix"}
			e.deliver(day2)
			c2 := e.converse(r, clock, "luxnome", customer, bot, len(c1.replies), 30)
			if !c2.quiet {
				t.Fatalf("day 2: still answering the bot after %d rounds", c2.rounds)
			}
			day2Replies := c2.replies[len(c1.replies):]
			if len(day2Replies) == 0 || headerOf(day2Replies[0].Raw, "In-Reply-To") != day2.id {
				t.Fatalf("day 2: the customer's own mail, 25 hours later, was not answered first (%d replies)", len(day2Replies))
			}
			day2Answers := c2.answers
			limited += e.checkRateLimited(r, day2Answers[len(day2Replies)-1:])

			most := checkRateWindows(t, c2.replies)
			checkOwnRepliesMarked(t, c2.replies)
			all := append(append([]testMail{day1, day2}, c1.answers...), day2Answers...)
			e.checkAnsweredOnce(r.db, all)
			e.checkMailboxMarks(r.db, "luxnome")
			t.Logf("day 1: %d replies in %d rounds; day 2: %d replies in %d rounds; at most %d in 24 h; %d bot mails escalated rate_limited; bot mails decided %s",
				len(c1.replies), c1.rounds, len(day2Replies), c2.rounds, most, limited, decisions(t, r, append(c1.answers, day2Answers...)))
		})
	}
}

// decisions tallies the recorded decisions of mails, e.g. "escalate/needs_review ×2".
func decisions(t *testing.T, r *running, mails []testMail) string {
	t.Helper()
	count := map[string]int{}
	for _, m := range mails {
		rec, err := r.db.MessageByID(ctxb(), m.id)
		if err != nil {
			t.Fatalf("%s not recorded: %v", m.id, err)
		}
		count[rec.Action+"/"+rec.Code]++
	}
	var out []string
	for _, d := range slices.Sorted(maps.Keys(count)) {
		out = append(out, fmt.Sprintf("%s ×%d", d, count[d]))
	}
	return strings.Join(out, ", ")
}

// checkRateLimited checks that each of mails was escalated as rate_limited: flagged
// for staff and not answered. It returns how many there were.
func (e *env) checkRateLimited(r *running, mails []testMail) int {
	e.t.Helper()
	if len(mails) == 0 {
		e.t.Error("no mail was held back by the rate limit")
	}
	for _, m := range mails {
		rec, err := r.db.MessageByID(ctxb(), m.id)
		if err != nil {
			e.t.Errorf("%s not recorded: %v", m.id, err)
			continue
		}
		if rec.Action != "escalate" || rec.Code != "rate_limited" || !rec.Flagged {
			e.t.Errorf("%s decided %s/%s (flagged %t), want escalate/rate_limited, flagged", m.id, rec.Action, rec.Code, rec.Flagged)
		}
		if outs, err := r.db.OutgoingBySource(ctxb(), m.id); err != nil || len(outs) != 0 {
			e.t.Errorf("%s: %d replies queued (%v), want none", m.id, len(outs), err)
		}
	}
	return len(mails)
}

// TestFloodFromOneSender: 50 mails from one customer within one minute (address
// spelled in varying case) get at most 3 replies from the store; every other one is
// escalated as rate_limited without a reply. The limit is per sender and per store:
// another customer writing in the same minute, and the same customer writing to
// another store, are answered.
func TestFloodFromOneSender(t *testing.T) {
	const customer = "emma.devries@example.nl"
	e := newEnv(t, nil, "luxnome", "lumina")
	start := day20(10, 0)
	var flood []testMail
	for i := range 50 {
		addr := customer
		if i%3 == 1 {
			addr = "Emma.deVries@Example.NL"
		}
		flood = append(flood, testMail{store: "luxnome", from: "Emma de Vries <" + addr + ">",
			subject: fmt.Sprintf("Defective coat LX100233 (%d)", i+1), at: start.Add(time.Duration(i) * 1200 * time.Millisecond),
			id:   fmt.Sprintf("flood%02d.emma@mail.example", i+1),
			body: "Hello, the coat from order LX100233 has a broken zipper. Please answer! Emma", photos: i % 2})
	}
	other := testMail{store: "luxnome", from: "Felix Hoffmann <felix.hoffmann@example.de>", subject: "Return LX100229",
		at: start.Add(30 * time.Second), id: "felix.same-minute@mail.example",
		body: "Hello, I changed my mind about the coat from order LX100229 and would like to return it. Felix"}
	elsewhere := testMail{store: "lumina", from: "Emma de Vries <" + customer + ">", subject: "Return LW-58213",
		at: start.Add(45 * time.Second), id: "emma.lumina@mail.example",
		body: "Hello, I would like to return the leggings from order LW-58213. Emma"}

	// A third is waiting when the daemon starts; the rest arrive while it runs. The
	// other two mails, dated within the flood's minute, are read after it, when the
	// flooding sender is surely at the limit.
	e.deliver(flood[:17]...)
	clock := newSimClock(start.Add(time.Minute))
	r := e.start(func(d *Daemon) { d.SetClock(clock.now) })
	e.deliver(flood[17:]...)
	e.waitCaughtUp(r)
	e.deliver(other, elsewhere)
	e.waitCaughtUp(r)

	replies := sentTo(e.smtp, customer, storeMailboxes["luxnome"])
	if len(replies) == 0 || len(replies) > rateLimit {
		t.Fatalf("%d replies to the flooding sender, want 1..%d", len(replies), rateLimit)
	}
	answered := map[string]bool{}
	for _, m := range replies {
		answered[headerOf(m.Raw, "In-Reply-To")] = true
	}
	limited := 0
	for _, m := range flood {
		if answered[m.id] {
			continue
		}
		limited += e.checkRateLimited(r, []testMail{m})
	}
	if len(replies)+limited != len(flood) {
		t.Errorf("%d replies + %d rate-limited != %d mails", len(replies), limited, len(flood))
	}
	if n := len(sentTo(e.smtp, "felix.hoffmann@example.de", storeMailboxes["luxnome"])); n != 1 {
		t.Errorf("another customer in the same minute got %d replies, want 1", n)
	}
	if n := len(sentTo(e.smtp, customer, storeMailboxes["lumina"])); n != 1 {
		t.Errorf("the same sender got %d replies from another store, want 1", n)
	}
	checkRateWindows(t, replies)
	e.checkAnsweredOnce(r.db, append(append([]testMail{}, flood...), other, elsewhere))
	e.checkMailboxMarks(r.db, "luxnome")
	t.Logf("flood of %d mails in %s: %d replies, %d escalated rate_limited", len(flood),
		flood[len(flood)-1].at.Sub(flood[0].at).Round(time.Second), len(replies), limited)
}

// TestFloodAcrossMailboxes: a store with two mailboxes has a worker on each, running
// side by side. Customers writing to both at once still get at most 3 replies each
// from the store (the limit is per store, not per mailbox), and every reply about
// one order quotes the one RAN the order's case keeps.
//
// Both are read-then-write in the desk (count the replies, look up the case, then
// record), so they hold only while one message at a time is decided and recorded.
// Without that, about 60% of single runs showed a fourth reply or a second RAN; five
// fresh runs make a miss unlikely.
func TestFloodAcrossMailboxes(t *testing.T) {
	for attempt := range 5 {
		t.Run(fmt.Sprintf("run %d", attempt+1), floodBothMailboxes)
	}
}

func floodBothMailboxes(t *testing.T) {
	const second = "13986307982@139.com" // alinora's other mailbox
	e := newEnv(t, nil, "alinora")
	if _, err := e.imap.AddUser("alinora139", testPassword); err != nil {
		t.Fatal(err)
	}
	sc := e.storeConfig("alinora")
	extra := sc.IMAP[0]
	extra.Address, extra.Username = second, "alinora139"
	sc.IMAP = append(sc.IMAP, extra)

	// Orders whose change-of-mind return gets a RAN (orders/defaults/README.md).
	senders := []struct{ name, addr, order, item string }{
		{"Jonas Weber", "jonas.weber@example.de", "AL-204518", "earbuds"},
		{"Camille Dubois", "camille.dubois@example.fr", "AL-204520", "smartwatch"},
		{"Isabella Garcia", "isabella.garcia@example.es", "AL-204522", "cable"},
		{"Chloe Martin", "chloe.martin@example.com.au", "AL-204514", "earrings"},
		{"Marco Rossi", "marco.rossi@example.it", "AL-204517", "earbuds"},
		{"Unknown Customer", "someone@example.net", "AL-999991", "order"},
	}
	const perSender = 12
	start := day20(10, 0)
	var ids []string
	for i := range perSender {
		for j, s := range senders {
			n := i*len(senders) + j
			m := testMail{store: "alinora", from: s.name + " <" + s.addr + ">", subject: fmt.Sprintf("Return %s (%d)", s.order, i+1),
				at: start.Add(time.Duration(n) * 500 * time.Millisecond), id: fmt.Sprintf("flood%02d.%d@mail.example", i+1, j),
				body: fmt.Sprintf("Hello, I changed my mind about the %s from order %s and would like to return it. %s", s.item, s.order, s.name)}
			ids = append(ids, m.id)
			if i%2 == 0 { // each customer writes to both mailboxes in turn
				e.deliver(m)
				continue
			}
			raw := strings.Replace(string(m.bytes()), "To: "+storeMailboxes["alinora"], "To: "+second, 1)
			if _, err := e.imap.User("alinora139").Deliver("INBOX", []byte(raw), m.at); err != nil {
				t.Fatal(err)
			}
		}
	}
	clock := newSimClock(start.Add(time.Minute))
	r := e.start(func(d *Daemon) { d.SetClock(clock.now) })
	waitFor(t, 20*time.Second, "both workers to handle the flood", func() (bool, string) {
		for _, id := range ids {
			if seen, err := r.db.Seen(ctxb(), id); err != nil || !seen {
				return false, id + " not handled yet"
			}
		}
		pending, err := r.db.PendingOutgoing(ctxb(), 0, 100)
		return err == nil && len(pending) == 0, fmt.Sprintf("%d replies pending", len(pending))
	})

	ranPattern := regexp.MustCompile(`\bAL-[0-9A-Z]{10}\b`)
	total := 0
	for _, s := range senders {
		replies := sentTo(e.smtp, s.addr, storeMailboxes["alinora"], second)
		total += len(replies)
		if len(replies) > rateLimit {
			t.Errorf("%s: %d replies through two mailboxes of one store, want at most %d", s.addr, len(replies), rateLimit)
		}
		rans := map[string]bool{}
		for _, m := range replies {
			for _, ran := range ranPattern.FindAllString(string(m.Raw), -1) {
				rans[ran] = true
			}
		}
		if len(rans) == 0 {
			continue
		}
		c, err := r.db.Case(ctxb(), "alinora", s.order)
		if err != nil {
			t.Errorf("%s: replies quote RANs %v but the order has no case: %v", s.order, slices.Sorted(maps.Keys(rans)), err)
			continue
		}
		if len(rans) != 1 || !rans[c.RAN] {
			t.Errorf("%s: replies quote RANs %v, the case keeps %s", s.order, slices.Sorted(maps.Keys(rans)), c.RAN)
		}
	}
	t.Logf("%d customers, %d mails each over two mailboxes: %d replies", len(senders), perSender, total)
}
