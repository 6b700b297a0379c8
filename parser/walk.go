package parser

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/emersion/go-message/textproto"
)

// segment is one readable body part, in mail order.
type segment struct {
	html bool
	text string
}

// walker visits the MIME tree of one mail. It works on byte slices of the raw
// mail instead of go-message's readers so that nothing is copied twice and a
// broken part (unknown transfer encoding, missing boundary, truncated mail)
// costs that part only, never the parts after it.
type walker struct {
	msg      *Message
	opts     Options
	parts    int
	segments []segment

	reportTypes []string        // report-type of each multipart/report, lower-cased
	reportParts []string        // media types of message/delivery-status and similar parts
	embeddedIDs []string        // Message-IDs of attached or returned messages
	cidRefs     map[string]bool // Content-IDs the HTML body shows by "cid:" (signature logos, pasted images)
	related     int             // how many multipart/related parts the walk is inside
	limitWarned bool
	depthWarned bool
}

func newWalker(msg *Message, opts Options) *walker {
	return &walker{msg: msg, opts: opts}
}

// walk visits one entity and returns its readable text, which the caller places
// in the body; non-body parts are recorded as attachments.
func (w *walker) walk(h textproto.Header, body []byte, depth int, where string) []segment {
	if w.parts >= w.opts.MaxParts {
		if !w.limitWarned {
			w.limitWarned = true
			w.msg.overLimit("more than %d MIME parts: the rest was not read", w.opts.MaxParts)
		}
		return nil
	}
	w.parts++

	ct := parseContentType(h.Get("Content-Type"))
	if !strings.Contains(ct.value, "/") {
		if h.Has("Content-Type") {
			w.msg.problem("part %s: unreadable Content-Type: read as text/plain", where)
		}
		ct = contentType{value: "text/plain", params: ct.params}
	}
	enc, known := transferEncoding(h.Get("Content-Transfer-Encoding"))
	if !known {
		w.msg.problem("part %s: unknown transfer encoding %q: read as is", where, truncate(h.Get("Content-Transfer-Encoding"), 40))
	}
	disp := parseContentType(h.Get("Content-Disposition"))
	filename := disp.params["filename"]
	if filename == "" {
		filename = ct.params["name"]
	}

	switch {
	case strings.HasPrefix(ct.value, "multipart/"):
		return w.multipart(ct, enc, body, depth, where)

	case ct.value == "message/rfc822" || ct.value == "message/global" ||
		ct.value == "text/rfc822-headers" || ct.value == "message/rfc822-headers" ||
		ct.value == "message/global-headers":
		// An attached or returned mail: its words are not the customer's, but its
		// Message-ID tells which of our mails a bounce is about.
		content := decodeTransfer(enc, body)
		inner, _, _ := splitHeader(skipEnvelope(content), w.opts.MaxHeaderBytes)
		w.embeddedIDs = append(w.embeddedIDs, MessageIDs(inner.header.Get("Message-Id"))...)
		if filename == "" {
			filename = decodeHeaderText(inner.header.Get("Subject"))
		}
		w.attach(ct, disp, h, filename, len(content))
		return nil

	case strings.HasPrefix(ct.value, "message/"):
		w.reportParts = append(w.reportParts, ct.value)
		w.attach(ct, disp, h, filename, decodedSize(enc, body))
		return nil

	case isBodyText(ct.value, disp.value, disp.params["filename"], depth):
		html := ct.value == "text/html"
		text, unknown := toUTF8(decodeTransfer(enc, body), ct.params["charset"], html)
		if html {
			// Also in an HTML alternative the plain one replaces: its images are the same.
			w.noteCIDRefs(text)
		}
		if unknown {
			w.msg.problem("part %s: unknown charset %q: read as is", where, truncate(ct.params["charset"], 40))
		}
		text = normalizeNewlines(text)
		if !html && strings.EqualFold(ct.params["format"], "flowed") {
			text = unflow(text, strings.EqualFold(ct.params["delsp"], "yes"))
		}
		return []segment{{html: html, text: text}}
	}

	w.attach(ct, disp, h, filename, decodedSize(enc, body))
	return nil
}

// isBodyText reports whether a part is the customer's text rather than an
// attached file: a text part marked "attachment", or with a disposition file
// name, is a file. A Content-Type name alone is not enough, since old mailers and
// some gateways name their body parts. The single part of a non-MIME mail is
// always the body.
func isBodyText(mediaType, disposition, dispFilename string, depth int) bool {
	if mediaType != "text/plain" && mediaType != "text/html" {
		return false
	}
	if depth == 0 {
		return true
	}
	return disposition != "attachment" && dispFilename == ""
}

