package state

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

// ErrInUse is returned by OpenExclusive when another process holds the state.
var ErrInUse = errors.New("the state is in use by another process")

// Lock is a process's hold on a state file: while it is held, no other daemon opens
// the same state. It lives in a file beside the database (path + ".lock") that names
// its holder; the operating system drops the lock when the process ends, however it
// ends, so a crash leaves nothing to clean up.
type Lock struct {
	f *os.File
}

// lockPath is the lock file of the state at path.
func lockPath(path string) string { return path + ".lock" }

// acquireLock takes the lock of the state at path without waiting. When another
// process holds it, the error wraps ErrInUse and says who holds it.
func acquireLock(path string) (*Lock, error) {
	f, err := os.OpenFile(lockPath(path), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock state %s: %w", path, err)
	}
	held, err := tryLock(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock state %s: %w", path, err)
	}
	if !held {
		holder, _ := os.ReadFile(lockPath(path))
		f.Close()
		who := strings.TrimSpace(string(holder))
		if who == "" {
			who = "a process that has not said who it is"
		}
		return nil, fmt.Errorf("%w: %s is held by %s; stop that one first, or give this one a state of its own", ErrInUse, path, who)
	}
	host, _ := os.Hostname()
	holder := fmt.Sprintf("pid %d on %s since %s\n", os.Getpid(), host, time.Now().UTC().Format(time.RFC3339))
	if err := f.Truncate(0); err == nil {
		_, err = f.WriteAt([]byte(holder), 0)
	}
	if err != nil {
		unlock(f)
		f.Close()
		return nil, fmt.Errorf("lock state %s: write holder: %w", path, err)
	}
	return &Lock{f: f}, nil
}

// release gives the lock up. The file stays: removing it would race with a process
// that has just opened it to wait for the lock.
func (l *Lock) release() error {
	if l == nil {
		return nil
	}
	l.f.Truncate(0)
	err := unlock(l.f)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	return err
}
