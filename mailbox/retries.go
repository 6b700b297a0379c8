package mailbox

import (
	"sync"
	"time"
)

// retries schedules the next attempt per key after failures: an outbox row
// ("row/17"), an SMTP server, a store mailbox. Each key backs off on its own, so
// one refusing recipient does not hold back the other mail, and a dead server is
// not dialled again for every mail queued meanwhile. It runs on the wall clock.
type retries struct {
	min, max time.Duration
	mu       sync.Mutex // the filer's lanes share one schedule
	m        map[string]*retry
}

type retry struct {
	b  *backoff
	at time.Time
}

func newRetries(min, max time.Duration) *retries {
	return &retries{min: min, max: max, m: map[string]*retry{}}
}

// due reports whether key may be tried now.
func (r *retries) due(key string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	s, ok := r.m[key]
	return !ok || !time.Now().Before(s.at)
}

// fail schedules key's next attempt and returns the delay.
func (r *retries) fail(key string) time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.failLocked(key)
}

func (r *retries) failLocked(key string) time.Duration {
	s, ok := r.m[key]
	if !ok {
		s = &retry{b: newBackoff(r.min, r.max)}
		r.m[key] = s
	}
	d := s.b.next()
	s.at = time.Now().Add(d)
	return d
}

// failAtMost is fail with the delay capped at most (the backoff still grows, for
// when the cap no longer applies).
func (r *retries) failAtMost(key string, most time.Duration) time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	d := min(r.failLocked(key), most)
	r.m[key].at = time.Now().Add(d)
	return d
}

// ok forgets key's failures.
func (r *retries) ok(key string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.m, key)
}

// next returns how long until the earliest attempt scheduled in the future.
func (r *retries) next() (time.Duration, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := time.Now()
	var first time.Time
	for _, s := range r.m {
		if s.at.After(now) && (first.IsZero() || s.at.Before(first)) {
			first = s.at
		}
	}
	if first.IsZero() {
		return 0, false
	}
	return first.Sub(now), true
}
