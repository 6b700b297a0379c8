package parser

import (
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// HTMLToText renders an HTML mail body as plain text for reading, not display:
// scripts, styles and the head are dropped, block elements and <br> end lines,
// list items start with "- ", table cells are separated by spaces, whitespace is
// collapsed and entities are decoded. Blockquotes become "> " quoted lines, the
// way a plain-text mailer quotes, so FreshText can tell quoted history from the
// customer's own words.
func HTMLToText(s string) string {
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		// The tree builder refuses absurdly nested documents; their text is
		// still read, without structure.
		return tokenText(s)
	}
	var r htmlRenderer
	r.node(doc)
	r.endLine()
	return r.text()
}

type htmlRenderer struct {
	lines   []string
	cur     strings.Builder
	space   bool // whitespace seen since the last word
	quote   int  // blockquote depth
	pre     int  // <pre> depth: whitespace kept
	visited int  // nodes seen, to stop on absurd trees
	depth   int  // element nesting, to keep recursion bounded
}

// maxHTMLDepth bounds recursion: deeper subtrees (never seen in real mail, easy
// to build in a hostile one) contribute their text only, read without recursion.
const maxHTMLDepth = 200

// maxHTMLNodes bounds the work on a hostile document; a real mail has a few
// thousand nodes.
const maxHTMLNodes = 1 << 20

var htmlSkip = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Head: true, atom.Title: true,
	atom.Noscript: true, atom.Template: true, atom.Iframe: true, atom.Object: true,
	atom.Svg: true, atom.Math: true, atom.Select: true, atom.Button: true,
}

var htmlBlock = map[atom.Atom]bool{
	atom.Div: true, atom.Ul: true, atom.Ol: true, atom.Table: true, atom.Tr: true,
	atom.Tbody: true, atom.Thead: true, atom.Tfoot: true, atom.Caption: true,
	atom.Section: true, atom.Article: true, atom.Header: true, atom.Footer: true,
	atom.Nav: true, atom.Aside: true, atom.Address: true, atom.Dl: true, atom.Dt: true,
	atom.Dd: true, atom.Figure: true, atom.Figcaption: true, atom.Form: true,
	atom.Fieldset: true, atom.Center: true, atom.Main: true, atom.Details: true,
	atom.Summary: true, atom.Hr: true, atom.Body: true, atom.Html: true,
}

var htmlParagraph = map[atom.Atom]bool{
	atom.P: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true,
	atom.H5: true, atom.H6: true,
}

func (r *htmlRenderer) node(n *html.Node) {
	r.visited++
	if r.visited > maxHTMLNodes {
		return
	}
	switch n.Type {
	case html.TextNode:
		r.write(n.Data)
		return
	case html.ElementNode:
	case html.DocumentNode:
		r.children(n)
		return
	default: // comments, doctype
		return
	}

	a := n.DataAtom
	switch {
	case htmlSkip[a]:
		return
	case a == atom.Br:
		// <br> ends the line; on an empty line it is a deliberate blank line.
		r.breakLine()
		return
	case a == atom.Blockquote:
		r.paragraph()
		r.quote++
		r.children(n)
		r.endLine()
		r.quote--
		r.paragraph()
		return
	case a == atom.Pre:
		r.endLine()
		r.pre++
		r.children(n)
		r.pre--
		r.endLine()
		return
	case a == atom.Li:
		r.endLine()
		r.cur.WriteString("- ")
		r.space = false
		r.children(n)
		r.endLine()
		return
	case a == atom.Td || a == atom.Th:
		r.space = true
		r.children(n)
		r.space = true
		return
	case htmlParagraph[a]:
		// Outlook writes every line as <p class=MsoNormal> with no margin.
		if strings.Contains(attr(n, "class"), "MsoNormal") {
			r.endLine()
			r.children(n)
			r.endLine()
			return
		}
		r.paragraph()
		r.children(n)
		r.paragraph()
		return
	case htmlBlock[a]:
		r.endLine()
		r.children(n)
		r.endLine()
		return
	}
	r.children(n)
}

