package config

import (
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/returnsdesk/returnsdesk/state"
)

func oneOf(key, val string, allowed ...string) error {
	if !slices.Contains(allowed, val) {
		return fmt.Errorf("%s: %q is not one of %s", key, val, strings.Join(allowed, ", "))
	}
	return nil
}

// validate checks every key and resolves secrets; the first problem is returned with
// its key.
// The bounds of cluster.lease_seconds: a lease is renewed every third of it, so
// under 2 s a slow database round trip loses it; over an hour a dead daemon's
// mailboxes wait that long for another to take them over.
const (
	minLeaseSeconds = 2
	maxLeaseSeconds = 3600
)

func (c *Config) validate() error {
	if err := oneOf("log_level", c.LogLevel, "debug", "info", "warn", "error"); err != nil {
		return err
	}
	if err := validateState(c.State); err != nil {
		return err
	}
	l := c.Limits
	for key, v := range map[string]int64{"limits.max_message_bytes": l.MaxMessageBytes, "limits.max_parts": int64(l.MaxParts),
		"limits.max_depth": int64(l.MaxDepth), "limits.max_header_bytes": int64(l.MaxHeaderBytes)} {
		if v <= 0 {
			return fmt.Errorf("%s: must be positive, is %d", key, v)
		}
	}
	if l.MemoryBytes != 0 && l.MemoryBytes < minMemoryBytes {
		return fmt.Errorf("limits.memory_bytes: must be 0 (no limit) or at least %d (%d MiB), is %d", int64(minMemoryBytes), minMemoryBytes>>20, l.MemoryBytes)
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
	if n := c.Cluster.LeaseSeconds; n < minLeaseSeconds || n > maxLeaseSeconds {
		return fmt.Errorf("cluster.lease_seconds: must be from %d to %d seconds, is %d", minLeaseSeconds, maxLeaseSeconds, n)
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
	accounts := map[string]bool{}
	for i := range c.OAuth {
		o := &c.OAuth[i]
		key := fmt.Sprintf("oauth[%d]", i)
		if err := o.validate(key); err != nil {
			return err
		}
		if accounts[o.Name] {
			return fmt.Errorf("%s.name: %q appears twice", key, o.Name)
		}
		accounts[o.Name] = true
		if err := o.ClientSecret.resolve(c.dir); err != nil {
			return fmt.Errorf("%s.client_secret: %v", key, err)
		}
	}
	oauthOf := func(key, auth, account string) error {
		switch {
		case account != "" && !accounts[account]:
			return fmt.Errorf("%s.oauth: no [[oauth]] account named %q", key, account)
		case account != "" && auth != "xoauth2" && auth != "oauthbearer":
			return fmt.Errorf("%s.auth: %q does not use OAuth2 tokens; with oauth = %q it must be \"xoauth2\" or \"oauthbearer\"", key, auth, account)
		case account == "" && auth == "oauthbearer":
			return fmt.Errorf("%s.oauth: auth = \"oauthbearer\" needs an [[oauth]] account", key)
		}
		return nil
	}
	if err := c.SMTP.validate("smtp"); err != nil {
		return err
	}
	if err := oauthOf("smtp", c.SMTP.Auth, c.SMTP.OAuth); err != nil {
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
			if err := oauthOf(ikey, orDefault(m.Auth, "login"), m.OAuth); err != nil {
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
			if err := oauthOf(key+".smtp", s.SMTP.Auth, s.SMTP.OAuth); err != nil {
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
	if !state.IsPostgres(c.State) {
		c.State = c.Path(c.State) // an address is no path to resolve
	}
	return nil
}

// validateState checks the state setting: a SQLite file, or a postgres:// address.
// The setting shows in logs and in /healthz, so an address must not hold the
// password: the driver reads it from PGPASSWORD or a ~/.pgpass file.
func validateState(s string) error {
	if s == "" {
		return fmt.Errorf("state: empty (give a database file, \":memory:\" or a postgres:// address)")
	}
	if !state.IsPostgres(s) {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the url.Error repeats the address, password and all
		}
		return fmt.Errorf("state: not a valid postgres:// address: %v", err)
	}
	if _, ok := u.User.Password(); ok {
		return fmt.Errorf("state: the address holds a password, which would show in logs and /healthz; give it in PGPASSWORD or a ~/.pgpass file instead")
	}
	return nil
}

func (s *SMTP) validate(key string) error {
	if err := oneOf(key+".security", s.Security, "starttls", "tls", "none"); err != nil {
		return err
	}
	if err := oneOf(key+".auth", s.Auth, "plain", "login", "xoauth2", "oauthbearer", "none"); err != nil {
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
	if err := oneOf(key+".auth", orDefault(m.Auth, "login"), "login", "plain", "xoauth2", "oauthbearer"); err != nil {
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

func (o *OAuth) validate(key string) error {
	if o.Name == "" {
		return fmt.Errorf("%s.name: missing", key)
	}
	key = fmt.Sprintf("%s (%s)", key, o.Name)
	if err := oneOf(key+".provider", o.Provider, "microsoft", "google", "generic"); err != nil {
		return err
	}
	if o.ClientID == "" {
		return fmt.Errorf("%s.client_id: missing (the application registered with the provider)", key)
	}
	if o.Provider == "generic" && o.Issuer == "" && o.TokenURL == "" {
		return fmt.Errorf("%s.issuer: a generic provider needs issuer (OpenID discovery) or token_url", key)
	}
	if o.Flow != "" {
		if err := oneOf(key+".flow", o.Flow, "device", "browser"); err != nil {
			return err
		}
	}
	for _, u := range []struct{ name, v string }{{"issuer", o.Issuer}, {"auth_url", o.AuthURL}, {"token_url", o.TokenURL}, {"device_url", o.DeviceURL}} {
		if u.v != "" && !strings.HasPrefix(u.v, "https://") && !strings.HasPrefix(u.v, "http://127.0.0.1") && !strings.HasPrefix(u.v, "http://localhost") {
			return fmt.Errorf("%s.%s: %q must be https (plain http only on loopback)", key, u.name, u.v)
		}
	}
	return nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// minMemoryBytes is the least soft memory limit that leaves room for the mail bodies
// the workers may hold at once and the runtime itself.
const minMemoryBytes = 48 << 20
