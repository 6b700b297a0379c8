package calendar

import (
	"testing"
	"time"
)

func TestAddBusinessHours(t *testing.T) {
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	sha, _ := time.LoadLocation("Asia/Shanghai")
	nl, err := New("NL", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	cn, err := New("CN", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	monSat, err := ParseHours("Mon-Sat", "09:00", "17:00")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		cal  *Calendar
		h    Hours
		from time.Time
		d    time.Duration
		want time.Time
	}{
		{"lumina: Friday afternoon over Saturday to Tuesday", nl, monSat, time.Date(2026, 11, 20, 16, 0, 0, 0, ams), 24 * time.Hour,
			time.Date(2026, 11, 24, 16, 0, 0, 0, ams)},
		{"before opening starts at opening", nl, monSat, time.Date(2026, 11, 23, 6, 30, 0, 0, ams), 2 * time.Hour,
			time.Date(2026, 11, 23, 11, 0, 0, 0, ams)},
		{"Christmas and Boxing Day are closed", nl, monSat, time.Date(2026, 12, 24, 16, 0, 0, 0, ams), 8 * time.Hour,
			time.Date(2026, 12, 28, 16, 0, 0, 0, ams)},
		{"the end of summer time moves no opening hour", nl, monSat, time.Date(2026, 10, 24, 16, 0, 0, 0, ams), 2 * time.Hour,
			time.Date(2026, 10, 26, 10, 0, 0, 0, ams)},
		{"CN: the National Day week is closed", cn, DefaultHours, time.Date(2026, 9, 30, 16, 0, 0, 0, sha), 9 * time.Hour,
			time.Date(2026, 10, 8, 17, 0, 0, 0, sha)},
		{"CN: the adjusted working Saturday after it is open", cn, DefaultHours, time.Date(2026, 10, 9, 16, 0, 0, 0, sha), 2 * time.Hour,
			time.Date(2026, 10, 10, 10, 0, 0, 0, sha)},
		{"CN: the adjusted working Sunday before counts", cn, DefaultHours, time.Date(2026, 9, 19, 12, 0, 0, 0, sha), 4 * time.Hour,
			time.Date(2026, 9, 20, 13, 0, 0, 0, sha)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.cal.AddBusinessHours(tc.from, tc.d, tc.h); !got.Equal(tc.want) {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

func TestParseHours(t *testing.T) {
	h, err := ParseHours("Mon-Fri, Sun", "08:30", "18:00")
	if err != nil {
		t.Fatal(err)
	}
	if !h.Days[time.Sunday] || h.Days[time.Saturday] || !h.Days[time.Wednesday] || h.Open != 8*time.Hour+30*time.Minute {
		t.Errorf("parsed %+v", h)
	}
	for _, bad := range [][3]string{{"Mon-Fri", "17:00", "09:00"}, {"Monday-Fri", "09:00", "17:00"}, {"Mon-Fri", "9", "17:00"}} {
		if _, err := ParseHours(bad[0], bad[1], bad[2]); err == nil {
			t.Errorf("ParseHours%v: no error", bad)
		}
	}
}
