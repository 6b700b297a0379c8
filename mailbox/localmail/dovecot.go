package localmail

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"text/template"
	"time"
)

// DovecotBinary is where Debian's dovecot-imapd puts the server.
const DovecotBinary = "/usr/sbin/dovecot"

// ErrNoDovecot means Dovecot 2.3 is not installed here.
var ErrNoDovecot = errors.New("dovecot 2.3 not installed: apt-get install dovecot-imapd")

// dovecotConf is a minimal Dovecot 2.3: loopback only, no TLS (loopback counts as
// secure, so plaintext login is allowed), users from a passwd-file, mail in maildirs
// under the directory, Sent and Drafts created with their SPECIAL-USE attributes, and
// a Review folder.
var dovecotConf = template.Must(template.New("conf").Parse(`base_dir = {{.Dir}}/run
state_dir = {{.Dir}}/state
log_path = {{.Dir}}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
mail_location = maildir:~/Maildir
{{- if .User}}
default_login_user = {{.User}}
default_internal_user = {{.User}}
{{- end}}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {{.Dir}}/passwd
}
userdb {
  driver = passwd-file
  args = username_format=%u {{.Dir}}/passwd
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = {{.Port}}
  }
  inet_listener imaps {
    port = 0
  }
}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Sent {
    special_use = \Sent
    auto = create
  }
  mailbox Drafts {
    special_use = \Drafts
    auto = create
  }
  mailbox Review {
    auto = create
  }
}
`))

// Dovecot is a Dovecot running in the foreground, for tests and the benchmark.
type Dovecot struct {
	// Addr is host:port of its IMAP listener.
	Addr   string
	dir    string
	cmd    *exec.Cmd
	exited chan error
	output bytes.Buffer
}

// StartDovecot runs Dovecot with its configuration, state and mail under dir, one
// user per name (all with password), and waits until it listens.
func StartDovecot(dir string, users []string, password string) (*Dovecot, error) {
	if _, err := os.Stat(DovecotBinary); err != nil {
		return nil, ErrNoDovecot
	}
	out, err := exec.Command(DovecotBinary, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("dovecot --version: %w", err)
	}
	if version := strings.TrimSpace(string(out)); !strings.HasPrefix(version, "2.3.") {
		return nil, fmt.Errorf("dovecot %s: %w", version, ErrNoDovecot)
	}
	// Dovecot refuses to keep mail as root: as root, mail belongs to nobody, whose
	// processes must reach the directory.
	uid, gid, loginUser := os.Getuid(), os.Getgid(), ""
	if uid == 0 {
		nobody, err := user.Lookup("nobody")
		if err != nil {
			return nil, fmt.Errorf("running as root, and no user nobody to own the mail: %w", err)
		}
		uid, _ = strconv.Atoi(nobody.Uid)
		gid, _ = strconv.Atoi(nobody.Gid)
		for d := dir; d != os.TempDir() && d != "/"; d = filepath.Dir(d) {
			os.Chmod(d, 0o755)
		}
	} else {
		me, err := user.Current()
		if err != nil {
			return nil, err
		}
		loginUser = me.Username
	}
	mailDir := filepath.Join(dir, "mail")
	if err := os.MkdirAll(mailDir, 0o755); err != nil {
		return nil, err
	}
	if err := os.Chown(mailDir, uid, gid); err != nil {
		return nil, err
	}
	var passwd strings.Builder
	for _, u := range users {
		fmt.Fprintf(&passwd, "%s:{PLAIN}%s:%d:%d::%s::\n", u, password, uid, gid, filepath.Join(mailDir, u))
	}
	if err := os.WriteFile(filepath.Join(dir, "passwd"), []byte(passwd.String()), 0o644); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	var conf bytes.Buffer
	if err := dovecotConf.Execute(&conf, map[string]any{"Dir": dir, "Port": port, "User": loginUser}); err != nil {
		return nil, err
	}
	confPath := filepath.Join(dir, "dovecot.conf")
	if err := os.WriteFile(confPath, conf.Bytes(), 0o644); err != nil {
		return nil, err
	}
	d := &Dovecot{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), dir: dir, exited: make(chan error, 1)}
	d.cmd = exec.Command(DovecotBinary, "-F", "-c", confPath)
	d.cmd.Stdout, d.cmd.Stderr = &d.output, &d.output
	if err := d.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start dovecot: %w", err)
	}
	go func() { d.exited <- d.cmd.Wait() }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		select {
		case err := <-d.exited:
			d.exited <- err
			return nil, fmt.Errorf("dovecot exited: %v\n%s", err, d.output.String())
		default:
		}
		c, err := net.DialTimeout("tcp", d.Addr, time.Second)
		if err == nil {
			c.Close()
			return d, nil
		}
		if time.Now().After(deadline) {
			d.Close()
			return nil, fmt.Errorf("dovecot did not listen on %s: %w", d.Addr, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Log is what Dovecot wrote: its output and its log file.
func (d *Dovecot) Log() string {
	logText, _ := os.ReadFile(filepath.Join(d.dir, "dovecot.log"))
	return d.output.String() + string(logText)
}

// Close stops Dovecot.
func (d *Dovecot) Close() {
	d.cmd.Process.Signal(os.Interrupt)
	select {
	case <-d.exited:
	case <-time.After(5 * time.Second):
		d.cmd.Process.Kill()
		<-d.exited
	}
}
