package mailbox

import (
	"fmt"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// specialFolder finds the folder marked attr (\Sent, \Drafts) with LIST RETURN
// (SPECIAL-USE), or plain LIST where the server lacks the extension (many servers
// still show the attributes). An empty name means there is none.
func (d *Daemon) specialFolder(c *imapclient.Client, attr imap.MailboxAttr) (string, error) {
	var opts *imap.ListOptions
	if caps := c.Caps(); caps.Has(imap.CapSpecialUse) || caps.Has(imap.CapListExtended) {
		opts = &imap.ListOptions{ReturnSpecialUse: true}
	}
	list, err := guard(c, d.timing.op, c.List("", "*", opts).Collect)
	if err != nil {
		return "", fmt.Errorf("list folders: %w", err)
	}
	for _, m := range list {
		for _, a := range m.Attrs {
			if strings.EqualFold(string(a), string(attr)) {
				return m.Mailbox, nil
			}
		}
	}
	return "", nil
}

// appendMessage stores raw in folder with flags. The size is known up front, as
// APPEND needs it.
func (d *Daemon) appendMessage(c *imapclient.Client, folder string, raw []byte, flags []imap.Flag, at time.Time) error {
	cmd, err := d.startAppend(c, folder, raw, flags, at)
	if err != nil {
		return err
	}
	return guardErr(c, d.timing.op, func() error {
		if _, err := cmd.Wait(); err != nil {
			return fmt.Errorf("append to %s: %w", folder, err)
		}
		return nil
	})
}

// startAppend sends an APPEND with its message and leaves the answer to be read
// (cmd.Wait), so that several can be in flight on one connection.
func (d *Daemon) startAppend(c *imapclient.Client, folder string, raw []byte, flags []imap.Flag, at time.Time) (*imapclient.AppendCommand, error) {
	var cmd *imapclient.AppendCommand
	err := guardErr(c, d.timing.op, func() error {
		cmd = c.Append(folder, int64(len(raw)), &imap.AppendOptions{Flags: flags, Time: at})
		if _, err := cmd.Write(raw); err != nil {
			cmd.Close()
			return fmt.Errorf("append to %s: %w", folder, err)
		}
		if err := cmd.Close(); err != nil {
			return fmt.Errorf("append to %s: %w", folder, err)
		}
		return nil
	})
	return cmd, err
}
