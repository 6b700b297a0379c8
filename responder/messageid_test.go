package responder

import (
	"bytes"
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestNewMessageID(t *testing.T) {
	form := regexp.MustCompile(`^[a-z2-7]{32}@([a-z0-9.-]+)$`)
	tests := []struct{ domain, want string }{
		{"luminahelp.com", "luminahelp.com"},
		{"support@luminahelp.com", "luminahelp.com"},
		{"Alusse.COM.", "alusse.com"},
		{"", fallbackDomain},
		{"bad domain>\r\nX: y", fallbackDomain},
		{"exämple.com", fallbackDomain},
	}
	for _, tt := range tests {
		id := NewMessageID(tt.domain, nil)
		m := form.FindStringSubmatch(id)
		if m == nil || m[1] != tt.want {
			t.Errorf("NewMessageID(%q) = %q, want 32 base32 characters @%s", tt.domain, id, tt.want)
		}
	}
	seen := map[string]bool{}
	for range 1000 {
		id := NewMessageID("x.example", nil)
		if seen[id] {
			t.Fatalf("duplicate Message-ID %s", id)
		}
		seen[id] = true
	}
	// A given reader is used (tests can make IDs reproducible) ...
	a := NewMessageID("x.example", bytes.NewReader(make([]byte, 20)))
	b := NewMessageID("x.example", bytes.NewReader(make([]byte, 20)))
	if a != b || !strings.HasPrefix(a, strings.Repeat("a", 32)) {
		t.Errorf("IDs from equal readers: %q, %q", a, b)
	}
	// ... but a failing one never yields a predictable ID.
	c := NewMessageID("x.example", failingReader{})
	d := NewMessageID("x.example", failingReader{})
	if c == d || !form.MatchString(c) {
		t.Errorf("IDs from a failing reader: %q, %q", c, d)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("no entropy") }

func TestReplyReferences(t *testing.T) {
	tests := []struct {
		name   string
		refs   []string
		parent string
		want   []string
	}{
		{"first reply", nil, "<a@x>", []string{"a@x"}},
		{"chain", []string{"<a@x>", "b@x"}, "<c@x>", []string{"a@x", "b@x", "c@x"}},
		{"one header value", []string{"<a@x> <b@x>\r\n <c@x>"}, "d@x", []string{"a@x", "b@x", "c@x", "d@x"}},
		{"duplicates and junk", []string{"<a@x>", "<a@x>", "<>", "é@x", "<b@x>"}, "<b@x>", []string{"a@x", "b@x"}},
		{"no parent id", []string{"<a@x>"}, "", []string{"a@x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ReplyReferences(tt.refs, tt.parent); !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	t.Run("long thread keeps root and newest", func(t *testing.T) {
		var refs []string
		for i := range 30 {
			refs = append(refs, "<"+string(rune('A'+i))+"@x>")
		}
		got := ReplyReferences(refs, "<last@x>")
		if len(got) != maxReferences || got[0] != "A@x" || got[len(got)-1] != "last@x" || got[1] != string(rune('A'+30-(maxReferences-2)))+"@x" {
			t.Errorf("got %q", got)
		}
	})
}
