package parser

import "strings"

// unflow joins the soft line breaks of format=flowed text (RFC 3676): a line
// ending in a space continues on the next line of the same quote depth. Joining
// them matters because attributions and tracking numbers are often wrapped.
func unflow(s string, delsp bool) string {
	lines := strings.Split(s, "\n")
	out := make([]string, 0, len(lines))
	var cur strings.Builder
	curDepth, open := 0, false
	flush := func() {
		if !open {
			return
		}
		line := cur.String()
		if curDepth > 0 {
			line = strings.Repeat(">", curDepth) + " " + line
		}
		out = append(out, line)
		cur.Reset()
		open = false
	}
	for _, l := range lines {
		depth := 0
		for depth < len(l) && l[depth] == '>' {
			depth++
		}
		content := l[depth:]
		content = strings.TrimPrefix(content, " ") // space-stuffing
		if open && depth != curDepth {
			flush()
		}
		if !open {
			curDepth, open = depth, true
		}
		soft := strings.HasSuffix(content, " ") && content != "-- "
		if soft && delsp {
			content = content[:len(content)-1]
		}
		cur.WriteString(content)
		if !soft {
			flush()
		}
	}
	flush()
	return strings.Join(out, "\n")
}
