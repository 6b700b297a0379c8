package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/returnsdesk/returnsdesk/config"
)

func runCheckConfig(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("check-config", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	configPath := fs.String("config", "", "configuration file (default: the built-in stores)")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	cfg, err := loadConfig(*configPath)
	if err != nil {
		return err
	}
	stores, err := cfg.BuildStores("")
	if err != nil {
		return err
	}
	for _, s := range stores {
		fmt.Printf("%-10s %-22s mailboxes %v, %d orders\n", s.ID(), s.Policy.Name, s.Policy.Mailboxes, s.Orders.Len())
	}
	if err := config.ReadyToRun(cfg, stores); err != nil {
		return fmt.Errorf("not ready for `returnsdesk run`:\n%w", err)
	}
	fmt.Println("configuration OK")
	return nil
}
