package mailbox

import (
	"bytes"
	"net/mail"
	"strings"

	"github.com/returnsdesk/returnsdesk/mailbox/localmail"
)

// byInReplyTo counts the accepted mails per In-Reply-To.
func byInReplyTo(s *localmail.SMTPSink) map[string]int {
	out := map[string]int{}
	for _, m := range s.Messages() {
		out[headerOf(m.Raw, "In-Reply-To")]++
	}
	return out
}

// headerOf returns a header field of a raw mail, a message id without its brackets.
func headerOf(raw []byte, name string) string {
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return ""
	}
	v := strings.TrimSpace(m.Header.Get(name))
	if strings.HasPrefix(v, "<") && strings.HasSuffix(v, ">") && !strings.Contains(v[1:], "<") {
		v = v[1 : len(v)-1]
	}
	return v
}
