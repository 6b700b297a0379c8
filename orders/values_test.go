package orders

import (
	"strings"
	"testing"
	"time"
)

func TestParseAmount(t *testing.T) {
	tests := []struct {
		in      string
		want    float64
		wantErr bool
	}{
		{"", 0, false},
		{"12.50", 12.5, false},
		{"12", 12, false},
		{"0.00", 0, false},
		{"12,50", 12.5, false},
		{"12,5", 12.5, false},
		{"1,299.00", 1299, false},
		{"1,299", 0, true}, // thousands or decimals? refuse to guess
		{"1.299,00", 0, true},
		{"-5.00", 0, true},
		{"abc", 0, true},
		{"NaN", 0, true},
		{"Inf", 0, true},
		{"€12.50", 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseAmount(tc.in)
			if (err != nil) != tc.wantErr {
				t.Fatalf("parseAmount(%q) error = %v, wantErr %v", tc.in, err, tc.wantErr)
			}
			if got != tc.want {
				t.Errorf("parseAmount(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestParseTime(t *testing.T) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Skipf("no tzdata: %v", err)
	}
	tests := []struct {
		in      string
		wantUTC string
		wantErr bool
	}{
		{"2026-10-05 14:32:10 +0200", "2026-10-05 12:32:10", false},
		{"2026-10-05 14:32:10 +02:00", "2026-10-05 12:32:10", false},
		{"2026-10-05T14:32:10+02:00", "2026-10-05 12:32:10", false},
		{"2026-10-05T12:32:10Z", "2026-10-05 12:32:10", false},
		{"2026-10-05 14:32 +0200", "2026-10-05 12:32:00", false},
		{"2026-10-05 14:32:10", "2026-10-05 12:32:10", false}, // in Amsterdam (CEST)
		{"2026-11-05 14:32:10", "2026-11-05 13:32:10", false}, // in Amsterdam (CET)
		{"2026-10-05", "2026-10-04 22:00:00", false},
		{"2026-10-05 14:32:10.5 +0200 CEST", "2026-10-05 12:32:10", false},
		{"05/10/2026", "", true},
		{"2026-02-30", "", true},
		{"yesterday", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseTime(tc.in, ams)
			if (err != nil) != tc.wantErr {
				t.Fatalf("parseTime(%q) error = %v, wantErr %v", tc.in, err, tc.wantErr)
			}
			if err != nil {
				if !strings.Contains(err.Error(), "cannot parse") {
					t.Errorf("error %q", err)
				}
				return
			}
			if s := got.UTC().Format(time.DateTime); s != tc.wantUTC {
				t.Errorf("parseTime(%q) = %s UTC, want %s", tc.in, s, tc.wantUTC)
			}
		})
	}
}

func TestParseNoteAttributes(t *testing.T) {
	got := parseNoteAttributes("Gift: yes\r\ngift_message: Dear Tom: enjoy\nwrap=true\nno separator here\n: empty key\nGIFT: no")
	want := map[string]string{"gift": "yes", "gift_message": "Dear Tom: enjoy", "wrap": "true"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	if parseNoteAttributes("") != nil || parseNoteAttributes("just text") != nil {
		t.Error("no attributes should give nil")
	}
}

func TestParseTags(t *testing.T) {
	got := strings.Join(parseTags(" Final Sale, ,VIP,gift "), "|")
	if got != "final sale|vip|gift" {
		t.Errorf("parseTags = %q", got)
	}
}
