package mailbox

import (
	"context"
	"testing"
	"time"

	"github.com/returnsdesk/returnsdesk/config"
	"github.com/returnsdesk/returnsdesk/desk"
	"github.com/returnsdesk/returnsdesk/responder"
	"github.com/returnsdesk/returnsdesk/state"
	"github.com/returnsdesk/returnsdesk/templates"
)

func TestScratchHeaderOnly(t *testing.T) {
	stores, err := config.Default().BuildStores("")
	if err != nil {
		t.Fatal(err)
	}
	db, _ := state.Open(context.Background(), ":memory:")
	r, _ := responder.NewRenderer(templates.FS, "")
	d := desk.New(stores, db, r, desk.Options{})
	for i, subj := range []string{"Return request for order LW-58213", "I want to return my leggings LW-58213", "Retour LW-58213", "Photos"} {
		raw := "From: Sophie <sophie.vandenberg@example.nl>\r\nTo: support@luminahelp.com\r\nSubject: " + subj + "\r\nMessage-ID: <x" + string(rune('a'+i)) + "@example.nl>\r\nDate: Fri, 20 Nov 2026 10:00:00 +0100\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
		res, err := d.Process(context.Background(), []byte(raw), time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s -> %s/%s flagged=%v why=%s problems=%v", subj, res.Action, res.Code, res.Flagged, res.Why, res.Problems)
	}
}
