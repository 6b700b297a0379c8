package parser

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
	"unicode/utf8"

	_ "github.com/emersion/go-message/charset" // legacy charsets (ISO-8859-*, windows-125x, ISO-2022-JP, GB2312...)
)

// Sentinel errors returned (wrapped) by Parse. Compare with errors.Is.
var (
	// ErrTooLarge means the mail was longer than Options.MaxSize: the Message holds
	// the headers and whatever body fitted under the limit.
	ErrTooLarge = errors.New("mail too large")
	// ErrMalformed means the mail could not be read as a mail at all (no usable
	// header) or reading it failed in a way that leaves the Message incomplete.
	ErrMalformed = errors.New("malformed mail")
)

// Options bounds the work Parse does on one mail. Zero fields take the defaults.
type Options struct {
	MaxSize        int64 // bytes read from the reader; the rest is left unread
	MaxParts       int   // MIME parts visited (containers included)
	MaxDepth       int   // multipart nesting levels below the top level
	MaxHeaderBytes int   // size of the top-level header block
}

// DefaultOptions are generous for customer mail (phone photos are a few MiB each)
// and still bound memory and time for a hostile mail.
func DefaultOptions() Options {
	return Options{
		MaxSize:        25 << 20,
		MaxParts:       200,
		MaxDepth:       10,
		MaxHeaderBytes: 256 << 10,
	}
}

func (o Options) withDefaults() Options {
	d := DefaultOptions()
	if o.MaxSize <= 0 {
		o.MaxSize = d.MaxSize
	}
	if o.MaxParts <= 0 {
		o.MaxParts = d.MaxParts
	}
	if o.MaxDepth <= 0 {
		o.MaxDepth = d.MaxDepth
	}
	if o.MaxHeaderBytes <= 0 {
		o.MaxHeaderBytes = d.MaxHeaderBytes
	}
	return o
}

// internalProblem prefixes the Problems entry written when Parse recovered from a
// bug of its own; the fuzz targets fail on it.
const internalProblem = "internal parser error"

// Parse reads one raw mail. It always returns a non-nil Message holding as much as
// could be read; a non-nil error (wrapping ErrTooLarge or ErrMalformed) means the
// Message is incomplete. Problems lists everything that could not be read,
// including limits that were hit; such mail is for staff, not for the bot.
func Parse(r io.Reader, opts Options) (msg *Message, err error) {
	opts = opts.withDefaults()
	raw, readErr := readLimited(r, opts.MaxSize+1)
	return parseBytes(raw, readErr, opts)
}

// ParseBytes is Parse of a mail already in memory: it reads raw where it is (a
// mail of many megabytes is not copied once more), and never changes it.
func ParseBytes(raw []byte, opts Options) (*Message, error) {
	opts = opts.withDefaults()
	return parseBytes(raw[:min(int64(len(raw)), opts.MaxSize+1)], nil, opts)
}

func parseBytes(raw []byte, readErr error, opts Options) (msg *Message, err error) {
	msg = &Message{}
	defer func() {
		// Parse must never take the daemon down: a bug here costs one mail, which
		// the caller escalates because of the error.
		if p := recover(); p != nil {
			msg.problem("%s: %v", internalProblem, p)
			err = fmt.Errorf("%w: %s: %v\n%s", ErrMalformed, internalProblem, p, debug.Stack())
		}
	}()
	tooLarge := int64(len(raw)) > opts.MaxSize
	if tooLarge {
		raw = raw[:opts.MaxSize]
		msg.overLimit("mail is larger than %d bytes: the rest was not read", opts.MaxSize)
	}
	msg.Size = len(raw)
	if readErr != nil {
		msg.problem("read mail: %v", readErr)
	}

	raw = normalizeLineEndings(raw)
	err = parseRaw(msg, raw, opts)

	switch {
	case tooLarge:
		err = fmt.Errorf("read mail: %w (limit %d bytes)", ErrTooLarge, opts.MaxSize)
	case readErr != nil:
		err = fmt.Errorf("read mail after %d bytes: %w: %w", len(raw), ErrMalformed, readErr)
	}
	return msg, err
}

