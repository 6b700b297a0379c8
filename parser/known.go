package parser

import (
	"strings"
	"unicode"
)

// WithoutKnownText removes from text the lines that repeat one of known: the desk's
// own earlier replies, which customers quote in every way a mail client can (with
// '>' marks, under an Outlook "From:/Sent:" block, re-wrapped, or pasted without any
// mark at all). A line counts as repeated when, with quote marks and spacing
// ignored, it is a long enough run of a known text's words, so a short "Thanks" or
// "Hello" of the customer's own stays.
func WithoutKnownText(text string, known []string) string {
	if len(known) == 0 {
		return text
	}
	var corpus strings.Builder
	for _, k := range known {
		corpus.WriteString(" ")
		corpus.WriteString(normalizeLine(k))
		corpus.WriteString(" ")
	}
	c := corpus.String()
	lines := strings.Split(text, "\n")
	out := lines[:0]
	removed := false
	for _, l := range lines {
		n := normalizeLine(l)
		if len(n) >= minKnownLine && strings.Contains(c, " "+n+" ") {
			removed = true
			continue
		}
		out = append(out, l)
	}
	if !removed {
		return text
	}
	return tidyLines(out)
}

// minKnownLine is the shortest line (normalised, in bytes) taken for a repeat.
const minKnownLine = 24

// normalizeLine lower-cases a line, drops quote marks and punctuation at its ends and
// folds runs of white space, so that a quoted, re-wrapped copy of a text compares
// equal to its original words.
func normalizeLine(s string) string {
	s = strings.ToLower(s)
	s = strings.TrimLeft(s, "> \t")
	f := strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '>' })
	return strings.Join(f, " ")
}
