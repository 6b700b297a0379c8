package state

import (
	"context"
	"errors"
	"testing"
	"time"
)

// queueReply records one customer message with a reply, as the desk does.
func queueReply(t *testing.T, db *DB, n int) Outgoing {
	t.Helper()
	ctx := context.Background()
	at := time.Date(2026, 11, 20, 10, n, 0, 0, time.UTC)
	in := "in" + string(rune('a'+n)) + "@example.nl"
	out := Outgoing{MessageID: "out" + string(rune('a'+n)) + "@luminahelp.com", Store: "lumina", Mailbox: "support@luminahelp.com",
		Recipient: "Sophie@Example.nl", Kind: "reply", SourceID: in, CreatedAt: at, Raw: []byte("Subject: Re\r\n\r\nhi\r\n")}
	thread := Thread{Store: "lumina", Customer: "sophie@example.nl"}
	if _, err := db.Record(ctx, Outcome{Message: Message{MessageID: in, Store: "lumina", Direction: "in", At: at}, Thread: &thread, Reply: &out}); err != nil {
		t.Fatal(err)
	}
	got, err := db.OutgoingBySource(ctx, in)
	if err != nil || len(got) != 1 {
		t.Fatalf("OutgoingBySource: %v, %v", got, err)
	}
	return got[0]
}

func TestOutboxDelivery(t *testing.T) { eachBackend(t, testOutboxDelivery) }

func testOutboxDelivery(t *testing.T, st string) {
	ctx := context.Background()
	db := openState(t, st)
	a, b, c := queueReply(t, db, 0), queueReply(t, db, 1), queueReply(t, db, 2)
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

	t.Run("pending oldest first", func(t *testing.T) {
		p, err := db.PendingOutgoing(ctx, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(p) != 3 || p[0].ID != a.ID || p[2].ID != c.ID || p[0].Status != OutboxPending || string(p[0].Raw) != string(a.Raw) {
			t.Fatalf("pending: %+v", p)
		}
		if p[0].Recipient != "sophie@example.nl" || p[0].ThreadID == 0 {
			t.Errorf("row: recipient %q thread %d", p[0].Recipient, p[0].ThreadID)
		}
		if p, _ := db.PendingOutgoing(ctx, 0, 1); len(p) != 1 || p[0].ID != a.ID {
			t.Errorf("limit 1 gave %+v", p)
		}
		if p, _ := db.PendingOutgoing(ctx, a.ID, 10); len(p) != 2 || p[0].ID != b.ID {
			t.Errorf("after the first: %+v", p)
		}
	})
	t.Run("temporary failure stays pending", func(t *testing.T) {
		if err := db.MarkAttempt(ctx, b.ID, now, "451 try later", false); err != nil {
			t.Fatal(err)
		}
		got, _ := db.OutgoingBySource(ctx, b.SourceID)
		if got[0].Status != OutboxPending || got[0].Attempts != 1 || got[0].LastError != "451 try later" {
			t.Fatalf("after temporary failure: %+v", got[0])
		}
	})
	t.Run("sent is owed a copy until filed", func(t *testing.T) {
		if err := db.MarkSent(ctx, a.ID, now); err != nil {
			t.Fatal(err)
		}
		got, _ := db.OutgoingBySource(ctx, a.SourceID)
		if got[0].Status != OutboxSent || !got[0].SentAt.Equal(now) {
			t.Fatalf("after send: %+v", got[0])
		}
		u, err := db.UnfiledOutgoing(ctx, 0, 10)
		if err != nil || len(u) != 1 || u[0].ID != a.ID {
			t.Fatalf("unfiled: %+v, %v", u, err)
		}
		if err := db.MarkFiled(ctx, a.ID, now); err != nil {
			t.Fatal(err)
		}
		if u, _ := db.UnfiledOutgoing(ctx, 0, 10); len(u) != 0 {
			t.Fatalf("still unfiled: %+v", u)
		}
	})
	t.Run("permanent failure flags the thread", func(t *testing.T) {
		if err := db.MarkAttempt(ctx, c.ID, now, "550 no such user", true); err != nil {
			t.Fatal(err)
		}
		got, _ := db.OutgoingBySource(ctx, c.SourceID)
		if got[0].Status != OutboxFailed {
			t.Fatalf("after permanent failure: %+v", got[0])
		}
		th, err := db.Thread(ctx, got[0].ThreadID)
		if err != nil {
			t.Fatal(err)
		}
		if !th.FlaggedAt.Equal(now) || th.FlagCode != FlagDeliveryFailed {
			t.Fatalf("thread not flagged: %+v", th)
		}
	})
	t.Run("drafted", func(t *testing.T) {
		if err := db.MarkDrafted(ctx, b.ID, now); err != nil {
			t.Fatal(err)
		}
		counts, err := db.OutboxCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]int{OutboxSent: 1, OutboxDrafted: 1, OutboxFailed: 1}
		for k, v := range want {
			if counts[k] != v {
				t.Errorf("counts[%s] = %d, want %d (%v)", k, counts[k], v, counts)
			}
		}
		if p, _ := db.PendingOutgoing(ctx, 0, 10); len(p) != 0 {
			t.Errorf("still pending: %+v", p)
		}
	})
	t.Run("unknown row", func(t *testing.T) {
		if err := db.MarkSent(ctx, 999, now); !errors.Is(err, ErrNotFound) {
			t.Errorf("MarkSent(999) = %v, want ErrNotFound", err)
		}
		if err := db.MarkAttempt(ctx, 999, now, "x", false); !errors.Is(err, ErrNotFound) {
			t.Errorf("MarkAttempt(999) = %v, want ErrNotFound", err)
		}
	})
}

