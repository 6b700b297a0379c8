package orders

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

const ordersBasic = `Name,Email,Financial Status,Fulfillment Status,Fulfilled at,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,Lineitem sku,Shipping Zip,Shipping Country,Tags,Note Attributes,Refunded Amount,Delivered at,Subtotal
#1001,ann@example.com,Paid,Fulfilled,2026-10-02 10:00:00 +0200,2026-10-01 09:30:00 +0200,1,Coat - M,349.00,,COAT-M,1071 AB,nl,"Gift, VIP ","gift: yes
gift_message: Happy birthday",0.00,2026-10-04 13:05:00 +0200,400.00
#1001,,,,,,2,Scarf,59.00,79.00,scarf-01,,,,,,,
#1002,bob@example.com,refunded,,,2026-10-03 08:00:00 +0200,1,Belt - 85 cm,89.00,,BELT-85,2511 BT,NL,,,89.00,,89.00
`

const productsBasic = `Handle,Title,Type,Tags,Variant SKU,Variant Price,Variant Compare At Price,Gift Card,Image Src
coat,Wool Coat,Apparel,"coats, Outerwear",COAT-S,349.00,,FALSE,https://cdn.example.com/coat.jpg
coat,,,,COAT-M,349.00,,,
coat,,,,,,,,https://cdn.example.com/coat-2.jpg
scarf,Silk Scarf,Accessories,Final Sale,SCARF-01,79.00,,FALSE,
belt,Belt,Accessories,,BELT-85,89.00,99.00,FALSE,
gift-card,Gift Card,Gift Card,,GC-50,50.00,,TRUE,
`

func mustLoad(t *testing.T, orders, products string, opts ...Option) *Book {
	t.Helper()
	var pr *strings.Reader
	if products != "" {
		pr = strings.NewReader(products)
	}
	var b *Book
	var err error
	if pr == nil {
		b, err = Load(strings.NewReader(orders), nil, opts...)
	} else {
		b, err = Load(strings.NewReader(orders), pr, opts...)
	}
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return b
}

