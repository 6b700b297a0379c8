// Command returnsdesk answers store customers' return mail. See README.md.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// command is one subcommand: flags and wiring only; the work lives in the packages.
type command struct {
	name, usage, summary string
	run                  func(ctx context.Context, args []string) error
}

var commands []command

func init() {
	commands = []command{
		{"demo", "demo [-v] [--timeout 1m]",
			"run the daemon end to end against in-process IMAP and SMTP servers with sample mail", runDemo},
		{"replay", "replay [--config FILE] [--orders-dir DIR] [--now RFC3339] [--jobs-until RFC3339] PATH...",
			"decide .eml files offline and print one JSON line per message", runReplay},
		{"run", "run --config FILE [--listen ADDR] [--pprof ADDR]", "the daemon: watch the stores' mailboxes and answer new mail (--listen: /metrics and /healthz; --pprof: Go profiles)", runDaemon},
		{"login", "login --config FILE --store S --mailbox M [--flow device|browser]",
			"sign a mailbox in with OAuth2 once (Outlook.com, Microsoft 365, Gmail); the daemon keeps it logged in", runLogin},
		{"status", "status --config FILE", "what the daemon is doing: each mailbox's last read, today's mail, flagged threads, the outbox", runStatus},
		{"check-config", "check-config [--config FILE]", "validate a configuration and say which key is wrong", runCheckConfig},
	}
}

// usageError is a mistake in the command line: exit status 1 with the usage.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:]))
}

func run(ctx context.Context, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printUsage()
		if len(args) == 0 {
			return 1
		}
		return 0
	}
	for _, c := range commands {
		if c.name != args[0] {
			continue
		}
		if err := c.run(ctx, args[1:]); err != nil {
			fmt.Fprintf(os.Stderr, "returnsdesk %s: %v\n", c.name, err)
			if _, ok := err.(usageError); ok {
				fmt.Fprintf(os.Stderr, "usage: returnsdesk %s\n", c.usage)
			}
			return 1
		}
		return 0
	}
	fmt.Fprintf(os.Stderr, "returnsdesk: unknown command %q\n", args[0])
	printUsage()
	return 1
}

func printUsage() {
	fmt.Fprintln(os.Stderr, "usage: returnsdesk COMMAND [flags]\n\ncommands:")
	for _, c := range commands {
		fmt.Fprintf(os.Stderr, "  %-13s %s\n", c.name, c.summary)
	}
}