// TestThreadRepliesAreTheCustomers: the desk's replies and reminders in a thread are
// what the customer may quote back; staff mail is not.
func TestThreadRepliesAreTheCustomers(t *testing.T) { eachBackend(t, testThreadRepliesAreTheCustomers) }

func testThreadRepliesAreTheCustomers(t *testing.T, st string) {
	ctx := context.Background()
	db := openState(t, st)
	thread := Thread{Store: "lumina", Customer: "sophie@example.nl"}
	for i, kind := range []string{"reply", "reminder", "staff_escalation"} {
		at := time.Date(2026, 11, 20, 10, i, 0, 0, time.UTC)
		in := "in-" + kind + "@example.nl"
		out := Outgoing{MessageID: "out-" + kind + "@luminahelp.com", Store: "lumina", Mailbox: "support@luminahelp.com",
			Recipient: "sophie@example.nl", Kind: kind, SourceID: in, CreatedAt: at, Raw: []byte("Subject: Re\r\n\r\nhi\r\n")}
		id, err := db.Record(ctx, Outcome{Message: Message{MessageID: in, Store: "lumina", Direction: "in", At: at}, Thread: &thread, Reply: &out})
		if err != nil {
			t.Fatal(err)
		}
		// The next mail of the thread is decided on the thread as saved.
		if thread, err = db.Thread(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.ThreadReplies(ctx, thread.ID, 5)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, o := range got {
		kinds = append(kinds, o.Kind)
	}
	if len(kinds) != 2 || kinds[0] != "reminder" || kinds[1] != "reply" {
		t.Errorf("thread replies %v, want [reminder reply]", kinds)
	}
}

// TestThreadKeepsItsRequestWords: what the customer asked earlier survives a save, for
// the follow-up that does not repeat it.
func TestThreadKeepsItsRequestWords(t *testing.T) { eachBackend(t, testThreadKeepsItsRequestWords) }

func testThreadKeepsItsRequestWords(t *testing.T, st string) {
	ctx := context.Background()
	db := openState(t, st)
	thread := Thread{Store: "lumina", Customer: "priya@example.com", Words: "typo, it's LW58377",
		RequestWords: "I want to send back part of my order"}
	id, err := db.Record(ctx, Outcome{Message: Message{MessageID: "in-1@example.com", Store: "lumina", Direction: "in",
		At: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)}, Thread: &thread})
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.Thread(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.RequestWords != thread.RequestWords || got.Words != thread.Words {
		t.Errorf("thread read back with request words %q, words %q", got.RequestWords, got.Words)
	}
}

// TestDraftSentOnce: the RAN of a draft counts from the first time the draft is
// seen sent; a second look at the same sent copy does not move it.
func TestDraftSentOnce(t *testing.T) {
	eachBackend(t, func(t *testing.T, st string) {
		ctx := context.Background()
		db := openState(t, st)
		o := queueReply(t, db, 0)
		if err := db.RecordJobMail(ctx, Outgoing{MessageID: "note@luminahelp.com", Store: "lumina", Mailbox: "support@luminahelp.com",
			Recipient: "staff@luminahelp.com", Kind: "staff_note", CreatedAt: o.CreatedAt, Raw: []byte("x")}, nil,
			&Case{Store: "lumina", Order: "LW1001", RAN: "LUM-1", RANMessageID: o.MessageID, AuthorizedAt: o.CreatedAt}); err != nil {
			t.Fatal(err)
		}
		if err := db.MarkDrafted(ctx, o.ID, o.CreatedAt); err != nil {
			t.Fatal(err)
		}
		first, second := o.CreatedAt.Add(time.Hour), o.CreatedAt.Add(2*time.Hour)
		for _, at := range []time.Time{first, second} {
			if err := db.MarkDraftSent(ctx, o, at); err != nil {
				t.Fatal(err)
			}
		}
		kase, err := db.Case(ctx, "lumina", "LW1001")
		if err != nil {
			t.Fatal(err)
		}
		if !kase.AuthorizedAt.Equal(first) {
			t.Errorf("RAN authorised at %v, want %v (the first sighting)", kase.AuthorizedAt, first)
		}
		if got, _ := db.OutgoingBySource(ctx, o.SourceID); got[0].Status != OutboxSent || !got[0].SentAt.Equal(first) {
			t.Errorf("draft row: %+v", got[0])
		}
	})
}
