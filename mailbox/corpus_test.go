package mailbox

import (
	"encoding/base64"
	"fmt"
	"strings"
	"time"
)

// The store mailboxes of the built-in stores, and the IMAP user holding each.
var storeMailboxes = map[string]string{
	"lumina":    "support@luminahelp.com",
	"alinora":   "alinora-overseas@outlook.com",
	"alustoora": "support@alustoora.com",
	"alusse":    "info@alusse.com",
	"luxnome":   "support@luxnome.example",
}

var amsterdam = time.FixedZone("CET", 3600)

// testMail is one mail a customer (or a machine) sends to a store mailbox.
type testMail struct {
	store   string // the store, also the IMAP user whose INBOX receives it
	from    string // "Name <addr>"
	subject string
	body    string
	at      time.Time
	id      string // Message-ID, without brackets
	photos  int
	headers []string // extra header lines
	raw     []byte   // when set, sent as is (bounces)
	machine bool     // no reply is expected
	// dupOf: a second copy of an earlier mail (same Message-ID).
	dupOf bool
}

func (m testMail) bytes() []byte {
	if m.raw != nil {
		return m.raw
	}
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <%s>\r\nMIME-Version: 1.0\r\n",
		m.from, storeMailboxes[m.store], m.subject, m.at.Format(time.RFC1123Z), m.id)
	for _, h := range m.headers {
		b.WriteString(h + "\r\n")
	}
	body := strings.ReplaceAll(m.body, "\n", "\r\n") + "\r\n"
	if m.photos == 0 {
		b.WriteString("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
		b.WriteString(body)
		return []byte(b.String())
	}
	b.WriteString("Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n")
	b.WriteString(body)
	for i := range m.photos {
		fmt.Fprintf(&b, "--b1\r\nContent-Type: image/jpeg; name=\"photo%d.jpg\"\r\nContent-Disposition: attachment; filename=\"photo%d.jpg\"\r\nContent-Transfer-Encoding: base64\r\n\r\n", i+1, i+1)
		b.WriteString(photoBase64)
	}
	b.WriteString("--b1--\r\n")
	return []byte(b.String())
}

// photoBase64 is a 3 KB "photo": the parser counts images from 2 KB up as photos.
var photoBase64 = func() string {
	data := make([]byte, 3<<10)
	for i := range data {
		data[i] = byte(i * 7)
	}
	enc := base64.StdEncoding.EncodeToString(data)
	var b strings.Builder
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return b.String()
}()

// day20 is a time on 2026-11-20 in Amsterdam; the default orders put "now" there.
func day20(hour, minute int) time.Time {
	return time.Date(2026, 11, 20, hour, minute, 0, 0, amsterdam)
}

func bounce(store, id string, at time.Time) testMail {
	to := storeMailboxes[store]
	raw := "From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\r\nTo: " + to + "\r\n" +
		"Subject: Undelivered Mail Returned to Sender\r\nDate: " + at.Format(time.RFC1123Z) + "\r\nMessage-ID: <" + id + ">\r\n" +
		"Auto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"r1\"\r\n\r\n" +
		"--r1\r\nContent-Type: text/plain\r\n\r\nThis is the mail system. Your message could not be delivered.\r\n" +
		"--r1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.net\r\n\r\n" +
		"Final-Recipient: rfc822; nobody@example.net\r\nAction: failed\r\nStatus: 5.1.1\r\n" +
		"--r1--\r\n"
	return testMail{store: store, raw: []byte(raw), at: at, id: id, machine: true}
}

