package statetest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// BackendEnv, set to "postgres" (Matrix sets it for its second run), puts the state
// of a package's tests on Postgres: State gives a fresh schema instead of SQLite.
const BackendEnv = "RETURNSDESK_TEST_BACKEND"

// Matrix runs a package's tests on SQLite and, when Env names a Postgres server, once
// more on Postgres: the test binary runs itself again with BackendEnv set, so that
// `go test ./...` alone covers both backends. Call it from TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(statetest.Matrix(m)) }
func Matrix(m *testing.M) int {
	code := m.Run()
	if os.Getenv(Env) == "" || os.Getenv(BackendEnv) != "" {
		return code
	}
	fmt.Printf("=== the same tests on Postgres (%s=postgres)\n", BackendEnv)
	cmd := exec.Command(os.Args[0], os.Args[1:]...)
	// The daemons the tests start read the password from the environment (their
	// configuration may not hold it).
	_, password := SplitPassword(os.Getenv(Env))
	cmd.Env = append(os.Environ(), BackendEnv+"=postgres", "PGPASSWORD="+password)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintf(os.Stderr, "tests on Postgres: %v\n", err)
		return 1
	}
	return code
}

// OnPostgres reports whether this run of the tests keeps its state on Postgres.
func OnPostgres() bool { return os.Getenv(BackendEnv) == "postgres" }

// State returns the state setting for a test: a fresh Postgres schema in the
// Postgres run of Matrix, otherwise SQLite (in memory when file is "", else that file
// in the test's temporary directory).
func State(t testing.TB, file string) string {
	t.Helper()
	if OnPostgres() {
		return Postgres(t)
	}
	if file == "" {
		return ":memory:"
	}
	return filepath.Join(t.TempDir(), file)
}