func (w *walker) multipart(ct contentType, enc string, body []byte, depth int, where string) []segment {
	if depth+1 > w.opts.MaxDepth {
		if !w.depthWarned {
			w.depthWarned = true
			w.msg.overLimit("part %s: multipart nested deeper than %d levels: not read", where, w.opts.MaxDepth)
		}
		return nil
	}
	if ct.value == "multipart/report" {
		w.reportTypes = append(w.reportTypes, strings.ToLower(strings.TrimSpace(ct.params["report-type"])))
	}
	limit := w.opts.MaxParts - w.parts + 1
	parts, closed := splitMultipart(body, ct.params["boundary"], limit)
	if len(parts) == 0 {
		// No boundary found: the text is still worth more than nothing.
		w.msg.problem("part %s: %s without readable parts: read as text", where, ct.value)
		text, _ := toUTF8(decodeTransfer(enc, body), ct.params["charset"], false)
		return []segment{{text: normalizeNewlines(text)}}
	}
	if !closed && len(parts) < limit {
		w.msg.problem("part %s: %s not closed (truncated mail?)", where, ct.value)
	}

	if ct.value == "multipart/related" {
		w.related++
		defer func() { w.related-- }()
	}
	children := make([][]segment, 0, len(parts))
	for i, p := range parts {
		ph, pbody, _ := splitHeader(p, w.opts.MaxHeaderBytes)
		child := fmt.Sprintf("%d", i+1)
		if where != "top" {
			child = where + "." + child
		}
		children = append(children, w.walk(ph.header, pbody, depth+1, child))
	}
	if ct.value == "multipart/alternative" {
		return chooseAlternative(children)
	}
	var out []segment
	for _, c := range children {
		out = append(out, c...)
	}
	return out
}

// chooseAlternative prefers the plain-text version: it is what the customer's
// client wrote, while the HTML one needs converting. HTML is taken when the
// plain version is missing or empty.
func chooseAlternative(children [][]segment) []segment {
	for _, c := range children {
		for _, s := range c {
			if !s.html && strings.TrimSpace(s.text) != "" {
				return c
			}
		}
	}
	for _, c := range children {
		for _, s := range c {
			if strings.TrimSpace(s.text) != "" {
				return c
			}
		}
	}
	return nil
}

// An image the customer attached is evidence whatever its size: phones send small
// photos too, and Apple Mail and iOS attach them inline, beside the text in
// multipart/mixed, shown by "cid:" or not. Only an image of the letter itself — in
// multipart/related with the HTML that shows it by "cid:" (a signature logo, a banner)
// — is usually no photo; it counts as one when it is as large as a picture pasted into
// the text is. An inline image named like a logo never counts.
const shownImagePhotoMinSize = 10 << 10

var cidRef = regexp.MustCompile(`(?i)cid:([^"'\s>)]+)`)

func (w *walker) noteCIDRefs(html string) {
	for _, m := range cidRef.FindAllStringSubmatch(html, -1) {
		if w.cidRefs == nil {
			w.cidRefs = map[string]bool{}
		}
		w.cidRefs[strings.ToLower(m[1])] = true
	}
}

var logoName = regexp.MustCompile(`(?i)(logo|signature|banner|icon|facebook|twitter|instagram|linkedin|spacer|pixel)`)

// countPhotos counts the image attachments that are evidence (see above); it runs
// after the walk, when every HTML part's references are known.
func (w *walker) countPhotos() {
	for _, a := range w.msg.Attachments {
		if !isImage(a) || a.Size == 0 {
			continue
		}
		shown := a.Related && a.ContentID != "" && w.cidRefs[strings.ToLower(a.ContentID)]
		if shown && a.Size < shownImagePhotoMinSize || a.Inline && logoName.MatchString(a.Filename) {
			continue
		}
		w.msg.Photos++
	}
}

var imageExtensions = map[string]bool{
	".jpg": true, ".jpeg": true, ".jpe": true, ".png": true, ".heic": true, ".heif": true,
	".webp": true, ".gif": true, ".bmp": true, ".tif": true, ".tiff": true, ".avif": true,
}

func (w *walker) attach(ct, disp contentType, h textproto.Header, filename string, size int) {
	a := Attachment{
		Filename:    filename,
		ContentType: ct.value,
		Size:        size,
		Inline:      disp.value == "inline" || disp.value == "" && h.Has("Content-Id"),
		ContentID:   firstOf(MessageIDs(h.Get("Content-Id"))),
		Related:     w.related > 0,
	}
	w.msg.Attachments = append(w.msg.Attachments, a)
}

// isImage reports whether an attachment is a picture: an image/* type (but not
// SVG, which is drawn, not photographed), or a generic type with an image
// file name, as some phones and webmailers send.
func isImage(a Attachment) bool {
	if strings.HasPrefix(a.ContentType, "image/") {
		return a.ContentType != "image/svg+xml"
	}
	name := strings.ToLower(strings.TrimSpace(a.Filename))
	return imageExtensions[path.Ext(strings.ReplaceAll(name, `\`, "/"))]
}

// finish joins the body segments into msg.Text and counts the photos.
func (w *walker) finish() {
	w.countPhotos()
	var texts []string
	for _, s := range w.segments {
		t := s.text
		if s.html {
			t = HTMLToText(t)
		}
		t = strings.Trim(t, "\n")
		if strings.TrimSpace(t) != "" {
			texts = append(texts, t)
		}
	}
	w.msg.Text = strings.Join(texts, "\n\n")
}
