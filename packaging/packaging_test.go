package packaging

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

const (
	unitFile        = "returnsdesk.service"
	dockerfile      = "../Dockerfile"
	installedBinary = "/usr/local/bin/returnsdesk"
	configPath      = "/etc/returnsdesk/returnsdesk.toml"
	metricsPort     = "9464"
)

// buildDaemon builds the real cmd/returnsdesk into a temporary directory.
func buildDaemon(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "returnsdesk")
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "../cmd/returnsdesk")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ../cmd/returnsdesk: %v\n%s", err, out)
	}
	return bin
}

func readUnit(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(unitFile)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// unitValues returns the values of key in section of a unit file, in order. It knows
// what these files use: [Section] headers, key=value, # and ; comments and
// backslash continuations.
func unitValues(unit, section, key string) []string {
	var vals []string
	cur := ""
	lines := strings.Split(unit, "\n")
	for i := 0; i < len(lines); i++ {
		line := strings.TrimSpace(lines[i])
		for strings.HasSuffix(line, "\\") && i+1 < len(lines) {
			i++
			line = strings.TrimSuffix(line, "\\") + " " + strings.TrimSpace(lines[i])
		}
		switch {
		case line == "" || line[0] == '#' || line[0] == ';':
		case line[0] == '[':
			cur = strings.Trim(line, "[]")
		case cur == section:
			k, v, ok := strings.Cut(line, "=")
			if ok && strings.TrimSpace(k) == key {
				vals = append(vals, strings.TrimSpace(v))
			}
		}
	}
	return vals
}

// execArgs splits the unit's one ExecStart= into words. The unit uses no quoting,
// specifiers, variables or prefixes; the check refuses them rather than split them
// wrongly.
func execArgs(t *testing.T, unit string) []string {
	t.Helper()
	vals := unitValues(unit, "Service", "ExecStart")
	if len(vals) != 1 {
		t.Fatalf("%s: want exactly one ExecStart= in [Service], have %q", unitFile, vals)
	}
	if strings.ContainsAny(vals[0], "\"'%$\\") || strings.ContainsAny(vals[0][:1], "-@+!:") {
		t.Fatalf("%s: ExecStart=%s uses quoting, specifiers, variables or prefixes this test does not parse", unitFile, vals[0])
	}
	return strings.Fields(vals[0])
}

// flagArg is one flag on a command line: its name, value and the index of the word
// that holds the value.
type flagArg struct {
	name, value string
	at          int
	inline      bool // --name=value
}

// parseFlags walks the words after the subcommand the way Go's flag package does and
// refuses positional arguments: `returnsdesk run` silently ignores them, so a stray
// word (or a flag after one, which flag parsing never reaches) would go unnoticed.
// Every flag of `run` takes a value; a boolean flag would have to be listed here.
func parseFlags(t *testing.T, where string, args []string) map[string]flagArg {
	t.Helper()
	flags := map[string]flagArg{}
	for i := 0; i < len(args); i++ {
		w := args[i]
		if w == "--" || !strings.HasPrefix(w, "-") || w == "-" {
			t.Fatalf("%s: positional argument %q in %q: `returnsdesk run` ignores it and every flag after it", where, w, args)
		}
		name := strings.TrimPrefix(strings.TrimPrefix(w, "-"), "-")
		f := flagArg{name: name, at: i}
		if n, v, ok := strings.Cut(name, "="); ok {
			f.name, f.value, f.inline = n, v, true
		} else {
			if i+1 >= len(args) {
				t.Fatalf("%s: flag %s has no value", where, w)
			}
			i++
			f.value, f.at = args[i], i
		}
		if _, dup := flags[f.name]; dup {
			t.Fatalf("%s: flag --%s given twice", where, f.name)
		}
		flags[f.name] = f
	}
	return flags
}

// runWith runs the built binary; it expects a quick exit (code 1 on every path here).
func runWith(t *testing.T, bin string, args []string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 15*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, args...).CombinedOutput()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return string(out), 0
	case errors.As(err, &ee) && ctx.Err() == nil:
		return string(out), ee.ExitCode()
	default:
		t.Fatalf("returnsdesk %q: %v (the daemon should have exited at once)\n%s", args, err, out)
		return "", 0
	}
}

