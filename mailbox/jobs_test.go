package mailbox

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestScheduledJobs: the job run queues a reminder and a staff escalation, the
// dispatcher delivers them, and a second run queues nothing more.
func TestScheduledJobs(t *testing.T) {
	e := newEnv(t, nil, "lumina")
	mails := mailsOf(mixedMails(), "lumina")
	e.deliver(mails...)
	later := day20(12, 0).Add(4 * 24 * time.Hour)
	r := e.start(func(d *Daemon) { d.SetClock(func() time.Time { return later }) })
	e.waitCaughtUp(r)
	before := len(e.smtp.Messages())

	if n, err := r.d.RunJobs(ctxb()); err != nil || n < 2 {
		t.Fatalf("RunJobs: %d queued, %v", n, err)
	}
	e.waitCaughtUp(r)
	var reminders, escalations int
	for _, m := range e.smtp.Messages()[before:] {
		switch subject := headerOf(m.Raw, "Subject"); {
		case strings.HasPrefix(subject, "[Returnsdesk]"):
			escalations++
			if m.To[0] != "support@luminahelp.com" {
				t.Errorf("escalation to %v", m.To)
			}
		case headerOf(m.Raw, "In-Reply-To") != "":
			reminders++
		default:
			t.Errorf("unexpected job mail %q to %v", subject, m.To)
		}
	}
	if reminders == 0 || escalations == 0 {
		t.Errorf("%d reminders, %d escalations: want both", reminders, escalations)
	}
	e.checkSent(r.db, "lumina")

	total := len(e.smtp.Messages())
	if n, err := r.d.RunJobs(ctxb()); err != nil || n != 0 {
		t.Errorf("second RunJobs: %d queued, %v", n, err)
	}
	e.waitCaughtUp(r)
	if n := len(e.smtp.Messages()); n != total {
		t.Errorf("a second run sent %d more mails", n-total)
	}
}

func TestParseSchedule(t *testing.T) {
	for _, c := range []struct {
		spec string
		ok   bool
	}{
		{"*/15 * * * *", true},
		{"@yearly", true},
		{"0 8 * * 1-5", true},
		{"CRON_TZ=Europe/Amsterdam 0 8 * * *", true},
		{"CRON_TZ=Europe/Amsterdam", false}, // robfig/cron panics on this one
		{"every day", false},
		{"", false},
	} {
		t.Run(c.spec, func(t *testing.T) {
			_, err := parseSchedule(c.spec)
			if (err == nil) != c.ok {
				t.Errorf("parseSchedule(%q) = %v", c.spec, err)
			}
		})
	}
}

// TestCronRunsJobs: the schedule drives the jobs (robfig/cron's shortest period is
// a second) and their mail goes out.
func TestCronRunsJobs(t *testing.T) {
	e := newEnv(t, nil, "alinora")
	e.cfg.Jobs.Schedule = "@every 1s"
	mails := mailsOf(mixedMails(), "alinora")
	e.deliver(mails...)
	later := day20(12, 0).Add(4 * 24 * time.Hour)
	r := e.start(func(d *Daemon) { d.SetClock(func() time.Time { return later }) })
	waitFor(t, 10*time.Second, "a staff escalation sent by the scheduled run", func() (bool, string) {
		for _, m := range e.smtp.Messages() {
			if strings.HasPrefix(headerOf(m.Raw, "Subject"), "[Returnsdesk]") {
				return true, ""
			}
		}
		return false, fmt.Sprintf("%d mails sent", len(e.smtp.Messages()))
	})
	e.waitCaughtUp(r)
}
