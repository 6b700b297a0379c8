// Package config reads returnsdesk's TOML configuration: built-in defaults, then the
// file, then environment references, then validation. Every error names the key (and
// the line, where the TOML parser knows it). With no file at all the five built-in
// stores run on their embedded policies and sample orders.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// Config is the whole configuration.
type Config struct {
	// State is the SQLite database file, or a postgres:// address (state.IsPostgres).
	State string `toml:"state"`
	// LogLevel: debug, info, warn, error.
	LogLevel string `toml:"log_level"`
	// Templates is a directory of template overrides (see templates/).
	Templates string `toml:"templates"`

	Limits    Limits    `toml:"limits"`
	RateLimit RateLimit `toml:"rate_limit"`
	Jobs      Jobs      `toml:"jobs"`
	Daemon    Daemon    `toml:"daemon"`
	Health    Health    `toml:"health"`
	Cluster   Cluster   `toml:"cluster"`
	SMTP      SMTP      `toml:"smtp"`
	Stores    []Store   `toml:"stores"`
	// OAuth are the OAuth2 accounts mailboxes log in with (imap.oauth, smtp.oauth).
	OAuth []OAuth `toml:"oauth"`

	// dir is the directory of the config file; relative paths are resolved from it.
	dir string
}

// Limits bound what one mail may cost.
type Limits struct {
	MaxMessageBytes int64 `toml:"max_message_bytes"`
	MaxParts        int   `toml:"max_parts"`
	MaxDepth        int   `toml:"max_depth"`
	MaxHeaderBytes  int   `toml:"max_header_bytes"`
	// MemoryBytes is the daemon's soft memory limit (Go's runtime/debug.SetMemoryLimit):
	// past it the collector works harder instead of the process growing. 0: none.
	// GOMEMLIMIT in the environment wins.
	MemoryBytes int64 `toml:"memory_bytes"`
}

// RateLimit bounds automated replies per sender and store.
type RateLimit struct {
	Replies int      `toml:"replies"`
	Window  Duration `toml:"window"`
}

// Jobs configures the scheduled reminders and escalations.
type Jobs struct {
	Schedule          string   `toml:"schedule"` // cron spec, e.g. "*/15 * * * *"
	ShipReminderAfter Duration `toml:"ship_reminder_after"`
	InfoReminderAfter Duration `toml:"info_reminder_after"`
	StaffAfter        Duration `toml:"staff_after"`
	// DigestAt is the store-local time of day ("08:00") from which each store's staff
	// get the day's digest of open flagged threads; "" sends none.
	DigestAt string `toml:"digest_at"`
}

// Daemon configures mailbox polling.
type Daemon struct {
	PollInterval Duration `toml:"poll_interval"`
	MaxBackoff   Duration `toml:"max_backoff"`
	// FirstStartBacklog: on the first start on a mailbox, only mail received within
	// this long is answered; older mail is left to staff. 0 answers everything.
	FirstStartBacklog Duration `toml:"first_start_backlog"`
	ProcessedFlag     string   `toml:"processed_keyword"`
	FlaggedKeyword    string   `toml:"flagged_keyword"`
}

// OAuth is an OAuth2 account: an application registered with the provider, whose
// refresh token `returnsdesk login` obtains once and the daemon keeps fresh.
type OAuth struct {
	Name     string `toml:"name"`
	Provider string `toml:"provider"` // "microsoft", "google" or "generic"
	// Tenant (microsoft): "consumers" for outlook.com, "organizations", or a tenant id.
	Tenant       string `toml:"tenant"`
	ClientID     string `toml:"client_id"`
	ClientSecret Secret `toml:"client_secret"` // empty for public clients (device code, PKCE)
	// Generic providers: an issuer with OpenID discovery, or the endpoints themselves.
	Issuer    string   `toml:"issuer"`
	AuthURL   string   `toml:"auth_url"`
	TokenURL  string   `toml:"token_url"`
	DeviceURL string   `toml:"device_url"`
	Scopes    []string `toml:"scopes"` // the provider's mail scopes when empty
	// Flow `login` uses: "device" (a code typed on another device) or "browser" (a
	// loopback redirect); the provider's usual one when empty.
	Flow string `toml:"flow"`
}

