package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/returnsdesk/returnsdesk/config"
	"github.com/returnsdesk/returnsdesk/oauth"
	"github.com/returnsdesk/returnsdesk/state"
)

// runLogin signs a mailbox in with OAuth2 once, as a person: the refresh token goes
// into the state, where a running daemon picks it up at its next connection.
func runLogin(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("login", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	configPath := fs.String("config", "", "configuration file (required)")
	store := fs.String("store", "", "the store whose mailbox signs in (required)")
	mailbox := fs.String("mailbox", "", "the mailbox address (required)")
	flow := fs.String("flow", "", "device or browser (default: the provider's usual one)")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if *configPath == "" || *store == "" || *mailbox == "" {
		return usageError{"login needs --config, --store and --mailbox"}
	}
	cfg, err := config.Load(*configPath)
	if err != nil {
		return err
	}
	name, err := oauthAccountOf(cfg, *store, *mailbox)
	if err != nil {
		return err
	}
	var account config.OAuth
	for _, o := range cfg.OAuth {
		if o.Name == name {
			account = o
		}
	}
	a, err := oauth.NewAccount(ctx, account)
	if err != nil {
		return err
	}
	tok, err := oauth.Login(ctx, a, *flow, os.Stdout)
	if err != nil {
		return err
	}
	db, err := state.Open(ctx, cfg.State)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.SaveToken(ctx, name, tok, time.Now()); err != nil {
		return err
	}
	fmt.Printf("Signed in: %s (account %s) stays logged in; a running daemon uses it from its next connection.\n", *mailbox, name)
	return nil
}

// oauthAccountOf finds the [[oauth]] account a store's mailbox logs in with: its IMAP
// account, else the SMTP server that sends as it.
func oauthAccountOf(cfg *config.Config, store, mailbox string) (string, error) {
	for _, s := range cfg.Stores {
		if s.ID != store {
			continue
		}
		for _, m := range s.IMAP {
			if m.OAuth != "" && (strings.EqualFold(m.Address, mailbox) || strings.EqualFold(m.Username, mailbox)) {
				return m.OAuth, nil
			}
		}
		smtp := cfg.SMTP
		if s.SMTP != nil {
			smtp = *s.SMTP
		}
		if smtp.OAuth != "" && strings.EqualFold(smtp.Username, mailbox) {
			return smtp.OAuth, nil
		}
		return "", fmt.Errorf("store %s: no mailbox %s logs in with OAuth2 (set oauth = \"…\" on its [[stores.imap]] or smtp)", store, mailbox)
	}
	return "", fmt.Errorf("no store %q in %s", store, "the configuration")
}
