package parser

import (
	"strings"
	"testing"
)

func TestHTMLToText(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{
			name: "paragraphs and line breaks",
			in:   "<p>Hello,</p><p>line one<br>line two</p>",
			want: "Hello,\n\nline one\nline two",
		},
		{
			name: "script style and head are dropped",
			in:   "<html><head><title>T</title><style>p{color:red}</style></head><body><script>var x=1;</script>Text</body></html>",
			want: "Text",
		},
		{
			name: "entities are decoded",
			in:   "Order n&deg;&nbsp;ALS10482 &amp; caf&eacute; &#8364;5 &lt;ok&gt;",
			want: "Order n° ALS10482 & café €5 <ok>",
		},
		{
			name: "whitespace collapses",
			in:   "  a   lot\n\n of \t space  ",
			want: "a lot of space",
		},
		{
			name: "list items get dashes",
			in:   "<ul><li>one</li><li>two <b>bold</b></li></ul>after",
			want: "- one\n- two bold\nafter",
		},
		{
			name: "divs are lines, an empty div with br is a blank line",
			in:   "<div>Hi</div><div><br></div><div>Thanks</div>",
			want: "Hi\n\nThanks",
		},
		{
			name: "table cells are separated",
			in:   "<table><tr><td>Order</td><td>LW-58213</td></tr><tr><td>Total</td><td>10</td></tr></table>",
			want: "Order LW-58213\nTotal 10",
		},
		{
			name: "blockquote becomes quoted lines",
			in:   "<div>My answer</div><blockquote><div>old line</div><div>older</div></blockquote>",
			want: "My answer\n\n> old line\n> older",
		},
		{
			name: "nested blockquotes",
			in:   "new<blockquote>one<blockquote>two</blockquote></blockquote>",
			want: "new\n\n> one\n>\n>> two",
		},
		{
			name: "pre keeps whitespace",
			in:   "<pre>a  b\n  c</pre>",
			want: "a  b\n  c",
		},
		{
			name: "outlook MsoNormal paragraphs are single lines",
			in:   "<p class=MsoNormal>Hola,<o:p></o:p></p><p class=MsoNormal>gracias<o:p></o:p></p>",
			want: "Hola,\ngracias",
		},
		{
			name: "broken html still gives text",
			in:   "<p>unclosed <b>bold <i>italic</p> tail</div></span>",
			want: "unclosed bold italic\n\ntail",
		},
		{
			name: "comments dropped",
			in:   "a<!-- hidden -->b",
			want: "ab",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := HTMLToText(tt.in); got != tt.want {
				t.Errorf("HTMLToText(%q):\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// A hostile document nested far deeper than any mail must not exhaust the stack.
func TestHTMLToTextDeepNesting(t *testing.T) {
	in := strings.Repeat("<div>", 100000) + "deep text" + strings.Repeat("</div>", 100000)
	if got := HTMLToText(in); got != "deep text" {
		t.Errorf("got %q", truncate(got, 100))
	}
}
