package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/returnsdesk/returnsdesk/desk"
	"github.com/returnsdesk/returnsdesk/orders"
	"github.com/returnsdesk/returnsdesk/policy"
)

// BuildStores builds the desk's stores: the built-in policies, changed by the config's
// [[stores]] entries. ordersDir, when set, replaces every store's orders with
// ordersDir/<store>/ (replay --orders-dir).
func (c *Config) BuildStores(ordersDir string) ([]*desk.Store, error) {
	builtin, err := policy.Builtin()
	if err != nil {
		return nil, err
	}
	byID := map[string]*desk.Store{}
	var ids []string
	for _, p := range builtin {
		byID[p.ID] = &desk.Store{Policy: p}
		ids = append(ids, p.ID)
	}
	for i, sc := range c.Stores {
		key := fmt.Sprintf("stores[%d] (%s)", i, sc.ID)
		s, known := byID[sc.ID]
		if sc.Policy != "" {
			p, err := policy.Load(os.DirFS(filepath.Dir(sc.Policy)), filepath.Base(sc.Policy))
			if err != nil {
				return nil, fmt.Errorf("%s.policy %s: %w", key, sc.Policy, err)
			}
			if p.ID != sc.ID {
				return nil, fmt.Errorf("%s.policy: the file is for store %q", key, p.ID)
			}
			s = &desk.Store{Policy: p}
			if !known {
				ids = append(ids, sc.ID)
			}
			byID[sc.ID] = s
		} else if !known {
			return nil, fmt.Errorf("%s.id: no built-in store %q; give its policy file with policy = \"...\"", key, sc.ID)
		}
		if sc.Disabled {
			delete(byID, sc.ID)
			continue
		}
		if len(sc.Mailboxes) > 0 {
			s.Policy.Mailboxes = nil
			for _, m := range sc.Mailboxes {
				s.Policy.Mailboxes = append(s.Policy.Mailboxes, strings.ToLower(strings.TrimSpace(m)))
			}
			s.Policy.MailboxRequired = false
		}
		if len(sc.ReturnAddress) > 0 {
			s.Policy.Returns.Address = sc.ReturnAddress
			s.Policy.ExampleAddress = false
		}
		s.Staff, s.EscalateTo, s.AuthservID = sc.Staff, sc.EscalateTo, sc.AuthservID
		if sc.Orders != "" && ordersDir == "" {
			b, err := orders.LoadDir(os.DirFS(sc.Orders), ".", orders.InLocation(s.Policy.Location()))
			if err != nil {
				return nil, fmt.Errorf("%s.orders: %w", key, err)
			}
			s.Orders = b
		}
	}

	var out []*desk.Store
	owner := map[string]string{}
	for _, id := range ids {
		s, ok := byID[id]
		if !ok {
			continue
		}
		for _, m := range s.Policy.Mailboxes {
			if other, dup := owner[m]; dup {
				return nil, fmt.Errorf("stores: mailbox %s belongs to both %s and %s", m, other, id)
			}
			owner[m] = id
		}
		if ordersDir != "" {
			b, err := orders.LoadDir(os.DirFS(filepath.Join(ordersDir, id)), ".", orders.InLocation(s.Policy.Location()))
			if err != nil && !errors.Is(err, os.ErrNotExist) {
				return nil, fmt.Errorf("orders for %s: %w", id, err)
			}
			s.Orders = b
		}
		if s.Orders == nil && ordersDir == "" {
			b, err := orders.LoadDefault(id)
			if err != nil {
				return nil, fmt.Errorf("store %s has no orders: set stores.orders in the config (%w)", id, err)
			}
			s.Orders = b
		}
		out = append(out, s)
	}
	return out, nil
}

// ReadyToRun checks what only the daemon insists on: a real mailbox for stores whose
// policy publishes none, a real return address instead of the built-in example, and
// someone to read the escalations.
func ReadyToRun(c *Config, stores []*desk.Store) error {
	var problems []string
	for _, s := range stores {
		p := s.Policy
		if p.MailboxRequired {
			problems = append(problems, fmt.Sprintf("stores (%s).mailboxes: the %s policy publishes no support address; set the mailbox the store really uses", p.ID, p.Name))
		}
		if p.ExampleAddress {
			problems = append(problems, fmt.Sprintf("stores (%s).return_address: the built-in address is only an example; set the store's real return address", p.ID))
		}
		if s.EscalateTo == "" && len(s.Staff) == 0 {
			problems = append(problems, fmt.Sprintf("stores (%s).escalate_to: flagged threads would reach nobody; set escalate_to (or staff = [...]) to the address staff read", p.ID))
		}
		if sc := c.store(p.ID); sc == nil || len(sc.IMAP) == 0 {
			problems = append(problems, fmt.Sprintf("stores (%s).imap: no IMAP server for the store's mailbox (add [[stores.imap]], or disabled = true if you do not serve this store)", p.ID))
		}
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "\n"))
	}
	return nil
}

func (c *Config) store(id string) *Store {
	for i := range c.Stores {
		if c.Stores[i].ID == id {
			return &c.Stores[i]
		}
	}
	return nil
}
