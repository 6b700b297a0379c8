package mailbox

import (
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// imapMessage is one message as a mail client would see it.
type imapMessage struct {
	uid       imap.UID
	flags     []imap.Flag
	messageID string
	raw       []byte
}

func (m imapMessage) has(flag string) bool { return hasFlag(m.flags, flag) }

// folderContents reads a folder with a real client (EXAMINE: nothing changes).
func folderContents(t *testing.T, addr, user, password, folder string) ([]imapMessage, error) {
	t.Helper()
	c, err := imapclient.DialInsecure(addr, nil)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	if err := c.Login(user, password).Wait(); err != nil {
		return nil, err
	}
	sel, err := c.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		return nil, err
	}
	if sel.NumMessages == 0 {
		return nil, nil
	}
	bufs, err := c.Fetch(imap.SeqSet{{Start: 1, Stop: 0}}, &imap.FetchOptions{UID: true, Flags: true,
		BodySection: []*imap.FetchItemBodySection{{Peek: true}}}).Collect()
	if err != nil {
		return nil, err
	}
	var out []imapMessage
	for _, b := range bufs {
		m := imapMessage{uid: b.UID, flags: b.Flags}
		if len(b.BodySection) > 0 {
			m.raw = b.BodySection[0].Bytes
		}
		m.messageID = headerOf(m.raw, "Message-Id")
		out = append(out, m)
	}
	c.Logout().Wait()
	return out, nil
}
