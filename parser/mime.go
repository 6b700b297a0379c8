package parser

import (
	"bytes"
	"mime"
	"strings"
)

// contentType is a parsed Content-Type or Content-Disposition value.
type contentType struct {
	value  string            // lower-cased media type or disposition, e.g. "text/plain"
	params map[string]string // lower-cased names; values decoded (RFC 2231 and 2047)
}

// parseContentType parses a Content-Type value, falling back to a hand split
// when mime.ParseMediaType refuses it (unquoted tspecials in boundaries,
// duplicate or empty parameters, stray semicolons: all common).
func parseContentType(v string) contentType {
	v = strings.TrimSpace(v)
	if v == "" {
		return contentType{}
	}
	if mt, params, err := mime.ParseMediaType(v); err == nil {
		for k, pv := range params {
			params[k] = decodeHeaderText(pv)
		}
		return contentType{value: strings.ToLower(mt), params: params}
	}
	ct := contentType{params: map[string]string{}}
	fields := splitParams(v)
	ct.value = strings.ToLower(strings.TrimSpace(fields[0]))
	if i := strings.IndexAny(ct.value, " \t\"'"); i >= 0 {
		ct.value = ct.value[:i]
	}
	for _, f := range fields[1:] {
		k, pv, ok := strings.Cut(f, "=")
		if !ok {
			continue
		}
		k = strings.ToLower(strings.TrimSpace(k))
		k = strings.TrimSuffix(k, "*") // RFC 2231 extended value, taken as is
		pv = strings.TrimSpace(pv)
		if len(pv) >= 2 && pv[0] == '"' && pv[len(pv)-1] == '"' {
			pv = pv[1 : len(pv)-1]
		} else {
			pv = strings.Trim(pv, `"`)
		}
		if _, dup := ct.params[k]; k != "" && !dup {
			ct.params[k] = decodeHeaderText(pv)
		}
	}
	return ct
}

// splitParams splits a header value on semicolons outside double quotes.
func splitParams(v string) []string {
	var out []string
	inQuote, start := false, 0
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '"':
			inQuote = !inQuote
		case '\\':
			if inQuote {
				i++
			}
		case ';':
			if !inQuote {
				out = append(out, v[start:i])
				start = i + 1
			}
		}
	}
	return append(out, v[start:])
}

// splitMultipart cuts a multipart body into its parts (each header and body,
// still transfer-encoded) without copying. It is lenient: text before the first
// delimiter is the preamble, a missing close delimiter ends the last part at the
// end of the data (closed reports false), and lines that merely start with the
// boundary ("--b-1" when the boundary is "b") are not delimiters. At most limit
// parts are returned.
func splitMultipart(body []byte, boundary string, limit int) (parts [][]byte, closed bool) {
	if boundary == "" {
		return nil, false
	}
	dash := []byte("--" + boundary)
	partStart := -1
	pos := 0
	for pos < len(body) {
		end := nextLine(body, pos)
		line := body[pos:end]
		if bytes.HasPrefix(line, dash) {
			rest := bytes.TrimRight(trimEOL(line[len(dash):]), " \t")
			final := bytes.Equal(rest, []byte("--"))
			if final || len(rest) == 0 {
				if partStart >= 0 {
					parts = append(parts, trimDelimiterEOL(body[partStart:pos]))
				}
				if final || len(parts) >= limit {
					return parts, final
				}
				partStart = end
			}
		}
		pos = end
	}
	if partStart >= 0 {
		parts = append(parts, body[partStart:])
	}
	return parts, false
}

// trimDelimiterEOL removes the line break that belongs to the delimiter after a part.
func trimDelimiterEOL(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte("\n"))
	return bytes.TrimSuffix(b, []byte("\r"))
}