// checkAcceptedByRun runs the binary with a command line's own flags, --config pointed
// at a file that does not exist. `run` parses its flags first and reads the
// configuration next, so it fails at once either way: with "usage: returnsdesk run"
// when a flag is unknown or lacks a value (main.go prints that only for usage errors),
// with "read config: open <file>" when every flag was accepted. The daemon never
// starts, so nothing connects to a mail server or opens a state.
func checkAcceptedByRun(t *testing.T, bin, where string, runArgs []string) {
	t.Helper()
	if len(runArgs) == 0 || runArgs[0] != "run" {
		t.Fatalf("%s: want the run subcommand, have %q", where, runArgs)
	}
	flags := parseFlags(t, where, runArgs[1:])
	cfg, ok := flags["config"]
	if !ok {
		t.Fatalf("%s: no --config: `returnsdesk run` requires it", where)
	}
	if cfg.value != configPath {
		t.Errorf("%s: --config %s, want %s", where, cfg.value, configPath)
	}
	if l, ok := flags["listen"]; ok {
		// run only binds --listen after loading the configuration: check the address here.
		if _, port, err := net.SplitHostPort(l.value); err != nil {
			t.Errorf("%s: --listen %q: %v", where, l.value, err)
		} else if port != metricsPort {
			t.Errorf("%s: --listen port %s, want %s (the port the other files name)", where, port, metricsPort)
		}
	}

	missing := filepath.Join(t.TempDir(), "missing.toml")
	args := append([]string(nil), runArgs...)
	if cfg.inline {
		args[1+cfg.at] = "--config=" + missing
	} else {
		args[1+cfg.at] = missing
	}
	out, code := runWith(t, bin, args)
	if strings.Contains(out, "usage: returnsdesk run") || !strings.Contains(out, "read config: open "+missing) || code != 1 {
		t.Errorf("%s: returnsdesk %s\nexit %d, output:\n%s\nwant the flags accepted and the run to stop at the missing configuration", where, strings.Join(args, " "), code, out)
		return
	}

	// The same command line with a flag run does not have must fail as a usage error:
	// otherwise the check above would pass whatever the flags were.
	bogus := append(append([]string(nil), args...), "--no-such-flag-for-packaging-test=1")
	out, code = runWith(t, bin, bogus)
	if code != 1 || !strings.Contains(out, "flag provided but not defined: -no-such-flag-for-packaging-test") || !strings.Contains(out, "usage: returnsdesk run") {
		t.Errorf("returnsdesk %s\nexit %d, output:\n%s\nwant a usage error: this check can no longer tell an unknown flag", strings.Join(bogus, " "), code, out)
	}
}

func TestUnitMatchesDaemonFlags(t *testing.T) {
	unit := readUnit(t)
	args := execArgs(t, unit)
	if args[0] != installedBinary {
		t.Errorf("%s: ExecStart runs %s, want %s", unitFile, args[0], installedBinary)
	}
	bin := buildDaemon(t)
	t.Run("unit", func(t *testing.T) {
		checkAcceptedByRun(t, bin, unitFile+" ExecStart", args[1:])
	})
	t.Run("Dockerfile", func(t *testing.T) {
		df, err := os.ReadFile(dockerfile)
		if err != nil {
			t.Fatal(err)
		}
		entry := dockerExecForm(t, string(df), "ENTRYPOINT")
		if len(entry) != 1 || entry[0] != installedBinary {
			t.Errorf("Dockerfile ENTRYPOINT %q, want [%q]", entry, installedBinary)
		}
		checkAcceptedByRun(t, bin, "Dockerfile CMD", dockerExecForm(t, string(df), "CMD"))
		if expose := dockerInstruction(t, string(df), "EXPOSE"); expose != metricsPort {
			t.Errorf("Dockerfile EXPOSE %s, want %s", expose, metricsPort)
		}
	})
}

// dockerInstruction returns the arguments of the one instruction named in the final
// stage of a Dockerfile (these files have no line continuations).
func dockerInstruction(t *testing.T, df, name string) string {
	t.Helper()
	var found []string
	for _, line := range strings.Split(df, "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) == 0 || strings.HasPrefix(f[0], "#"):
		case strings.EqualFold(f[0], "FROM"):
			found = nil // only the final stage counts
		case strings.EqualFold(f[0], name):
			found = append(found, strings.TrimSpace(line[len(f[0]):]))
		}
	}
	if len(found) != 1 {
		t.Fatalf("Dockerfile: want one %s in the final stage, have %q", name, found)
	}
	return found[0]
}

// dockerExecForm returns an instruction's JSON exec form: a shell form would run the
// daemon under /bin/sh, which distroless does not have.
func dockerExecForm(t *testing.T, df, name string) []string {
	t.Helper()
	raw := dockerInstruction(t, df, name)
	var words []string
	if err := json.Unmarshal([]byte(raw), &words); err != nil {
		t.Fatalf("Dockerfile %s %s: not the JSON exec form: %v", name, raw, err)
	}
	return words
}

// environmental is one message systemd-analyze verify may print that says something
// about the machine running the test, not about the unit. Each is matched narrowly; any
// other line fails the test. On this project's test machine (systemd 252, not PID 1,
// no returnsdesk user, run as root or as nobody) verify prints nothing at all for the
// unit: it does not check that User= exists, and it does not need a running systemd.
// If a newer systemd prints something environmental, add it here with its reason.
type environmental struct {
	why   string
	match func(line, unitPath string) bool
}

