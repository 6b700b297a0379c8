package desk

import (
	"fmt"
	"strings"

	"github.com/emersion/go-msgauth/authres"

	"github.com/returnsdesk/returnsdesk/parser"
)

// A staff address is only a name in a From field, which anyone can write. Where the
// receiving server checks DKIM, SPF and DMARC and says so in Authentication-Results
// (RFC 8601), a mail from a staff address counts as staff's only when that check
// passed for the From domain; a mail that fails it is a stranger's, whose command
// does nothing. A server that adds no such field leaves the address as the only
// test, as before.

// staffAuthentic reports whether msg, from one of s's staff addresses, passed the
// receiving server's checks, and why not.
func (s *Store) staffAuthentic(msg *parser.Message) (bool, string) {
	results, found, err := s.trustedAuthResults(msg.AuthResults)
	if err != nil {
		return false, err.Error()
	}
	if !found {
		return true, "no Authentication-Results from the receiving server"
	}
	fromDomain := strings.ToLower(domainOf(msg.From.Address))
	var seen []string
	for _, r := range results {
		switch r := r.(type) {
		case *authres.DMARCResult:
			if r.Value == authres.ResultPass {
				return true, "dmarc=pass"
			}
			seen = append(seen, "dmarc="+string(r.Value))
		case *authres.DKIMResult:
			if r.Value == authres.ResultPass && aligned(r.Domain, fromDomain) {
				return true, "dkim=pass for " + r.Domain
			}
			seen = append(seen, fmt.Sprintf("dkim=%s (%s)", r.Value, r.Domain))
		case *authres.AuthResult:
			// Sent through the server's own submission, logged in.
			if r.Value == authres.ResultPass {
				return true, "auth=pass"
			}
		case *authres.SPFResult:
			if r.Value == authres.ResultPass && aligned(domainOf(r.From), fromDomain) {
				return true, "spf=pass for " + r.From
			}
			seen = append(seen, fmt.Sprintf("spf=%s (%s)", r.Value, r.From))
		}
	}
	if len(seen) == 0 {
		// "none": the server checked nothing it could report on; the address is
		// then the only test, as with a server that adds no such field.
		return true, "no DKIM, SPF or DMARC result from the receiving server"
	}
	return false, "not authenticated for " + fromDomain + ": " + strings.Join(seen, ", ")
}

// trustedAuthResults are the results of the receiving server: those of its
// authserv-id when configured, else of the topmost field, the last one added. A
// field the sender wrote further down never counts.
func (s *Store) trustedAuthResults(fields []string) ([]authres.Result, bool, error) {
	for _, f := range fields {
		id, results, err := authres.Parse(f)
		if err != nil {
			if s.AuthservID == "" {
				return nil, true, fmt.Errorf("unreadable Authentication-Results: %w", err)
			}
			continue
		}
		if s.AuthservID == "" || strings.EqualFold(id, s.AuthservID) {
			return results, true, nil
		}
	}
	return nil, false, nil
}

// aligned reports whether domain d authenticates the From domain from: the same
// domain or one a subdomain of the other (DMARC's relaxed alignment, without the
// public suffix list: "example.com" never aligns with "com").
func aligned(d, from string) bool {
	d, from = strings.ToLower(strings.TrimSuffix(d, ".")), strings.ToLower(from)
	if d == "" || from == "" {
		return false
	}
	if d == from {
		return true
	}
	sub := func(a, b string) bool { return strings.HasSuffix(a, "."+b) && strings.Contains(b, ".") }
	return sub(d, from) || sub(from, d)
}
