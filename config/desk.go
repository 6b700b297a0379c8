package config

import (
	"log/slog"

	"github.com/returnsdesk/returnsdesk/desk"
	"github.com/returnsdesk/returnsdesk/parser"
	"github.com/returnsdesk/returnsdesk/responder"
	"github.com/returnsdesk/returnsdesk/state"
	"github.com/returnsdesk/returnsdesk/templates"
)

// NewDesk wires a desk from the configuration: its stores (orders from ordersDir when
// set), templates, limits, rate limit and job timings.
func (c *Config) NewDesk(ordersDir string, db *state.DB, logger *slog.Logger) (*desk.Desk, error) {
	stores, err := c.BuildStores(ordersDir)
	if err != nil {
		return nil, err
	}
	renderer, err := responder.NewRenderer(templates.FS, c.Templates)
	if err != nil {
		return nil, err
	}
	return desk.New(stores, db, renderer, desk.Options{
		Limits: parser.Options{
			MaxSize:        c.Limits.MaxMessageBytes,
			MaxParts:       c.Limits.MaxParts,
			MaxDepth:       c.Limits.MaxDepth,
			MaxHeaderBytes: c.Limits.MaxHeaderBytes,
		},
		RateLimit:  c.RateLimit.Replies,
		RateWindow: c.RateLimit.Window.Duration,
		Logger:     logger,
		Jobs: desk.JobOptions{
			ShipReminderAfter: c.Jobs.ShipReminderAfter.Duration,
			InfoReminderAfter: c.Jobs.InfoReminderAfter.Duration,
			StaffAfter:        c.Jobs.StaffAfter.Duration,
			DigestAt:          c.Jobs.DigestAt,
		},
	}), nil
}
