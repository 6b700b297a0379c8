package responder

import (
	"crypto/rand"
	"encoding/base32"
	"io"
	"strings"
)

// messageIDEncoding writes the random part of a Message-ID: lower-case base32 is
// valid in a msg-id's dot-atom and survives case-folding mail systems.
var messageIDEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// fallbackDomain is used when the given domain is empty or unusable.
const fallbackDomain = "returnsdesk.invalid"

// NewMessageID returns a fresh Message-ID on domain, WITHOUT angle brackets:
// "<32 random base32 characters>@domain" (160 random bits, unguessable). Message IDs
// are bare everywhere in this package (Reply.MessageID, InReplyTo, References);
// Reply.Bytes adds the brackets. domain may also be a full address
// ("support@luminahelp.com"): the part after the last "@" is used. rnd is the source
// of randomness (crypto/rand when nil, or when it fails, so an ID is always random).
func NewMessageID(domain string, rnd io.Reader) string {
	var b [20]byte
	if rnd == nil {
		rnd = rand.Reader
	}
	if _, err := io.ReadFull(rnd, b[:]); err != nil {
		rand.Read(b[:]) // never fails since Go 1.24
	}
	return messageIDEncoding.EncodeToString(b[:]) + "@" + messageIDDomain(domain)
}

// messageIDDomain keeps the host name of domain in a form valid in a msg-id.
func messageIDDomain(domain string) string {
	if i := strings.LastIndexByte(domain, '@'); i >= 0 {
		domain = domain[i+1:]
	}
	domain = strings.Trim(strings.ToLower(strings.TrimSpace(domain)), ".>")
	if domain == "" {
		return fallbackDomain
	}
	for _, r := range domain {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-') {
			return fallbackDomain
		}
	}
	return domain
}

// maxReferences caps the References of a reply; long threads keep the first (the
// thread's root) and the most recent ones, as RFC 5322 §3.6.4 allows.
const maxReferences = 20

// ReplyReferences returns the References of a reply to a message that had
// parentRefs as its own References (entries may hold several IDs, bracketed or not)
// and parentID as its Message-ID: parentRefs + parentID, bare, without duplicates or
// malformed IDs, capped at maxReferences.
func ReplyReferences(parentRefs []string, parentID string) []string {
	var ids []string
	seen := map[string]bool{}
	for _, entry := range append(append([]string(nil), parentRefs...), parentID) {
		for _, id := range splitMessageIDs(entry) {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	if len(ids) > maxReferences {
		ids = append(ids[:1], ids[len(ids)-(maxReferences-1):]...)
	}
	return ids
}

// splitMessageIDs reads the IDs of a header value such as "<a@b> <c@d>", dropping
// anything that could not be written back safely or has no "@" (the remains of an
// ID with a space in it).
func splitMessageIDs(s string) []string {
	var ids []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\r' || r == '\n' || r == ',' || r == '<' || r == '>'
	}) {
		if id, ok := bareMessageID(f); ok && strings.Contains(id, "@") {
			ids = append(ids, id)
		}
	}
	return ids
}

// bareMessageID strips the angle brackets of id and reports whether what remains is
// printable ASCII without spaces or brackets, so it can go into a header as it is.
func bareMessageID(id string) (string, bool) {
	id = strings.TrimSpace(id)
	id = strings.TrimSuffix(strings.TrimPrefix(id, "<"), ">")
	if id == "" {
		return "", false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if c <= ' ' || c >= 0x7f || c == '<' || c == '>' {
			return "", false
		}
	}
	return id, true
}
