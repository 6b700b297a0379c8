package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/returnsdesk/returnsdesk/config"
	"github.com/returnsdesk/returnsdesk/mailbox"
)

func runDaemon(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	configPath := fs.String("config", "", "configuration file (required)")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if *configPath == "" {
		return usageError{"--config is required: the daemon needs the stores' IMAP and SMTP servers (see config.example.toml)"}
	}
	cfg, err := config.Load(*configPath)
	if err != nil {
		return err
	}
	stores, err := cfg.BuildStores("")
	if err != nil {
		return err
	}
	if err := config.ReadyToRun(cfg, stores); err != nil {
		return fmt.Errorf("refusing to start:\n%w", err)
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		return fmt.Errorf("log_level: %w", err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	daemon, db, err := mailbox.Open(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer db.Close()
	return daemon.Run(ctx)
}
