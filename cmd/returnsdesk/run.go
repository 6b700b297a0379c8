package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/returnsdesk/returnsdesk/config"
	"github.com/returnsdesk/returnsdesk/mailbox"
	"github.com/returnsdesk/returnsdesk/state"
)

func runDaemon(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	configPath := fs.String("config", "", "configuration file (required)")
	listen := fs.String("listen", "", "serve /metrics and /healthz on this address (e.g. 127.0.0.1:9464)")
	pprofAddr := fs.String("pprof", "", "serve Go's profiles (/debug/pprof/) on this address, for measuring (e.g. 127.0.0.1:6060)")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if *configPath == "" {
		return usageError{"--config is required: the daemon needs the stores' IMAP and SMTP servers (see config.example.toml)"}
	}
	cfg, err := loadReady(*configPath)
	if err != nil {
		return fmt.Errorf("refusing to start:\n%w", err)
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		return fmt.Errorf("log_level: %w", err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set && cfg.Limits.MemoryBytes > 0 {
		// Memory stays flat when a backlog holds many large mails: the collector
		// returns what a big body left behind before the heap doubles.
		debug.SetMemoryLimit(cfg.Limits.MemoryBytes)
	}

	// SIGHUP reloads the configuration; caught before anything starts, so that it
	// never ends the process (its default).
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)

	daemon, db, err := mailbox.Open(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer db.Close()
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
				if err := reload(*configPath, daemon, db, logger); err != nil {
					logger.Error("new configuration refused; still running on the one before", "config", *configPath, "err", err)
				} else {
					logger.Info("configuration reloaded", "config", *configPath)
				}
			}
		}
	}()
	if *listen != "" {
		stop, err := serveMonitoring(ctx, "/metrics and /healthz", *listen, daemon.Handler(), logger)
		if err != nil {
			return err
		}
		defer stop()
	}
	if *pprofAddr != "" {
		mux := http.NewServeMux()
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
		stop, err := serveMonitoring(ctx, "/debug/pprof/", *pprofAddr, mux, logger)
		if err != nil {
			return err
		}
		defer stop()
	}
	return daemon.Run(ctx)
}

// loadReady reads a configuration and checks that a daemon can run on it (real
// mailboxes, no sample data, someone to escalate to).
func loadReady(path string) (*config.Config, error) {
	cfg, err := config.Load(path)
	if err != nil {
		return nil, err
	}
	stores, err := cfg.BuildStores("")
	if err != nil {
		return nil, err
	}
	if err := config.ReadyToRun(cfg, stores); err != nil {
		return nil, err
	}
	return cfg, nil
}

// reload reads the configuration again, checks it as a start would, and puts it into
// service; on any error the running one stays.
func reload(path string, daemon *mailbox.Daemon, db *state.DB, logger *slog.Logger) error {
	cfg, err := loadReady(path)
	if err != nil {
		return err
	}
	dk, err := cfg.NewDesk("", db, logger)
	if err != nil {
		return err
	}
	return daemon.Reload(cfg, dk)
}

// serveMonitoring serves h (what it serves, for the log) on addr until stop is called. The address is bound
// before the daemon starts, so a taken port refuses the start instead of running
// unobserved.
func serveMonitoring(ctx context.Context, what, addr string, h http.Handler, logger *slog.Logger) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("--listen %s: %w", addr, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second,
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) }}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("monitoring endpoint stopped", "addr", addr, "err", err)
		}
	}()
	logger.Info("serving "+what, "addr", ln.Addr().String())
	return func() {
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}, nil
}
