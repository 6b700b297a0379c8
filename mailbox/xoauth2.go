package mailbox

import (
	"fmt"

	"github.com/emersion/go-sasl"
)

// xoauth2Client is the XOAUTH2 SASL mechanism of Gmail and Microsoft 365, which
// go-sasl lacks. The access token is sent as the initial response; a server that
// refuses it answers with a JSON challenge, which ends the attempt here (the caller
// drops the connection).
type xoauth2Client struct {
	username, token string
}

var _ sasl.Client = (*xoauth2Client)(nil)

func newXOAUTH2Client(username, token string) sasl.Client {
	return &xoauth2Client{username: username, token: token}
}

func (c *xoauth2Client) Start() (string, []byte, error) {
	return "XOAUTH2", []byte("user=" + c.username + "\x01auth=Bearer " + c.token + "\x01\x01"), nil
}

// Next is only called when the server refused the token: its challenge is a small
// JSON document (status, schemes, scope) that names the reason and holds no secret.
func (c *xoauth2Client) Next(challenge []byte) ([]byte, error) {
	return nil, &loginRefused{fmt.Errorf("XOAUTH2 refused: %s", challenge)}
}
