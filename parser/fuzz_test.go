package parser

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzCorpusSeeds is how many corpus mails seed FuzzParse when the corpora are
// present: every n-th file, so that each collection is represented.
const fuzzCorpusSeeds = 40

func FuzzParse(f *testing.F) {
	fixtures, _ := filepath.Glob("testdata/*.eml")
	for _, p := range fixtures {
		if raw, err := os.ReadFile(p); err == nil {
			f.Add(raw)
		}
	}
	if _, err := os.Stat(corporaDir); err == nil {
		files := corpusMailFiles(f)
		step := len(files)/fuzzCorpusSeeds + 1
		for i := 0; i < len(files); i += step {
			if raw, err := os.ReadFile(files[i]); err == nil && len(raw) < 256<<10 {
				f.Add(raw)
			}
		}
	}
	f.Add([]byte("From: a@b\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: text/html\r\n\r\n<blockquote>q</blockquote>\r\n--x--"))
	f.Add([]byte("Content-Type: message/rfc822\n\nMessage-ID: <m@x>\n\nhi"))

	opts := Options{MaxSize: 1 << 20, MaxParts: 50, MaxDepth: 5, MaxHeaderBytes: 64 << 10}
	f.Fuzz(func(t *testing.T, data []byte) {
		msg, err := Parse(bytes.NewReader(data), opts)
		if msg == nil {
			t.Fatal("nil Message")
		}
		for _, p := range msg.Problems {
			if strings.HasPrefix(p, internalProblem) {
				t.Fatalf("%s", p)
			}
		}
		if err != nil && !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrTooLarge) {
			t.Fatalf("error wraps no sentinel: %v", err)
		}
		if int64(len(data)) <= opts.MaxSize && msg.Size != len(data) {
			t.Fatalf("Size = %d, want %d", msg.Size, len(data))
		}
		for name, s := range map[string]string{"Text": msg.Text, "FreshText": msg.FreshText, "Subject": msg.Subject, "From.Name": msg.From.Name} {
			if !utf8.ValidString(s) {
				t.Fatalf("%s is not valid UTF-8: %q", name, s)
			}
		}
		if strings.Contains(msg.Text, "\r") {
			t.Fatalf("Text keeps CR")
		}
		if msg.Photos > len(msg.Attachments) {
			t.Fatalf("%d photos but %d attachments", msg.Photos, len(msg.Attachments))
		}
	})
}

func FuzzFindOrderNumbers(f *testing.F) {
	f.Add("order #10234, AL-204518", "AL", 6)
	f.Add("Bestellung Nr. LX100233 vom 12.03.2026, €10234", "LX", 6)
	f.Add("commande n° ALS10482 au 75008 Paris", "", 5)
	f.Add("pedido #LW-58213 tel +34 600 123 456", "LW", 5)
	f.Fuzz(func(t *testing.T, text, prefix string, digits int) {
		if digits < 0 {
			digits = -digits
		}
		p := OrderPattern{Prefix: prefix, MinDigits: digits%8 + 1, MaxDigits: digits%8 + 3}
		got := FindOrderNumbers(text, p)
		seen := map[string]bool{}
		want := strings.ToUpper(strings.TrimSpace(prefix))
		for _, n := range got {
			if seen[n] {
				t.Fatalf("duplicate %q in %q", n, got)
			}
			seen[n] = true
			if !strings.HasPrefix(n, want) {
				t.Fatalf("%q lacks prefix %q", n, want)
			}
			d := n[len(want):]
			if !allDigits(d) || len(d) < p.MinDigits || len(d) > p.MaxDigits {
				t.Fatalf("%q: digits %q outside %d..%d", n, d, p.MinDigits, p.MaxDigits)
			}
			if !strings.Contains(text, d) {
				t.Fatalf("%q: digits not in the text", n)
			}
		}
	})
}

func FuzzFindTracking(f *testing.F) {
	f.Add("UPS 1Z 999 AA1 01 2345 6784 and RR123456785CN")
	f.Add("DHL waybill 1234567891, PostNL 3SABCD1234567, USPS 9400 1118 9922 3197 4284 97")
	f.Add("JJD000390007882926958 JVGL0612345678 LP00123456789012")
	f.Fuzz(func(t *testing.T, text string) {
		seen := map[string]bool{}
		for _, tn := range FindTracking(text) {
			if seen[tn.Number] {
				t.Fatalf("duplicate %q", tn.Number)
			}
			seen[tn.Number] = true
			if tn.Number != strings.ToUpper(tn.Number) || strings.ContainsAny(tn.Number, " \t") {
				t.Fatalf("number not normalised: %q", tn.Number)
			}
			// A number the customer introduced that no validator takes keeps the
			// carrier its shape names ("UPS 1Z00000000": a mistyped UPS number).
			if c := classifyTracking(tn.Number, "dhl ", 4); c != tn.Carrier && !(c == "" && tn.Carrier == carrierOf(tn.Number)) {
				t.Fatalf("%q: carrier %q, revalidated as %q", tn.Number, tn.Carrier, c)
			}
		}
	})
}
