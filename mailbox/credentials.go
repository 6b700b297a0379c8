package mailbox

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/emersion/go-sasl"

	"github.com/returnsdesk/returnsdesk/config"
	"github.com/returnsdesk/returnsdesk/oauth"
	"github.com/returnsdesk/returnsdesk/responder"
	"github.com/returnsdesk/returnsdesk/state"
)

// openSources builds a token source for every [[oauth]] account a mailbox or SMTP
// server logs in with.
func openSources(cfg *config.Config, d *Daemon) (map[string]*oauth.Source, error) {
	used := map[string]bool{cfg.SMTP.OAuth: true}
	for _, s := range cfg.Stores {
		for _, m := range s.IMAP {
			used[m.OAuth] = true
		}
		if s.SMTP != nil {
			used[s.SMTP.OAuth] = true
		}
	}
	sources := map[string]*oauth.Source{}
	for _, o := range cfg.OAuth {
		if !used[o.Name] {
			continue
		}
		a, err := oauth.NewAccount(context.Background(), o)
		if err != nil {
			return nil, err
		}
		// The daemon's clock as it is when asked: tests replace it after New.
		sources[o.Name] = oauth.NewSource(a, d.db, func() time.Time { return d.now() })
	}
	return sources, nil
}

// saslClient is how a connection logs in: with the password, or with an access token
// of the OAuth2 account (then src is that account's source, to be told when the
// server refuses the token). A refresh token the provider refused for good is
// recorded and staff are told, once.
func (d *Daemon) saslClient(ctx context.Context, auth, account, username, password, host string, port int) (client sasl.Client, src *oauth.Source, err error) {
	secret := password
	if account != "" {
		src = d.sources[account]
		if src == nil {
			return nil, nil, fmt.Errorf("no OAuth2 account %q", account)
		}
		tok, err := src.Token(ctx)
		if err != nil {
			d.loginFailed(ctx, account, err)
			return nil, src, err
		}
		d.monitor.tokenOK(account)
		secret = tok.AccessToken
	}
	switch auth {
	case "plain":
		return sasl.NewPlainClient("", username, secret), src, nil
	case "login":
		return sasl.NewLoginClient(username, secret), src, nil
	case "xoauth2":
		return newXOAUTH2Client(username, secret), src, nil
	case "oauthbearer":
		return sasl.NewOAuthBearerClient(&sasl.OAuthBearerOptions{Username: username, Token: secret, Host: host, Port: port}), src, nil
	}
	return nil, nil, fmt.Errorf("unknown auth %q", auth)
}

// loginFailed records a failed refresh. One the provider refused for good is a dead
// login: recorded in the state, shown in health and metrics, and told to the staff of
// every store that uses the account, once until a new login.
func (d *Daemon) loginFailed(ctx context.Context, account string, err error) {
	var dead *oauth.DeadError
	if errors.Is(err, state.ErrNoToken) {
		d.monitor.tokenDead(account, err)
		d.log.Error("this OAuth2 account has never signed in: run `returnsdesk login` for its mailboxes", "account", account)
		return
	}
	if !errors.As(err, &dead) {
		d.log.Warn("could not refresh the OAuth2 access token; will retry", "account", account, "err", err)
		return
	}
	d.monitor.tokenDead(account, err)
	first, rerr := d.db.TokenFailed(ctx, account, dead.Err.Error(), d.now())
	if rerr != nil {
		d.log.Error("could not record the failed login", "account", account, "err", rerr)
		return
	}
	d.log.Error("the OAuth2 login is dead: run `returnsdesk login` for these mailboxes", "account", account, "err", err)
	if !first {
		return
	}
	for store, mailboxes := range d.usersOf(account) {
		var lines []string
		for _, m := range mailboxes {
			lines = append(lines, fmt.Sprintf("returnsdesk login --config <your config> --store %s --mailbox %s", store, m))
		}
		if _, err := d.desk().AlertStaff(ctx, store, "login_failed", responder.Data{Note: dead.Err.Error(), Items: lines}, d.now()); err != nil {
			d.log.Error("could not alert staff of the failed login", "store", store, "err", err)
			continue
		}
		d.queued()
	}
}

// usersOf lists, per store, the mailboxes that log in with an OAuth2 account (the
// store's address for its SMTP server).
func (d *Daemon) usersOf(account string) map[string][]string {
	out := map[string][]string{}
	add := func(store, mailbox string) {
		if !slices.Contains(out[store], mailbox) {
			out[store] = append(out[store], mailbox)
		}
	}
	for _, a := range d.accounts {
		if a.imap.OAuth == account {
			add(a.store, a.address)
		}
	}
	for store, dl := range d.deliveries {
		if dl.smtp.OAuth == account {
			add(store, strings.ToLower(dl.smtp.Username))
		}
	}
	return out
}
