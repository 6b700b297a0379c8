package parser

import (
	"strings"
	"testing"
)

const ourReply = `Hello Anna,

Thank you for your message about order LW-58213. We have accepted your return.

Your return authorisation number (RAN) is: LW-7KQ2M9XW4B

How to send the item back:

- Pack the item securely, unused and in the condition you received it, with all tags, packaging and accessories.
- Write the number LW-7KQ2M9XW4B clearly on the outside of the parcel.

Kind regards,
The Lumina Wear team`

func TestWithoutKnownText(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		keep, drop []string
	}{
		{"pasted without any mark", "I sent it last Friday, when do I get my money?\n\n" + ourReply,
			[]string{"when do I get my money"}, []string{"accepted your return", "Pack the item securely"}},
		{"re-wrapped by the customer's client", "Still no refund!\n\nThank you for your message about order\nLW-58213. We have accepted your return.\nYour return authorisation number (RAN) is:\nLW-7KQ2M9XW4B",
			[]string{"Still no refund!"}, []string{"accepted your return"}},
		{"quoted with marks and interleaved", "> Thank you for your message about order LW-58213. We have accepted your return.\nGreat, but the item is defective now?\n> - Write the number LW-7KQ2M9XW4B clearly on the outside of the parcel.",
			[]string{"the item is defective now"}, []string{"accepted your return", "outside of the parcel"}},
		{"short lines of the customer's own stay", "Hello Anna,\nThanks!\nKind regards,",
			[]string{"Hello Anna,", "Thanks!"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := WithoutKnownText(tc.text, []string{ourReply})
			for _, k := range tc.keep {
				if !strings.Contains(got, k) {
					t.Errorf("lost %q:\n%s", k, got)
				}
			}
			for _, d := range tc.drop {
				if strings.Contains(got, d) {
					t.Errorf("kept %q:\n%s", d, got)
				}
			}
		})
	}
}
