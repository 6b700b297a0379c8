package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/returnsdesk/returnsdesk/mailbox"
	"github.com/returnsdesk/returnsdesk/state"
)

// runStatus prints for a person what /metrics says for a machine: each mailbox's last
// read, the mail received today (the store's day) by action, the threads waiting
// for staff and the outbox. It
// reads the state beside a running daemon and changes nothing.
func runStatus(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("status", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	configPath := fs.String("config", "", "configuration file (required)")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if *configPath == "" {
		return usageError{"--config is required: status reads the daemon's state and mailboxes from it"}
	}
	cfg, err := loadConfig(*configPath)
	if err != nil {
		return err
	}
	stores, err := cfg.BuildStores("")
	if err != nil {
		return err
	}
	boxes, err := mailbox.Mailboxes(cfg, stores)
	if err != nil {
		return err
	}
	// A file that is not there would be created empty; a Postgres state is made by
	// its first opener, which may as well be status.
	if !state.IsPostgres(cfg.State) {
		if _, err := os.Stat(cfg.State); err != nil {
			return fmt.Errorf("state %s: %w (has the daemon run yet?)", cfg.State, err)
		}
	}
	db, err := state.Open(ctx, cfg.State)
	if err != nil {
		return err
	}
	defer db.Close()
	sum, err := db.Summarize(ctx)
	if err != nil {
		return err
	}
	now := time.Now()

	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "STORE\tMAILBOX\tLAST READ\tRECEIVED TODAY\tFLAGGED OPEN")
	for _, s := range stores {
		today, err := db.DecidedSince(ctx, s.ID(), startOfDay(now, s.Policy.Location()))
		if err != nil {
			return err
		}
		first := true
		for _, b := range boxes {
			if b.Store != s.ID() {
				continue
			}
			read := "never"
			if at, ok := sum.Synced[b.Key]; ok {
				read = fmt.Sprintf("%s (%s ago)", at.Local().Format("2006-01-02 15:04:05"), now.Sub(at).Round(time.Second))
			}
			counts, flagged := "", ""
			if first {
				counts, flagged = counted(today), fmt.Sprint(sum.OpenFlagged[s.ID()])
				first = false
			}
			fmt.Fprintf(w, "%s\t%s/%s\t%s\t%s\t%s\n", s.ID(), b.Address, b.Folder, read, counts, flagged)
		}
	}
	w.Flush()
	waiting := "none waiting"
	if !sum.OldestPending.IsZero() {
		waiting = fmt.Sprintf("the oldest waiting since %s (%s)", sum.OldestPending.Local().Format("15:04:05"), now.Sub(sum.OldestPending).Round(time.Second))
	}
	fmt.Printf("\noutbox: %s; %s\n", counted(sum.Outbox), waiting)
	if state.IsPostgres(cfg.State) {
		if err := printLeases(ctx, db); err != nil {
			return err
		}
	}
	for _, o := range cfg.OAuth {
		ts, err := db.TokenState(ctx, o.Name)
		switch {
		case errors.Is(err, state.ErrNoToken):
			fmt.Printf("oauth %s: never signed in: run `returnsdesk login`\n", o.Name)
		case err != nil:
			return err
		case !ts.FailedAt.IsZero():
			fmt.Printf("oauth %s: LOGIN DEAD since %s (%s): run `returnsdesk login`\n", o.Name, ts.FailedAt.Local().Format("2006-01-02 15:04"), ts.Failure)
		default:
			fmt.Printf("oauth %s: signed in; access token valid until %s, renewed %s\n", o.Name,
				ts.Token.Expiry.Local().Format("2006-01-02 15:04"), ts.UpdatedAt.Local().Format("2006-01-02 15:04"))
		}
	}
	return nil
}

// printLeases shows which daemon works each mailbox (and runs the jobs) on a
// shared state, and which lease nobody holds.
func printLeases(ctx context.Context, db *state.DB) error {
	leases, err := db.Leases(ctx)
	if err != nil {
		return err
	}
	if len(leases) == 0 {
		fmt.Println("leases: none taken yet (no daemon has run on this state)")
		return nil
	}
	fmt.Println("leases:")
	for _, l := range leases {
		if l.Left > 0 {
			fmt.Printf("  %s: held by %s (token %d), %s left\n", l.Name, l.Holder, l.Token, l.Left.Round(100*time.Millisecond))
		} else {
			fmt.Printf("  %s: FREE (last held by %s, expired %s ago)\n", l.Name, l.Holder, (-l.Left).Round(time.Second))
		}
	}
	return nil
}

// counted writes counts as "authorize_return 3, reject 1", largest first.
func counted(counts map[string]int) string {
	keys := make([]string, 0, len(counts))
	total := 0
	for k, n := range counts {
		keys = append(keys, k)
		total += n
	}
	if total == 0 {
		return "0"
	}
	slices.SortFunc(keys, func(a, b string) int {
		if counts[a] != counts[b] {
			return counts[b] - counts[a]
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, counts[k])
	}
	return strings.Join(parts, ", ")
}

// startOfDay is midnight of now's day in loc: "today" is the store's own day.
func startOfDay(now time.Time, loc *time.Location) time.Time {
	y, m, d := now.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}
