package parser

import (
	"bytes"
	"encoding/base64"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message"
	htmlcharset "golang.org/x/net/html/charset"
)

// transferEncoding classifies a Content-Transfer-Encoding value. Mailers write
// "7-bit", "8Bit", "plain", "text" and worse; anything that is not base64 or
// quoted-printable is read as it stands.
func transferEncoding(v string) (enc string, known bool) {
	v = strings.ToLower(strings.Trim(strings.TrimSpace(v), `"'`))
	switch v {
	case "base64", "base-64", "x-base64":
		return "base64", true
	case "quoted-printable", "quoted printable", "quotedprintable", "qp", "x-quoted-printable":
		return "quoted-printable", true
	case "", "7bit", "8bit", "binary", "7-bit", "8-bit", "7 bit", "8 bit", "7bits", "8bits":
		return "", true
	}
	return "", false
}

// decodeTransfer undoes a transfer encoding without ever failing: malformed
// base64 and quoted-printable decode as far as they make sense.
func decodeTransfer(enc string, b []byte) []byte {
	switch enc {
	case "base64":
		return decodeBase64(b)
	case "quoted-printable":
		return decodeQP(b)
	}
	return b
}

// exactSizeBelow is the encoded size below which base64 is measured exactly.
const exactSizeBelow = 64 << 10

// decodedSize is the size of the decoded content, computed without decoding
// base64 (attachments are only measured).
func decodedSize(enc string, b []byte) int {
	switch enc {
	case "base64":
		if len(b) < exactSizeBelow {
			n, run := 0, 0
			for _, c := range b {
				switch {
				case base64Value[c] != 0:
					run++
				case c == '=':
					n += base64Len(run)
					run = 0
				}
			}
			return n + base64Len(run)
		}
		// A photo is megabytes: line breaks and padding aside, four characters are
		// three bytes, and counting the breaks runs at memory speed (stray junk
		// characters, which the exact count skips, are off by a byte each).
		n := len(b)
		for _, ws := range []byte("\r\n \t") {
			n -= bytes.Count(b, []byte{ws})
		}
		for end := len(b) - 1; end >= 0 && strings.IndexByte("=\r\n \t", b[end]) >= 0; end-- {
			if b[end] == '=' {
				n--
			}
		}
		return base64Len(max(n, 0))
	case "quoted-printable":
		return len(decodeQP(b))
	}
	return len(b)
}

// base64Value maps the characters of the standard and URL-safe alphabets to
// the standard character; 0 marks whitespace and junk, which are skipped.
var base64Value = func() (t [256]byte) {
	const std = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := 0; i < len(std); i++ {
		t[std[i]] = std[i]
	}
	t['-'], t['_'] = '+', '/'
	return t
}()

// scanBase64 calls fn for each run of base64 characters between padding
// characters; whitespace and junk are skipped. seg is only valid during the call.
func scanBase64(b []byte, fn func(seg []byte)) {
	seg := make([]byte, 0, 4096)
	for _, c := range b {
		if v := base64Value[c]; v != 0 {
			seg = append(seg, v)
			if len(seg) == cap(seg) {
				fn(seg) // cap is a multiple of 4: a whole number of quanta
				seg = seg[:0]
			}
			continue
		}
		if c == '=' && len(seg) > 0 {
			fn(seg)
			seg = seg[:0]
		}
	}
	if len(seg) > 0 {
		fn(seg)
	}
}

// base64Len is the decoded length of n unpadded base64 characters; a dangling
// single character carries no full byte.
func base64Len(n int) int { return n * 6 / 8 }

func decodeBase64(b []byte) []byte {
	out := make([]byte, 0, len(b)*3/4)
	scanBase64(b, func(seg []byte) {
		if len(seg)%4 == 1 {
			seg = seg[:len(seg)-1]
		}
		start := len(out)
		out = append(out, make([]byte, base64.RawStdEncoding.DecodedLen(len(seg)))...)
		n, _ := base64.RawStdEncoding.Decode(out[start:], seg)
		out = out[:start+n]
	})
	return out
}

// decodeQP decodes quoted-printable leniently: '=' not followed by two hex digits
// is literal, control characters pass through, trailing whitespace is dropped
// and "=" at a line end joins the lines.
func decodeQP(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for len(b) > 0 {
		end := bytes.IndexByte(b, '\n')
		var line []byte
		hasEOL := end >= 0
		if hasEOL {
			line, b = b[:end], b[end+1:]
		} else {
			line, b = b, nil
		}
		line = bytes.TrimRight(line, " \t\r")
		soft := bytes.HasSuffix(line, []byte("="))
		if soft {
			line = line[:len(line)-1]
		}
		for i := 0; i < len(line); i++ {
			c := line[i]
			if c == '=' && i+2 < len(line) && isHex(line[i+1]) && isHex(line[i+2]) {
				out = append(out, unhex(line[i+1])<<4|unhex(line[i+2]))
				i += 2
				continue
			}
			out = append(out, c)
		}
		if hasEOL && !soft {
			out = append(out, '\n')
		}
	}
	return out
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// toUTF8 converts decoded text in the declared charset to UTF-8. Text that is
// already valid UTF-8 with non-ASCII characters is kept as it is whatever the
// label says: mislabelled UTF-8 is far more common than legacy text that
// happens to be valid UTF-8. Unknown charsets give the raw bytes (repaired as
// windows-1252 when invalid) and a problem.
func toUTF8(b []byte, charset string, isHTML bool) (text string, unknownCharset bool) {
	charset = strings.ToLower(strings.Trim(strings.TrimSpace(charset), `"'`))
	if utf8.Valid(b) && (hasNonASCII(b) || charset == "" || isUTF8Label(charset)) {
		return string(b), false
	}
	if charset == "" || isUTF8Label(charset) {
		if isHTML {
			// The charset may be declared in a <meta> tag instead.
			enc, _, _ := htmlcharset.DetermineEncoding(b, "text/html")
			if d, err := enc.NewDecoder().Bytes(b); err == nil {
				return validUTF8(string(d)), false
			}
		}
		return validUTF8(string(b)), false
	}
	if message.CharsetReader == nil {
		return validUTF8(string(b)), true
	}
	r, err := message.CharsetReader(charset, bytes.NewReader(b))
	if err != nil || r == nil {
		return validUTF8(string(b)), true
	}
	d, err := io.ReadAll(r)
	if err != nil && len(d) == 0 {
		return validUTF8(string(b)), true
	}
	return validUTF8(string(d)), false
}

func isUTF8Label(cs string) bool {
	switch cs {
	case "utf-8", "utf8", "us-ascii", "ascii", "unicode-1-1-utf-8", "x-unknown", "unknown-8bit", "unknown", "default":
		return true
	}
	return false
}

func hasNonASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

// normalizeNewlines turns CRLF and bare CR into LF.
func normalizeNewlines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}
