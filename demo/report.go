package demo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"slices"
	"strings"

	"github.com/returnsdesk/returnsdesk/parser"
	"github.com/returnsdesk/returnsdesk/state"
)

// report prints each conversation: the customer's mail, what the desk decided, the
// flags staff see in their mail client, and the reply that went out.
func report(ctx context.Context, out io.Writer, db *state.DB, mails []sampleMail, sent [][]byte,
	flags map[string][]string, sentCopies int) error {
	type reply struct {
		msg      *parser.Message
		language string // the reply's Content-Language
	}
	replies := map[string]reply{}
	for _, raw := range sent {
		m, _ := parser.Parse(bytes.NewReader(raw), parser.DefaultOptions())
		lang := ""
		if h, err := mail.ReadMessage(bytes.NewReader(raw)); err == nil {
			lang = h.Header.Get("Content-Language")
		}
		for _, id := range m.InReplyTo {
			replies[id] = reply{m, lang}
		}
	}
	flagged := 0
	for _, m := range mails {
		dec, err := db.MessageByID(ctx, m.msg.MessageID)
		if errors.Is(err, state.ErrNotFound) {
			return fmt.Errorf("%s: %w", m.name, errNoDecision)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "━━━ %s  %s → %s  (%s)\n", m.name, m.msg.From.String(), m.to, m.msg.Date.Format("Mon 2 Jan 15:04 MST"))
		fmt.Fprintf(out, "    Subject: %s\n", m.msg.Subject)
		if m.msg.Photos > 0 {
			fmt.Fprintf(out, "    (%d photo attached)\n", m.msg.Photos)
		}
		quote(out, "    │ ", m.msg.FreshText, 8)
		staff := ""
		if slices.ContainsFunc(flags[m.msg.MessageID], func(f string) bool { return strings.EqualFold(f, `\Flagged`) }) {
			staff = "   ⚑ flagged for staff in the mailbox"
			flagged++
		}
		fmt.Fprintf(out, "\n    ⇒ %s / %s%s\n", dec.Action, dec.Code, staff)
		if r, ok := replies[m.msg.MessageID]; ok {
			fmt.Fprintf(out, "\n    Reply (%s): %s\n", r.language, r.msg.Subject)
			quote(out, "    ┃ ", r.msg.Text, 0)
		} else {
			fmt.Fprintf(out, "    (no reply)\n")
		}
		fmt.Fprintln(out)
	}
	fmt.Fprintf(out, "%d customer mails, %d replies sent by SMTP, %d copies in the stores' Sent folders, %d threads flagged for staff.\n",
		len(mails), len(sent), sentCopies, flagged)
	return nil
}

// quote prints text indented, at most max non-empty lines (0: all).
func quote(out io.Writer, prefix, text string, max int) {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	shown := 0
	for _, l := range lines {
		if max > 0 && shown == max {
			fmt.Fprintf(out, "%s…\n", prefix)
			return
		}
		fmt.Fprintf(out, "%s%s\n", prefix, strings.TrimRight(l, " "))
		if strings.TrimSpace(l) != "" {
			shown++
		}
	}
}
