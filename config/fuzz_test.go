package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

// fuzzName is the file name Parse is given; every error must start with it.
const fuzzName = "fuzz.toml"

// FuzzParse: whatever the text, Parse never panics; when it refuses the text, the
// error names the file and says something after it (a key, a line, a reason), and
// when it accepts it, the configuration keeps the invariants validation promises.
//
//	go test ./config -run '^$' -fuzz FuzzParse -fuzztime 60s
func FuzzParse(f *testing.F) {
	example, err := os.ReadFile(filepath.Join("..", "config.example.toml"))
	if err != nil {
		f.Fatalf("read the example configuration: %v", err)
	}
	// The example's secrets, so that it and its variants get past secret resolution.
	for _, v := range []string{"LUXNOME_IMAP_PASSWORD", "ALINORA_OAUTH_TOKEN", "ALINORA_139_PASSWORD"} {
		f.Setenv(v, "secret")
	}
	text := string(example)
	f.Add(example)
	for _, broken := range []string{
		text[:len(text)/2], // cut off mid-file
		strings.Replace(text, "[limits]", "[limits", 1),        // unclosed table header
		strings.Replace(text, "port = 587", "port = \"x\"", 1), // wrong type
		strings.Replace(text, "port = 993", "port = 99999", 1), // out of range
		strings.Replace(text, `window = "24h"`, `window = "a day"`, 1),
		strings.Replace(text, `window = "24h"`, `window = "-1d"`, 1),
		strings.Replace(text, `schedule = "*/15 * * * *"`, `schedule = "*/15 * *"`, 1),
		strings.Replace(text, "[[stores]]\nid = \"alinora\"", "[[stores]]\nid = \"luxnome\"", 1), // a store twice
		strings.Replace(text, `id = "alinora"`, `id = ""`, 1),
		strings.Replace(text, `replies = 3`, `replies = 0`, 1),
		strings.Replace(text, `replies = 3`, `replies = 3.5`, 1),
		strings.Replace(text, `max_parts = 200`, `max_parts = -200`, 1),
		strings.Replace(text, `staff = ["anna@luxnome.example"]`, `staff = "anna@luxnome.example"`, 1),
		strings.Replace(text, `security = "tls"`, `security = "ssl"`, 1),
		strings.Replace(text, `"env:LUXNOME_IMAP_PASSWORD"`, `"env:RETURNSDESK_FUZZ_SURELY_UNSET"`, 1),
		strings.Replace(text, `"env:LUXNOME_IMAP_PASSWORD"`, `"file:no/such/secret"`, 1),
		text + "\n[smtp]\nhost = \"again\"\n",      // a table twice
		text + "\ncolour = \"red\"\n",              // an unknown key
		text + "\n[[stores.imap]]\nhost = \"x\"\n", // a sub-table after the stores ended
		"state = \"\"\n",
		"log_level = \"loud\"\n",
		"[daemon]\nfirst_start_backlog = \"-1s\"\n",
		"[daemon]\nprocessed_keyword = 7\n",
		"stores = 3\n",
		"[[stores]]\n[[stores.imap]]\n",
		"\xff\xfe[smtp]\n",
		"a = \"\\uD800\"\n",
		"",
	} {
		f.Add([]byte(broken))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse(data, fuzzName)
		if err != nil {
			checkNamingError(t, err)
			return
		}
		checkInvariants(t, cfg)
	})
}

// checkNamingError: an error starts with the file's name and goes on to say
// something, not just punctuation.
func checkNamingError(t *testing.T, err error) {
	t.Helper()
	msg := err.Error()
	rest, ok := strings.CutPrefix(msg, fuzzName+": ")
	if !ok {
		t.Fatalf("error %q does not name the file", msg)
	}
	if !strings.ContainsFunc(rest, unicode.IsLetter) {
		t.Fatalf("error %q names nothing after the file", msg)
	}
}

// checkInvariants: what validation lets through is usable.
func checkInvariants(t *testing.T, cfg *Config) {
	t.Helper()
	if cfg == nil {
		t.Fatal("Parse returned no configuration and no error")
	}
	switch {
	case cfg.State == "":
		t.Error("accepted an empty state path")
	case cfg.RateLimit.Replies < 1 || cfg.RateLimit.Window.Duration <= 0:
		t.Errorf("accepted rate limit %d per %s", cfg.RateLimit.Replies, cfg.RateLimit.Window.Duration)
	case cfg.Limits.MaxMessageBytes <= 0 || cfg.Limits.MaxParts <= 0 || cfg.Limits.MaxDepth <= 0 || cfg.Limits.MaxHeaderBytes <= 0:
		t.Errorf("accepted limits %+v", cfg.Limits)
	case cfg.Daemon.PollInterval.Duration <= 0 || cfg.Daemon.MaxBackoff.Duration <= 0 || cfg.Daemon.FirstStartBacklog.Duration < 0:
		t.Errorf("accepted daemon timings %+v", cfg.Daemon)
	case cfg.SMTP.Port < 0 || cfg.SMTP.Port > 65535:
		t.Errorf("accepted SMTP port %d", cfg.SMTP.Port)
	}
	ids := map[string]bool{}
	for i, s := range cfg.Stores {
		if s.ID == "" || ids[s.ID] {
			t.Errorf("stores[%d]: accepted id %q (empty or repeated)", i, s.ID)
		}
		ids[s.ID] = true
		for j, m := range s.IMAP {
			if m.Host == "" || m.Username == "" || m.Port < 0 || m.Port > 65535 {
				t.Errorf("stores[%d].imap[%d]: accepted host %q, username %q, port %d", i, j, m.Host, m.Username, m.Port)
			}
		}
	}
}
