package desk_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// TestChineseMail: alinora is a Chinese store with a Chinese exchange mailbox. A
// Chinese mail in GBK is read (language zh, the intent and the fault), decided like
// any other, and answered in Chinese.
func TestChineseMail(t *testing.T) {
	text := "您好，我的订单AL-204519的智能手表收到后就坏了，屏幕无法开机。照片见附件。请给我换一个新的。\r\n谢谢"
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	photo := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{0xff, 0xd8, 0xff}, 300))
	raw := "From: =?UTF-8?B?" + base64.StdEncoding.EncodeToString([]byte("沃克")) + "?= <ethan.walker@example.com>\r\n" +
		"To: 13986307982@139.com\r\nSubject: =?GBK?B?" + base64.StdEncoding.EncodeToString([]byte(mustGBK(t, "手表坏了"))) + "?=\r\n" +
		"Message-ID: <zh-1@example.com>\r\nDate: Sat, 14 Nov 2026 10:00:00 +0800\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n" +
		"Content-Type: text/plain; charset=GBK\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		base64.StdEncoding.EncodeToString([]byte(gbk)) + "\r\n--b\r\n" +
		"Content-Type: image/jpeg; name=\"IMG_1.jpg\"\r\nContent-Disposition: attachment; filename=\"IMG_1.jpg\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		photo + "\r\n--b--\r\n"
	d := newTestDesk(t, "")
	res, err := d.Process(context.Background(), []byte(raw), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Language != "zh" || res.Intent != "exchange" || res.Reason != "defective" {
		t.Errorf("read as %s/%s in %q, want exchange/defective in zh (%s)", res.Intent, res.Reason, res.Language, res.Why)
	}
	if res.Action != "authorize_exchange" || res.Code != "exchange" {
		t.Errorf("decided %s/%s (%s), want authorize_exchange/exchange", res.Action, res.Code, res.Why)
	}
	if res.Reply == nil || res.Reply.Language != "zh" || !strings.Contains(res.Reply.Body, res.RAN) || !strings.ContainsRune(res.Reply.Body, '您') {
		t.Errorf("reply not in Chinese or without the RAN: %+v", res.Reply)
	}
}

func mustGBK(t *testing.T, s string) string {
	t.Helper()
	out, err := simplifiedchinese.GBK.NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