func TestLoadMultiRowOrder(t *testing.T) {
	b := mustLoad(t, ordersBasic, productsBasic)
	if b.Len() != 2 {
		t.Fatalf("Len = %d, want 2", b.Len())
	}
	o, ok := b.Lookup("#1001")
	if !ok {
		t.Fatal("#1001 not found")
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"Email", o.Email, "ann@example.com"},
		{"FinancialStatus", o.FinancialStatus, "paid"},
		{"FulfillmentStatus", o.FulfillmentStatus, "fulfilled"},
		{"ShippingZip", o.ShippingZip, "1071 AB"},
		{"ShippingCountry", o.ShippingCountry, "NL"},
		{"Tags", strings.Join(o.Tags, "|"), "gift|vip"},
		{"gift attr", o.NoteAttributes["gift"], "yes"},
		{"gift_message attr", o.NoteAttributes["gift_message"], "Happy birthday"},
		{"CreatedAt", o.CreatedAt.UTC().Format(time.DateTime), "2026-10-01 07:30:00"},
		{"FulfilledAt", o.FulfilledAt.UTC().Format(time.DateTime), "2026-10-02 08:00:00"},
		{"DeliveredAt", o.DeliveredAt.UTC().Format(time.DateTime), "2026-10-04 11:05:00"},
		{"items", len(o.Items), 2},
		{"item 2 qty", o.Items[1].Quantity, 2},
		{"item 2 price", o.Items[1].Price, 59.0},
		{"item 2 compare", o.Items[1].CompareAtPrice, 79.0},
		{"item 2 product (SKU join is case-insensitive)", o.Items[1].Product != nil && o.Items[1].Product.Handle == "scarf", true},
		{"item 1 category", o.Items[0].Category(), "Apparel"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	o2, _ := b.Lookup("#1002")
	if o2.RefundedAmount != 89 || !o2.RefundIssued() || o2.Fulfilled() {
		t.Errorf("#1002: refunded %v, RefundIssued %v, Fulfilled %v", o2.RefundedAmount, o2.RefundIssued(), o2.Fulfilled())
	}
	if names := []string{b.Orders()[0].Name, b.Orders()[1].Name}; names[0] != "#1001" || names[1] != "#1002" {
		t.Errorf("Orders() order = %v", names)
	}
}

func TestLoadProductInheritance(t *testing.T) {
	b := mustLoad(t, ordersBasic, productsBasic)
	tests := []struct {
		sku, title, typ, tags string
		giftCard              bool
	}{
		{"COAT-S", "Wool Coat", "Apparel", "coats|outerwear", false},
		{"coat-m", "Wool Coat", "Apparel", "coats|outerwear", false}, // variant row inherits
		{"SCARF-01", "Silk Scarf", "Accessories", "final sale", false},
		{"GC-50", "Gift Card", "Gift Card", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.sku, func(t *testing.T) {
			p, ok := b.Product(tc.sku)
			if !ok {
				t.Fatal("product not found")
			}
			if p.Title != tc.title || p.Type != tc.typ || strings.Join(p.Tags, "|") != tc.tags || p.GiftCard != tc.giftCard {
				t.Errorf("got %q %q %q %v", p.Title, p.Type, strings.Join(p.Tags, "|"), p.GiftCard)
			}
		})
	}
	if _, ok := b.Product(""); ok {
		t.Error("the image-only row became a product")
	}
}

func TestLoadHeaderVariants(t *testing.T) {
	tests := []struct {
		name     string
		orders   string
		products string
	}{
		{
			name:     "BOM at file start",
			orders:   "\uFEFF" + ordersBasic,
			products: "\uFEFF" + productsBasic,
		},
		{
			name: "reordered, unknown, odd-case columns",
			orders: " lineitem SKU ,Currency,CREATED AT,Tags,email,NAME,Lineitem Price,Lineitem quantity,Delivered At\n" +
				"COAT-M,EUR,2026-10-01 09:30:00 +0200,\"Gift, VIP\",ann@example.com,#1001,349.00,1,2026-10-04 13:05:00 +0200\n" +
				"scarf-01,,,,,#1001,59.00,2,\n" +
				"BELT-85,EUR,2026-10-03 08:00:00 +0200,,bob@example.com,#1002,89.00,1,\n",
			products: "Variant Compare At Price,Gift Card,Variant SKU,Handle,Type,Tags,Title,Variant Price,Vendor\n" +
				",FALSE,COAT-S,coat,Apparel,\"coats, Outerwear\",Wool Coat,349.00,LuxNome\n" +
				",,COAT-M,coat,,,,349.00,\n" +
				",FALSE,SCARF-01,scarf,Accessories,Final Sale,Silk Scarf,79.00,LuxNome\n" +
				"99.00,FALSE,BELT-85,belt,Accessories,,Belt,89.00,LuxNome\n",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := mustLoad(t, tc.orders, tc.products)
			o, ok := b.Lookup("#1001")
			if !ok {
				t.Fatal("#1001 not found")
			}
			if o.Email != "ann@example.com" || len(o.Items) != 2 || !o.Gift() {
				t.Errorf("#1001: email %q, %d items, gift %v", o.Email, len(o.Items), o.Gift())
			}
			if o.Items[0].Category() != "Apparel" || !o.Items[1].FinalSale(o.Tags) {
				t.Errorf("#1001 items: category %q, scarf final sale %v", o.Items[0].Category(), o.Items[1].FinalSale(o.Tags))
			}
			if d, ok := o.Delivered(5); !ok || d.UTC().Format(time.DateTime) != "2026-10-04 11:05:00" {
				t.Errorf("Delivered = %v, %v", d, ok)
			}
		})
	}
}

func TestLoadMissingOptionalColumns(t *testing.T) {
	orders := "Name,Email,Created at,Lineitem sku\n" +
		"AL-1,a@example.com,2026-10-01 09:30:00 +0800,COAT-M\n"
	b := mustLoad(t, orders, "")
	o, ok := b.Lookup("al-1")
	if !ok {
		t.Fatal("AL-1 not found")
	}
	if o.Fulfilled() || o.RefundIssued() || o.Cancelled() || o.Gift() {
		t.Errorf("defaults wrong: fulfilled %v refund %v cancelled %v gift %v", o.Fulfilled(), o.RefundIssued(), o.Cancelled(), o.Gift())
	}
	if _, ok := o.Delivered(10); ok {
		t.Error("Delivered without fulfilment")
	}
	li := o.Items[0]
	if li.Quantity != 1 || li.Product != nil || li.Category() != "" || li.OnSale() {
		t.Errorf("item: %+v category %q", li, li.Category())
	}
}

