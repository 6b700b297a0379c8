package oauth_test

import (
	"os"
	"testing"

	"github.com/returnsdesk/returnsdesk/state/statetest"
)

// TestMain runs the OAuth2 tests on SQLite and, with a Postgres server named, on
// Postgres too (statetest.Matrix): refresh tokens are kept in the state.
func TestMain(m *testing.M) { os.Exit(statetest.Matrix(m)) }
