package mailbox

import (
	"os"
	"testing"

	"github.com/returnsdesk/returnsdesk/state/statetest"
)

// TestMain runs the mailbox tests on SQLite and, with a Postgres server named, on
// Postgres too (statetest.Matrix).
func TestMain(m *testing.M) { os.Exit(statetest.Matrix(m)) }
