package oauth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"time"

	"golang.org/x/oauth2"
)

// Login signs a person in once and returns the token with its refresh token: with
// the device flow (RFC 8628) it prints a code to enter on any device's browser; with
// the browser flow it prints a link whose redirect comes back to a listener on this
// machine's loopback (RFC 8252, with PKCE). say receives what the person must read.
func Login(ctx context.Context, a *Account, flow string, say io.Writer) (*oauth2.Token, error) {
	if flow == "" {
		flow = a.Flow
	}
	var tok *oauth2.Token
	var err error
	switch flow {
	case "device":
		tok, err = deviceLogin(ctx, a, say)
	case "browser":
		tok, err = browserLogin(ctx, a, say)
	default:
		return nil, fmt.Errorf("oauth %s: unknown flow %q (device or browser)", a.Name, flow)
	}
	if err != nil {
		return nil, fmt.Errorf("oauth %s: %s login: %w", a.Name, flow, err)
	}
	if tok.RefreshToken == "" {
		return nil, fmt.Errorf("oauth %s: the provider granted no refresh token, so the daemon could not stay logged in (scopes %v; is offline access allowed?)", a.Name, a.Config.Scopes)
	}
	return tok, nil
}

func deviceLogin(ctx context.Context, a *Account, say io.Writer) (*oauth2.Token, error) {
	if a.Config.Endpoint.DeviceAuthURL == "" {
		return nil, errors.New("the provider has no device authorization endpoint; use --flow browser")
	}
	resp, err := a.Config.DeviceAuth(ctx, oauth2.AccessTypeOffline)
	if err != nil {
		return nil, err
	}
	if resp.VerificationURIComplete != "" {
		fmt.Fprintf(say, "To let Returnsdesk read and send this mailbox's mail, open\n\n    %s\n\nand sign in as the mailbox (code %s). Waiting until %s ...\n",
			resp.VerificationURIComplete, resp.UserCode, resp.Expiry.Format(time.Kitchen))
	} else {
		fmt.Fprintf(say, "To let Returnsdesk read and send this mailbox's mail, open\n\n    %s\n\nsign in as the mailbox and enter the code\n\n    %s\n\nWaiting until %s ...\n",
			resp.VerificationURI, resp.UserCode, resp.Expiry.Format(time.Kitchen))
	}
	return a.Config.DeviceAccessToken(ctx, resp)
}

// loginTimeout is how long the browser flow waits for the person.
const loginTimeout = 10 * time.Minute

func browserLogin(ctx context.Context, a *Account, say io.Writer) (*oauth2.Token, error) {
	if a.Config.Endpoint.AuthURL == "" {
		return nil, errors.New("the provider has no authorization endpoint; use --flow device")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	defer ln.Close()
	conf := *a.Config
	conf.RedirectURL = fmt.Sprintf("http://%s:%d/callback", a.loopbackHost, ln.Addr().(*net.TCPAddr).Port)
	state := randomString()
	verifier := oauth2.GenerateVerifier()

	type result struct {
		code string
		err  error
	}
	done := make(chan result, 1)
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/callback" {
			http.NotFound(w, r)
			return
		}
		q := r.URL.Query()
		var res result
		switch {
		case q.Get("state") != state:
			res.err = errors.New("the answer did not carry this login's state")
		case q.Get("error") != "":
			res.err = fmt.Errorf("the provider refused: %s %s", q.Get("error"), q.Get("error_description"))
		case q.Get("code") == "":
			res.err = errors.New("the answer carried no code")
		default:
			res.code = q.Get("code")
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if res.err != nil {
			fmt.Fprintf(w, "<p>Returnsdesk: the login failed: %s</p>", html.EscapeString(res.err.Error()))
		} else {
			fmt.Fprint(w, "<p>Returnsdesk is logged in. You can close this window.</p>")
		}
		select {
		case done <- res:
		default:
		}
	})}
	go srv.Serve(ln)
	defer srv.Close()

	url := conf.AuthCodeURL(state, oauth2.AccessTypeOffline, oauth2.S256ChallengeOption(verifier))
	fmt.Fprintf(say, "To let Returnsdesk read and send this mailbox's mail, open this link in a browser on this machine and sign in as the mailbox:\n\n    %s\n\nWaiting for the answer on %s ...\n", url, conf.RedirectURL)
	wait, cancel := context.WithTimeout(ctx, loginTimeout)
	defer cancel()
	select {
	case <-wait.Done():
		return nil, fmt.Errorf("no answer within %s: %w", loginTimeout, wait.Err())
	case res := <-done:
		if res.err != nil {
			return nil, res.err
		}
		return conf.Exchange(ctx, res.code, oauth2.VerifierOption(verifier))
	}
}

func randomString() string {
	b := make([]byte, 24)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
