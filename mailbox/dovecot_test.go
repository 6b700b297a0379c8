package mailbox

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"text/template"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

const dovecotBinary = "/usr/sbin/dovecot"

// dovecotConf is a minimal Dovecot 2.3 for one test: loopback only, no TLS (loopback
// counts as secure, so plaintext login is allowed), users from a passwd-file, mail
// in maildirs under the test's directory, Sent and Drafts created with their
// SPECIAL-USE attributes, and a Review folder.
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

// startDovecot runs Dovecot in the foreground for the test and returns its address.
func startDovecot(t *testing.T, users []string) string {
	t.Helper()
	if _, err := os.Stat(dovecotBinary); err != nil {
		t.Skip("dovecot not installed: apt-get install dovecot-imapd")
	}
	out, err := exec.Command(dovecotBinary, "--version").Output()
	if err != nil {
		t.Fatalf("dovecot --version: %v", err)
	}
	if version := strings.TrimSpace(string(out)); !strings.HasPrefix(version, "2.3.") {
		t.Skipf("dovecot %s: this test writes a Dovecot 2.3 configuration", version)
	}
	dir := t.TempDir()
	// Dovecot refuses to keep mail as root: as root, mail belongs to nobody, whose
	// processes must reach the test's directory.
	uid, gid, loginUser := os.Getuid(), os.Getgid(), ""
	if uid == 0 {
		nobody, err := user.Lookup("nobody")
		if err != nil {
			t.Skipf("running as root, and no user nobody to own the mail: %v", err)
		}
		uid, _ = strconv.Atoi(nobody.Uid)
		gid, _ = strconv.Atoi(nobody.Gid)
		for d := dir; d != os.TempDir() && d != "/"; d = filepath.Dir(d) {
			os.Chmod(d, 0o755)
		}
	} else {
		me, err := user.Current()
		if err != nil {
			t.Fatal(err)
		}
		loginUser = me.Username
	}
	mailDir := filepath.Join(dir, "mail")
	if err := os.Mkdir(mailDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(mailDir, uid, gid); err != nil {
		t.Fatal(err)
	}
	var passwd strings.Builder
	for _, u := range users {
		fmt.Fprintf(&passwd, "%s:{PLAIN}%s:%d:%d::%s::\n", u, testPassword, uid, gid, filepath.Join(mailDir, u))
	}
	if err := os.WriteFile(filepath.Join(dir, "passwd"), []byte(passwd.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	port := freePort(t)
	var conf bytes.Buffer
	if err := dovecotConf.Execute(&conf, map[string]any{"Dir": dir, "Port": port, "User": loginUser}); err != nil {
		t.Fatal(err)
	}
	confPath := filepath.Join(dir, "dovecot.conf")
	if err := os.WriteFile(confPath, conf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(dovecotBinary, "-F", "-c", confPath)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start dovecot: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
		if t.Failed() {
			logText, _ := os.ReadFile(filepath.Join(dir, "dovecot.log"))
			t.Logf("dovecot output:\n%s\ndovecot log:\n%s", stderr.String(), logText)
		}
	})
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	waitFor(t, 10*time.Second, "dovecot to listen on "+addr, func() (bool, string) {
		select {
		case err := <-exited:
			exited <- err
			t.Fatalf("dovecot exited: %v\n%s", err, stderr.String())
		default:
		}
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			return false, err.Error()
		}
		c.Close()
		return true, ""
	})
	return addr
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// appendOverIMAP delivers mail with a real client, as another mail client would.
func appendOverIMAP(t *testing.T, addr string) func(m testMail) imap.UID {
	return func(m testMail) imap.UID {
		t.Helper()
		c, err := imapclient.DialInsecure(addr, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if err := c.Login(m.store, testPassword).Wait(); err != nil {
			t.Fatal(err)
		}
		raw := m.bytes()
		cmd := c.Append("INBOX", int64(len(raw)), &imap.AppendOptions{Time: m.at})
		if _, err := cmd.Write(raw); err != nil {
			t.Fatal(err)
		}
		if err := cmd.Close(); err != nil {
			t.Fatal(err)
		}
		data, err := cmd.Wait()
		if err != nil {
			t.Fatal(err)
		}
		if data.UID == 0 {
			t.Fatal("APPEND gave no UID (no UIDPLUS?)")
		}
		c.Logout().Wait()
		return data.UID
	}
}

// TestDovecot runs the daemon end to end against a real Dovecot: replies are sent
// once, copies land in the Sent folder found by SPECIAL-USE, escalations carry
// \Flagged and the review keyword, and flagged mail moves to Review.
func TestDovecot(t *testing.T) {
	stores := []string{"lumina", "alusse"}
	addr := startDovecot(t, stores)
	e := newBareEnv(t, addr, stores)
	e.appendMail = appendOverIMAP(t, addr)
	lumina := e.storeConfig("lumina")
	lumina.IMAP[0].Auth = "plain"
	lumina.IMAP[0].Review = "Review"
	mails := mailsOf(mixedMails(), stores...)
	e.deliver(mails[:len(mails)/2]...)
	r := e.start()
	e.waitCaughtUp(r)
	e.deliver(mails[len(mails)/2:]...) // these arrive while the daemon idles
	e.waitCaughtUp(r)

	replies := e.checkAnsweredOnce(r.db, mails)
	flagged := 0
	for _, s := range stores {
		flagged += e.checkMailboxMarks(r.db, s)
		e.checkSent(r.db, s)
	}
	review := e.contents("lumina", "Review")
	t.Logf("dovecot: %d replies, %d flagged, %d in lumina's Review", replies, flagged, len(review))
	if replies == 0 || flagged == 0 || len(review) == 0 {
		t.Errorf("want replies, flagged mail and mail in Review; got %d, %d, %d", replies, flagged, len(review))
	}
}

// TestDovecotStaffWorkflow is checkStaffWorkflow against a real Dovecot.
func TestDovecotStaffWorkflow(t *testing.T) {
	stores := []string{"lumina", "alusse"}
	addr := startDovecot(t, stores)
	e := newBareEnv(t, addr, stores)
	e.appendMail = appendOverIMAP(t, addr)
	checkStaffWorkflow(t, e)
}

// TestDovecotClearedFlagWhileIdling is checkClearedFlagWhileIdling against a real Dovecot.
func TestDovecotClearedFlagWhileIdling(t *testing.T) {
	stores := []string{"lumina"}
	addr := startDovecot(t, stores)
	e := newBareEnv(t, addr, stores)
	e.appendMail = appendOverIMAP(t, addr)
	checkClearedFlagWhileIdling(t, e)
}
