package desk_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"testing"
	"time"
)

// TestAnswerKeepsTheThreadsFault: the answer to our request for photos of a wrong
// colour sent names the colour again ("in the right colour, please"). That is the
// fault the thread established, told once more, not a colour the customer now
// dislikes: the claim is decided with its photos.
func TestAnswerKeepsTheThreadsFault(t *testing.T) {
	d := newTestDesk(t, "")
	ctx := context.Background()
	first := "From: Lisa de Graaf <lisa.degraaf@example.nl>\r\nTo: support@luminahelp.com\r\nSubject: Order LW-58201\r\n" +
		"Message-ID: <wrong-colour-1@example.nl>\r\nDate: Tue, 8 Sep 2026 09:00:00 +0200\r\n\r\n" +
		"Hello, I ordered the leggings of LW-58201 in black and you sent me grey ones. Please send me the black ones.\r\n\r\nLisa\r\n"
	res, err := d.Process(ctx, []byte(first), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Action != "request_info" || res.Code != "missing_photos" {
		t.Fatalf("first mail: %s/%s (%s), want request_info/missing_photos", res.Action, res.Code, res.Why)
	}
	photo := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{0xff, 0xd8, 0xff}, 300))
	answer := "From: Lisa de Graaf <lisa.degraaf@example.nl>\r\nTo: support@luminahelp.com\r\nSubject: Re: Order LW-58201\r\n" +
		"Message-ID: <wrong-colour-2@example.nl>\r\nIn-Reply-To: <wrong-colour-1@example.nl>\r\nReferences: <wrong-colour-1@example.nl>\r\n" +
		"Date: Wed, 9 Sep 2026 09:00:00 +0200\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n\r\n" +
		"Here you are: the leggings I got and the label on the bag, which gives the colour as black. I'd rather have them in the right colour than my money back.\r\n\r\nLisa\r\n--b\r\n" +
		"Content-Type: image/jpeg; name=\"IMG_1.jpg\"\r\nContent-Disposition: attachment; filename=\"IMG_1.jpg\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		photo + "\r\n--b--\r\n"
	res, err = d.Process(ctx, []byte(answer), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Reason != "wrong_item" || res.Action == "escalate" || res.Action == "reject" {
		t.Errorf("answer with photos: %s/%s for reason %q (%s), want the wrong item's claim decided", res.Action, res.Code, res.Reason, res.Why)
	}
}
