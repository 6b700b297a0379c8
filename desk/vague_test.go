package desk_test

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// TestVagueMailNeverRefused sends mail that says too little to act on — to every store,
// about a real order, months after every window closed, where a clear return request
// would be refused — and checks that none of it is refused: vague mail goes to a
// person or gets a question, never a "no".
func TestVagueMailNeverRefused(t *testing.T) {
	stores := []struct{ mailbox, order, from string }{
		{"alinora-overseas@outlook.com", "AL-204509", "olivia.bennett@example.com"},
		{"support@alustoora.com", "#10225", "jacob.miller@example.com"},
		{"info@alusse.com", "ALS10470", "claire.bernard@example.fr"},
		{"support@luxnome.example", "LX100220", "sanne.bakker@example.nl"},
		{"support@luminahelp.com", "LW-58201", "lisa.degraaf@example.nl"},
	}
	texts := []string{
		"Hi, about my order %s.",
		"%s ?",
		"Question regarding %s, please call me back.",
		"Hello, the thing I bought (%s). Not sure what to do.",
		"Re %s - any news?",
		"Ich habe eine Frage zu %s.",
		"Bonjour, commande %s, merci de me recontacter.",
		"Hola, sobre el pedido %s",
		"hoi, %s, kunnen jullie even kijken",
		"Buongiorno, una domanda sull'ordine %s.",
		"Olá, sobre a encomenda %s, podem ligar-me?",
		"Is it possible? %s",
	}
	d := newTestDesk(t, "")
	when := time.Date(2027, 3, 1, 10, 0, 0, 0, time.UTC)
	n := 0
	decided := map[string]int{}
	for _, s := range stores {
		for i, text := range texts {
			raw := fmt.Sprintf("From: <%s>\r\nTo: <%s>\r\nSubject: %s\r\nMessage-ID: <vague-%d-%d@example.net>\r\n"+
				"Date: Mon, 01 Mar 2027 10:00:00 +0000\r\n\r\n%s\r\n", s.from, s.mailbox, s.order, n, i, fmt.Sprintf(text, s.order))
			// A day apart, so that the rate limit never hides a decision.
			at := when.Add(time.Duration(n) * 25 * time.Hour)
			n++
			res, err := d.Process(context.Background(), []byte(raw), at)
			if err != nil {
				t.Fatal(err)
			}
			decided[res.Action+"/"+res.Code]++
			if res.Action == "reject" {
				t.Errorf("%s: %q: reject/%s (%s)", s.mailbox, fmt.Sprintf(text, s.order), res.Code, res.Why)
			}
		}
	}
	t.Logf("decisions: %v", decided)
	if decided["request_info/sender_mismatch"] > 0 || decided["request_info/order_not_found"] > 0 {
		t.Errorf("the orders must be found and the sender must match, or nothing is tested: %v", decided)
	}
}
