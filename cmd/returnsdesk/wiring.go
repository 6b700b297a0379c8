package main

import (
	"log/slog"

	"github.com/returnsdesk/returnsdesk/config"
	"github.com/returnsdesk/returnsdesk/desk"
	"github.com/returnsdesk/returnsdesk/parser"
	"github.com/returnsdesk/returnsdesk/responder"
	"github.com/returnsdesk/returnsdesk/state"
	"github.com/returnsdesk/returnsdesk/templates"
)

// newDesk wires a desk from a configuration.
func newDesk(cfg *config.Config, ordersDir string, db *state.DB, logger *slog.Logger) (*desk.Desk, error) {
	stores, err := cfg.BuildStores(ordersDir)
	if err != nil {
		return nil, err
	}
	renderer, err := responder.NewRenderer(templates.FS, cfg.Templates)
	if err != nil {
		return nil, err
	}
	return desk.New(stores, db, renderer, desk.Options{
		Limits: parser.Options{
			MaxSize:        cfg.Limits.MaxMessageBytes,
			MaxParts:       cfg.Limits.MaxParts,
			MaxDepth:       cfg.Limits.MaxDepth,
			MaxHeaderBytes: cfg.Limits.MaxHeaderBytes,
		},
		RateLimit:  cfg.RateLimit.Replies,
		RateWindow: cfg.RateLimit.Window.Duration,
		Logger:     logger,
		Jobs: desk.JobOptions{
			ShipReminderAfter: cfg.Jobs.ShipReminderAfter.Duration,
			InfoReminderAfter: cfg.Jobs.InfoReminderAfter.Duration,
			StaffAfter:        cfg.Jobs.StaffAfter.Duration,
		},
	}), nil
}
