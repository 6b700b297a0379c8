package parser

import (
	"reflect"
	"testing"
)

func TestFindOrderNumbers(t *testing.T) {
	alinora := OrderPattern{Prefix: "AL", MinDigits: 6, MaxDigits: 6}
	alusse := OrderPattern{Prefix: "ALS", MinDigits: 5, MaxDigits: 5}
	luxnome := OrderPattern{Prefix: "LX", MinDigits: 6, MaxDigits: 6}
	lumina := OrderPattern{Prefix: "LW", MinDigits: 5, MaxDigits: 5}
	shopify := OrderPattern{MinDigits: 4, MaxDigits: 5}

	tests := []struct {
		name string
		text string
		p    OrderPattern
		want []string
	}{
		// Prefixed stores: what customers write.
		{"prefix plain", "AL204518", alinora, []string{"AL204518"}},
		{"prefix lower case with dash", "my order al-204518 arrived", alinora, []string{"AL204518"}},
		{"prefix with hash", "#AL-204518", alinora, []string{"AL204518"}},
		{"prefix with space", "AL 204518", alinora, []string{"AL204518"}},
		{"prefix after order word", "order AL-204518", alinora, []string{"AL204518"}},
		{"prefix spaced dash", "AL - 204518", alinora, []string{"AL204518"}},
		{"digit groups after the prefix", "la commande LW 58 214 le 30 octobre", lumina, []string{"LW58214"}},
		{"digit groups after an order word", "order no 102 34 please", shopify, []string{"10234"}},
		{"digit groups without context stay apart", "call 204 518 now", alinora, nil},
		{"inside Chinese text", "我的订单AL-204518的耳机坏了", alinora, []string{"AL204518"}},
		{"after a Chinese order word", "订单号：#10234，谢谢", shopify, []string{"10234"}},
		{"after a Chinese order word, no hash", "我的订单号是 10234。", shopify, []string{"10234"}},
		{"de Bestellung Nr.", "Bestellung Nr. LX100233", luxnome, []string{"LX100233"}},
		{"fr commande n°", "commande n° ALS10482", alusse, []string{"ALS10482"}},
		{"es pedido #", "pedido #LW-58213", lumina, []string{"LW58213"}},
		{"another store's longer prefix is not ours", "ALS10482", OrderPattern{Prefix: "AL", MinDigits: 5, MaxDigits: 6}, nil},
		{"prefix inside a word", "PAL204518 XAL-204518", alinora, nil},
		{"too few digits", "AL20451", alinora, nil},
		{"too many digits", "AL2045189", alinora, nil},
		{"digits without prefix after an order word rank after prefixed ones", "order 204519, also AL204518", alinora, []string{"AL204518", "AL204519"}},
		{"bare digits are not taken for prefixed stores", "I paid 204518 yen", alinora, nil},
		{"several, deduplicated", "LW-58213 and lw58213 and LW 58214", lumina, []string{"LW58213", "LW58214"}},

		// Prefix-less (Shopify) store.
		{"hash", "#10234", shopify, []string{"10234"}},
		{"hash space", "# 10234", shopify, []string{"10234"}},
		{"order", "order 10234", shopify, []string{"10234"}},
		{"order no", "order no 10234", shopify, []string{"10234"}},
		{"order number colon", "Order number: 10234", shopify, []string{"10234"}},
		{"Bestellnummer", "Bestellnummer 10234", shopify, []string{"10234"}},
		{"bestelling", "bestelling 10234", shopify, []string{"10234"}},
		{"commande", "commande 10234", shopify, []string{"10234"}},
		{"pedido", "pedido 10234", shopify, []string{"10234"}},
		{"nº", "nº 10234", shopify, []string{"10234"}},
		{"n.º, prefix left out", "Os escribo por el pedido n.º 100946. Los mocasines", luxnome, []string{"LX100946"}},
		{"my order is", "my order is 10234", shopify, []string{"10234"}},
		{"bare number as last resort, after explicit", "It's 55512 I think, order #10234", shopify, []string{"10234", "55512"}},
		{"bare number alone", "10234", shopify, []string{"10234"}},
		{"year is not an order", "I ordered it in 2025 and", shopify, nil},
		{"date is not an order", "delivered on 12.03.2025", shopify, nil},
		{"date with month name", "since March 3, 2026", shopify, nil},
		{"price in euro", "it cost €10234 and 10234 EUR and 10234.00", shopify, nil},
		{"price in dollars", "$1234 total", shopify, nil},
		{"phone number", "call me at +1 555 10234 or tel. 0612 10234", shopify, nil},
		{"phone word", "Phone: 10234", shopify, nil},
		{"postcode before a city", "Hauptstraße 5, 10115 Berlin", shopify, nil},
		{"postcode on its own line before a city", "Main St 1\n75008 Paris", shopify, nil},
		{"us zip after state", "Chicago, IL 60601", shopify, nil},
		{"zip word", "zip 60601", shopify, nil},
		{"part of a longer digit run", "IBAN 123456789012", shopify, nil},
		{"part of a tracking number", "9400 1118 9922 3197 4284 97", shopify, nil},
		{"part of an alphanumeric code", "code AB10234 and 10234X", shopify, nil},
		{"a time is not an order", "at 1030h", shopify, nil},
		{"order word with a year keeps it (explicit context)", "order #2024", shopify, []string{"2024"}},
		{"invalid pattern", "#10234", OrderPattern{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FindOrderNumbers(tt.text, tt.p); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("FindOrderNumbers(%q, %+v) = %q, want %q", tt.text, tt.p, got, tt.want)
			}
		})
	}
}

// TestFindMistypedOrderNumber: the store's prefix before a digit too few or too many is
// an order number given and mistyped; other numbers are none.
func TestFindMistypedOrderNumber(t *testing.T) {
	luxnome := OrderPattern{Prefix: "LX", MinDigits: 6, MaxDigits: 6}
	for _, tc := range []struct{ text, want string }{
		{"my lamp from order LX10405 came cracked", "LX10405"},
		{"order lx-1004051, the lamp", "LX1004051"},
		{"order LX100405", ""},     // right length: FindOrderNumbers' business
		{"order 10405 please", ""}, // no prefix: anything could be that number
		{"LX1040 is my size", ""},  // two digits short
		{"ALX10405", ""},           // the prefix inside a word
	} {
		if got := FindMistypedOrderNumber(tc.text, luxnome); got != tc.want {
			t.Errorf("FindMistypedOrderNumber(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}
