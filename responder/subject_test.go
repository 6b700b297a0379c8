package responder

import "testing"

func TestSubject(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Return request", "Re: Return request"},
		{"Re: Return request", "Re: Return request"},
		{"RE: Return request", "RE: Return request"},
		{"re:Return", "re:Return"},
		{"Re : Retour", "Re : Retour"},
		{"AW: Rücksendung", "AW: Rücksendung"},
		{"Aw: Rücksendung", "Aw: Rücksendung"},
		{"Antw: Retour", "Antw: Retour"},
		{"Antw.: Retour", "Antw.: Retour"},
		{"Réf : Retour", "Réf : Retour"},
		{"RÉF: Retour", "RÉF: Retour"},
		{"SV: Retur", "SV: Retur"},
		{"R: Reso", "R: Reso"},
		{"RIF: Reso", "RIF: Reso"},
		{"Re[2]: Return", "Re[2]: Return"},
		{"Re(3): Return", "Re(3): Return"},
		{"回复：退货", "回复：退货"},
		{"  Re: padded  ", "Re: padded"},
		// Forwards are not replies.
		{"Fwd: Return", "Re: Fwd: Return"},
		{"WG: Rücksendung", "Re: WG: Rücksendung"},
		{"TR: Retour", "Re: TR: Retour"},
		// Words that merely start like a prefix.
		{"Refund please", "Re: Refund please"},
		{"Rear light broken", "Re: Rear light broken"},
		{"Aware: question", "Re: Aware: question"},
		{"Ref: order 10234", "Re: Ref: order 10234"},
		// Line breaks and control characters never survive.
		{"Return\r\nBcc: evil@example.com", "Re: Return Bcc: evil@example.com"},
		{"a\rb\nc\x00d", "Re: a b c d"},
		{"Re: x\r\n\tfolded", "Re: x folded"},
		{"", DefaultSubject},
		{" \r\n ", DefaultSubject},
	}
	for _, tt := range tests {
		if got := Subject(tt.in); got != tt.want {
			t.Errorf("Subject(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
