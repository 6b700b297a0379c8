package mailbox

import (
	"testing"
	"time"
)

// TestFirstStartLeavesOldMail: pointed at a mailbox for the first time, the daemon
// answers the recent mail and leaves the old mail for staff, untouched.
func TestFirstStartLeavesOldMail(t *testing.T) {
	e := newEnv(t, nil, "luxnome")
	e.cfg.Daemon.FirstStartBacklog.Duration = 72 * time.Hour
	recent := mailsOf(mixedMails(), "luxnome")[1]
	old := recent
	old.id, old.at = "old.luxnome@mail.example", recent.at.AddDate(0, 0, -40)
	e.deliver(old, recent)
	r := e.start(func(d *Daemon) { d.SetClock(func() time.Time { return recent.at.Add(2 * time.Hour) }) })
	e.waitCaughtUp(r)

	if seen, err := r.db.Seen(ctxb(), old.id); err != nil || seen {
		t.Errorf("old mail processed (seen=%t, err=%v)", seen, err)
	}
	if seen, err := r.db.Seen(ctxb(), recent.id); err != nil || !seen {
		t.Errorf("recent mail not processed (seen=%t, err=%v)", seen, err)
	}
	for _, m := range e.contents("luxnome", "INBOX") {
		if m.messageID == old.id && len(m.flags) > 0 {
			t.Errorf("old mail was marked: %v", m.flags)
		}
	}
}
