package mailbox

import (
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/returnsdesk/returnsdesk/config"
	"github.com/returnsdesk/returnsdesk/desk"
)

// Delivery modes of a store (config stores[].mode).
const (
	modeSend  = "send"  // replies go out over SMTP and are copied to Sent
	modeDraft = "draft" // replies are placed in Drafts for a person to send
)

// account is one watched store mailbox: the IMAP folder a worker owns.
type account struct {
	store   string // store id
	address string // the store mailbox (lower-case), as the desk knows it
	imap    config.IMAP
	folder  string
	// key names the folder's cursor in the state.
	key string
}

// delivery is how a store's outgoing mail leaves.
type delivery struct {
	mode string
	smtp config.SMTP
}

// accountsFrom lists the configured IMAP accounts of the stores the desk answers for,
// and how each store delivers.
func accountsFrom(cfg *config.Config, stores []*desk.Store) ([]*account, map[string]delivery, error) {
	known := map[string]*desk.Store{}
	for _, s := range stores {
		known[s.ID()] = s
	}
	var accounts []*account
	deliveries := map[string]delivery{}
	for _, s := range stores {
		deliveries[s.ID()] = delivery{mode: modeSend, smtp: cfg.SMTP}
	}
	seen := map[string]string{}
	for i, sc := range cfg.Stores {
		s, ok := known[sc.ID]
		if !ok {
			continue // disabled, or not a store of this desk
		}
		key := fmt.Sprintf("stores[%d] (%s)", i, sc.ID)
		dl := delivery{mode: modeSend, smtp: cfg.SMTP}
		if sc.Mode != "" {
			dl.mode = sc.Mode
		}
		if sc.SMTP != nil {
			dl.smtp = *sc.SMTP
		}
		if dl.mode != modeSend && dl.mode != modeDraft {
			return nil, nil, fmt.Errorf("%s.mode: %q is not one of send, draft", key, dl.mode)
		}
		if dl.mode == modeSend {
			if err := checkSMTP(key+".smtp", dl.smtp); err != nil {
				return nil, nil, err
			}
		}
		deliveries[sc.ID] = dl
		for j, m := range sc.IMAP {
			ikey := fmt.Sprintf("%s.imap[%d]", key, j)
			a := &account{store: sc.ID, imap: m, folder: m.Folder}
			a.address = strings.ToLower(strings.TrimSpace(m.Address))
			if a.address == "" && len(s.Policy.Mailboxes) > 0 {
				a.address = s.Policy.Mailboxes[0]
			}
			if !s.Policy.HasMailbox(a.address) {
				return nil, nil, fmt.Errorf("%s.address: %q is not one of the store's mailboxes (%s)", ikey, a.address,
					strings.Join(s.Policy.Mailboxes, ", "))
			}
			if a.folder == "" {
				a.folder = "INBOX"
			}
			if err := checkIMAP(ikey, m); err != nil {
				return nil, nil, err
			}
			a.key = a.store + "/" + a.address + "/" + a.folder
			if other, dup := seen[a.key]; dup {
				return nil, nil, fmt.Errorf("%s: watches the same folder as %s", ikey, other)
			}
			seen[a.key] = ikey
			accounts = append(accounts, a)
		}
	}
	return accounts, deliveries, nil
}

// checkIMAP refuses what the config package cannot know is unsafe: a password sent
// in clear text over a network.
func checkIMAP(key string, m config.IMAP) error {
	if m.Host == "" {
		return fmt.Errorf("%s.host: missing", key)
	}
	if m.Security == "none" && !isLoopback(m.Host) {
		return fmt.Errorf("%s.security: \"none\" would send the password in clear text to %s; it is only allowed for a loopback host (use \"tls\" or \"starttls\")", key, m.Host)
	}
	return nil
}

func checkSMTP(key string, s config.SMTP) error {
	if s.Host == "" {
		return fmt.Errorf("%s.host: missing (the store sends its replies: set smtp.host, or mode = \"draft\")", key)
	}
	if s.Security == "none" && !isLoopback(s.Host) {
		return fmt.Errorf("%s.security: \"none\" would send mail and password in clear text to %s; it is only allowed for a loopback host (use \"tls\" or \"starttls\")", key, s.Host)
	}
	return nil
}

// isLoopback reports whether host names this machine without leaving it.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// hostPort joins a host and a port, using def when port is 0.
func hostPort(host string, port, def int) string {
	if port == 0 {
		port = def
	}
	return net.JoinHostPort(host, strconv.Itoa(port))
}

// accountFor finds the IMAP account of the mailbox a mail is sent from: the exact
// mailbox, else the store's first account; nil when the store has none.
func accountFor(accounts []*account, store, mailbox string) *account {
	var first *account
	for _, a := range accounts {
		if a.store != store {
			continue
		}
		if strings.EqualFold(a.address, mailbox) {
			return a
		}
		if first == nil {
			first = a
		}
	}
	return first
}

// Mailbox is one watched folder as `status` shows it.
type Mailbox struct {
	Store, Address, Folder string
	// Key names the folder's cursor and sync record in the state.
	Key string
}

// Mailboxes lists the folders a daemon on cfg watches.
func Mailboxes(cfg *config.Config, stores []*desk.Store) ([]Mailbox, error) {
	accounts, _, err := accountsFrom(cfg, stores)
	if err != nil {
		return nil, err
	}
	out := make([]Mailbox, 0, len(accounts))
	for _, a := range accounts {
		out = append(out, Mailbox{Store: a.store, Address: a.address, Folder: a.folder, Key: a.key})
	}
	return out, nil
}
