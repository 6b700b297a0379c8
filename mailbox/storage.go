package mailbox

import (
	"context"
	"sync"
	"time"

	"github.com/returnsdesk/returnsdesk/state"
)

// storageGate pauses the intake and the sending while the state cannot be written
// (disk full, read-only, an I/O error): a reply delivered that cannot be recorded
// would be delivered again, and a mail decided that cannot be recorded would be
// decided again. One ERROR names the cause; a probe write every so often finds out
// when the state is mended, and both carry on by themselves.
type storageGate struct {
	d *Daemon

	mu      sync.Mutex
	cause   error
	resumed chan struct{} // closed when the state takes writes again; nil while it does
}

// trouble reports whether err is the storage failing; if so the gate closes (if it
// was open) and probing starts.
func (g *storageGate) trouble(err error) bool {
	if err == nil || !state.IsStorageError(err) {
		return false
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.resumed == nil {
		g.cause = err
		g.resumed = make(chan struct{})
		g.d.log.Error("the state cannot be written: reading and sending mail paused until it can",
			"state", g.d.cfg.State, "err", err)
		go g.probe(g.resumed)
	}
	return true
}

// closedBy returns the storage error the gate is closed by, nil while it is open.
func (g *storageGate) closedBy() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.cause
}

// wait blocks while the gate is closed; it returns ctx's error when ctx ends first.
func (g *storageGate) wait(ctx context.Context) error {
	g.mu.Lock()
	ch := g.resumed
	g.mu.Unlock()
	if ch == nil {
		return nil
	}
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// probe writes to the state every timing.probe until a write succeeds, then opens
// the gate.
func (g *storageGate) probe(resumed chan struct{}) {
	t := time.NewTicker(g.d.timing.probe)
	defer t.Stop()
	for range t.C {
		ctx, cancel := context.WithTimeout(context.Background(), g.d.timing.op)
		err := g.d.db.Probe(ctx, g.d.now())
		cancel()
		if err != nil && state.IsStorageError(err) {
			continue
		}
		g.mu.Lock()
		g.cause, g.resumed = nil, nil
		g.mu.Unlock()
		close(resumed)
		g.d.log.Info("the state takes writes again: reading and sending mail resumed", "state", g.d.cfg.State)
		g.d.queued()
		g.d.copyOwed()
		return
	}
}
