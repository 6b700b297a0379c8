package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/returnsdesk/returnsdesk/oauth/oauthtest"
	"github.com/returnsdesk/returnsdesk/state"
)

// TestLoginCommand: `returnsdesk login` runs the device flow against a real provider
// (in-process), tells the person the code, and keeps the refresh token in the state.
func TestLoginCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds the binary and runs it")
	}
	p := oauthtest.Start(t)
	bin := buildBinary(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "returnsdesk.toml")
	text := fmt.Sprintf(`state = "state.db"

[[oauth]]
name = "lumina-365"
provider = "generic"
issuer = %q
client_id = %q
client_secret = %q

[[stores]]
id = "lumina"
  [[stores.imap]]
  host = "imap.example.net"
  auth = "xoauth2"
  username = "support@luminahelp.com"
  oauth = "lumina-365"
`, p.Issuer, oauthtest.ClientID, oauthtest.ClientSecret)
	if err := os.WriteFile(cfg, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "login", "--config", cfg, "--store", "lumina", "--mailbox", "support@luminahelp.com")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	code := regexp.MustCompile(`user_code=([A-Z0-9-]+)|code\s+([A-Z]{4}-[A-Z]{4})`)
	var said strings.Builder
	sc := bufio.NewScanner(out)
	approved := false
	for sc.Scan() {
		said.WriteString(sc.Text() + "\n")
		if m := code.FindStringSubmatch(said.String()); m != nil && !approved {
			if err := p.Approve(m[1] + m[2]); err != nil {
				t.Fatal(err)
			}
			approved = true
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("login: %v\n%s", err, said.String())
	}
	if !approved || !strings.Contains(said.String(), "Signed in") {
		t.Fatalf("login said:\n%s", said.String())
	}
	db, err := state.Open(context.Background(), filepath.Join(dir, "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tok, err := db.LoadToken(context.Background(), "lumina-365")
	if err != nil || tok.RefreshToken == "" {
		t.Fatalf("no refresh token kept: %v", err)
	}
	if err := p.Check(tok.AccessToken); err != nil {
		t.Errorf("the kept access token: %v", err)
	}
	info, _ := os.Stat(filepath.Join(dir, "state.db"))
	if info.Mode().Perm() != 0o600 {
		t.Errorf("the state holding the token has mode %v, want 0600", info.Mode().Perm())
	}
}
