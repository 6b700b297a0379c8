package parser

import (
	"reflect"
	"strings"
	"testing"
)

func TestMachineKind(t *testing.T) {
	tests := []struct {
		name    string
		headers string
		body    string
		want    MachineKind
	}{
		{"ordinary mail", "From: a@example.com\nSubject: Return please\n", "", NotMachine},
		{"reply subject", "From: a@example.com\nSubject: Re: Undeliverable parcel?\n", "", NotMachine},
		{"auto-submitted", "From: a@example.com\nAuto-Submitted: auto-replied\nSubject: hi\n", "", AutoReply},
		{"auto-submitted generated", "From: a@example.com\nAuto-Submitted: auto-generated\nSubject: hi\n", "", AutoReply},
		{"auto-submitted no", "From: a@example.com\nAuto-Submitted: no\nSubject: hi\n", "", NotMachine},
		{"x-autoreply", "From: a@example.com\nX-Autoreply: yes\nSubject: hi\n", "", AutoReply},
		{"x-autorespond", "From: a@example.com\nX-Autorespond: yes\nSubject: hi\n", "", AutoReply},
		{"x-auto-response-suppress alone", "From: a@example.com\nX-Auto-Response-Suppress: All\nSubject: RE: order\n", "", NotMachine},
		{"exchange oof: null return path and suppress", "Return-Path: <>\nFrom: a@example.com\nX-Auto-Response-Suppress: All\nSubject: Nyaan\n", "", AutoReply},
		{"out of office en", "From: a@example.com\nSubject: Out of Office: your return\n", "", AutoReply},
		{"automatic reply en", "From: a@example.com\nSubject: Automatic reply: Re: order\n", "", AutoReply},
		{"auto reply apple", "From: a@example.com\nSubject: Auto reply: Nyaan\n", "", AutoReply},
		{"de", "From: a@example.com\nSubject: Automatische Antwort: Rücksendung\n", "", AutoReply},
		{"nl", "From: a@example.com\nSubject: Automatisch antwoord: Retour\n", "", AutoReply},
		{"nl afwezig", "From: a@example.com\nSubject: Afwezig: Retour\n", "", AutoReply},
		{"fr", "From: a@example.com\nSubject: Réponse automatique : Retour\n", "", AutoReply},
		{"fr absence", "From: a@example.com\nSubject: Absence du bureau\n", "", AutoReply},
		{"es", "From: a@example.com\nSubject: Respuesta automática: Devolución\n", "", AutoReply},
		{"es fuera", "From: a@example.com\nSubject: Fuera de la oficina\n", "", AutoReply},
		{"it", "From: a@example.com\nSubject: Risposta automatica: Reso\n", "", AutoReply},
		{"it fuori sede", "From: a@example.com\nSubject: Fuori sede fino al 20 marzo\n", "", AutoReply},
		{"pt", "From: a@example.com\nSubject: Resposta automática: Devolução\n", "", AutoReply},
		{"pt ausência", "From: a@example.com\nSubject: Ausência: Devolução\n", "", AutoReply},
		{"a missing part in a customer subject", "From: a@example.com\nSubject: Ausência de peça no pedido\n", "", NotMachine},
		{"vacation", "From: a@example.com\nSubject: Vacation\n", "", AutoReply},
		{"absence word inside a customer subject", "From: a@example.com\nSubject: Absent item in my order\n", "", NotMachine},
		{"lotus notes phrase", "From: a@example.com\nSubject: Jane Doe is out of the office.\n", "", AutoReply},
		{"bounce subject", "From: a@example.com\nSubject: Undeliverable: Re: your return\n", "", Bounce},
		{"dsn subject", "From: a@example.com\nSubject: Delivery Status Notification (Failure)\n", "", Bounce},
		{"bounce of an auto-reply", "From: a@example.com\nSubject: Undeliverable: Automatic reply: x\n", "", Bounce},
		{"auto-reply to a bounce", "From: a@example.com\nSubject: Automatic reply: Undeliverable\n", "", AutoReply},
		{"mailer-daemon", "From: MAILER-DAEMON@mx.example.com\nSubject: failure\n", "", Bounce},
		{"postmaster with auto-submitted", "From: postmaster@example.com\nAuto-Submitted: auto-replied\nSubject: notice\n", "", Bounce},
		{"exim failed recipients", "From: a@example.com\nX-Failed-Recipients: b@example.com\nSubject: x\n", "", Bounce},
		{"null return path alone", "Return-Path: <>\nFrom: a@example.com\nSubject: x\n", "", Bounce},
		{"null return path with auto-submitted", "Return-Path: <>\nFrom: a@example.com\nAuto-Submitted: auto-replied\nSubject: Away\n", "", AutoReply},
		{"precedence bulk", "From: a@example.com\nPrecedence: bulk\nSubject: x\n", "", Bulk},
		{"precedence list", "From: a@example.com\nPrecedence: list\nSubject: x\n", "", Bulk},
		{"auto-reply with precedence bulk stays auto-reply", "From: a@example.com\nPrecedence: bulk\nAuto-Submitted: auto-replied\nSubject: x\n", "", AutoReply},
		{"list-id", "From: a@example.com\nList-Id: <news.example.com>\nSubject: x\n", "", Bulk},
		{"one-click unsubscribe", "From: a@example.com\nList-Unsubscribe: <https://x>\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\nSubject: x\n", "", Bulk},
		{"list-unsubscribe alone", "From: a@example.com\nList-Unsubscribe: <https://x>\nSubject: Re: my return\n", "", NotMachine},
		{
			"delivery-status report",
			"From: a@example.com\nSubject: x\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\n",
			"--b\nContent-Type: text/plain\n\nfailed\n--b--\n",
			Bounce,
		},
		{
			"arf report",
			"From: a@example.com\nSubject: x\nContent-Type: multipart/report; report-type=feedback-report; boundary=b\n",
			"--b\nContent-Type: message/feedback-report\n\nFeedback-Type: abuse\n--b--\n",
			Bounce,
		},
		{
			"read receipt",
			"From: a@example.com\nSubject: Read: x\nContent-Type: multipart/report; report-type=disposition-notification; boundary=b\n",
			"--b\nContent-Type: message/disposition-notification\n\nDisposition: displayed\n--b--\n",
			AutoReply,
		},
		{"ses bounce notification", "From: no-reply@sns.amazonaws.com\nSubject: AWS Notification Message\n", `{"notificationType":"Bounce"}`, Bounce},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg, _ := Parse(strings.NewReader(tt.headers+"\n"+tt.body), DefaultOptions())
			if msg.Machine != tt.want {
				t.Errorf("Machine = %q, want %q", msg.Machine, tt.want)
			}
		})
	}
}

func TestBounceOf(t *testing.T) {
	raw := "From: MAILER-DAEMON@mx.example.com\nMessage-ID: <self@mx.example.com>\nIn-Reply-To: <bot-3@shop.example>\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n" +
		"--b\nContent-Type: text/plain\n\nOriginal headers:\n  Message-Id: <bot-2@shop.example>\n" +
		"--b\nContent-Type: message/delivery-status\n\nAction: failed\n" +
		"--b\nContent-Type: message/rfc822\n\nFrom: shop@shop.example\nMessage-ID: <bot-1@shop.example>\n\nbody\n" +
		"--b--\n"
	msg, _ := Parse(strings.NewReader(raw), DefaultOptions())
	want := []string{"bot-1@shop.example", "bot-2@shop.example", "bot-3@shop.example"}
	if msg.Machine != Bounce || !reflect.DeepEqual(msg.BounceOf, want) {
		t.Errorf("Machine %q BounceOf %q, want bounce %q", msg.Machine, msg.BounceOf, want)
	}
	if strings.Contains(msg.Text, "body") {
		t.Errorf("text of the returned message leaked into Text: %q", msg.Text)
	}
}