func (r *htmlRenderer) children(n *html.Node) {
	if r.depth >= maxHTMLDepth {
		r.flatText(n)
		return
	}
	r.depth++
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		r.node(c)
	}
	r.depth--
}

// flatText writes the text under n without recursion.
func (r *htmlRenderer) flatText(n *html.Node) {
	stack := []*html.Node{}
	for c := n.LastChild; c != nil; c = c.PrevSibling {
		stack = append(stack, c)
	}
	for len(stack) > 0 && r.visited <= maxHTMLNodes {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		r.visited++
		if c.Type == html.TextNode {
			r.write(c.Data)
			continue
		}
		if c.Type == html.ElementNode && htmlSkip[c.DataAtom] {
			continue
		}
		r.space = true
		for g := c.LastChild; g != nil; g = g.PrevSibling {
			stack = append(stack, g)
		}
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// write adds text, collapsing whitespace outside <pre>.
func (r *htmlRenderer) write(s string) {
	if r.pre > 0 {
		for i, l := range strings.Split(strings.ReplaceAll(s, "\r", ""), "\n") {
			if i > 0 {
				r.breakLine()
			}
			r.cur.WriteString(strings.ReplaceAll(l, "\u00a0", " "))
		}
		return
	}
	for _, c := range s {
		if unicode.IsSpace(c) || c == '\u00a0' || c == '\u200b' || c == '\ufeff' {
			r.space = true
			continue
		}
		if r.space && r.cur.Len() > 0 && !strings.HasSuffix(r.cur.String(), " ") {
			r.cur.WriteByte(' ')
		}
		r.space = false
		r.cur.WriteRune(c)
	}
}

// endLine ends the current line if it has text.
func (r *htmlRenderer) endLine() {
	if strings.TrimSpace(r.cur.String()) != "" {
		r.breakLine()
	}
	r.cur.Reset()
	r.space = false
}

// breakLine ends the current line even when it is empty.
func (r *htmlRenderer) breakLine() {
	line := strings.TrimRight(r.cur.String(), " ")
	if r.quote > 0 {
		prefix := strings.Repeat(">", r.quote)
		if line == "" {
			line = prefix
		} else {
			line = prefix + " " + line
		}
	}
	r.lines = append(r.lines, line)
	r.cur.Reset()
	r.space = false
}

// paragraph ends the current line and leaves one blank line.
func (r *htmlRenderer) paragraph() {
	r.endLine()
	if n := len(r.lines); n > 0 && strings.Trim(r.lines[n-1], ">") != "" {
		r.breakLine()
	}
}

// text joins the lines, with at most one blank line in a row.
func (r *htmlRenderer) text() string {
	out := make([]string, 0, len(r.lines))
	blank := true // drops leading blank lines
	for _, l := range r.lines {
		isBlank := strings.Trim(l, "> ") == ""
		if isBlank && blank {
			continue
		}
		blank = isBlank
		out = append(out, l)
	}
	for len(out) > 0 && strings.Trim(out[len(out)-1], "> ") == "" {
		out = out[:len(out)-1]
	}
	return strings.Join(out, "\n")
}

// tokenText extracts the text of a document the tree builder refused, skipping
// the content of elements that are never shown.
func tokenText(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var r htmlRenderer
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			r.endLine()
			return r.text()
		case html.TextToken:
			if skip == 0 {
				r.write(string(z.Text()))
			}
		case html.StartTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if htmlSkip[a] {
				skip++
			} else if a == atom.Br || htmlBlock[a] || htmlParagraph[a] || a == atom.Li {
				r.endLine()
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if htmlSkip[a] && skip > 0 {
				skip--
			} else if htmlBlock[a] || htmlParagraph[a] || a == atom.Li {
				r.endLine()
			}
		}
	}
}