// mixedMails is the 50-mail mailbox of the daemon tests: returns, claims,
// cancellations, requests the desk must question or escalate, and mail it must
// not answer (auto-replies, bounces, newsletters, second copies).
func mixedMails() []testMail {
	n := 0
	c := func(store, from, subject, body string, at time.Time, photos int) testMail {
		n++
		return testMail{store: store, from: from, subject: subject, body: body, at: at, photos: photos,
			id: fmt.Sprintf("c%02d.%s@mail.example", n, store)}
	}
	auto := func(m testMail, headers ...string) testMail {
		m.headers, m.machine = headers, true
		return m
	}
	dup := func(m testMail) testMail {
		m.dupOf, m.machine = true, true
		return m
	}
	l1 := c("lumina", "Sophie van den Berg <sophie.vandenberg@example.nl>", "Return LW-58213",
		"Hello,\n\nI would like to return the leggings from order LW-58213, they do not fit.\n\nSophie", day20(9, 5), 0)
	u3 := c("alustoora", "Thomas Becker <thomas.becker@example.de>", "Refund order 10229",
		"Hi, I want a refund for order #10229, the boots are not what I expected. Thomas", day20(9, 40), 0)
	mails := []testMail{
		// lumina
		l1,
		c("lumina", "Charlotte Green <charlotte.green@example.co.uk>", "Returning my dress",
			"Hi, I changed my mind about the dress from order LW-58203 and would like to return it. Thanks, Charlotte", day20(9, 10), 0),
		c("lumina", "Zoe Mitchell <zoe.mitchell@example.com.au>", "Faulty cardigan LW-58210",
			"Hello, the cardigan from order LW-58210 arrived with a hole in the sleeve. Photos attached. I would like a refund. Zoe", day20(9, 15), 2),
		c("lumina", "Iris Koster <iris.koster@example.nl>", "Cancel order LW-58217",
			"Please cancel my order LW-58217, I ordered by mistake. Iris", day20(9, 20), 0),
		c("lumina", "Rachel Adams <rachel.adams@example.com>", "Exchange LW-58214 for size L",
			"Hi! The leggings from LW-58214 are too small, can I exchange them for size L? Rachel", day20(9, 25), 0),
		c("lumina", "Katharina Braun <katharina.braun@example.de>", "Return LW-58206",
			"Hello, I would like to return the bra from order LW-58206, I changed my mind. Katharina", day20(9, 30), 0),
		c("lumina", "Megan O'Brien <megan.obrien@example.ie>", "Gift card return LW-58208",
			"Hi, can I return the gift card from order LW-58208 for a refund? Megan", day20(9, 35), 0),
		c("lumina", "Nadia El Amrani <nadia.elamrani@example.nl>", "My return parcel is lost LW-58202",
			"Hello, I sent my return for order LW-58202 three weeks ago but the parcel seems lost, tracking has not moved. Nadia", day20(9, 40), 0),
		c("lumina", "Mark Visser <mark.visser@example.nl>", "Return",
			"Hi, I want to return the dress I bought last week. How do I do that? Mark", day20(9, 45), 0),
		auto(c("lumina", "Pieter Jansen <pieter.jansen@example.nl>", "Out of office",
			"I am out of the office until Monday.", day20(9, 50), 0), "Auto-Submitted: auto-replied"),
		bounce("lumina", "bounce1@mx.example.net", day20(9, 55)),
		auto(c("lumina", "Lumina Deals <news@deals.example.com>", "Black Friday deals",
			"Our best deals of the year.", day20(10, 0), 0), "List-Id: <deals.example.com>", "Precedence: bulk"),
		dup(l1),
		c("lumina", "Tessa Willems <tessa.willems@example.nl>", "Cancel LW-58215",
			"Hi, please cancel order LW-58215. Tessa", day20(10, 5), 0),
		c("lumina", "Hanna Lindqvist <hanna.lindqvist@example.se>", "Return LW-58212",
			"Hello, I changed my mind about the tee from order LW-58212 and want to return it. Hanna", day20(10, 10), 0),

		// alinora
		c("alinora", "Jonas Weber <jonas.weber@example.de>", "Return AL-204518",
			"Hello, I would like to return the earbuds from order AL-204518, I changed my mind. Jonas", day20(9, 0), 0),
		c("alinora", "Mia Jansen <mia.jansen@example.nl>", "Cancel AL-204524",
			"Please cancel my order AL-204524. Mia", day20(9, 5), 0),
		c("alinora", "Ethan Walker <ethan.walker@example.com>", "Return AL-204519",
			"Hi, I want to return the smartwatch from order AL-204519, I no longer need it. Ethan", day20(9, 10), 0),
		c("alinora", "Olivia Bennett <olivia.bennett@example.com>", "Return AL-204509",
			"Hello, I would like to return the earbuds from order AL-204509. Olivia", day20(9, 15), 0),
		c("alinora", "Noah Anderson <noah.anderson@example.com>", "Wrong item AL-204523",
			"Hi, I received the wrong model of case for order AL-204523, photos attached. Please send the right one. Noah", day20(9, 20), 2),
		c("alinora", "Camille Dubois <camille.dubois@example.fr>", "Return AL-204520",
			"Hello, I changed my mind about the smartwatch from order AL-204520 and would like to return it. Camille", day20(9, 25), 0),
		c("alinora", "Oliver Hughes <oliver.hughes@example.co.uk>", "Return AL-204521",
			"Hi, I changed my mind about the sleeve from order AL-204521 and would like to return it for a refund. Oliver", day20(9, 30), 0),
		c("alinora", "Stranger <stranger@example.org>", "Return AL-204518",
			"I want to return order AL-204518, please send the return address.", day20(9, 35), 0),
		c("alinora", "Paul Meyer <paul.meyer@example.de>", "Return AL-999999",
			"Hello, I want to return my order AL-999999. Paul", day20(9, 40), 0),
		auto(c("alinora", "Anna Schmidt <anna.schmidt@example.de>", "Automatic reply: Return AL-204518",
			"I am away.", day20(9, 45), 0), "X-Autoreply: yes"),

		// alustoora
		c("alustoora", "Ashley Martinez <ashley.martinez@example.com>", "Exchange order 10234",
			"Hi, the hoodie from order #10234 is too small, can I exchange it for a size L? Ashley", day20(9, 30), 0),
		c("alustoora", "Ashley Martinez <ashley.martinez@example.com>", "Refund?",
			"Also, could I get a refund instead for order 10234? Ashley", day20(9, 35), 0),
		u3,
		c("alustoora", "Michael Brown <michael.brown@example.com>", "Exchange 10231",
			"Hello, I would like to exchange the jacket from order #10231 for a size M. Michael", day20(9, 45), 0),
		c("alustoora", "Jessica Davis <jessica.davis@example.com>", "Exchange 10232",
			"Hi, can I exchange the beanie from order #10232 for another colour? Jessica", day20(9, 50), 0),
		c("alustoora", "Ryan Lewis <ryan.lewis@example.ca>", "Cancel order 10239",
			"Please cancel order #10239. Ryan", day20(9, 55), 0),
		bounce("alustoora", "bounce2@mx.example.net", day20(10, 0)),
		dup(u3),

		// alusse
		c("alusse", "Giulia Conti <giulia.conti@example.it>", "Retour ALS10480",
			"Hello, I would like to return the trench coat from order ALS10480. Giulia", day20(9, 0), 0),
		c("alusse", "Pauline Lefevre <pauline.lefevre@example.fr>", "Robe abîmée ALS10482",
			"Bonjour, la robe de la commande ALS10482 est arrivée déchirée. Voici les photos de la robe et du colis. Pauline", day20(9, 5), 2),
		c("alusse", "Hugo Mercier <hugo.mercier@example.fr>", "Annulation ALS10484",
			"Bonjour, je souhaite annuler ma commande ALS10484. Merci, Hugo", day20(9, 10), 0),
		c("alusse", "Zoe Marchand <zoe.marchand@example.fr>", "Cancel ALS10481",
			"Hello, please cancel my order ALS10481. Zoe", day20(9, 15), 0),
		c("alusse", "Julie Petit <julie.petit@example.fr>", "Return ALS10471",
			"Hello, I would like to return the earrings from order ALS10471. Julie", day20(9, 20), 0),
		c("alusse", "Ines Fontaine <ines.fontaine@example.fr>", "Return ALS10477",
			"Hello, I changed my mind about the sweater from order ALS10477 and want to return it. Ines", day20(9, 25), 0),
		auto(c("alusse", "Alussé Magazine <newsletter@alusse-news.example>", "Nouvelle collection",
			"Découvrez la nouvelle collection.", day20(9, 30), 0), "Precedence: bulk"),
		c("alusse", "Emily Parker <emily.parker@example.com>", "Return ALS10479",
			"Hi, I want to return the skirt from order ALS10479. Emily", day20(9, 35), 0),
		c("alusse", "Claire Bernard <claire.bernard@example.fr>", "Retour commande ALS10470",
			"Bonjour, je souhaite retourner la robe de la commande ALS10470. Merci, Claire", day20(9, 40), 0),

		// luxnome
		c("luxnome", "Emma de Vries <emma.devries@example.nl>", "Defective coat LX100233",
			"Hello, the coat from order LX100233 has a broken zipper. Photos attached. Emma", day20(9, 0), 2),
		c("luxnome", "Felix Hoffmann <felix.hoffmann@example.de>", "Return LX100229",
			"Hello, I changed my mind about the coat from order LX100229 and would like to return it. Felix", day20(9, 5), 0),
		c("luxnome", "Jennifer Scott <jennifer.scott@example.com>", "Return LX100225",
			"Hi, I changed my mind about the loafers from order LX100225, can I return them? Jennifer", day20(9, 10), 0),
		c("luxnome", "James Wright <james.wright@example.co.uk>", "Return LX100227",
			"Hello, I changed my mind about the cashmere sweater from order LX100227 and would like to return it. James", day20(9, 15), 0),
		c("luxnome", "Daan Smits <daan.smits@example.nl>", "Annuleren LX100236",
			"Hallo, ik wil mijn bestelling LX100236 annuleren. Daan", day20(9, 20), 0),
		c("luxnome", "Sebastian Wolf <sebastian.wolf@example.de>", "Return LX100224",
			"Hello, I want to return the boots from order LX100224, I changed my mind. Sebastian", day20(9, 25), 0),
		auto(c("luxnome", "Karl Huber <karl.huber@example.de>", "Abwesenheitsnotiz: Return",
			"Ich bin bis Montag nicht im Büro.", day20(9, 30), 0), "Auto-Submitted: auto-replied"),
		bounce("luxnome", "bounce3@mx.example.net", day20(9, 35)),
	}
	return mails
}
