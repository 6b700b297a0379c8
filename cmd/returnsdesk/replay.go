package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/returnsdesk/returnsdesk/config"
	"github.com/returnsdesk/returnsdesk/desk"
	"github.com/returnsdesk/returnsdesk/state"
)

func runReplay(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("replay", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	configPath := fs.String("config", "", "configuration file (default: the built-in stores)")
	ordersDir := fs.String("orders-dir", "", "read DIR/<store>/orders_export.csv and products_export.csv")
	nowFlag := fs.String("now", "", "process every message at this instant (RFC 3339) instead of its Date")
	jobsFlag := fs.String("jobs-until", "", "then run the scheduled jobs up to this instant (RFC 3339)")
	verbose := fs.Bool("v", false, "log each decision to stderr")
	explain := fs.Bool("explain", false, "add to each line why it was decided: rule, confidence, the phrases read")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() == 0 {
		return usageError{"no PATH given"}
	}
	var opts desk.ReplayOptions
	var err error
	if opts.Now, err = parseInstant("--now", *nowFlag); err != nil {
		return err
	}
	if opts.JobsUntil, err = parseInstant("--jobs-until", *jobsFlag); err != nil {
		return err
	}
	cfg, err := loadConfig(*configPath)
	if err != nil {
		return err
	}
	opts.Schedule, opts.Explain = cfg.Jobs.Schedule, *explain
	files, err := desk.ReplayFiles(fs.Args())
	if err != nil {
		return usageError{err.Error()}
	}

	level := slog.LevelWarn
	if *verbose {
		level = slog.LevelInfo
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	// Replay starts from a fresh state every time: it decides, it never remembers.
	db, err := state.Open(ctx, ":memory:")
	if err != nil {
		return err
	}
	defer db.Close()
	d, err := cfg.NewDesk(*ordersDir, db, logger)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	return d.Replay(ctx, files, opts, enc.Encode)
}

func parseInstant(flagName, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, usageError{fmt.Sprintf("%s: %q is not an RFC 3339 time (e.g. 2026-11-21T09:00:00Z)", flagName, v)}
	}
	return t, nil
}

// loadConfig reads the file, or gives the built-in defaults without one.
func loadConfig(path string) (*config.Config, error) {
	if path == "" {
		return config.Default(), nil
	}
	return config.Load(path)
}
