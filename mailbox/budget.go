package mailbox

import (
	"context"
	"sync"
)

// bodyBudget bounds the bytes of mail bodies held at once by all workers together,
// so that several stores' large mails (photos of many megabytes) arriving at the
// same time are read one after another instead of all at once: memory stays flat
// whatever the attachments. A mail larger than the whole budget takes all of it.
type bodyBudget struct {
	mu    sync.Mutex
	cond  *sync.Cond
	total int64
	free  int64
}

func newBodyBudget(total int64) *bodyBudget {
	b := &bodyBudget{total: total, free: total}
	b.cond = sync.NewCond(&b.mu)
	return b
}

// acquire takes n bytes of the budget, waiting while others hold it; it returns
// what was taken (for release) or ctx's error.
func (b *bodyBudget) acquire(ctx context.Context, n int64) (int64, error) {
	n = min(max(n, 0), b.total)
	stop := context.AfterFunc(ctx, func() {
		b.mu.Lock()
		b.cond.Broadcast()
		b.mu.Unlock()
	})
	defer stop()
	b.mu.Lock()
	defer b.mu.Unlock()
	for b.free < n {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		b.cond.Wait()
	}
	b.free -= n
	return n, nil
}

func (b *bodyBudget) release(n int64) {
	b.mu.Lock()
	b.free += n
	b.mu.Unlock()
	b.cond.Broadcast()
}
