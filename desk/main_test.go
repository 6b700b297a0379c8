package desk_test

import (
	"os"
	"testing"

	"github.com/returnsdesk/returnsdesk/state/statetest"
)

// TestMain runs the desk's tests on SQLite and, with a Postgres server named, on
// Postgres too (statetest.Matrix).
func TestMain(m *testing.M) { os.Exit(statetest.Matrix(m)) }
