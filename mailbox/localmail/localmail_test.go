package localmail

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-smtp"
)

func TestIMAPServer(t *testing.T) {
	s, err := NewIMAPServer(IMAPOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	u, err := s.AddUser("shop", "pw")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	uid, err := u.Deliver("INBOX", []byte("Subject: hi\r\n\r\nhello\r\n"), at)
	if err != nil || uid != 1 {
		t.Fatalf("Deliver: %d, %v", uid, err)
	}
	c, err := imapclient.DialInsecure(s.Addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login("shop", "wrong").Wait(); err == nil {
		t.Error("logged in with a wrong password")
	}
	if err := c.Login("shop", "pw").Wait(); err != nil {
		t.Fatal(err)
	}
	t.Run("special use", func(t *testing.T) {
		list, err := c.List("", "*", &imap.ListOptions{ReturnSpecialUse: true}).Collect()
		if err != nil {
			t.Fatal(err)
		}
		got := map[string][]imap.MailboxAttr{}
		for _, m := range list {
			got[m.Mailbox] = m.Attrs
		}
		if len(got) != 4 || len(got["Sent"]) != 1 || got["Sent"][0] != imap.MailboxAttrSent || got["Drafts"][0] != imap.MailboxAttrDrafts {
			t.Errorf("LIST: %v", got)
		}
	})
	t.Run("internal date and keywords", func(t *testing.T) {
		sel, err := c.Select("INBOX", nil).Wait()
		if err != nil {
			t.Fatal(err)
		}
		if !hasWildcard(sel.PermanentFlags) {
			t.Errorf("PERMANENTFLAGS %v lack \\*", sel.PermanentFlags)
		}
		bufs, err := c.Fetch(imap.UIDSetNum(uid), &imap.FetchOptions{InternalDate: true}).Collect()
		if err != nil || len(bufs) != 1 || !bufs[0].InternalDate.Equal(at) {
			t.Errorf("INTERNALDATE: %+v, %v", bufs, err)
		}
		s.NoKeywords.Store(true)
		sel, err = c.Select("INBOX", nil).Wait()
		if err != nil || hasWildcard(sel.PermanentFlags) {
			t.Errorf("with NoKeywords: %v, %v", sel.PermanentFlags, err)
		}
	})
	t.Run("recreate changes UIDVALIDITY", func(t *testing.T) {
		before, _ := c.Status("Review", &imap.StatusOptions{UIDValidity: true}).Wait()
		if err := u.RecreateFolder("Review"); err != nil {
			t.Fatal(err)
		}
		after, _ := c.Status("Review", &imap.StatusOptions{UIDValidity: true}).Wait()
		if before == nil || after == nil || before.UIDValidity == after.UIDValidity {
			t.Errorf("UIDVALIDITY %v -> %v", before, after)
		}
	})
}

func hasWildcard(flags []imap.Flag) bool {
	for _, f := range flags {
		if f == imap.FlagWildcard {
			return true
		}
	}
	return false
}

func TestSMTPSink(t *testing.T) {
	s, err := NewSMTPSink(SMTPOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	send := func(to string) error {
		c, err := smtp.Dial(s.Addr)
		if err != nil {
			return err
		}
		defer c.Close()
		return c.SendMail("shop@example.com", []string{to}, strings.NewReader("Subject: x\r\n\r\nbody\r\n"))
	}
	temporary := func(err error) bool {
		var se *smtp.SMTPError
		return errors.As(err, &se) && se.Temporary()
	}
	if err := send("a@example.com"); err != nil {
		t.Fatal(err)
	}
	s.Refuse("B@example.com")
	if err := send("b@example.com"); err == nil || temporary(err) {
		t.Errorf("refused recipient: %v", err)
	}
	s.Defer("c@example.com")
	if err := send("c@example.com"); !temporary(err) {
		t.Errorf("deferred recipient: %v", err)
	}
	s.Undefer("c@example.com")
	s.TempFail.Store(1)
	if err := send("c@example.com"); !temporary(err) {
		t.Errorf("temporary failure: %v", err)
	}
	s.Down.Store(true)
	if err := send("c@example.com"); !temporary(err) {
		t.Errorf("down: %v", err)
	}
	s.Down.Store(false)
	if err := send("c@example.com"); err != nil {
		t.Fatal(err)
	}
	msgs := s.Messages()
	if len(msgs) != 2 || msgs[1].To[0] != "c@example.com" || !bytes.Contains(msgs[0].Raw, []byte("body")) {
		t.Errorf("accepted: %+v", msgs)
	}
	if s.Attempts() != 6 {
		t.Errorf("%d attempts, want 6", s.Attempts())
	}
}
