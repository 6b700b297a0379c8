package state

import (
	"context"
	"errors"
	"github.com/returnsdesk/returnsdesk/state/statetest"
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

// TestOpenExclusivePostgres: on Postgres the daemon's hold is an advisory lock: a
// second OpenExclusive of the same state is refused, naming the holder; readers
// still open it; a state in another schema is not held; closing frees it.
func TestOpenExclusivePostgres(t *testing.T) {
	ctx := context.Background()
	st := postgresState(t)
	first, err := OpenExclusive(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	_, err = OpenExclusive(ctx, st)
	if !errors.Is(err, ErrInUse) {
		t.Fatalf("second open: %v, want ErrInUse", err)
	}
	t.Logf("refusal: %v", err)
	if !strings.Contains(err.Error(), "pid "+strconv.Itoa(os.Getpid())) {
		t.Errorf("the refusal does not name the holder: %v", err)
	}
	if _, password := statetest.SplitPassword(st); password != "" && strings.Contains(err.Error(), ":"+password+"@") {
		t.Errorf("the refusal shows the password: %v", err)
	}
	reader, err := Open(ctx, st)
	if err != nil {
		t.Fatalf("plain open beside the holder: %v", err)
	}
	reader.Close()

	other, err := OpenExclusive(ctx, postgresState(t))
	if err != nil {
		t.Fatalf("a state in another schema is held too: %v", err)
	}
	other.Close()

	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := OpenExclusive(ctx, st)
	if err != nil {
		t.Fatalf("open after the holder closed: %v", err)
	}
	again.Close()
}
