// Package oauthtest runs a real OAuth2/OpenID provider in-process for tests: the
// zitadel/oidc "op" library with its example storage, holding one application that
// may use the device flow and refresh tokens (rotated at every refresh), and a way
// for a mail server under test to check the access tokens it is shown.
package oauthtest

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/oauth2"

	"github.com/returnsdesk/returnsdesk/config"
	"github.com/returnsdesk/returnsdesk/oauth"
)

// The application registered with the provider, and the user who signs in.
const (
	ClientID     = "returnsdesk"
	ClientSecret = "returnsdesk-secret"
	Subject      = "id1"
	// NativeClientID is the application registered for the browser flow: a public
	// client (PKCE, no secret) redirecting to the loopback address.
	NativeClientID = "returnsdesk-native"
)

// Provider is a running provider.
type Provider struct {
	// Issuer is the provider's URL (OpenID discovery lives under it).
	Issuer  string
	storage *store
	srv     *httptest.Server
}

// store is the example storage with the application allowed to refresh: the
// example's device client is not.
type store struct {
	*storage.Storage
	client *storage.Client
}

type refreshingClient struct{ *storage.Client }

func (c refreshingClient) GrantTypes() []oidc.GrantType {
	return []oidc.GrantType{oidc.GrantTypeDeviceCode, oidc.GrantTypeRefreshToken}
}

// CreateAccessAndRefreshTokens gives the tokens of a device login the application's
// id, which the example storage only records for the code flow (a refresh would then
// be refused as another client's).
func (s *store) CreateAccessAndRefreshTokens(ctx context.Context, req op.TokenRequest, current string) (string, string, time.Time, error) {
	if d, ok := req.(*op.DeviceAuthorizationState); ok {
		req = &storage.RefreshTokenRequest{RefreshToken: &storage.RefreshToken{ApplicationID: d.ClientID, UserID: d.Subject,
			Audience: d.GetAudience(), Scopes: d.Scopes, AuthTime: d.GetAuthTime(), AMR: d.GetAMR()}}
	}
	return s.Storage.CreateAccessAndRefreshTokens(ctx, req, current)
}

func (s *store) GetClientByClientID(ctx context.Context, id string) (op.Client, error) {
	if id == ClientID {
		return refreshingClient{s.client}, nil
	}
	return s.Storage.GetClientByClientID(ctx, id)
}

// Start runs a provider until the test ends.
func Start(t testing.TB) *Provider {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	issuer := "http://" + srv.Listener.Addr().String()
	client := storage.DeviceClient(ClientID, ClientSecret)
	clients := map[string]*storage.Client{ClientID: client, NativeClientID: storage.NativeClient(NativeClientID, "http://127.0.0.1/callback")}
	st := &store{Storage: storage.NewStorageWithClients(storage.NewUserStore(issuer), clients), client: client}
	cfg := &op.Config{
		CryptoKey:             sha256.Sum256([]byte("returnsdesk tests")),
		CodeMethodS256:        true,
		AuthMethodPost:        true,
		GrantTypeRefreshToken: true,
		DeviceAuthorization: op.DeviceAuthorizationConfig{
			Lifetime: 5 * time.Minute, PollInterval: time.Second, UserFormPath: "/device", UserCode: op.UserCodeBase20,
		},
	}
	provider, err := op.NewOpenIDProvider(issuer, cfg, st, op.WithAllowInsecure(), op.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatalf("oauth provider: %v", err)
	}
	srv.Config.Handler = provider
	srv.Start()
	t.Cleanup(srv.Close)
	return &Provider{Issuer: issuer, storage: st, srv: srv}
}

// Approve completes a device login as the test user, as a person would in a browser.
func (p *Provider) Approve(userCode string) error {
	return p.storage.CompleteDeviceAuthorization(context.Background(), userCode, Subject)
}

// SignIn is a person following the browser flow's link: the provider asks them to
// sign in (the test user does), then sends the browser back to the redirect the link
// named, with the code.
func (p *Provider) SignIn(link string) error {
	browser := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	next := func(u string) (*url.URL, error) {
		resp, err := browser.Get(u)
		if err != nil {
			return nil, err
		}
		resp.Body.Close()
		if resp.StatusCode/100 != 3 {
			return nil, fmt.Errorf("%s: %s, want a redirect", u, resp.Status)
		}
		return resp.Request.URL.Parse(resp.Header.Get("Location"))
	}
	login, err := next(link)
	if err != nil {
		return err
	}
	id := login.Query().Get("authRequestID")
	host := strings.Split(strings.TrimPrefix(p.Issuer, "http://"), ":")[0]
	if err := p.storage.CheckUsernamePassword("test-user@"+host, "verysecure", id); err != nil {
		return err
	}
	back, err := next(p.Issuer + "/authorize/callback?id=" + url.QueryEscape(id))
	if err != nil {
		return err
	}
	resp, err := browser.Get(back.String())
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("the redirect to %s answered %s", back.Host, resp.Status)
	}
	return nil
}

// Revoke withdraws a refresh token, as a user revoking the application's consent.
func (p *Provider) Revoke(refreshToken string) error {
	if err := p.storage.RevokeToken(context.Background(), refreshToken, Subject, ClientID); err != nil {
		return err
	}
	return nil
}

// Check asks the provider whether an access token is good (its userinfo endpoint),
// as a mail server does before it lets a client in.
func (p *Provider) Check(accessToken string) error {
	req, err := http.NewRequest(http.MethodGet, p.Issuer+"/userinfo", nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+accessToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("access token refused: %s", resp.Status)
	}
	return nil
}

// Login signs account in with the device flow, approving the code the person is
// shown as they would in a browser, and returns the token.
func (p *Provider) Login(t testing.TB, a *oauth.Account) *oauth2.Token {
	t.Helper()
	code := regexp.MustCompile(`user_code=([A-Z0-9-]+)|code\s+([A-Z]{4}-[A-Z]{4})`)
	return LoginAs(t, a, "device", code, func(m []string) error { return p.Approve(m[1] + m[2]) })
}

// LoginAs runs oauth.Login with flow and plays the person: when what they are told
// matches pattern, act gets the match (as FindStringSubmatch gives it).
func LoginAs(t testing.TB, a *oauth.Account, flow string, pattern *regexp.Regexp, act func(match []string) error) *oauth2.Token {
	t.Helper()
	pr, pw := io.Pipe()
	acted := make(chan error, 1)
	go func() {
		var said []byte
		buf := make([]byte, 4096)
		for {
			n, err := pr.Read(buf)
			said = append(said, buf[:n]...)
			if m := pattern.FindStringSubmatch(string(said)); m != nil {
				acted <- act(m)
				io.Copy(io.Discard, pr)
				return
			}
			if err != nil {
				acted <- fmt.Errorf("nothing matching %s in %q", pattern, said)
				return
			}
		}
	}()
	tok, err := oauth.Login(context.Background(), a, flow, pw)
	pw.Close()
	if aerr := <-acted; aerr != nil {
		t.Fatal(aerr)
	}
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// Account is the configuration of an account registered with this provider.
func (p *Provider) Account(name string) config.OAuth {
	return config.OAuth{Name: name, Provider: "generic", Issuer: p.Issuer, ClientID: ClientID, ClientSecret: config.Secret{Value: ClientSecret}}
}
