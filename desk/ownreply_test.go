package desk_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/returnsdesk/returnsdesk/desk"
)

// TestOwnReplyNeverFeedsTheClassifier: a customer answers the desk's authorisation a
// month later, pasting the whole reply under an Outlook header block and above their
// own question. Only their own words are read: a question about the refund, never a
// new return request to be judged against the (long closed) window.
func TestOwnReplyNeverFeedsTheClassifier(t *testing.T) {
	d := newTestDesk(t, "")
	ctx := context.Background()
	first := "From: Lisa de Graaf <lisa.degraaf@example.nl>\r\nTo: support@luminahelp.com\r\nSubject: Return LW-58201\r\n" +
		"Message-ID: <first-ask@example.nl>\r\nDate: Thu, 10 Sep 2026 10:00:00 +0200\r\n\r\n" +
		"Hello, I would like to return the leggings of order LW-58201, they are too big. Lisa\r\n"
	res, err := d.Process(ctx, []byte(first), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Action != "authorize_return" || res.Reply == nil {
		t.Fatalf("first mail: %s/%s, want an authorisation with a reply", res.Action, res.Code)
	}
	quoted := strings.ReplaceAll(res.Reply.Body, "\n", "\r\n")
	follow := fmt.Sprintf("From: Lisa de Graaf <lisa.degraaf@example.nl>\r\nTo: support@luminahelp.com\r\nSubject: RE: %s\r\n"+
		"Message-ID: <second@example.nl>\r\nIn-Reply-To: <%s>\r\nReferences: <first-ask@example.nl> <%s>\r\n"+
		"Date: Mon, 12 Oct 2026 10:00:00 +0200\r\n\r\n"+
		"Hello, any news? I posted it weeks ago.\r\n\r\n"+
		"From: Lumina Wear <support@luminahelp.com>\r\nSent: Thursday, September 10, 2026 10:00 AM\r\nTo: Lisa de Graaf\r\nSubject: %s\r\n\r\n%s\r\n",
		res.Reply.Subject, res.Outgoing.MessageID, res.Outgoing.MessageID, res.Reply.Subject, quoted)
	// The same again, pasted without the header block: only the desk knows it wrote it.
	pasted := strings.Replace(follow, "From: Lumina Wear <support@luminahelp.com>\r\nSent: Thursday, September 10, 2026 10:00 AM\r\nTo: Lisa de Graaf\r\n", "", 1)
	pasted = strings.Replace(pasted, "<second@example.nl>", "<third@example.nl>", 1)
	for _, raw := range []string{follow, pasted} {
		res2, err := d.Process(ctx, []byte(raw), time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if res2.Action == "reject" || res2.Action == "authorize_return" {
			t.Errorf("follow-up decided %s/%s (%s): the desk's own reply was read as the customer's", res2.Action, res2.Code, res2.Why)
		}
		if ex := res2.Explanation(); strings.Contains(ex.FreshText, "authorisation") || strings.Contains(ex.FreshText, "Pack the item") {
			t.Errorf("the customer's words still hold the desk's reply:\n%s", ex.FreshText)
		}
	}
}

// TestOrderFromForwardedConfirmation: a customer writes above the shipping
// confirmation they forwarded. The order it names is theirs when it was bought from
// their address; from anyone else the number in the quote is not enough.
func TestOrderFromForwardedConfirmation(t *testing.T) {
	mail := func(from, id string) []byte {
		return []byte("From: " + from + "\r\nTo: support@luminahelp.com\r\nSubject: Fwd: Your order has shipped\r\n" +
			"Message-ID: <" + id + "@example.nl>\r\nDate: Mon, 07 Sep 2026 10:00:00 +0200\r\n\r\n" +
			"Hello, the leggings are too big, I would like to return them for a refund please.\r\n\r\n" +
			"---------- Forwarded message ---------\r\nFrom: Lumina Wear <orders@luminahelp.com>\r\n" +
			"Subject: Your order LW-58201 has shipped\r\n\r\nGood news: order LW-58201 is on its way.\r\n")
	}
	for _, tc := range []struct {
		from, wantOrder string
	}{
		{"Lisa de Graaf <lisa.degraaf@example.nl>", "LW-58201"},
		{"Someone Else <someone.else@example.nl>", ""},
	} {
		d := newTestDesk(t, "")
		res, err := d.Process(context.Background(), mail(tc.from, "fwd"), time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Order != tc.wantOrder {
			t.Errorf("from %s: order %q (%s/%s), want %q", tc.from, res.Order, res.Action, res.Code, tc.wantOrder)
		}
		if tc.wantOrder == "" && res.Code != "missing_order_number" {
			t.Errorf("from %s: %s/%s, want to be asked for the order number", tc.from, res.Action, res.Code)
		}
	}
}

// TestOwnEarlierMailIsTheRequest: a customer forwards their own first mail, sent to the
// wrong address, with nothing but "see below" above it: its request is theirs. The
// same own mail quoted in a reply that asks about a parcel stays history.
func TestOwnEarlierMailIsTheRequest(t *testing.T) {
	d := newTestDesk(t, "")
	ctx := context.Background()
	own := "From: Lisa de Graaf <lisa.degraaf@example.nl>\r\nSent: Thursday, September 10, 2026 10:00 AM\r\nTo: info@lumina.example\r\nSubject: Leggings LW-58201\r\n\r\n" +
		"Hello, I would like to return the leggings of order LW-58201, they are too big. Lisa\r\n"
	forward := "From: Lisa de Graaf <lisa.degraaf@example.nl>\r\nTo: support@luminahelp.com\r\nSubject: FW: Leggings LW-58201\r\n" +
		"Message-ID: <fw-own@example.nl>\r\nDate: Fri, 11 Sep 2026 10:00:00 +0200\r\n\r\n" +
		"Hi, I sent the note below to the address on my packing slip and it bounced, so trying here.\r\n\r\nLisa\r\n\r\n" + own
	res, err := d.Process(ctx, []byte(forward), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Action != "authorize_return" {
		t.Errorf("forward of the own first mail: %s/%s (%s), want the return it asks for", res.Action, res.Code, res.Why)
	}
	parcel := "From: Lisa de Graaf <lisa.degraaf@example.nl>\r\nTo: support@luminahelp.com\r\nSubject: RE: Leggings LW-58201\r\n" +
		"Message-ID: <re-own@example.nl>\r\nIn-Reply-To: <elsewhere@example.nl>\r\nDate: Mon, 16 Nov 2026 10:00:00 +0100\r\n\r\n" +
		"Hello, DHL says the parcel with the leggings is lost since 2 November, what now?\r\n\r\n" + own
	res, err = d.Process(ctx, []byte(parcel), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Action == "reject" || res.Action == "authorize_return" {
		t.Errorf("a parcel question quoting the own first mail: %s/%s (%s), the old request was read again", res.Action, res.Code, res.Why)
	}
}

// TestReminderKeepsWhatTheEarlierMailTold: a reminder that asks again for the return
// its own quoted first mail asked for is that request, and the wear the first mail told
// of holds; an earlier mail about another order tells nothing of this one.
func TestReminderKeepsWhatTheEarlierMailTold(t *testing.T) {
	d := newTestDesk(t, "")
	ctx := context.Background()
	reminder := func(id, earlierOrder string) *desk.Result {
		raw := "From: Lisa de Graaf <lisa.degraaf@example.nl>\r\nTo: support@luminahelp.com\r\nSubject: Leggings\r\n" +
			"Message-ID: <" + id + ">\r\nDate: Fri, 11 Sep 2026 10:00:00 +0200\r\n\r\n" +
			"Hello, I have had no answer to my mail below. I would really like to return the leggings of order LW-58201.\r\n\r\nLisa\r\n\r\n" +
			"> On Wed, 9 Sep 2026 at 21:47, Lisa de Graaf <lisa.degraaf@example.nl> wrote:\r\n>\r\n" +
			"> Hello, I wore the leggings of order " + earlierOrder + " to the gym twice and they are too big. Can I return them?\r\n"
		res, err := d.Process(ctx, []byte(raw), time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	if res := reminder("remind-1@example.nl", "LW-58201"); res.Action != "reject" || res.Code != "used_item" {
		t.Errorf("reminder over the own mail that told of the wear: %s/%s (%s), want reject/used_item", res.Action, res.Code, res.Why)
	}
	if res := reminder("remind-2@example.nl", "LW-58202"); res.Action == "reject" {
		t.Errorf("reminder over an own mail about another order: %s/%s (%s), its wear was read as this order's", res.Action, res.Code, res.Why)
	}
}
