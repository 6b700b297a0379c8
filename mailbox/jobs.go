package mailbox

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/returnsdesk/returnsdesk/desk"
	"github.com/returnsdesk/returnsdesk/state"
)

// parseSchedule reads a cron spec. robfig/cron panics on some malformed specs
// ("CRON_TZ=X" with nothing after it): that becomes an error here.
func parseSchedule(spec string) (s cron.Schedule, err error) {
	defer func() {
		if p := recover(); p != nil {
			s, err = nil, fmt.Errorf("%q is not a schedule: %v", spec, p)
		}
	}()
	return cron.ParseStandard(spec)
}

// startJobs schedules the desk's reminders and escalations; each run is followed by
// a delivery round for what it queued. A job panic is logged, not fatal, and a run
// still going when the next is due is skipped.
func (d *Daemon) startJobs(ctx context.Context) (*cron.Cron, error) {
	schedule, err := parseSchedule(d.cfg.Jobs.Schedule)
	if err != nil {
		return nil, err
	}
	logger := cronLogger{d.log}
	c := cron.New(cron.WithChain(cron.Recover(logger), cron.SkipIfStillRunning(logger)))
	run := cron.FuncJob(func() { d.runJobs(ctx) })
	c.Schedule(schedule, run)
	digests, err := digestSchedules(d.cfg.Jobs.DigestAt, d.desk().Stores())
	if err != nil {
		return nil, err
	}
	for _, s := range digests {
		c.Schedule(s, run)
	}
	c.Start()
	return c, nil
}

// digestSchedules are the runs at digest_at in each store's own zone
// ("CRON_TZ=Asia/Shanghai 0 8 * * *"), so a digest goes out at 08:00 where its
// staff are, not at the next run of the common schedule. Those runs still catch a
// digest up that was missed while the daemon was down.
func digestSchedules(at string, stores []*desk.Store) ([]cron.Schedule, error) {
	if at == "" {
		return nil, nil
	}
	t, err := time.Parse("15:04", at)
	if err != nil {
		return nil, fmt.Errorf("jobs.digest_at: %q is not a time of day (HH:MM)", at)
	}
	zones := map[string]bool{}
	var out []cron.Schedule
	for _, s := range stores {
		zone := s.Policy.Location().String()
		if zones[zone] {
			continue
		}
		zones[zone] = true
		sched, err := parseSchedule(fmt.Sprintf("CRON_TZ=%s %d %d * * *", zone, t.Minute(), t.Hour()))
		if err != nil {
			return nil, fmt.Errorf("digest schedule of %s: %w", s.ID(), err)
		}
		out = append(out, sched)
	}
	return out, nil
}

// runJobs is the scheduled run: errors are logged, the schedule goes on.
func (d *Daemon) runJobs(ctx context.Context) {
	if ctx.Err() != nil {
		return
	}
	if _, err := d.RunJobs(ctx); err != nil {
		d.log.Error("scheduled jobs", "err", err)
	}
}

// RunJobs runs the scheduled jobs (reminders, staff escalations) once, at the
// daemon's clock, and wakes the delivery of what they queued. It returns how many
// mails were queued. The schedule calls it; the demo may call it at any time.
//
// On a shared state the jobs run only where the jobs lease is held, and their
// writes are fenced with it: they run once across the instances.
func (d *Daemon) RunJobs(ctx context.Context) (int, error) {
	if d.cluster {
		l, ok := d.leases.get(jobsLease)
		if !ok {
			d.log.Debug("scheduled jobs left to the instance that holds their lease")
			return 0, nil
		}
		ctx = state.WithFence(ctx, l.fence)
	}
	mails, err := d.desk().RunJobs(ctx, d.now())
	if len(mails) > 0 {
		d.queued()
	}
	result := "ok"
	if err != nil {
		result = "error"
	}
	d.monitor.jobRuns.WithLabelValues(result).Inc()
	for _, m := range mails {
		d.monitor.jobMails.WithLabelValues(m.Store, m.Code).Inc()
	}
	return len(mails), err
}

// cronLogger gives robfig/cron the daemon's logger.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, keysAndValues ...any) {
	l.log.Debug("cron: "+msg, keysAndValues...)
}

func (l cronLogger) Error(err error, msg string, keysAndValues ...any) {
	l.log.Error("cron: "+msg, append([]any{"err", err}, keysAndValues...)...)
}
