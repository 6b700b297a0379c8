package desk_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/returnsdesk/returnsdesk/desk"
)

// TestStaffCommandNeedsTheServersAuthentication: where the receiving server adds
// Authentication-Results, an "approve" from a staff address authorises only when
// DKIM, SPF or DMARC passed for the staff domain there. A forged From that failed,
// or a passing field the sender wrote below the server's, authorises nothing; with
// authserv_id configured only that server's field counts.
func TestStaffCommandNeedsTheServersAuthentication(t *testing.T) {
	const (
		pass      = "mx.alusse.com; dkim=pass header.d=alusse.com header.s=s1; spf=pass smtp.mailfrom=equipe@alusse.com"
		fail      = "mx.alusse.com; dkim=none; spf=fail smtp.mailfrom=alusse.com; dmarc=fail header.from=alusse.com"
		other     = "mx.alusse.com; dkim=pass header.d=example.org; spf=pass smtp.mailfrom=bounce@example.org"
		submitted = "mx.alusse.com; auth=pass smtp.auth=equipe"
		forged    = "mx.alusse.com; spf=softfail smtp.mailfrom=alusse.com\r\nAuthentication-Results: evil.example; dkim=pass header.d=alusse.com"
		none      = "mx.alusse.com; none"
	)
	for _, tc := range []struct {
		name, results, authservID string
		authorises                bool
	}{
		{"no field", "", "", true},
		{"dkim and spf pass", pass, "", true},
		{"submission", submitted, "", true},
		{"nothing checked", none, "", true},
		{"all fail", fail, "", false},
		{"another domain passes", other, "", false},
		{"a pass written below the server's", forged, "", false},
		{"only another server's field: the address decides", strings.Replace(pass, "mx.alusse.com", "relay.example", 1), "mx.alusse.com", true},
		{"the configured server's fail below another", "relay.example; dkim=pass header.d=alusse.com\r\nAuthentication-Results: " + fail, "mx.alusse.com", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, res := referredThread(t, func(s *desk.Store) { s.AuthservID = tc.authservID })
			raw := staffMail("Équipe Alussé <equipe@alusse.com>", "staff-auth@alusse.com", res.MessageID, "approve")
			if tc.results != "" {
				raw = append([]byte("Authentication-Results: "+tc.results+"\r\n"), raw...)
			}
			got, err := d.Process(context.Background(), raw, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			if authorised := got.RAN != ""; authorised != tc.authorises {
				t.Errorf("%s/%s ran %q (%s); want authorised %v", got.Action, got.Code, got.RAN, got.Why, tc.authorises)
			}
		})
	}
}