// readLimited reads up to limit bytes. Readers that know their length (bytes,
// strings, and the IMAP literal readers that wrap them) get one allocation
// instead of io.ReadAll's doubling.
func readLimited(r io.Reader, limit int64) ([]byte, error) {
	lr := io.LimitReader(r, limit)
	sized, ok := r.(interface{ Len() int })
	if !ok {
		return io.ReadAll(lr)
	}
	buf := make([]byte, 0, min(int64(sized.Len()), limit)+1)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := lr.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// parseRaw fills msg from a whole (possibly truncated) mail.
func parseRaw(msg *Message, raw []byte, opts Options) error {
	hdr, body, herr := splitHeader(skipEnvelope(raw), opts.MaxHeaderBytes)
	for _, p := range hdr.problems {
		msg.problem("%s", p)
	}
	if hdr.dropped {
		msg.overLimit("header larger than %d bytes: later fields dropped", opts.MaxHeaderBytes)
	}
	if herr != nil {
		msg.problem("%v", herr)
	}
	readHeaderFields(msg, hdr.header)

	w := newWalker(msg, opts)
	w.segments = w.walk(hdr.header, body, 0, "top")
	w.finish()

	detectMachine(msg, hdr.header, w)
	if msg.Machine == Bounce {
		msg.BounceOf = w.bounceOf(msg)
	}

	msg.FreshText = FreshText(headOf(msg.Text, maxAnalysedText))
	msg.Tracking = FindTracking(msg.Subject + "\n" + msg.FreshText)

	if herr != nil {
		return fmt.Errorf("read header: %w: %w", ErrMalformed, herr)
	}
	return nil
}

// maxAnalysedText bounds the body text searched for the customer's words, tracking
// numbers and intent. What a customer writes is at the top and short; scanning
// megabytes of a pasted log or a long forwarded history costs seconds per mail and
// adds nothing. Text keeps the whole body.
const maxAnalysedText = 64 << 10

// headOf returns s cut to at most n bytes, at a line end where there is one, and
// never inside a UTF-8 sequence.
func headOf(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	if i := strings.LastIndexByte(s, '\n'); i > n/2 {
		return s[:i+1]
	}
	for len(s) > 0 && !utf8.RuneStart(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	if len(s) > 0 && !utf8.ValidString(s[len(s)-1:]) {
		s = s[:len(s)-1]
	}
	return s
}

// problem records something that could not be read.
// overLimit records that a limit of Options cut the reading short: the mail is not
// to be answered from the part that was read.
func (m *Message) overLimit(format string, args ...any) {
	m.problem(format, args...)
	if m.OverLimit == "" {
		m.OverLimit = fmt.Sprintf(format, args...)
	}
}

func (m *Message) problem(format string, args ...any) {
	p := fmt.Sprintf(format, args...)
	for _, q := range m.Problems {
		if q == p {
			return
		}
	}
	m.Problems = append(m.Problems, p)
}

// normalizeLineEndings turns a mail written with bare CR line endings (old Mac
// mail; sisimai keeps such copies) into LF so the header and MIME readers see
// lines at all. Mail with LF or CRLF is returned unchanged: go-message copes with
// both, and rewriting would cost a copy of a large mail.
func normalizeLineEndings(raw []byte) []byte {
	head := raw
	if len(head) > 8192 {
		head = head[:8192]
	}
	end := bytes.IndexAny(head, "\r\n")
	if end < 0 || head[end] == '\n' || end+1 < len(raw) && raw[end+1] == '\n' {
		return raw
	}
	out := make([]byte, len(raw))
	for i, c := range raw {
		if c == '\r' && (i+1 >= len(raw) || raw[i+1] != '\n') {
			c = '\n'
		}
		out[i] = c
	}
	return out
}

// lowerTrim normalises a header token for comparison.
func lowerTrim(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
