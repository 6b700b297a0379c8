package mailbox

import (
	"context"
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	b := newBackoff(time.Second, 8*time.Second)
	for i, ceiling := range []time.Duration{1, 2, 4, 8, 8, 8} {
		ceiling *= time.Second
		for range 20 {
			saved := b.cur
			d := b.next()
			if d < ceiling/2 || d > ceiling {
				t.Fatalf("step %d: %s not in [%s, %s]", i, d, ceiling/2, ceiling)
			}
			b.cur = saved
		}
		b.next()
	}
	b.reset()
	if d := b.next(); d > time.Second {
		t.Errorf("after reset: %s, want at most the minimum", d)
	}
	ctx, cancel := context.WithCancel(ctxb())
	cancel()
	if sleep(ctx, time.Hour) {
		t.Error("sleep ignored a cancelled context")
	}
}
func TestRetries(t *testing.T) {
	r := newRetries(time.Hour, 4*time.Hour)
	if !r.due("row/1") {
		t.Fatal("a key never failed is not due")
	}
	if _, ok := r.next(); ok {
		t.Fatal("next with nothing scheduled")
	}
	d1 := r.fail("row/1")
	if d1 < 30*time.Minute || d1 > time.Hour {
		t.Errorf("first delay %s, want within [30m, 1h]", d1)
	}
	if r.due("row/1") || !r.due("row/2") {
		t.Error("only the failed key waits")
	}
	d2 := r.fail("row/1")
	if d2 < time.Hour || d2 > 2*time.Hour {
		t.Errorf("second delay %s, want within [1h, 2h]", d2)
	}
	if next, ok := r.next(); !ok || next > d2 || next < d2-time.Minute {
		t.Errorf("next = %s, %t; want about %s", next, ok, d2)
	}
	r.ok("row/1")
	if !r.due("row/1") {
		t.Error("a key that succeeded still waits")
	}
	if d := r.fail("row/1"); d > time.Hour {
		t.Errorf("after success the backoff starts over; got %s", d)
	}
}
