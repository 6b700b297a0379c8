// Package demo shows the whole product working with nothing but the binary: go-imap's
// in-memory IMAP server holding the five stores' mailboxes, filled with sample customer
// mail, a go-smtp sink standing in for the outgoing server, and the real daemon
// answering them on the built-in policies and sample orders.
package demo

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"path"
	"slices"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/emersion/go-smtp"

	"github.com/returnsdesk/returnsdesk/config"
	"github.com/returnsdesk/returnsdesk/mailbox"
	"github.com/returnsdesk/returnsdesk/parser"
	"github.com/returnsdesk/returnsdesk/state"
)

//go:embed mail/*.eml
var sample embed.FS

const password = "demo"

// Run plays the demo and writes each conversation to out. It needs no network and no
// configuration; it gives up after timeout.
func Run(ctx context.Context, out io.Writer, logger *slog.Logger, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	mails, err := loadSample()
	if err != nil {
		return err
	}

	cfg := config.Default()
	cfg.State = ":memory:"
	cfg.Daemon.PollInterval.Duration = 200 * time.Millisecond
	// The sample mail is dated around 20–23 November 2026, whenever the demo runs.
	cfg.Daemon.FirstStartBacklog.Duration = 0
	// The demo shows the answers to its sample mail. The scheduled jobs and the digest
	// run on the wall clock; were a quarter hour (or the digest's minute) to strike
	// during the run, they would remind the sample's customers of requests weeks old
	// by then and the report would vary.
	cfg.Jobs.Schedule, cfg.Jobs.DigestAt = "@yearly", ""
	stores, err := cfg.BuildStores("")
	if err != nil {
		return err
	}
	var addrs []string
	for _, s := range stores {
		addrs = append(addrs, s.Policy.Mailboxes...)
	}
	imapAddr, stopIMAP, err := startIMAP(addrs)
	if err != nil {
		return err
	}
	defer stopIMAP()
	sink, err := startSink()
	if err != nil {
		return err
	}
	defer sink.close()

	host, port := splitHostPort(imapAddr)
	for _, s := range stores {
		sc := config.Store{ID: s.ID(), Mode: "send"}
		for _, m := range s.Policy.Mailboxes {
			sc.IMAP = append(sc.IMAP, config.IMAP{Address: m, Host: host, Port: port, Security: "none", Auth: "login",
				Username: m, Password: config.Secret{Value: password}, Folder: "INBOX", Sent: "Sent", Drafts: "Drafts"})
		}
		cfg.Stores = append(cfg.Stores, sc)
	}
	sinkHost, sinkPort := splitHostPort(sink.addr)
	cfg.SMTP = config.SMTP{Host: sinkHost, Port: sinkPort, Security: "none", Auth: "none"}

	fmt.Fprintf(out, "Returnsdesk demo: IMAP on %s, SMTP sink on %s, %d stores, %d customer mails.\n\n", imapAddr, sink.addr, len(stores), len(mails))
	if err := deliver(imapAddr, mails); err != nil {
		return err
	}

	daemon, db, err := mailbox.Open(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer db.Close()
	runCtx, stopDaemon := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- daemon.Run(runCtx) }()
	waitErr := waitUntilAnswered(ctx, db, len(mails))
	stopDaemon()
	if err := <-done; err != nil {
		return fmt.Errorf("daemon: %w", err)
	}
	if waitErr != nil {
		return waitErr
	}
	flags, sentCopies, err := mailboxState(imapAddr, addrs)
	if err != nil {
		return err
	}
	return report(ctx, out, db, mails, sink.messages(), flags, sentCopies)
}

// sampleMail is one demo customer mail.
type sampleMail struct {
	name string
	raw  []byte
	msg  *parser.Message
	to   string // the store mailbox it goes to
}

func loadSample() ([]sampleMail, error) {
	names, err := fs.Glob(sample, "mail/*.eml")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	var out []sampleMail
	for _, n := range names {
		raw, err := sample.ReadFile(n)
		if err != nil {
			return nil, err
		}
		msg, err := parser.Parse(bytes.NewReader(raw), parser.DefaultOptions())
		if err != nil {
			return nil, fmt.Errorf("sample %s: %w", n, err)
		}
		if len(msg.Recipients) == 0 {
			return nil, fmt.Errorf("sample %s: no recipient", n)
		}
		out = append(out, sampleMail{name: path.Base(n), raw: raw, msg: msg, to: msg.Recipients[0]})
	}
	return out, nil
}

// startIMAP serves one in-memory account per store mailbox on a loopback port.
func startIMAP(addrs []string) (string, func(), error) {
	mem := imapmemserver.New()
	for _, a := range addrs {
		u := imapmemserver.NewUser(a, password)
		for _, folder := range []string{"INBOX", "Sent", "Drafts"} {
			if err := u.Create(folder, nil); err != nil {
				return "", nil, fmt.Errorf("create %s for %s: %w", folder, a, err)
			}
		}
		mem.AddUser(u)
	}
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}, imap.CapMove: {}},
		InsecureAuth: true,
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("listen for IMAP: %w", err)
	}
	go srv.Serve(ln)
	return ln.Addr().String(), func() { srv.Close() }, nil
}

