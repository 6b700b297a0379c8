package calendar

import "testing"

func TestParsePeriod(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Period
		ok   bool
	}{
		{"10 business days", Period{10, 10, "day", true}, true},
		{"5–7 Business Days", Period{5, 7, "day", true}, true},
		{"5 to 10 working days", Period{5, 10, "day", true}, true},
		{"24 hours", Period{24, 24, "hour", false}, true},
		{"24  business hours", Period{24, 24, "hour", true}, true},
		{"30 calendar days", Period{30, 30, "day", false}, true},
		{"1 day", Period{1, 1, "day", false}, true},
		{"10-5 days", Period{}, false},
		{"soon", Period{}, false},
		{"two weeks", Period{}, false},
	} {
		got, ok := ParsePeriod(tc.in)
		if ok != tc.ok || got != tc.want {
			t.Errorf("ParsePeriod(%q) = %+v, %v; want %+v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