var (
	otherUnitLine = regexp.MustCompile(`^(/[^:]+\.(service|target|socket|mount|path|timer|slice|scope|device|swap|automount)):\d+: `)
	missingUnit   = regexp.MustCompile(`^returnsdesk\.service: Failed to create returnsdesk\.service/start: Unit (\S+) not found\.$`)
)

var verifyEnvironmental = []environmental{
	{
		// verify also loads the units ours is ordered after (network-online.target and
		// what that pulls in) from the host and reports their warnings with their own
		// path: the host's unit files, not ours. Reproduced with SYSTEMD_UNIT_PATH
		// pointing at a broken network-online.target.
		why: "a warning about another unit file on this machine",
		match: func(line, unitPath string) bool {
			m := otherUnitLine.FindStringSubmatch(line)
			return m != nil && m[1] != unitPath
		},
	},
	{
		// A machine without systemd's own unit tree (a container with just the
		// systemd-analyze binary, or SYSTEMD_UNIT_PATH set to an empty directory) cannot
		// build the start transaction: the implicit default dependencies and the target
		// we order after are missing. Only these exact units; a unit ours names and
		// misspells is not in the list.
		why: "a standard systemd target missing on this machine",
		match: func(line, _ string) bool {
			m := missingUnit.FindStringSubmatch(line)
			if m == nil {
				return false
			}
			switch m[1] {
			case "sysinit.target", "basic.target", "shutdown.target", "network-online.target":
				return true
			}
			return false
		},
	},
	{
		// ExecReload= names /bin/kill of the machine the unit is installed on (Debian:
		// procps). A test machine without procps does not make the unit wrong; a
		// machine that has /bin/kill still gets this line treated as an error.
		why: "/bin/kill not installed on this machine",
		match: func(line, _ string) bool {
			if !strings.HasPrefix(line, "returnsdesk.service: Command /bin/kill is not executable: ") {
				return false
			}
			_, err := os.Stat("/bin/kill")
			return err != nil
		},
	},
}

// verify runs systemd-analyze verify on the unit at path and returns the lines that
// are about the unit, after logging the environmental ones.
func verify(t *testing.T, analyze, path string) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, analyze, "--no-pager", "verify", path)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("systemd-analyze verify %s: %v", path, ctx.Err())
	}
	var problems []string
lines:
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if line == "" {
			continue
		}
		for _, e := range verifyEnvironmental {
			if e.match(line, path) {
				t.Logf("ignored (%s): %s", e.why, line)
				continue lines
			}
		}
		problems = append(problems, line)
	}
	if err != nil && len(problems) == 0 && out.Len() == 0 {
		// A non-zero exit that said nothing cannot be told apart from a broken unit.
		problems = append(problems, fmt.Sprintf("systemd-analyze verify: %v, no output", err))
	} else if err != nil && len(problems) == 0 {
		t.Logf("systemd-analyze verify: %v, only for the environmental reasons above", err)
	}
	return problems
}

func TestSystemdUnitVerifies(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze not installed: apt-get install systemd")
	}
	bin := buildDaemon(t)
	unit := readUnit(t)
	// verify checks that ExecStart= is executable; /usr/local/bin/returnsdesk does
	// not exist on a test machine, so point it at the binary just built.
	const from = "ExecStart=" + installedBinary + " "
	if strings.Count(unit, from) != 1 {
		t.Fatalf("%s: want one line starting %q", unitFile, from)
	}
	unit = strings.Replace(unit, from, "ExecStart="+bin+" ", 1)

	path := filepath.Join(t.TempDir(), unitFile)
	if err := os.WriteFile(path, []byte(unit), 0o644); err != nil {
		t.Fatal(err)
	}
	if problems := verify(t, analyze, path); len(problems) > 0 {
		t.Errorf("systemd-analyze verify %s:\n%s", unitFile, strings.Join(problems, "\n"))
	}

	// verify exits 0 on unknown keys and bad values and only prints them: make sure the
	// check above sees them, so a clean result means something.
	t.Run("catches errors", func(t *testing.T) {
		broken := strings.Replace(unit, "[Service]\n", "[Service]\nNoSuchDirective=yes\nProtectSystem=sometimes\n", 1)
		path := filepath.Join(t.TempDir(), unitFile)
		if err := os.WriteFile(path, []byte(broken), 0o644); err != nil {
			t.Fatal(err)
		}
		got := strings.Join(verify(t, analyze, path), "\n")
		for _, want := range []string{"NoSuchDirective", "sometimes"} {
			if !strings.Contains(got, want) {
				t.Errorf("systemd-analyze verify of a unit with %q reported:\n%s\nthe check would miss such errors", want, got)
			}
		}
	})

	t.Run("security", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, analyze, "--no-pager", "security", "--offline=true", path)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			if strings.Contains(stderr.String(), "unrecognized option") {
				t.Skipf("systemd-analyze security --offline needs systemd 250 or later: %s", strings.TrimSpace(stderr.String()))
			}
			t.Fatalf("systemd-analyze security --offline=true: %v\n%s%s", err, stdout.String(), stderr.String())
		}
		for _, line := range strings.Split(stdout.String(), "\n") {
			if strings.Contains(line, "Overall exposure level") {
				t.Log(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "→")))
				return
			}
		}
		t.Logf("no overall exposure line in the output:\n%s", stdout.String())
	})
}

func TestDockerfileBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: docker build pulls images and compiles the module, which takes minutes on a cold cache")
	}
	docker, err := exec.LookPath("docker")
	if err != nil {
		t.Skip("docker not on PATH")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	info := exec.CommandContext(ctx, docker, "info")
	var stderr bytes.Buffer
	info.Stderr = &stderr
	err = info.Run()
	cancel()
	if err != nil {
		t.Skipf("docker info failed, no Docker engine reachable (only the client?): %s", firstLine(stderr.Bytes(), err))
	}

	tag := fmt.Sprintf("returnsdesk-packaging-test:%d-%d", os.Getpid(), time.Now().UnixNano())
	t.Cleanup(func() {
		// t.Context is already done in cleanups.
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if out, err := exec.CommandContext(ctx, docker, "image", "rm", "-f", tag).CombinedOutput(); err != nil {
			t.Logf("docker image rm %s: %v\n%s", tag, err, out)
		}
	})
	ctx, cancel = context.WithTimeout(t.Context(), 15*time.Minute)
	defer cancel()
	if out, err := exec.CommandContext(ctx, docker, "build", "-t", tag, "..").CombinedOutput(); err != nil {
		t.Fatalf("docker build: %v\n%s", err, out)
	}

	// The binary must run on distroless (static, no libc) under the image's entrypoint.
	out, err := exec.CommandContext(ctx, docker, "run", "--rm", tag, "help").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "usage: returnsdesk") {
		t.Errorf("docker run %s help: %v\n%s", tag, err, out)
	}
	out, err = exec.CommandContext(ctx, docker, "image", "inspect", "--format", "{{.Config.User}}", tag).CombinedOutput()
	if user := strings.TrimSpace(string(out)); err != nil || user == "" || user == "0" || user == "root" || strings.HasPrefix(user, "0:") {
		t.Errorf("image user %q (%v): want the non-root 65532", user, err)
	}
}

func firstLine(out []byte, err error) string {
	if s, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n"); s != "" {
		return s
	}
	return err.Error()
}

func TestSysusersConf(t *testing.T) {
	sysusers, err := exec.LookPath("systemd-sysusers")
	if err != nil {
		t.Skip("systemd-sysusers not installed: apt-get install systemd")
	}
	conf, err := os.ReadFile("sysusers.conf")
	if err != nil {
		t.Fatal(err)
	}
	// Create the user in an empty root, not on this machine. With --root a file
	// argument is looked up inside the root: give the configuration on stdin.
	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, "etc"), 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, sysusers, "--root="+root, "-")
	cmd.Stdin = bytes.NewReader(conf)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("systemd-sysusers: %v\n%s", err, out)
	}
	t.Logf("%s", bytes.TrimSpace(out))
	passwd, err := os.ReadFile(filepath.Join(root, "etc", "passwd"))
	if err != nil {
		t.Fatal(err)
	}
	group, err := os.ReadFile(filepath.Join(root, "etc", "group"))
	if err != nil {
		t.Fatal(err)
	}
	var entry []string
	for _, line := range strings.Split(string(passwd), "\n") {
		if f := strings.Split(line, ":"); len(f) == 7 && f[0] == "returnsdesk" {
			entry = f
		}
	}
	if entry == nil {
		t.Fatalf("no returnsdesk in passwd:\n%s", passwd)
	}
	// The unit's User= and Group= are both returnsdesk; the home is the state directory.
	if !regexp.MustCompile(`(?m)^returnsdesk:x:` + entry[3] + `:`).Match(group) {
		t.Errorf("no group returnsdesk with gid %s:\n%s", entry[3], group)
	}
	if entry[5] != "/var/lib/returnsdesk" {
		t.Errorf("home %s, want /var/lib/returnsdesk", entry[5])
	}
	if !strings.HasSuffix(entry[6], "nologin") {
		t.Errorf("shell %s, want nologin", entry[6])
	}
	t.Logf("passwd: %s", strings.Join(entry, ":"))
}
