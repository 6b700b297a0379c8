package localmail

import (
	"strings"

	"github.com/emersion/go-sasl"
)

// xoauth2Server checks "user=...\x01auth=Bearer TOKEN\x01\x01". A refused token
// gets the JSON challenge Gmail sends; the client's answer to it ends the exchange
// with the failure.
type xoauth2Server struct {
	check   func(user, token string) error
	refused error
}

var _ sasl.Server = (*xoauth2Server)(nil)

func (x *xoauth2Server) Next(response []byte) ([]byte, bool, error) {
	if x.refused != nil {
		return nil, true, x.refused
	}
	var user, token string
	for _, f := range strings.Split(string(response), "\x01") {
		if v, ok := strings.CutPrefix(f, "user="); ok {
			user = v
		}
		if v, ok := strings.CutPrefix(f, "auth=Bearer "); ok {
			token = v
		}
	}
	if err := x.check(user, token); err != nil {
		x.refused = err
		return []byte(`{"status":"401","schemes":"bearer","scope":"https://mail.google.com/"}`), false, nil
	}
	return nil, true, nil
}

// discardLogger silences the servers' own error logs.
type discardLogger struct{}

func (discardLogger) Printf(string, ...any) {}
func (discardLogger) Println(...any)        {}
