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
	"regexp"
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
	st := &store{Storage: storage.NewStorageWithClients(storage.NewUserStore(issuer), map[string]*storage.Client{ClientID: client}), client: client}
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
	pr, pw := io.Pipe()
	approved := make(chan error, 1)
	go func() {
		code := regexp.MustCompile(`user_code=([A-Z0-9-]+)|code\s+([A-Z]{4}-[A-Z]{4})`)
		var said []byte
		buf := make([]byte, 4096)
		for {
			n, err := pr.Read(buf)
			said = append(said, buf[:n]...)
			if m := code.FindStringSubmatch(string(said)); m != nil {
				approved <- p.Approve(m[1] + m[2])
				io.Copy(io.Discard, pr)
				return
			}
			if err != nil {
				approved <- fmt.Errorf("no code to approve in %q", said)
				return
			}
		}
	}()
	tok, err := oauth.Login(context.Background(), a, "device", pw)
	pw.Close()
	if aerr := <-approved; aerr != nil {
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