func TestLoadZonelessTimestamps(t *testing.T) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Skipf("no tzdata: %v", err)
	}
	orders := "Name,Email,Created at,Fulfilled at,Delivered at\n" +
		"X1,a@example.com,2026-10-01 09:30:00,2026-10-02T10:00:00Z,2026-10-05\n"
	b := mustLoad(t, orders, "", InLocation(ams))
	o, _ := b.Lookup("X1")
	if got := o.CreatedAt.UTC().Format(time.DateTime); got != "2026-10-01 07:30:00" {
		t.Errorf("CreatedAt = %s, want 07:30 UTC (read in Amsterdam)", got)
	}
	if got := o.FulfilledAt.UTC().Format(time.DateTime); got != "2026-10-02 10:00:00" {
		t.Errorf("FulfilledAt = %s (RFC 3339 keeps its own zone)", got)
	}
	if got := o.DeliveredAt.In(ams).Format(time.DateTime); got != "2026-10-05 00:00:00" {
		t.Errorf("DeliveredAt = %s, want midnight in Amsterdam", got)
	}
}

func TestLoadErrors(t *testing.T) {
	header := "Name,Email,Created at,Lineitem sku,Lineitem price,Note Attributes,Delivered at\n"
	tests := []struct {
		name     string
		orders   string
		products string
		want     []string // substrings of the error
	}{
		{
			name:   "bad Created at names line and column",
			orders: header + "#1,a@example.com,2026-10-01 09:30:00 +0200,S1,10.00,,\n#2,b@example.com,01/10/2026,S1,10.00,,\n",
			want:   []string{`orders_export.csv line 3: Created at: cannot parse "01/10/2026"`},
		},
		{
			name: "line counts multi-line cells",
			orders: header + "#1,a@example.com,2026-10-01 09:30:00 +0200,S1,10.00,\"gift: yes\ngift_message: hi\",\n" +
				"#2,b@example.com,2026-10-01 09:30:00 +0200,S1,10.00,,2026-13-45\n",
			want: []string{`orders_export.csv line 4: Delivered at: cannot parse "2026-13-45"`},
		},
		{
			name:   "bad price",
			orders: header + "#1,a@example.com,2026-10-01 09:30:00 +0200,S1,ten,,\n",
			want:   []string{`line 2: Lineitem price: cannot parse "ten"`},
		},
		{
			name:   "several problems at once",
			orders: header + "#1,a@example.com,yesterday,S1,10.00,,\n#2,,2026-10-01 09:30:00 +0200,S1,-3,,\n",
			want:   []string{`line 2: Created at`, `line 3: Lineitem price`, `line 3: Email: missing for order #2`},
		},
		{
			name:   "missing Name",
			orders: header + ",a@example.com,2026-10-01 09:30:00 +0200,S1,10.00,,\n",
			want:   []string{`line 2: Name: missing order number`},
		},
		{
			name:   "Email only on a later row is fine, missing everywhere is not",
			orders: header + "#1,,2026-10-01 09:30:00 +0200,S1,10.00,,\n#1,a@example.com,,S2,5.00,,\n#2,,2026-10-01 09:30:00 +0200,S1,10.00,,\n",
			want:   []string{`line 4: Email: missing for order #2`},
		},
		{
			name:   "missing Created at",
			orders: header + "#1,a@example.com,,S1,10.00,,\n",
			want:   []string{`line 2: Created at: missing for order #1`},
		},
		{
			name:   "missing required column",
			orders: "Name,Lineitem sku\n#1,S1\n",
			want:   []string{`orders_export.csv: missing column "Email", "Created at"`},
		},
		{
			name:   "empty orders file",
			orders: "",
			want:   []string{"orders_export.csv: empty file"},
		},
		{
			name:   "CSV syntax error",
			orders: header + "#1,\"a@example.com,2026\n",
			want:   []string{"orders_export.csv: line 2"},
		},
		{
			name:     "bad Gift Card value",
			orders:   header + "#1,a@example.com,2026-10-01 09:30:00 +0200,S1,10.00,,\n",
			products: "Handle,Variant SKU,Gift Card\ngc,S1,maybe\n",
			want:     []string{`products_export.csv line 2: Gift Card: cannot parse "maybe"`},
		},
		{
			name:     "products without SKU column",
			orders:   header + "#1,a@example.com,2026-10-01 09:30:00 +0200,S1,10.00,,\n",
			products: "Handle,Title\ngc,Gift\n",
			want:     []string{`products_export.csv: missing column "Variant SKU"`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			if tc.products != "" {
				_, err = Load(strings.NewReader(tc.orders), strings.NewReader(tc.products))
			} else {
				_, err = Load(strings.NewReader(tc.orders), nil)
			}
			if err == nil {
				t.Fatal("Load: want an error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not contain %q:\n%v", w, err)
				}
			}
		})
	}
}

