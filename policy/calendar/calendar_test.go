package calendar

import (
	"errors"
	"testing"
	"time"
)

func mustNew(t *testing.T, country string, extraHolidays, extraWorkdays []string) *Calendar {
	t.Helper()
	c, err := New(country, extraHolidays, extraWorkdays)
	if err != nil {
		t.Fatalf("New(%q): %v", country, err)
	}
	return c
}

func day(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestIsBusinessDay(t *testing.T) {
	tests := []struct {
		country string
		date    string
		want    bool
		why     string
	}{
		{"NL", "2026-04-27", false, "Koningsdag (Monday)"},
		{"NL", "2026-04-28", true, "ordinary Tuesday"},
		{"NL", "2026-12-25", false, "Eerste Kerstdag"},
		{"NL", "2026-12-26", false, "Tweede Kerstdag (Saturday anyway)"},
		{"NL", "2026-05-05", true, "Bevrijdingsdag outside a lustrum year"},
		{"NL", "2025-05-05", false, "Bevrijdingsdag 2025 (lustrum)"},
		{"NL", "2026-05-14", false, "Hemelvaartsdag 2026"},
		{"NL", "2026-05-25", false, "Tweede Pinksterdag 2026"},
		{"NL", "2026-11-21", false, "Saturday"},
		{"FR", "2026-07-14", false, "Fête nationale"},
		{"FR", "2026-11-11", false, "Armistice"},
		{"FR", "2026-11-12", true, "day after Armistice"},
		{"FR", "2026-05-08", false, "Victoire 1945"},
		{"US", "2026-11-26", false, "Thanksgiving"},
		{"US", "2026-11-27", true, "day after Thanksgiving is not federal"},
		{"US", "2026-07-03", false, "Independence Day observed (4 July is a Saturday)"},
		{"US", "2026-07-04", false, "Saturday"},
		{"US", "2026-09-07", false, "Labor Day"},
		{"US", "2027-12-31", false, "New Year 2028 (Saturday) observed on Friday"},
		{"GB", "2026-08-31", false, "Summer bank holiday"},
		{"GB", "2026-12-28", false, "Boxing Day observed (26th is a Saturday)"},
		{"DE", "2026-10-03", false, "Tag der Deutschen Einheit (Saturday anyway)"},
		{"DE", "2026-05-01", false, "Tag der Arbeit"},
		{"CN", "2026-10-01", false, "National Day"},
		{"CN", "2026-10-07", false, "National Day golden week, Wednesday"},
		{"CN", "2026-10-08", true, "first day back"},
		{"CN", "2026-09-20", true, "adjusted working Sunday before National Day"},
		{"CN", "2026-10-10", true, "adjusted working Saturday after National Day"},
		{"CN", "2026-10-11", false, "ordinary Sunday"},
		{"CN", "2026-09-25", false, "Mid-Autumn Festival"},
		{"CN", "2026-02-14", true, "adjusted working Saturday before Spring Festival"},
		{"CN", "2026-02-23", false, "last day of Spring Festival holiday (Monday)"},
		{"CN", "2025-10-08", false, "2025 golden week ran to 8 October"},
		{"CN", "2025-10-11", true, "2025 adjusted working Saturday"},
		{"CN", "2027-02-08", false, "2027 Spring Festival statutory day"},
		{"CN", "2028-05-02", false, "out of coverage: fixed-date Labour Day"},
		{"CN", "2028-05-03", true, "out of coverage: no lunar or bridge days"},
		{"CN", "2024-10-03", false, "out of coverage: fixed-date National Day"},
	}
	for _, tc := range tests {
		t.Run(tc.country+" "+tc.date, func(t *testing.T) {
			c := mustNew(t, tc.country, nil, nil)
			if got := c.IsBusinessDay(day(t, tc.date)); got != tc.want {
				t.Errorf("IsBusinessDay(%s) = %v, want %v (%s)", tc.date, got, tc.want, tc.why)
			}
		})
	}
}

func TestIsBusinessDayUsesTimesOwnLocation(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Skipf("no tzdata: %v", err)
	}
	c := mustNew(t, "CN", nil, nil)
	// 30 September 2026 17:00 UTC is already 1 October (National Day) in Shanghai.
	instant := time.Date(2026, 9, 30, 17, 0, 0, 0, time.UTC)
	if !c.IsBusinessDay(instant) {
		t.Errorf("30 Sep (UTC) should be a business day")
	}
	if c.IsBusinessDay(instant.In(shanghai)) {
		t.Errorf("1 Oct (Shanghai) should not be a business day")
	}
}

