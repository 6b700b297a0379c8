package parser

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
)

// imagePart is one image part of a test mail.
func imagePart(name, disposition, cid string, size int) string {
	h := fmt.Sprintf("Content-Type: image/png; name=%q\r\nContent-Transfer-Encoding: base64\r\n", name)
	if disposition != "" {
		h += fmt.Sprintf("Content-Disposition: %s; filename=%q\r\n", disposition, name)
	}
	if cid != "" {
		h += "Content-ID: <" + cid + ">\r\n"
	}
	return h + "\r\n" + base64.StdEncoding.EncodeToString([]byte(strings.Repeat("x", size))) + "\r\n"
}

func mixedMail(body string, parts ...string) string {
	var b strings.Builder
	b.WriteString("From: a@example.com\r\nTo: b@example.com\r\nSubject: broken\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=\"MIX\"\r\n\r\n--MIX\r\n" + body)
	for _, p := range parts {
		b.WriteString("--MIX\r\n" + p)
	}
	b.WriteString("--MIX--\r\n")
	return b.String()
}

const plainBody = "Content-Type: text/plain; charset=utf-8\r\n\r\nThe lamp arrived broken.\r\n"

// htmlWithLogo is a multipart/alternative whose HTML shows cid:logo@shop in the signature.
const htmlWithLogo = "Content-Type: multipart/alternative; boundary=\"ALT\"\r\n\r\n" +
	"--ALT\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe lamp arrived broken.\r\n" +
	"--ALT\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>The lamp arrived broken.</p><p>--<br><img src=\"cid:logo@shop\"></p>\r\n" +
	"--ALT--\r\n"

// relatedLetter is an HTML letter with the images it shows, as mail clients send a
// signature logo: multipart/related around the text and the image.
func relatedLetter(images ...string) string {
	var b strings.Builder
	b.WriteString("Content-Type: multipart/related; boundary=\"REL\"\r\n\r\n--REL\r\n" + htmlWithLogo)
	for _, img := range images {
		b.WriteString("--REL\r\n" + img)
	}
	b.WriteString("--REL--\r\n")
	return b.String()
}

// TestPhotoEvidence: an attached image is evidence whatever its size; an image the
// HTML letter shows by cid: is a signature logo unless it is picture-sized; an image
// attached beside the letter that the HTML shows (Apple Mail) is attached.
func TestPhotoEvidence(t *testing.T) {
	for _, tc := range []struct {
		name string
		mail string
		want int
	}{
		{"small attachment", mixedMail(plainBody, imagePart("IMG_1.png", "attachment", "", 600)), 1},
		{"small inline, not shown (iOS)", mixedMail(plainBody, imagePart("IMG_2.png", "inline", "ios-1", 800)), 1},
		{"inline with content-id only, not shown", mixedMail(plainBody, imagePart("photo.png", "", "ios-2", 900)), 1},
		{"only image is the signature logo", mixedMail(relatedLetter(imagePart("image001.png", "inline", "logo@shop", 3000))), 0},
		{"logo shown by HTML plus an attached photo", mixedMail(relatedLetter(imagePart("image001.png", "inline", "logo@shop", 3000)),
			imagePart("damage.png", "attachment", "", 700)), 1},
		{"large picture pasted into the HTML", mixedMail(relatedLetter(imagePart("image001.png", "inline", "logo@shop", 40<<10))), 1},
		{"Apple Mail photo beside the letter, shown by cid", mixedMail(htmlWithLogo, imagePart("IMG_0417.png", "inline", "logo@shop", 3000)), 1},
		{"inline image named as a logo", mixedMail(plainBody, imagePart("company-logo.png", "inline", "x1", 900)), 0},
		{"empty image", mixedMail(plainBody, imagePart("IMG_3.png", "attachment", "", 0)), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			msg, err := Parse(strings.NewReader(tc.mail), DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			if msg.Photos != tc.want {
				t.Errorf("Photos = %d, want %d (attachments %+v)", msg.Photos, tc.want, msg.Attachments)
			}
		})
	}
}