func TestParseErrorIsTyped(t *testing.T) {
	orders := "Name,Email,Created at\n#1,a@example.com,soon\n"
	_, err := Load(strings.NewReader(orders), nil)
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v is not a *ParseError", err)
	}
	if pe.File != OrdersFile || pe.Line != 2 || pe.Column != "Created at" {
		t.Errorf("ParseError = %+v", pe)
	}
}

func TestLoadErrorCap(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("Name,Email,Created at\n")
	for i := 0; i < 100; i++ {
		sb.WriteString("#1,a@example.com,never\n")
	}
	_, err := Load(strings.NewReader(sb.String()), nil)
	if err == nil {
		t.Fatal("want an error")
	}
	if n := strings.Count(err.Error(), "cannot parse"); n != maxReported {
		t.Errorf("%d problems reported, want %d", n, maxReported)
	}
	if !strings.Contains(err.Error(), "further errors not shown") {
		t.Error("no note that errors were cut")
	}
}

func TestLookup(t *testing.T) {
	orders := "Name,Email,Created at\n" +
		"#10234,a@example.com,2026-10-01 09:30:00 -0500\n" +
		"AL-204518,b@example.com,2026-10-01 09:30:00 +0800\n" +
		"LX100233,c@example.com,2026-10-01 09:30:00 +0200\n" +
		"AB-1,d@example.com,2026-10-01 09:30:00 +0200\n" +
		"AB1,e@example.com,2026-10-01 09:30:00 +0200\n"
	b := mustLoad(t, orders, "")
	tests := []struct {
		query, want string
	}{
		{"#10234", "#10234"},
		{" #10234 ", "#10234"},
		{"10234", "#10234"},
		{"AL-204518", "AL-204518"},
		{"al-204518", "AL-204518"},
		{"#AL-204518", "AL-204518"},
		{"AL204518", "AL-204518"},
		{"lx100233", "LX100233"},
		{"AB-1", "AB-1"}, // exact match wins over the ambiguous folded form
		{"AB1", "AB1"},
		{"ab1", ""}, // folds to both AB-1 and AB1
		{"10235", ""},
		{"", ""},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			o, ok := b.Lookup(tc.query)
			got := ""
			if ok {
				got = o.Name
			}
			if got != tc.want {
				t.Errorf("Lookup(%q) = %q, want %q", tc.query, got, tc.want)
			}
		})
	}
	var nilBook *Book
	if _, ok := nilBook.Lookup("x"); ok || nilBook.Len() != 0 {
		t.Error("nil Book should be empty")
	}
}

func TestLoadDir(t *testing.T) {
	fsys := fstest.MapFS{
		"shop/orders_export.csv":   {Data: []byte(ordersBasic)},
		"shop/products_export.csv": {Data: []byte(productsBasic)},
		"bare/orders_export.csv":   {Data: []byte(ordersBasic)},
		"bad/orders_export.csv":    {Data: []byte("Name,Email,Created at\n#1,a@example.com,never\n")},
	}
	t.Run("with products", func(t *testing.T) {
		b, err := LoadDir(fsys, "shop")
		if err != nil {
			t.Fatal(err)
		}
		o, _ := b.Lookup("#1001")
		if o.Items[0].Category() != "Apparel" {
			t.Errorf("category %q", o.Items[0].Category())
		}
	})
	t.Run("products optional", func(t *testing.T) {
		b, err := LoadDir(fsys, "bare")
		if err != nil {
			t.Fatal(err)
		}
		o, _ := b.Lookup("#1001")
		if o.Items[0].Product != nil || o.Items[0].Category() != "" {
			t.Error("items should have no product")
		}
		// Order tags still count without products.
		o.Tags = append(o.Tags, "clearance")
		if !o.Items[0].FinalSale(o.Tags) {
			t.Error("order tag clearance should make the item final sale")
		}
	})
	t.Run("errors name the path", func(t *testing.T) {
		_, err := LoadDir(fsys, "bad")
		if err == nil || !strings.Contains(err.Error(), "bad/orders_export.csv line 2: Created at") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("orders missing", func(t *testing.T) {
		if _, err := LoadDir(fsys, "nowhere"); err == nil {
			t.Error("want an error")
		}
	})
}
