package templates

import (
	"io/fs"
	"strings"
	"testing"
)

// TestLayout checks that every language has the full set of customer templates and
// its shared blocks, and that the store directories hold only known files.
func TestLayout(t *testing.T) {
	langs := []string{"en", "de", "nl", "fr", "es", "it", "pt"}
	actions := []string{"authorize_return", "authorize_exchange", "redirect_portal",
		"replace_or_refund", "cancel_order", "status_update", "acknowledge", "request_info",
		"reject", "escalate", "reminder"}
	for _, lang := range langs {
		for _, name := range append(actions, "_partials") {
			if _, err := fs.Stat(FS, lang+"/"+name+".tmpl"); err != nil {
				t.Errorf("missing %s/%s.tmpl: %v", lang, name, err)
			}
		}
	}
	if _, err := fs.Stat(FS, "en/staff_escalation.tmpl"); err != nil {
		t.Errorf("missing en/staff_escalation.tmpl: %v", err)
	}
	// Every store override exists in all seven languages, so a customer never gets
	// the generic wording in one language and the store's own in another.
	stores, err := fs.Glob(FS, "stores/*/*/*.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	if len(stores) == 0 {
		t.Fatal("no store templates embedded")
	}
	for _, p := range stores {
		parts := strings.Split(p, "/")
		for _, lang := range langs {
			other := strings.Join([]string{parts[0], parts[1], lang, parts[3]}, "/")
			if _, err := fs.Stat(FS, other); err != nil {
				t.Errorf("%s has no %s version (%s)", p, lang, other)
			}
		}
	}
}
