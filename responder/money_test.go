package responder

import "testing"

func TestFormatMoney(t *testing.T) {
	for _, tc := range []struct {
		lang, currency string
		amount         float64
		want           string
	}{
		{"en", "EUR", 25, "€25"},
		{"en", "USD", 12.5, "$12.50"},
		{"de", "EUR", 25, "25\u00a0€"},
		{"fr", "EUR", 12.5, "12,50\u00a0€"},
		{"es", "USD", 25, "25\u00a0$"},
		{"it", "EUR", 12.5, "12,50\u00a0€"},
		{"nl", "EUR", 25, "€\u00a025"},
		{"zh", "CNY", 99, "¥99"},
		{"en", "SEK", 100, "SEK100"},
	} {
		if got := FormatMoney(tc.lang, tc.amount, tc.currency); got != tc.want {
			t.Errorf("FormatMoney(%s, %v, %s) = %q, want %q", tc.lang, tc.amount, tc.currency, got, tc.want)
		}
	}
}
