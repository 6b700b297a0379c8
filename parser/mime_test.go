package parser

import (
	"encoding/base64"
	"reflect"
	"strings"
	"testing"
)

func TestParseContentType(t *testing.T) {
	tests := []struct {
		in     string
		value  string
		params map[string]string
	}{
		{"text/plain; charset=UTF-8", "text/plain", map[string]string{"charset": "UTF-8"}},
		{"TEXT/HTML; CHARSET=\"iso-8859-1\"", "text/html", map[string]string{"charset": "iso-8859-1"}},
		{"multipart/mixed; boundary=----=_Part_1_2.3", "multipart/mixed", map[string]string{"boundary": "----=_Part_1_2.3"}},
		{"multipart/mixed; boundary=\"a;b\"; charset=x; charset=y", "multipart/mixed", map[string]string{"boundary": "a;b", "charset": "x"}},
		{"image/jpeg; name=\"=?UTF-8?Q?f=C3=B6to.jpg?=\"", "image/jpeg", map[string]string{"name": "föto.jpg"}},
		{"attachment; filename*=UTF-8''f%C3%B6to.jpg", "attachment", map[string]string{"filename": "föto.jpg"}},
		{"text/plain;", "text/plain", map[string]string{}},
		{"", "", nil},
	}
	for _, tt := range tests {
		ct := parseContentType(tt.in)
		if ct.value != tt.value || len(tt.params) > 0 && !reflect.DeepEqual(ct.params, tt.params) {
			t.Errorf("parseContentType(%q) = %q %q, want %q %q", tt.in, ct.value, ct.params, tt.value, tt.params)
		}
	}
}

func TestSplitMultipart(t *testing.T) {
	tests := []struct {
		name       string
		body       string
		parts      []string
		wantClosed bool
	}{
		{"lf", "preamble\n--b\nA\n--b\nB\n--b--\nepilogue", []string{"A", "B"}, true},
		{"crlf", "--b\r\nA\r\n--b\r\nB\r\n--b--\r\n", []string{"A", "B"}, true},
		{"trailing space on delimiter", "--b  \nA\n--b-- \n", []string{"A"}, true},
		{"similar boundary is not a delimiter", "--b\nA\n--b-1\nstill A\n--b--\n", []string{"A\n--b-1\nstill A"}, true},
		{"not closed", "--b\nA\n--b\nB", []string{"A", "B"}, false},
		{"no delimiter", "just text", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parts, closed := splitMultipart([]byte(tt.body), "b", 100)
			var got []string
			for _, p := range parts {
				got = append(got, string(p))
			}
			if !reflect.DeepEqual(got, tt.parts) || closed != tt.wantClosed {
				t.Errorf("got %q closed=%v, want %q closed=%v", got, closed, tt.parts, tt.wantClosed)
			}
		})
	}
	if parts, _ := splitMultipart([]byte("--b\n1\n--b\n2\n--b\n3\n--b--"), "b", 2); len(parts) != 2 {
		t.Errorf("limit 2 gave %d parts", len(parts))
	}
}

func TestDecodeTransfer(t *testing.T) {
	tests := []struct {
		name, enc, in, want string
	}{
		{"base64", "base64", "SGVsbG8g\nd29ybGQ=\n", "Hello world"},
		{"base64 without padding", "base64", "SGVsbG8", "Hello"},
		{"base64 with junk", "base64", "SGVs*bG8=\n\n", "Hello"},
		{"base64 url-safe", "base64", "-_-_", "\xfb\xff\xbf"},
		{"qp soft break", "quoted-printable", "long=\nline=20\n", "longline \n"},
		{"qp lower-case hex", "quoted-printable", "caf=c3=a9", "café"},
		{"qp bad escape literal", "quoted-printable", "a=ZZb=", "a=ZZb"},
		{"qp crlf", "quoted-printable", "a=\r\nb\r\n", "ab\n"},
		{"identity", "", "as is\r\n", "as is\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(decodeTransfer(tt.enc, []byte(tt.in))); got != tt.want {
				t.Errorf("decodeTransfer(%q, %q) = %q, want %q", tt.enc, tt.in, got, tt.want)
			}
			if got := decodedSize(tt.enc, []byte(tt.in)); got != len(tt.want) {
				t.Errorf("decodedSize = %d, want %d", got, len(tt.want))
			}
		})
	}
}

func TestToUTF8(t *testing.T) {
	tests := []struct {
		name, in, charset string
		html              bool
		want              string
		unknown           bool
	}{
		{"utf-8", "café", "utf-8", false, "café", false},
		{"latin1", "caf\xe9", "ISO-8859-1", false, "café", false},
		{"windows-1252 quotes", "\x93hi\x94 \x80", "windows-1252", false, "“hi” €", false},
		{"no charset, invalid utf-8 read as windows-1252", "caf\xe9", "", false, "café", false},
		{"mislabelled utf-8", "café", "iso-8859-1", false, "café", false},
		{"unknown charset", "caf\xe9", "x-martian", false, "café", true},
		{"html meta charset", "<meta charset=\"iso-8859-1\">caf\xe9", "", true, "<meta charset=\"iso-8859-1\">café", false},
		{"iso-2022-jp", "\x1b$B$3$s$K$A$O\x1b(B", "iso-2022-jp", false, "こんにちは", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, unknown := toUTF8([]byte(tt.in), tt.charset, tt.html)
			if got != tt.want || unknown != tt.unknown {
				t.Errorf("toUTF8 = %q, %v; want %q, %v", got, unknown, tt.want, tt.unknown)
			}
		})
	}
}

// TestDecodedSizeOfPhotos: a large base64 part is measured by its line breaks, not
// character by character, and comes out at its decoded size.
func TestDecodedSizeOfPhotos(t *testing.T) {
	raw := make([]byte, 300_001)
	for i := range raw {
		raw[i] = byte(i * 7)
	}
	enc := base64.StdEncoding.EncodeToString(raw)
	var lines strings.Builder
	for len(enc) > 76 {
		lines.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	lines.WriteString(enc + "\r\n")
	if got := decodedSize("base64", []byte(lines.String())); got != len(raw) {
		t.Errorf("decodedSize = %d, want %d", got, len(raw))
	}
}