func TestAddBusinessDays(t *testing.T) {
	amsterdam, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Skipf("no tzdata: %v", err)
	}
	tests := []struct {
		country string
		from    time.Time
		n       int
		want    time.Time
	}{
		{"NL", time.Date(2026, 11, 20, 14, 30, 0, 0, amsterdam), 1, time.Date(2026, 11, 23, 14, 30, 0, 0, amsterdam)},
		{"NL", time.Date(2026, 11, 21, 9, 0, 0, 0, amsterdam), 1, time.Date(2026, 11, 23, 9, 0, 0, 0, amsterdam)},
		{"NL", time.Date(2026, 11, 20, 8, 0, 0, 0, amsterdam), 0, time.Date(2026, 11, 20, 8, 0, 0, 0, amsterdam)},
		{"NL", time.Date(2026, 11, 23, 8, 0, 0, 0, amsterdam), -1, time.Date(2026, 11, 20, 8, 0, 0, 0, amsterdam)},
		// Over Christmas: 24 Dec (Thu) + 1 = 28 Dec (Mon), skipping 25, 26, 27.
		{"NL", time.Date(2026, 12, 24, 10, 0, 0, 0, amsterdam), 1, time.Date(2026, 12, 28, 10, 0, 0, 0, amsterdam)},
		// Over the DST change (25 Oct 2026): the clock time is kept.
		{"NL", time.Date(2026, 10, 23, 12, 0, 0, 0, amsterdam), 1, time.Date(2026, 10, 26, 12, 0, 0, 0, amsterdam)},
		// 10 business days from 20 Nov 2026 in the US skip Thanksgiving (26 Nov).
		{"US", day(t, "2026-11-20"), 10, day(t, "2026-12-07")},
		// CN: 30 Sep (Wed) + 1 = 8 Oct; + 2 = 9 Oct; + 3 = 10 Oct (working Saturday).
		{"CN", day(t, "2026-09-30"), 1, day(t, "2026-10-08")},
		{"CN", day(t, "2026-09-30"), 3, day(t, "2026-10-10")},
		{"CN", day(t, "2026-09-30"), 4, day(t, "2026-10-12")},
		// CN: Friday 18 Sep + 1 = Sunday 20 Sep (adjusted working day).
		{"CN", day(t, "2026-09-18"), 1, day(t, "2026-09-20")},
	}
	for _, tc := range tests {
		t.Run(tc.country+" "+tc.from.Format(time.DateTime), func(t *testing.T) {
			c := mustNew(t, tc.country, nil, nil)
			got := c.AddBusinessDays(tc.from, tc.n)
			if !got.Equal(tc.want) || got.Location() != tc.want.Location() {
				t.Errorf("AddBusinessDays(%v, %d) = %v, want %v", tc.from, tc.n, got, tc.want)
			}
		})
	}
}

