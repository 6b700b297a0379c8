package main

import (
	"os"
	"testing"

	"github.com/returnsdesk/returnsdesk/state/statetest"
)

// TestMain runs the command's tests on SQLite and, with a Postgres server named, on
// Postgres too (statetest.Matrix): the crash and fault tests' daemons then keep their
// state in a schema of the test's own.
func TestMain(m *testing.M) { os.Exit(statetest.Matrix(m)) }
