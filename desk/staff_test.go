package desk_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/returnsdesk/returnsdesk/desk"
)

// staffMail is a one-line answer to the customer's thread from sender.
func staffMail(from, id, inReplyTo, line string) []byte {
	return []byte("From: " + from + "\r\nTo: info@alusse.com\r\nSubject: Re: Retour pull soldes\r\nMessage-ID: <" + id + ">\r\n" +
		"In-Reply-To: <" + inReplyTo + ">\r\nReferences: <" + inReplyTo + ">\r\nDate: Sat, 21 Nov 2026 09:00:00 +0100\r\n\r\n" +
		line + "\r\n\r\n> (the customer's mail)\r\n")
}

// referredThread is alusse with a staff address, after a customer's statutory-rights
// mail (held-out alusse 008) that the desk referred to staff.
func referredThread(t *testing.T, edit ...func(*desk.Store)) (*desk.Desk, *desk.Result) {
	t.Helper()
	d := newTestDesk(t, "", func(s *desk.Store) {
		if s.ID() == "alusse" {
			s.Staff = []string{"equipe@alusse.com"}
			for _, e := range edit {
				e(s)
			}
		}
	})
	customer, err := os.ReadFile("../testdata/holdout/alusse/008-retractation-pull-soldes.eml")
	if err != nil {
		t.Fatal(err)
	}
	res, err := d.Process(context.Background(), customer, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return d, res
}

// TestStaffApproveStatutoryRights is the staff loop: a statutory-rights referral,
// approved by a one-line "approve" from the store's staff address, sends the customer
// the authorisation with a RAN and confirms it to staff; the same line from a
// stranger authorises nothing; the command redelivered does nothing twice.
func TestStaffApproveStatutoryRights(t *testing.T) {
	d, res := referredThread(t)
	ctx := context.Background()
	if res.Action != "escalate" || res.Code != "statutory_rights" {
		t.Fatalf("customer mail: %s/%s, want escalate/statutory_rights", res.Action, res.Code)
	}
	customerID := res.MessageID

	stranger, err := d.Process(ctx, staffMail("someone@example.org", "stranger-1@example.org", customerID, "approve"), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if stranger.RAN != "" || strings.HasPrefix(stranger.Action, "authorize") {
		t.Errorf("a stranger's approve: %s/%s ran %q, want no authorisation", stranger.Action, stranger.Code, stranger.RAN)
	}

	approved, err := d.Process(ctx, staffMail("Équipe Alussé <equipe@alusse.com>", "staff-1@alusse.com", customerID, "Approve."), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if approved.Action != "authorize_return" || approved.Code != "eu_withdrawal" || approved.RAN == "" {
		t.Fatalf("staff approve: %s/%s ran %q (%s), want authorize_return/eu_withdrawal with a RAN", approved.Action, approved.Code, approved.RAN, approved.Why)
	}
	if approved.Reply == nil || approved.Reply.To != "ines.fontaine@example.fr" || approved.Reply.InReplyTo != customerID ||
		!strings.Contains(approved.Reply.Body, approved.RAN) || approved.Reply.Language != "fr" {
		t.Errorf("customer reply: %+v, want the RAN, in French, to the customer, in her thread", approved.Reply)
	}
	if c := approved.StaffConfirmation; c == nil || c.To != "equipe@alusse.com" || !strings.Contains(c.Body, approved.RAN) {
		t.Errorf("staff confirmation: %+v, want it to staff with the RAN", c)
	}

	again, err := d.Process(ctx, staffMail("equipe@alusse.com", "staff-1@alusse.com", customerID, "approve"), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if again.Code != "duplicate" || again.Reply != nil {
		t.Errorf("the same command redelivered: %s/%s, want ignore/duplicate", again.Action, again.Code)
	}
	// A second, new approve on the same case gives the same RAN again, not a second one.
	twice, err := d.Process(ctx, staffMail("equipe@alusse.com", "staff-2@alusse.com", customerID, "approve"), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if twice.RAN != approved.RAN {
		t.Errorf("second approve: RAN %q, want the same %q", twice.RAN, approved.RAN)
	}
}

func TestParseStaffCommand(t *testing.T) {
	for text, want := range map[string]string{
		"approve":                      "approve/",
		"  Approve.\n\nThanks, Marie":  "approve/",
		"reject used_item":             "reject/used_item",
		"ask missing_photos":           "ask/missing_photos",
		"refund issued":                "refund-issued/",
		"Refund-issued!":               "refund-issued/",
		"close":                        "close/",
		"handback":                     "handback/",
		"I approve of your new policy": "",
		"reject":                       "",
		"approve it quickly please":    "",
	} {
		if got := desk.StaffCommandOf(text); got != want {
			t.Errorf("%q: %q, want %q", text, got, want)
		}
	}
}

// TestStaffReplySilencesTheDesk: staff answering the customer themselves take the
// thread over; the customer's next mail is recorded and flagged but not answered,
// until "handback".
func TestStaffReplySilencesTheDesk(t *testing.T) {
	d, res := referredThread(t)
	ctx := context.Background()
	id := res.MessageID
	takeover, err := d.Process(ctx, staffMail("equipe@alusse.com", "staff-own@alusse.com", id,
		"Bonjour Inès, je regarde votre demande personnellement et je reviens vers vous demain."), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if takeover.Action != "ignore" || takeover.Reply != nil || takeover.StaffConfirmation != nil {
		t.Errorf("staff's own answer: %s/%s, want ignore/staff and nothing sent", takeover.Action, takeover.Code)
	}
	next := func(msgID, body string) *desk.Result {
		raw := "From: ines.fontaine@example.fr\r\nTo: info@alusse.com\r\nSubject: Re: Retour\r\nMessage-ID: <" + msgID + ">\r\n" +
			"In-Reply-To: <staff-own@alusse.com>\r\nReferences: <" + id + "> <staff-own@alusse.com>\r\nDate: Sat, 21 Nov 2026 12:00:00 +0100\r\n\r\n" + body + "\r\n"
		r, err := d.Process(ctx, []byte(raw), time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	held := next("cust-2@example.fr", "Merci ! Et je voudrais aussi retourner le pull, comment faire ?")
	if held.Reply != nil || !held.Flagged {
		t.Errorf("customer mail in a thread staff handle: %s/%s reply %v, want flagged and unanswered", held.Action, held.Code, held.Reply != nil)
	}
	if _, err := d.Process(ctx, staffMail("equipe@alusse.com", "staff-back@alusse.com", id, "handback"), time.Time{}); err != nil {
		t.Fatal(err)
	}
	answered := next("cust-3@example.fr", "Bonjour, où en est ma demande de retour ?")
	if answered.Reply == nil {
		t.Errorf("after handback: %s/%s without a reply, want the desk to answer again", answered.Action, answered.Code)
	}
}
