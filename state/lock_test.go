package state

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestOpenExclusive: a state held by one opener is refused to the next, with the
// holder named, and is free again once closed.
func TestOpenExclusive(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "state.db")
	first, err := OpenExclusive(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = OpenExclusive(ctx, path)
	if !errors.Is(err, ErrInUse) {
		t.Fatalf("second open: %v, want ErrInUse", err)
	}
	if !strings.Contains(err.Error(), "pid "+strconv.Itoa(os.Getpid())) {
		t.Errorf("the refusal does not name the holder: %v", err)
	}
	// Readers that do not claim the state (status, tests) still open it.
	reader, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("plain open beside the holder: %v", err)
	}
	reader.Close()
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := OpenExclusive(ctx, path)
	if err != nil {
		t.Fatalf("open after the holder closed: %v", err)
	}
	again.Close()
}