// Health says when the daemon counts as unhealthy (run --listen serves /healthz).
type Health struct {
	// MaxSyncAge: a mailbox not read successfully for this long is unhealthy.
	MaxSyncAge Duration `toml:"max_sync_age"`
	// MaxOutboxAge: a mail waiting in the outbox this long is a stuck outbox.
	MaxOutboxAge Duration `toml:"max_outbox_age"`
}

// Cluster configures several daemons sharing one PostgreSQL state.
type Cluster struct {
	// LeaseSeconds is how long a daemon's hold on a mailbox (and on the scheduled
	// jobs) lasts unrenewed: it renews every third of it, and another daemon takes
	// the mailbox over this long after the holder stopped renewing (killed, cut off).
	LeaseSeconds int `toml:"lease_seconds"`
}

// SMTP is the outgoing mail server; a store may override it.
type SMTP struct {
	Host     string `toml:"host"`
	Port     int    `toml:"port"`
	Security string `toml:"security"` // "starttls", "tls" or "none" (loopback only)
	Auth     string `toml:"auth"`     // "plain", "login", "xoauth2", "oauthbearer" or "none"
	Username string `toml:"username"`
	Password Secret `toml:"password"`
	OAuth    string `toml:"oauth"` // the [[oauth]] account whose tokens log in (xoauth2, oauthbearer)
}

// IMAP is the server of one store mailbox.
type IMAP struct {
	Address  string `toml:"address"` // which of the store's mailboxes this is; the first when empty
	Host     string `toml:"host"`
	Port     int    `toml:"port"`
	Security string `toml:"security"` // "tls", "starttls" or "none" (loopback only)
	Auth     string `toml:"auth"`     // "login", "plain", "xoauth2" or "oauthbearer"
	Username string `toml:"username"`
	Password Secret `toml:"password"` // the password; for xoauth2 without oauth, a fixed access token
	OAuth    string `toml:"oauth"`    // the [[oauth]] account whose tokens log in (xoauth2, oauthbearer)
	Folder   string `toml:"folder"`   // the folder watched, INBOX by default
	Sent     string `toml:"sent"`     // where replies are copied; found by SPECIAL-USE when empty
	Drafts   string `toml:"drafts"`   // where draft-mode replies go; found by SPECIAL-USE when empty
	Review   string `toml:"review"`   // flagged threads are moved here when set
}

// Store configures one store. Only id is required; everything else overrides the
// built-in policy of that id, or, with policy = "file.toml", a whole new store.
type Store struct {
	ID            string   `toml:"id"`
	Policy        string   `toml:"policy"`
	Mailboxes     []string `toml:"mailboxes"`
	ReturnAddress []string `toml:"return_address"`
	Orders        string   `toml:"orders"` // directory with orders_export.csv and products_export.csv
	Mode          string   `toml:"mode"`   // "send" or "draft"
	Staff         []string `toml:"staff"`
	EscalateTo    string   `toml:"escalate_to"`
	AuthservID    string   `toml:"authserv_id"` // whose Authentication-Results staff mail must pass
	Disabled      bool     `toml:"disabled"`
	IMAP          []IMAP   `toml:"imap"`
	SMTP          *SMTP    `toml:"smtp"`
}

// Duration is a time.Duration written as "90s", "24h", "7d" in TOML.
type Duration struct{ time.Duration }

// maxDays keeps a day count from overflowing time.Duration.
const maxDays = int(math.MaxInt64 / int64(24*time.Hour))

// UnmarshalText accepts Go durations plus a "d" suffix for whole days.
func (d *Duration) UnmarshalText(b []byte) error {
	s := strings.TrimSpace(string(b))
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 || n > maxDays {
			return fmt.Errorf("%q is not a duration (whole days: \"7d\")", s)
		}
		d.Duration = time.Duration(n) * 24 * time.Hour
		return nil
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("%q is not a duration (use e.g. \"90s\", \"24h\", \"7d\")", s)
	}
	d.Duration = v
	return nil
}

