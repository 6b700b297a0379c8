package localmail

import (
	"fmt"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// Delivery is one mail put into a folder over IMAP, received at At.
type Delivery struct {
	Raw []byte
	At  time.Time
}

// Append logs in to the IMAP server at addr (plain, loopback) and appends mails to
// folder over one connection, as another mail client would; it returns their UIDs
// (0 where the server has no UIDPLUS).
func Append(addr, user, password, folder string, mails ...Delivery) ([]imap.UID, error) {
	c, err := imapclient.DialInsecure(addr, nil)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	if err := c.Login(user, password).Wait(); err != nil {
		return nil, fmt.Errorf("login %s: %w", user, err)
	}
	uids := make([]imap.UID, 0, len(mails))
	for _, m := range mails {
		cmd := c.Append(folder, int64(len(m.Raw)), &imap.AppendOptions{Time: m.At})
		if _, err := cmd.Write(m.Raw); err != nil {
			return nil, err
		}
		if err := cmd.Close(); err != nil {
			return nil, err
		}
		data, err := cmd.Wait()
		if err != nil {
			return nil, fmt.Errorf("append to %s/%s: %w", user, folder, err)
		}
		uids = append(uids, data.UID)
	}
	return uids, c.Logout().Wait()
}
