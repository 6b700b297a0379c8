// Package oauth keeps the daemon logged in to mail servers that want OAuth2
// (Outlook.com, Microsoft 365, Gmail): the providers' endpoints and mail scopes, the
// one-time login of a person (device code or browser), and a token source that
// refreshes the access token before it expires and keeps the rotated refresh token in
// the state. golang.org/x/oauth2 does the protocol; this package decides when.
package oauth

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/returnsdesk/returnsdesk/config"
)

// Account is one configured OAuth2 account, ready for the protocol.
type Account struct {
	Name   string
	Config *oauth2.Config
	// Flow is how `login` signs a person in: "device" or "browser".
	Flow string
	// loopbackHost is the host the browser flow's redirect names: Microsoft registers
	// "http://localhost", others take the loopback address (RFC 8252).
	loopbackHost string
}

// Presets for the providers mail servers use.
var (
	microsoftScopes = []string{"https://outlook.office.com/IMAP.AccessAsUser.All", "https://outlook.office.com/SMTP.Send", "offline_access"}
	googleScopes    = []string{"https://mail.google.com/"}
)

// discoveryTimeout bounds the OpenID discovery of a generic provider.
const discoveryTimeout = 15 * time.Second

// NewAccount builds the account cfg configures. A generic provider with an issuer is
// discovered (its /.well-known/openid-configuration), so this may go to the network.
func NewAccount(ctx context.Context, cfg config.OAuth) (*Account, error) {
	a := &Account{Name: cfg.Name, Flow: cfg.Flow, loopbackHost: "127.0.0.1",
		Config: &oauth2.Config{ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret.Value, Scopes: cfg.Scopes}}
	ep := &a.Config.Endpoint
	switch cfg.Provider {
	case "microsoft":
		tenant := cfg.Tenant
		if tenant == "" {
			// outlook.com and work accounts alike; "consumers" or a tenant id narrows it.
			tenant = "common"
		}
		base := "https://login.microsoftonline.com/" + tenant + "/oauth2/v2.0/"
		*ep = oauth2.Endpoint{AuthURL: base + "authorize", TokenURL: base + "token", DeviceAuthURL: base + "devicecode", AuthStyle: oauth2.AuthStyleInParams}
		a.loopbackHost = "localhost"
		if a.Flow == "" {
			a.Flow = "device"
		}
		if len(a.Config.Scopes) == 0 {
			a.Config.Scopes = microsoftScopes
		}
	case "google":
		*ep = oauth2.Endpoint{AuthURL: "https://accounts.google.com/o/oauth2/v2/auth", TokenURL: "https://oauth2.googleapis.com/token",
			DeviceAuthURL: "https://oauth2.googleapis.com/device/code", AuthStyle: oauth2.AuthStyleInParams}
		if a.Flow == "" {
			// Google does not grant the Gmail scope to the device flow.
			a.Flow = "browser"
		}
		if len(a.Config.Scopes) == 0 {
			a.Config.Scopes = googleScopes
		}
	case "generic":
		*ep = oauth2.Endpoint{AuthURL: cfg.AuthURL, TokenURL: cfg.TokenURL, DeviceAuthURL: cfg.DeviceURL}
		if cfg.Issuer != "" {
			d, err := discover(ctx, cfg.Issuer)
			if err != nil {
				return nil, fmt.Errorf("oauth %s: %w", cfg.Name, err)
			}
			ep.AuthURL = orDefault(ep.AuthURL, d.AuthURL)
			ep.TokenURL = orDefault(ep.TokenURL, d.TokenURL)
			ep.DeviceAuthURL = orDefault(ep.DeviceAuthURL, d.DeviceURL)
		}
		if a.Flow == "" {
			a.Flow = "browser"
			if ep.DeviceAuthURL != "" {
				a.Flow = "device"
			}
		}
		if len(a.Config.Scopes) == 0 {
			a.Config.Scopes = []string{"openid", "offline_access"}
		}
	default:
		return nil, fmt.Errorf("oauth %s: unknown provider %q", cfg.Name, cfg.Provider)
	}
	if ep.TokenURL == "" {
		return nil, fmt.Errorf("oauth %s: the provider names no token endpoint", cfg.Name)
	}
	return a, nil
}

// discovered are the endpoints of an OpenID provider's discovery document.
type discovered struct {
	AuthURL   string `json:"authorization_endpoint"`
	TokenURL  string `json:"token_endpoint"`
	DeviceURL string `json:"device_authorization_endpoint"`
}

func discover(ctx context.Context, issuer string) (discovered, error) {
	ctx, cancel := context.WithTimeout(ctx, discoveryTimeout)
	defer cancel()
	url := strings.TrimSuffix(issuer, "/") + "/.well-known/openid-configuration"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return discovered{}, err
	}
	resp, err := httpClient(ctx).Do(req)
	if err != nil {
		return discovered{}, fmt.Errorf("discovery: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return discovered{}, fmt.Errorf("discovery: %s answered %s", url, resp.Status)
	}
	var d discovered
	if err := json.NewDecoder(http.MaxBytesReader(nil, resp.Body, 1<<20)).Decode(&d); err != nil {
		return discovered{}, fmt.Errorf("discovery: %s: %w", url, err)
	}
	return d, nil
}

// httpClient is the client golang.org/x/oauth2 would use for ctx.
func httpClient(ctx context.Context) *http.Client {
	if c, ok := ctx.Value(oauth2.HTTPClient).(*http.Client); ok && c != nil {
		return c
	}
	return http.DefaultClient
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