// Secret is a credential: written as is, or as "env:NAME" to read the environment, or
// "file:/path" to read a file (trailing newline removed). It never prints itself.
type Secret struct {
	Value string
	ref   string
}

// UnmarshalText keeps the reference; Resolve reads it.
func (s *Secret) UnmarshalText(b []byte) error {
	s.ref = string(b)
	return nil
}

func (s Secret) String() string { return "[secret]" }

// resolve reads an env: or file: reference.
func (s *Secret) resolve(dir string) error {
	switch {
	case strings.HasPrefix(s.ref, "env:"):
		name := strings.TrimPrefix(s.ref, "env:")
		v, ok := os.LookupEnv(name)
		if !ok {
			return fmt.Errorf("environment variable %s is not set", name)
		}
		s.Value = v
	case strings.HasPrefix(s.ref, "file:"):
		b, err := readSecretFile(resolvePath(dir, strings.TrimPrefix(s.ref, "file:")))
		if err != nil {
			return err
		}
		s.Value = strings.TrimRight(string(b), "\r\n")
	default:
		s.Value = s.ref
	}
	return nil
}

// maxSecretBytes bounds a secret file: a password or token, not a device or a pipe
// that never ends.
const maxSecretBytes = 64 << 10

func readSecretFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info, err := f.Stat(); err == nil && !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	b, err := io.ReadAll(io.LimitReader(f, maxSecretBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxSecretBytes {
		return nil, fmt.Errorf("%s is larger than %d bytes: not a secret", path, maxSecretBytes)
	}
	return b, nil
}

// Default is the configuration used when no file is given.
func Default() *Config {
	return &Config{
		State:    "returnsdesk.db",
		LogLevel: "info",
		Limits: Limits{
			MaxMessageBytes: 25 << 20,
			MaxParts:        200,
			MaxDepth:        10,
			MaxHeaderBytes:  256 << 10,
			MemoryBytes:     56 << 20,
		},
		RateLimit: RateLimit{Replies: 3, Window: Duration{24 * time.Hour}},
		Jobs: Jobs{
			Schedule:          "*/15 * * * *",
			ShipReminderAfter: Duration{7 * 24 * time.Hour},
			InfoReminderAfter: Duration{3 * 24 * time.Hour},
			StaffAfter:        Duration{24 * time.Hour},
			DigestAt:          "08:00",
		},
		Daemon: Daemon{
			PollInterval:      Duration{time.Minute},
			FirstStartBacklog: Duration{72 * time.Hour},
			MaxBackoff:        Duration{5 * time.Minute},
			ProcessedFlag:     "$ReturnsdeskDone",
			FlaggedKeyword:    "$ReturnsdeskReview",
		},
		Health:  Health{MaxSyncAge: Duration{10 * time.Minute}, MaxOutboxAge: Duration{15 * time.Minute}},
		Cluster: Cluster{LeaseSeconds: 30},
		SMTP:    SMTP{Port: 587, Security: "starttls", Auth: "plain"},
	}
}

// Load reads a config file over the defaults and validates it.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	cfg, err := Parse(data, path)
	if err != nil {
		return nil, err
	}
	return cfg, nil
}

// Parse reads config text; name is used in errors and to resolve relative paths.
func Parse(data []byte, name string) (*Config, error) {
	cfg := Default()
	cfg.dir = filepath.Dir(name)
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(cfg)
	if err != nil {
		var perr toml.ParseError
		if errors.As(err, &perr) {
			return nil, fmt.Errorf("%s: line %d: %s%s", name, perr.Position.Line, keyPrefix(perr.LastKey), perr.Message)
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if undec := md.Undecoded(); len(undec) > 0 {
		return nil, fmt.Errorf("%s: unknown key %q", name, undec[0].String())
	}
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return cfg, nil
}

// Path resolves a path from the config file's directory.
func (c *Config) Path(p string) string { return resolvePath(c.dir, p) }

func resolvePath(dir, p string) string {
	if p == "" || filepath.IsAbs(p) || dir == "" {
		return p
	}
	return filepath.Join(dir, p)
}

// keyPrefix names the key a TOML error is about, when the parser knows it.
func keyPrefix(key string) string {
	if key == "" {
		return ""
	}
	return key + ": "
}
