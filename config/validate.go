package config

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

func oneOf(key, val string, allowed ...string) error {
	if !slices.Contains(allowed, val) {
		return fmt.Errorf("%s: %q is not one of %s", key, val, strings.Join(allowed, ", "))
	}
	return nil
}

// validate checks every key and resolves secrets; the first problem is returned with
// its key.
func (c *Config) validate() error {
	if err := oneOf("log_level", c.LogLevel, "debug", "info", "warn", "error"); err != nil {
		return err
	}
	if c.State == "" {
		return fmt.Errorf("state: empty (give a database file, or \":memory:\")")
	}
	l := c.Limits
	for key, v := range map[string]int64{"limits.max_message_bytes": l.MaxMessageBytes, "limits.max_parts": int64(l.MaxParts),
		"limits.max_depth": int64(l.MaxDepth), "limits.max_header_bytes": int64(l.MaxHeaderBytes)} {
		if v <= 0 {
			return fmt.Errorf("%s: must be positive, is %d", key, v)
		}
	}
	if c.RateLimit.Replies < 1 {
		return fmt.Errorf("rate_limit.replies: must be at least 1, is %d", c.RateLimit.Replies)
	}
	for key, d := range map[string]Duration{"rate_limit.window": c.RateLimit.Window, "jobs.ship_reminder_after": c.Jobs.ShipReminderAfter,
		"jobs.info_reminder_after": c.Jobs.InfoReminderAfter, "jobs.staff_after": c.Jobs.StaffAfter,
		"daemon.poll_interval": c.Daemon.PollInterval, "daemon.max_backoff": c.Daemon.MaxBackoff,
		"health.max_sync_age": c.Health.MaxSyncAge, "health.max_outbox_age": c.Health.MaxOutboxAge} {
		if d.Duration <= 0 {
			return fmt.Errorf("%s: must be a positive duration", key)
		}
	}
	if c.Daemon.FirstStartBacklog.Duration < 0 {
		return fmt.Errorf("daemon.first_start_backlog: must not be negative")
	}
	if d := c.Jobs.DigestAt; d != "" {
		if _, err := time.Parse("15:04", d); err != nil {
			return fmt.Errorf("jobs.digest_at: %q is not a time of day like \"08:00\" (empty sends no digest)", d)
		}
	}
	if _, err := cron.ParseStandard(c.Jobs.Schedule); err != nil {
		return fmt.Errorf("jobs.schedule: %q: %v", c.Jobs.Schedule, err)
	}
	if err := c.SMTP.validate("smtp"); err != nil {
		return err
	}
	seen := map[string]bool{}
	for i, s := range c.Stores {
		key := fmt.Sprintf("stores[%d]", i)
		if s.ID == "" {
			return fmt.Errorf("%s.id: missing", key)
		}
		key = fmt.Sprintf("stores[%d] (%s)", i, s.ID)
		if seen[s.ID] {
			return fmt.Errorf("%s.id: %q appears twice", key, s.ID)
		}
		seen[s.ID] = true
		if err := oneOf(key+".mode", orDefault(s.Mode, "send"), "send", "draft"); err != nil {
			return err
		}
		for j, m := range s.Mailboxes {
			if _, err := mail.ParseAddress(m); err != nil {
				return fmt.Errorf("%s.mailboxes[%d]: %q is not an address", key, j, m)
			}
		}
		for j, m := range s.Staff {
			if _, err := mail.ParseAddress(m); err != nil {
				return fmt.Errorf("%s.staff[%d]: %q is not an address", key, j, m)
			}
		}
		if s.EscalateTo != "" {
			if _, err := mail.ParseAddress(s.EscalateTo); err != nil {
				return fmt.Errorf("%s.escalate_to: %q is not an address", key, s.EscalateTo)
			}
		}
		for j := range s.IMAP {
			m := &c.Stores[i].IMAP[j]
			ikey := fmt.Sprintf("%s.imap[%d]", key, j)
			if err := m.validate(ikey); err != nil {
				return err
			}
			if err := m.Password.resolve(c.dir); err != nil {
				return fmt.Errorf("%s.password: %v", ikey, err)
			}
		}
		if s.SMTP != nil {
			if err := s.SMTP.validate(key + ".smtp"); err != nil {
				return err
			}
			if err := c.Stores[i].SMTP.Password.resolve(c.dir); err != nil {
				return fmt.Errorf("%s.smtp.password: %v", key, err)
			}
		}
		c.Stores[i].Policy = c.Path(s.Policy)
		c.Stores[i].Orders = c.Path(s.Orders)
	}
	if err := c.SMTP.Password.resolve(c.dir); err != nil {
		return fmt.Errorf("smtp.password: %v", err)
	}
	c.Templates = c.Path(c.Templates)
	c.State = c.Path(c.State)
	return nil
}

func (s *SMTP) validate(key string) error {
	if err := oneOf(key+".security", s.Security, "starttls", "tls", "none"); err != nil {
		return err
	}
	if err := oneOf(key+".auth", s.Auth, "plain", "login", "xoauth2", "none"); err != nil {
		return err
	}
	if s.Port < 0 || s.Port > 65535 {
		return fmt.Errorf("%s.port: %d is not a port", key, s.Port)
	}
	return nil
}

func (m *IMAP) validate(key string) error {
	if m.Address != "" {
		if _, err := mail.ParseAddress(m.Address); err != nil {
			return fmt.Errorf("%s.address: %q is not an address", key, m.Address)
		}
	}
	if m.Host == "" {
		return fmt.Errorf("%s.host: missing", key)
	}
	if err := oneOf(key+".security", orDefault(m.Security, "tls"), "tls", "starttls", "none"); err != nil {
		return err
	}
	if err := oneOf(key+".auth", orDefault(m.Auth, "login"), "login", "plain", "xoauth2"); err != nil {
		return err
	}
	if m.Port < 0 || m.Port > 65535 {
		return fmt.Errorf("%s.port: %d is not a port", key, m.Port)
	}
	if m.Username == "" {
		return fmt.Errorf("%s.username: missing", key)
	}
	return nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
