package desk

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/mail"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// ReplayOptions drive Replay.
type ReplayOptions struct {
	// Now, when set, is the instant every message is processed at instead of its Date.
	Now time.Time
	// JobsUntil, when set, runs the scheduled jobs at every tick of Schedule from the
	// last message to that instant.
	JobsUntil time.Time
	Schedule  string // cron spec; "*/15 * * * *" when empty
	// Explain adds to each result why it was decided: the rule, the confidence and
	// the phrases the reading rests on.
	Explain bool
}

// ReplayFiles lists the .eml files of paths: a directory gives its .eml files in
// lexical order, a file is taken as it is.
func ReplayFiles(paths []string) ([]string, error) {
	var files []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			files = append(files, p)
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			return nil, err
		}
		var names []string
		for _, e := range entries {
			if !e.IsDir() && strings.EqualFold(filepath.Ext(e.Name()), ".eml") {
				names = append(names, e.Name())
			}
		}
		slices.Sort(names)
		for _, n := range names {
			files = append(files, filepath.Join(p, n))
		}
	}
	return files, nil
}

// Replay processes files in order against the desk's state, as the daemon would, and
// hands each result (and each job mail) to emit. Nothing is sent. With JobsUntil the
// scheduled jobs run at every tick of the schedule, in time order with the mails: a
// reminder due between two mails is sent between them. A file that cannot be read is
// reported to emit as an error and replay goes on; the returned error counts them.
func (d *Desk) Replay(ctx context.Context, files []string, opts ReplayOptions, emit func(v any) error) error {
	var sched cron.Schedule
	if !opts.JobsUntil.IsZero() {
		spec := opts.Schedule
		if spec == "" {
			spec = "*/15 * * * *"
		}
		var err error
		if sched, err = cron.ParseStandard(spec); err != nil {
			return fmt.Errorf("jobs schedule %q: %w", spec, err)
		}
	}
	// jobsUntil runs the job ticks after last up to and including until.
	var last time.Time
	jobsUntil := func(until time.Time) error {
		if sched == nil || last.IsZero() {
			return nil
		}
		until = minTime(until, opts.JobsUntil)
		for t := sched.Next(last); !t.After(until); t = sched.Next(t) {
			mails, err := d.RunJobs(ctx, t)
			if err != nil {
				return fmt.Errorf("jobs at %s: %w", t.Format(time.RFC3339), err)
			}
			for _, m := range mails {
				if err := emit(m); err != nil {
					return err
				}
			}
			last = t
		}
		return nil
	}
	failed := 0
	for _, f := range files {
		raw, err := readLimited(f, d.opts.Limits.MaxSize)
		if err != nil {
			failed++
			if err := emit(map[string]string{"file": f, "error": err.Error()}); err != nil {
				return err
			}
			continue
		}
		at := opts.Now
		if next := messageTime(raw, at); !next.IsZero() && next.After(last) {
			if err := jobsUntil(next.Add(-time.Nanosecond)); err != nil {
				return err
			}
		}
		res, err := d.Process(ctx, raw, at)
		if err != nil {
			return fmt.Errorf("process %s: %w", f, err)
		}
		res.File = f
		if opts.Explain {
			res.Explain = res.Explanation()
		}
		if t := d.processedAt(res, at); t.After(last) {
			last = t
		}
		if err := emit(res); err != nil {
			return err
		}
	}
	if sched != nil {
		if last.IsZero() {
			last = d.opts.Now()
		}
		if err := jobsUntil(opts.JobsUntil); err != nil {
			return err
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d files could not be read", failed, len(files))
	}
	return nil
}

// messageTime is when a replayed mail is processed: at, or its Date header.
func messageTime(raw []byte, at time.Time) time.Time {
	if !at.IsZero() {
		return at
	}
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return time.Time{}
	}
	t, err := m.Header.Date()
	if err != nil {
		return time.Time{}
	}
	return t
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// processedAt is the instant a result was decided at.
func (d *Desk) processedAt(res *Result, at time.Time) time.Time {
	if !at.IsZero() {
		return at
	}
	m, err := d.state.MessageByID(context.Background(), res.MessageID)
	if err != nil {
		return time.Time{}
	}
	return m.At
}

// readLimited reads a file up to one byte past limit, so the parser sees that it is too
// large without the desk holding all of a huge file.
func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if limit <= 0 {
		return io.ReadAll(f)
	}
	return io.ReadAll(io.LimitReader(f, limit+1))
}