func TestBusinessDaysBetween(t *testing.T) {
	tests := []struct {
		country  string
		from, to string
		want     int
	}{
		{"NL", "2026-11-20", "2026-11-20", 0},  // same day
		{"NL", "2026-11-20", "2026-11-21", 0},  // Friday to Saturday
		{"NL", "2026-11-20", "2026-11-23", 1},  // Friday to Monday
		{"NL", "2026-11-21", "2026-11-22", 0},  // Saturday to Sunday
		{"NL", "2026-11-16", "2026-11-30", 10}, // two full weeks
		{"NL", "2026-11-23", "2026-11-20", -1}, // backwards
		{"NL", "2026-12-24", "2026-12-31", 4},  // 25, 26 Christmas; 28-31 count
		{"NL", "2026-04-24", "2026-04-28", 1},  // King's Day Monday skipped
		{"FR", "2026-07-13", "2026-07-15", 1},  // 14 July skipped
		{"US", "2026-11-25", "2026-11-30", 2},  // Thanksgiving skipped, Friday counts
		{"CN", "2026-09-30", "2026-10-08", 1},  // golden week
		{"CN", "2026-09-18", "2026-09-21", 2},  // working Sunday 20 Sep counts
		{"CN", "2026-10-09", "2026-10-12", 2},  // working Saturday 10 Oct counts
		{"CN", "2026-09-30", "2026-10-31", 18}, // 8, 9, 10 (Sat), then three full weeks
	}
	for _, tc := range tests {
		t.Run(tc.country+" "+tc.from+".."+tc.to, func(t *testing.T) {
			c := mustNew(t, tc.country, nil, nil)
			if got := c.BusinessDaysBetween(day(t, tc.from), day(t, tc.to)); got != tc.want {
				t.Errorf("BusinessDaysBetween = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestBetweenInvertsAdd(t *testing.T) {
	for _, cc := range Countries() {
		t.Run(cc, func(t *testing.T) {
			c := mustNew(t, cc, nil, nil)
			start := day(t, "2026-09-01")
			for i := 0; i < 150; i += 7 {
				from := start.AddDate(0, 0, i)
				for _, n := range []int{-12, -1, 0, 1, 5, 10, 15, 30} {
					if n < 0 && !c.IsBusinessDay(from) {
						continue // documented: the inverse holds backwards only from a business day
					}
					to := c.AddBusinessDays(from, n)
					if got := c.BusinessDaysBetween(from, to); got != n {
						t.Fatalf("BusinessDaysBetween(%s, AddBusinessDays(%s, %d)=%s) = %d",
							from.Format(time.DateOnly), from.Format(time.DateOnly), n, to.Format(time.DateOnly), got)
					}
					if n != 0 && !c.IsBusinessDay(to) {
						t.Fatalf("AddBusinessDays(%s, %d) = %s is not a business day", from.Format(time.DateOnly), n, to.Format(time.DateOnly))
					}
				}
			}
		})
	}
}

func TestExtraDays(t *testing.T) {
	c := mustNew(t, "NL", []string{"2026-11-24"}, []string{"2026-11-21", " 2026-12-25 "})
	tests := []struct {
		date string
		want bool
	}{
		{"2026-11-24", false}, // extra holiday on a Tuesday
		{"2026-11-21", true},  // extra Saturday opening
		{"2026-12-25", true},  // operator works Christmas Day
		{"2026-11-23", true},
	}
	for _, tc := range tests {
		if got := c.IsBusinessDay(day(t, tc.date)); got != tc.want {
			t.Errorf("IsBusinessDay(%s) = %v, want %v", tc.date, got, tc.want)
		}
	}
	if got := c.BusinessDaysBetween(day(t, "2026-11-20"), day(t, "2026-11-25")); got != 3 {
		t.Errorf("BusinessDaysBetween with extras = %d, want 3 (Sat 21, Mon 23, Wed 25)", got)
	}
}

func TestNewErrors(t *testing.T) {
	tests := []struct {
		name          string
		country       string
		holidays, wds []string
		unknown       bool
	}{
		{name: "unknown country", country: "XX", unknown: true},
		{name: "empty country", country: "", unknown: true},
		{name: "bad holiday", country: "NL", holidays: []string{"2026-13-01"}},
		{name: "bad workday", country: "NL", wds: []string{"tomorrow"}},
		{name: "both lists", country: "NL", holidays: []string{"2026-11-24"}, wds: []string{"2026-11-24"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(tc.country, tc.holidays, tc.wds)
			if err == nil {
				t.Fatal("New: want an error")
			}
			if got := errors.Is(err, ErrUnknownCountry); got != tc.unknown {
				t.Errorf("errors.Is(ErrUnknownCountry) = %v, want %v (%v)", got, tc.unknown, err)
			}
		})
	}
}

func TestCountryCaseInsensitive(t *testing.T) {
	c := mustNew(t, " nl ", nil, nil)
	if c.Country() != "NL" {
		t.Errorf("Country() = %q, want NL", c.Country())
	}
}
