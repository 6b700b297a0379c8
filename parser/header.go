package parser

import (
	"bytes"
	"errors"

	"github.com/emersion/go-message/textproto"
)

var errNoHeader = errors.New("no header fields")

// headerBlock is a header as far as it could be read.
type headerBlock struct {
	header   textproto.Header
	problems []string
	dropped  bool // fields beyond the size limit were left out
}

// splitHeader reads the header block of raw and returns the body after it
// (nil when the mail ends inside the header).
//
// go-message's reader gives up on the first malformed line and returns no entity
// at all, which would lose From and Message-ID over one stray line. This reader
// skips a junk line when a header field follows it, and otherwise takes the junk
// line as the start of a body whose blank separator line is missing. Fields that
// end beyond maxBytes are dropped (and reported); the body is still found.
// It reads the top-level header (see skipEnvelope) and part headers alike; the
// error (errNoHeader) only says that no field was found.
func splitHeader(raw []byte, maxBytes int) (headerBlock, []byte, error) {
	var (
		hb         headerBlock
		fields     [][]byte // raw fields in mail order
		dropped    bool
		fieldStart = -1 // start of the field being read
		fieldEnd   int
		body       []byte
	)
	flush := func() {
		switch {
		case fieldStart < 0:
		case fieldEnd > maxBytes:
			dropped = true
		default:
			fields = append(fields, raw[fieldStart:fieldEnd])
		}
		fieldStart = -1
	}

	pos := 0
scan:
	for pos < len(raw) {
		end := nextLine(raw, pos)
		line := trimEOL(raw[pos:end])
		switch {
		case len(line) == 0:
			body = raw[end:]
			break scan
		case line[0] == ' ' || line[0] == '\t':
			if fieldStart >= 0 {
				fieldEnd = end
			} else {
				hb.problems = append(hb.problems, "header: continuation line without a field skipped")
			}
		case isFieldLine(line):
			flush()
			fieldStart, fieldEnd = pos, end
		default:
			if next := nextLine(raw, end); end < len(raw) && isFieldLine(trimEOL(raw[end:next])) {
				hb.problems = append(hb.problems, "header: malformed line skipped")
				break
			}
			if fieldStart >= 0 || len(fields) > 0 {
				hb.problems = append(hb.problems, "header: no blank line before the body")
			}
			body = raw[pos:]
			break scan
		}
		pos = end
	}
	flush()
	if body == nil && len(fields) > 0 {
		hb.problems = append(hb.problems, "mail has a header but no body")
	}
	if dropped {
		hb.dropped = true
	}
	// textproto.Header keeps its fields newest first (AddRaw puts a field on
	// top, as a relay adding Received does), so the fields go in from the
	// bottom up: Get then returns the first field of a name in mail order.
	for i := len(fields) - 1; i >= 0; i-- {
		hb.header.AddRaw(fields[i])
	}
	if len(fields) == 0 {
		return hb, body, errNoHeader
	}
	return hb, body, nil
}

// isFieldLine reports whether line starts a header field: a non-empty name of
// printable ASCII without spaces, then a colon (spaces before the colon occur in
// the wild and are tolerated).
func isFieldLine(line []byte) bool {
	colon := bytes.IndexByte(line, ':')
	if colon <= 0 {
		return false
	}
	name := bytes.TrimRight(line[:colon], " \t")
	if len(name) == 0 {
		return false
	}
	for _, c := range name {
		if c < 33 || c > 126 {
			return false
		}
	}
	return true
}

// nextLine returns the index just past the line starting at pos.
func nextLine(b []byte, pos int) int {
	if i := bytes.IndexByte(b[pos:], '\n'); i >= 0 {
		return pos + i + 1
	}
	return len(b)
}

func trimEOL(line []byte) []byte {
	line = bytes.TrimSuffix(line, []byte("\n"))
	return bytes.TrimSuffix(line, []byte("\r"))
}

// skipEnvelope drops what precedes the header of a whole mail: a UTF-8 byte
// order mark and an mbox "From " separator line (mbox files, sisimai's copies).
func skipEnvelope(raw []byte) []byte {
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	if bytes.HasPrefix(raw, []byte("From ")) || bytes.HasPrefix(raw, []byte(">From ")) {
		raw = raw[nextLine(raw, 0):]
	}
	return raw
}
