//go:build !unix

package state

import (
	"errors"
	"os"
)

// The daemon is built for Unix systems; elsewhere a state cannot be held exclusively.
func tryLock(*os.File) (bool, error) {
	return false, errors.New("an exclusive lock on the state needs a Unix system")
}

func unlock(*os.File) error { return nil }