// deliver APPENDs each mail to its store mailbox's INBOX as a mail server would,
// dated by its Date header so the desk decides it as of that day.
func deliver(addr string, mails []sampleMail) error {
	for _, m := range mails {
		c, err := imapclient.DialInsecure(addr, nil)
		if err != nil {
			return fmt.Errorf("connect to demo IMAP: %w", err)
		}
		err = func() error {
			defer c.Close()
			if err := c.Login(m.to, password).Wait(); err != nil {
				return fmt.Errorf("login %s: %w", m.to, err)
			}
			cmd := c.Append("INBOX", int64(len(m.raw)), &imap.AppendOptions{Time: m.msg.Date})
			if _, err := cmd.Write(m.raw); err != nil {
				return err
			}
			if err := cmd.Close(); err != nil {
				return err
			}
			if _, err := cmd.Wait(); err != nil {
				return fmt.Errorf("append %s: %w", m.name, err)
			}
			return c.Logout().Wait()
		}()
		if err != nil {
			return err
		}
	}
	return nil
}

// waitUntilAnswered waits until every mail is decided and every reply is out.
func waitUntilAnswered(ctx context.Context, db *state.DB, n int) error {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		done, err := db.ProcessedCount(ctx)
		if err != nil {
			return err
		}
		counts, err := db.OutboxCounts(ctx)
		if err != nil {
			return err
		}
		unfiled, err := db.UnfiledOutgoing(ctx, 0, 1)
		if err != nil {
			return err
		}
		if done >= n && counts[state.OutboxPending] == 0 && len(unfiled) == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("the daemon answered %d of %d mails before the demo timed out", done, n)
		case <-tick.C:
		}
	}
}

// mailboxState reads back from IMAP what staff would see: which customer mails carry
// \Flagged, and how many replies were copied to Sent.
func mailboxState(addr string, addrs []string) (map[string][]string, int, error) {
	flags := map[string][]string{}
	sent := 0
	for _, a := range addrs {
		c, err := imapclient.DialInsecure(addr, nil)
		if err != nil {
			return nil, 0, err
		}
		err = func() error {
			defer c.Close()
			if err := c.Login(a, password).Wait(); err != nil {
				return err
			}
			st, err := c.Status("Sent", &imap.StatusOptions{NumMessages: true}).Wait()
			if err != nil {
				return err
			}
			sent += int(*st.NumMessages)
			sel, err := c.Select("INBOX", nil).Wait()
			if err != nil {
				return err
			}
			var msgs []*imapclient.FetchMessageBuffer
			if sel.NumMessages > 0 {
				var all imap.SeqSet
				all.AddRange(1, 0) // 1:*
				if msgs, err = c.Fetch(all, &imap.FetchOptions{Flags: true, Envelope: true}).Collect(); err != nil {
					return err
				}
			}
			for _, m := range msgs {
				if m.Envelope == nil {
					continue
				}
				for _, f := range m.Flags {
					flags[m.Envelope.MessageID] = append(flags[m.Envelope.MessageID], string(f))
				}
			}
			return c.Logout().Wait()
		}()
		if err != nil {
			return nil, 0, fmt.Errorf("read %s: %w", a, err)
		}
	}
	return flags, sent, nil
}

func splitHostPort(addr string) (string, int) {
	host, port, _ := net.SplitHostPort(addr)
	var p int
	fmt.Sscanf(port, "%d", &p)
	return host, p
}

// sink is an SMTP server that keeps what it is sent.
type sink struct {
	addr string
	srv  *smtp.Server
	mu   sync.Mutex
	got  [][]byte
}

func startSink() (*sink, error) {
	s := &sink{}
	s.srv = smtp.NewServer(s)
	s.srv.Domain = "localhost"
	s.srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen for SMTP: %w", err)
	}
	s.addr = ln.Addr().String()
	go s.srv.Serve(ln)
	return s, nil
}

func (s *sink) close() { s.srv.Close() }

func (s *sink) messages() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.got)
}

// NewSession implements smtp.Backend.
func (s *sink) NewSession(*smtp.Conn) (smtp.Session, error) { return &sinkSession{sink: s}, nil }

type sinkSession struct{ sink *sink }

func (*sinkSession) Mail(string, *smtp.MailOptions) error { return nil }
func (*sinkSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (*sinkSession) Reset()                               {}
func (*sinkSession) Logout() error                        { return nil }
func (ss *sinkSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.sink.mu.Lock()
	ss.sink.got = append(ss.sink.got, b)
	ss.sink.mu.Unlock()
	return nil
}

var errNoDecision = errors.New("no decision recorded")
