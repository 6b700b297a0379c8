package config

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestExampleConfig: the documented example parses, and once its secrets exist it is
// ready to run.
func TestExampleConfig(t *testing.T) {
	for _, v := range []string{"LUXNOME_IMAP_PASSWORD", "ALINORA_OAUTH_TOKEN", "ALINORA_139_PASSWORD"} {
		t.Setenv(v, "secret")
	}
	dir := t.TempDir()
	data, err := os.ReadFile(filepath.Join("..", "config.example.toml"))
	if err != nil {
		t.Fatal(err)
	}
	// The example points at order exports that exist only on a store's machine.
	text := strings.ReplaceAll(string(data), `orders = "orders/`, `# orders = "orders/`)
	path := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	stores, err := cfg.BuildStores("")
	if err != nil {
		t.Fatal(err)
	}
	if len(stores) != 2 {
		t.Fatalf("%d stores enabled, want 2 (luxnome, alinora)", len(stores))
	}
	if err := ReadyToRun(cfg, stores); err != nil {
		t.Fatalf("example not ready to run: %v", err)
	}
	if got := cfg.Stores[0].IMAP[0].Password.Value; got != "secret" {
		t.Errorf("env: password not resolved: %q", got)
	}
}

// TestConfigErrorsNameTheKey: every mistake is reported with the key that is wrong.
func TestConfigErrorsNameTheKey(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"log_level = \"loud\"", "log_level"},
		{"[limits]\nmax_parts = 0", "limits.max_parts"},
		{"[limits]\nmemory_bytes = 1024", "limits.memory_bytes"},
		{"[rate_limit]\nwindow = \"soon\"", "window"},
		{"[rate_limit]\nwindow = \"1.5d\"", "window"},
		{"[rate_limit]\nwindow = \"3 d\"", "window"},
		{"[rate_limit]\nwindow = \"99999999999d\"", "window"},
		{"[smtp]\npassword = \"file:/dev/zero\"", "smtp.password"},
		{"[jobs]\nschedule = \"every day\"", "jobs.schedule"},
		{"[cluster]\nlease_seconds = 0", "cluster.lease_seconds"},
		{"[cluster]\nlease_seconds = 1", "cluster.lease_seconds"},
		{"[cluster]\nlease_seconds = 86400", "cluster.lease_seconds"},
		{"[cluster]\nlease_seconds = \"30s\"", "cluster.lease_seconds"},
		{"[smtp]\nsecurity = \"ssl\"", "smtp.security"},
		{"[[stores]]\nid = \"lumina\"\nmode = \"auto\"", "stores[0] (lumina).mode"},
		{"[[stores]]\nid = \"lumina\"\nstaff = [\"not an address\"]", "stores[0] (lumina).staff[0]"},
		{"[[stores]]\nid = \"lumina\"\n[[stores.imap]]\nhost = \"h\"\nusername = \"u\"\nsecurity = \"ssl\"", "stores[0] (lumina).imap[0].security"},
		{"[[stores]]\nid = \"lumina\"\n[[stores.imap]]\nhost = \"h\"\nusername = \"u\"\npassword = \"env:RETURNSDESK_SURELY_UNSET\"", "stores[0] (lumina).imap[0].password"},
		{"[[stores]]\nid = \"lumina\"\ncolour = \"red\"", "stores.colour"},
		{"state = ", "line 1"},
	} {
		_, err := Parse([]byte(tc.text), "test.toml")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want it to name %q", tc.text, err, tc.want)
		}
	}
}

// TestUnknownStoreNeedsPolicy: a store that is not built in must bring its policy.
func TestUnknownStoreNeedsPolicy(t *testing.T) {
	cfg, err := Parse([]byte("[[stores]]\nid = \"newshop\"\n"), "test.toml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cfg.BuildStores(""); err == nil || !strings.Contains(err.Error(), "policy") {
		t.Fatalf("err = %v, want a request for the policy file", err)
	}
}

// TestStateSetting: a state file is resolved from the config's directory; a
// postgres:// address is kept as written, and may not hold its password (the
// setting shows in logs and /healthz).
func TestStateSetting(t *testing.T) {
	dir := t.TempDir()
	load := func(state string) (*Config, error) {
		path := filepath.Join(dir, "config.toml")
		if err := os.WriteFile(path, []byte("state = "+strconv.Quote(state)+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return Load(path)
	}
	for _, c := range []struct{ state, want string }{
		{"returnsdesk.db", filepath.Join(dir, "returnsdesk.db")},
		{"/var/lib/returnsdesk/returnsdesk.db", "/var/lib/returnsdesk/returnsdesk.db"},
		{"postgres://returnsdesk@db.example:5432/returnsdesk?search_path=shop", "postgres://returnsdesk@db.example:5432/returnsdesk?search_path=shop"},
		{"postgresql://returnsdesk@/returnsdesk?host=/run/postgresql", "postgresql://returnsdesk@/returnsdesk?host=/run/postgresql"},
	} {
		cfg, err := load(c.state)
		if err != nil {
			t.Errorf("state %q: %v", c.state, err)
			continue
		}
		if cfg.State != c.want {
			t.Errorf("state %q became %q, want %q", c.state, cfg.State, c.want)
		}
	}
	for _, bad := range []string{"postgres://returnsdesk:hunter2@db.example/returnsdesk", "postgres://db.example:port/x%zz"} {
		_, err := load(bad)
		if err == nil || !strings.Contains(err.Error(), "config.toml: state: ") {
			t.Errorf("state %q: error %v, want one naming state", bad, err)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("the error shows the password: %v", err)
		}
	}
}
