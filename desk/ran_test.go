package desk

import (
	"crypto/rand"
	"testing"
)

// TestRANsUnguessable: RAN codes drawn one after another share no structure a
// customer could extrapolate from: no repeats, no counter, every character of the
// alphabet in use.
func TestRANsUnguessable(t *testing.T) {
	const n = 2000
	seen := map[string]bool{}
	counts := map[byte]int{}
	samePos, prev := 0, ""
	for range n {
		r := randomCode(rand.Reader, 10)
		if len(r) != 10 {
			t.Fatalf("code %q: want 10 characters", r)
		}
		if seen[r] {
			t.Fatalf("code %s drawn twice", r)
		}
		seen[r] = true
		for j := range len(r) {
			counts[r[j]]++
			if prev != "" && prev[j] == r[j] {
				samePos++
			}
		}
		prev = r
	}
	// Consecutive codes agree in about 1 position in 32 by chance; a counter or a
	// clock would make them agree in most.
	if frac := float64(samePos) / float64(10*(n-1)); frac > 0.06 {
		t.Errorf("consecutive codes agree in %.1f%% of positions: not random", frac*100)
	}
	if len(counts) != len(ranAlphabet) {
		t.Errorf("codes use %d distinct characters, want all %d of the alphabet", len(counts), len(ranAlphabet))
	}
}
