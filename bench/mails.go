package main

import (
	"bytes"
	"encoding/base64"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// inbox is one store mailbox on the benchmark's Dovecot.
type inbox struct {
	store, user, address string
	orderFormat          string // the store's order numbers, from a sequence number
	lang                 string
	country              string
}

var inboxes = []inbox{
	{"lumina", "lumina", "support@luminahelp.com", "LW-%05d", "nl", "NL"},
	{"alinora", "alinora", "alinora-overseas@outlook.com", "AL-%06d", "en", "US"},
	{"alusse", "alusse", "info@alusse.com", "ALS%05d", "fr", "FR"},
	{"alustoora", "alustoora", "support@alustoora.com", "#%05d", "en", "US"},
	{"luxnome", "luxnome", "support@luxnome.example", "LX%06d", "de", "DE"},
}

// benchMail is one customer mail of the backlog, with the order it is about.
type benchMail struct {
	inbox inbox
	id    string
	at    time.Time
	raw   []byte
	// reply says whether the store answers it (every request here is answered).
	reply bool
}

// requests are what customers write, per language: {subject, body}; %s is the
// order number. They are decided as returns, exchanges, claims, cancellations and
// refund questions, each of which the store answers.
var requests = map[string][][2]string{
	"en": {
		{"Return %s", "Hello,\n\nI would like to return the item from order %s, it does not fit me. It is unworn with the tags on.\n\nThanks,\n%s"},
		{"Exchange for a bigger size", "Hi, the shoes from order %s are too small. Can I exchange them for one size up?\n\n%s"},
		{"Refund for %s?", "Hello, I sent back my return for order %s two weeks ago. When will I get my refund?\n\nBest,\n%s"},
		{"Order %s arrived damaged", "Hello,\n\nmy order %s arrived with a broken zip. Photos attached. I would like a replacement.\n\nRegards,\n%s"},
	},
	"nl": {
		{"Retour %s", "Hallo,\n\nik wil graag de broek van bestelling %s retourneren, hij is te groot. Ongedragen, labels zitten er nog aan.\n\nGroet,\n%s"},
		{"Ruilen", "Hoi, de jas van bestelling %s is te klein. Kan ik hem ruilen voor een maat groter?\n\n%s"},
	},
	"fr": {
		{"Retour commande %s", "Bonjour,\n\nje souhaite retourner la robe de la commande %s, elle est trop grande. Elle n'a pas été portée.\n\nCordialement,\n%s"},
		{"Remboursement %s", "Bonjour, j'ai renvoyé ma commande %s il y a deux semaines. Quand serai-je remboursée ?\n\n%s"},
	},
	"de": {
		{"Rücksendung %s", "Hallo,\n\nich möchte den Mantel aus der Bestellung %s zurückschicken, er passt mir nicht. Er ist ungetragen.\n\nViele Grüße\n%s"},
		{"Bestellung %s defekt", "Guten Tag,\n\nbei meiner Bestellung %s ist der Reißverschluss kaputt. Fotos anbei.\n\nMit freundlichen Grüßen\n%s"},
	},
}

var names = []string{"Sophie Martin", "Lena Vogel", "Emma de Vries", "Lucas Bernard", "Mia Jansen", "Noah Fischer",
	"Chloé Laurent", "Olivia Brown", "Liam Smith", "Sara Rossi", "Jonas Weber", "Julia Novak"}

// corpus writes n customer mails (customers from, from+1, …), each from its own customer about an order of its
// own (written into the stores' order exports, so every mail is decided on a real
// order and the rate limit of a sender never applies), received just before at.
// Every photoEvery-th mail carries a photo of 5–20 MiB (0: none).
func corpus(from, n, photoEvery int, at time.Time) []benchMail {
	out := make([]benchMail, 0, n)
	rng := rand.New(rand.NewPCG(uint64(from+n), 7))
	for i := from; i < from+n; i++ {
		in := inboxes[i%len(inboxes)]
		c := customerOf(in, i)
		lang := in.lang
		if i%3 == 0 {
			lang = "en"
		}
		tpl := requests[lang][rng.IntN(len(requests[lang]))]
		subject := tpl[0]
		if strings.Contains(subject, "%s") {
			subject = fmt.Sprintf(subject, c.order)
		}
		body := fmt.Sprintf(tpl[1], c.order, c.name)
		id := fmt.Sprintf("bench-%d-%d@mail.example", at.UnixNano(), i)
		var photo int
		if photoEvery > 0 && i%photoEvery == photoEvery-1 {
			photo = (5 + rng.IntN(16)) << 20
		}
		when := at.Add(-time.Duration(from+n-i) * time.Second)
		out = append(out, benchMail{inbox: in, id: id, at: when, raw: mailBytes(in, c, subject, body, id, when, photo), reply: true})
	}
	return out
}

// customer is the buyer of one order of the benchmark's exports.
type customer struct {
	name, email, order string
}

func customerOf(in inbox, i int) customer {
	name := names[i%len(names)]
	local := strings.ToLower(strings.ReplaceAll(name, " ", "."))
	local = strings.NewReplacer("é", "e", "ö", "o").Replace(local)
	return customer{name: name, email: fmt.Sprintf("%s.%d@example.net", local, i), order: fmt.Sprintf(in.orderFormat, 10000+i)}
}

func mailBytes(in inbox, c customer, subject, body, id string, at time.Time, photo int) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: %s <%s>\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <%s>\r\nMIME-Version: 1.0\r\n",
		c.name, c.email, in.address, mimeWord(subject), at.Format(time.RFC1123Z), id)
	text := strings.ReplaceAll(body, "\n", "\r\n")
	if photo == 0 {
		fmt.Fprintf(&b, "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n%s\r\n", text)
		return b.Bytes()
	}
	b.WriteString("Content-Type: multipart/mixed; boundary=\"bench\"\r\n\r\n--bench\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
	b.WriteString(text + "\r\n--bench\r\nContent-Type: image/jpeg\r\nContent-Disposition: attachment; filename=\"photo.jpg\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	img := make([]byte, photo*3/4)
	img[0], img[1], img[2] = 0xFF, 0xD8, 0xFF
	enc := base64.StdEncoding.EncodeToString(img)
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n--bench--\r\n")
	return b.Bytes()
}

func mimeWord(s string) string {
	for _, r := range s {
		if r > 127 {
			return "=?utf-8?B?" + base64.StdEncoding.EncodeToString([]byte(s)) + "?="
		}
	}
	return s
}

// writeOrders writes each store's Shopify exports for the customers of n mails: the
// store's own products (its built-in catalogue), one order each, delivered days ago.
func writeOrders(dir string, n int, now time.Time) error {
	for s, in := range inboxes {
		products, err := os.ReadFile(filepath.Join("orders", "defaults", in.store, "products_export.csv"))
		if err != nil {
			return fmt.Errorf("the benchmark runs from the repository root: %w", err)
		}
		item, err := firstProduct(products)
		if err != nil {
			return fmt.Errorf("%s products: %w", in.store, err)
		}
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		w.Write([]string{"Name", "Email", "Financial Status", "Fulfillment Status", "Fulfilled at", "Delivered at", "Created at", "Currency",
			"Lineitem quantity", "Lineitem name", "Lineitem price", "Lineitem sku", "Shipping Name", "Shipping Country"})
		layout := "2006-01-02 15:04:05 -0700"
		for i := s; i < n; i += len(inboxes) {
			c := customerOf(in, i)
			created := now.AddDate(0, 0, -8)
			w.Write([]string{c.order, c.email, "paid", "fulfilled", created.AddDate(0, 0, 1).Format(layout), created.AddDate(0, 0, 4).Format(layout),
				created.Format(layout), "EUR", "1", item.title, item.price, item.sku, c.name, in.country})
		}
		w.Flush()
		d := filepath.Join(dir, in.store)
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(d, "orders_export.csv"), b.Bytes(), 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(d, "products_export.csv"), products, 0o644); err != nil {
			return err
		}
	}
	return nil
}

type product struct{ title, sku, price string }

// firstProduct is the catalogue's first product of a Type every policy takes back.
func firstProduct(csvData []byte) (product, error) {
	rows, err := csv.NewReader(bytes.NewReader(csvData)).ReadAll()
	if err != nil || len(rows) < 2 {
		return product{}, fmt.Errorf("unreadable products export: %v", err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, r := range rows[1:] {
		if r[col["Title"]] != "" && (r[col["Type"]] == "Apparel" || r[col["Type"]] == "Shoes" || r[col["Type"]] == "Electronics" || r[col["Type"]] == "Home") {
			return product{title: r[col["Title"]], sku: r[col["Variant SKU"]], price: r[col["Variant Price"]]}, nil
		}
	}
	return product{}, fmt.Errorf("no returnable product")
}
