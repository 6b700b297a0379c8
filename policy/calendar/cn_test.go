package calendar

import (
	"strings"
	"testing"
	"time"
)

func TestEmbeddedCNTable(t *testing.T) {
	c, err := parseCNTable(cnTable)
	if err != nil {
		t.Fatalf("parse embedded cn.toml: %v", err)
	}
	for _, y := range []int{2025, 2026, 2027} {
		if !c.covered[y] {
			t.Errorf("cn.toml does not cover %d", y)
		}
	}
	// Every statutory holiday since the 2024 amendment is 13 days a year; the
	// table's days off include bridge days and weekends, so it can only have more.
	perYear := map[int]int{}
	for d := range c.off {
		perYear[d.y]++
	}
	for _, y := range []int{2025, 2026, 2027} {
		if perYear[y] < 13 {
			t.Errorf("%d: %d days off, want at least the 13 statutory days", y, perYear[y])
		}
	}
	// The published golden week 2026 and its two adjusted working days.
	for _, s := range []string{"2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07"} {
		d, _ := parseDate(s)
		if !c.off[d] {
			t.Errorf("%s should be off", s)
		}
	}
	for _, s := range []string{"2026-09-20", "2026-10-10"} {
		d, _ := parseDate(s)
		if !c.work[d] {
			t.Errorf("%s should be an adjusted workday", s)
		}
	}
}

func TestCNWorkingDaysPerYear(t *testing.T) {
	// An arrangement moves days but keeps the total: every statutory holiday that
	// falls on a weekend is compensated by a weekday off, and every bridge day is
	// paid back by an adjusted working weekend day. So a complete year has exactly
	// its Monday-to-Friday count minus the 13 statutory days: 261 - 13 = 248 in
	// both 2025 and 2026.
	c := mustNew(t, "CN", nil, nil)
	for _, year := range []int{2025, 2026} {
		from := time.Date(year-1, 12, 31, 0, 0, 0, 0, time.UTC)
		to := time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC)
		if got := c.BusinessDaysBetween(from, to); got != 248 {
			t.Errorf("CN business days in %d = %d, want 248", year, got)
		}
	}
}

func TestParseCNTableErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"weekday workday", "[[year]]\nyear=2026\n[[period]]\nname=\"x\"\nwork=[\"2026-09-21\"]\n", "not a weekend day"},
		{"uncovered year", "[[year]]\nyear=2026\n[[period]]\nname=\"x\"\noff=[\"2030-01-01\"]\n", "not listed"},
		{"backwards range", "[[year]]\nyear=2026\n[[period]]\nname=\"x\"\noff=[\"2026-10-07..2026-10-01\"]\n", "forwards"},
		{"bad date", "[[year]]\nyear=2026\n[[period]]\nname=\"x\"\noff=[\"2026-10-32\"]\n", "invalid date"},
		{"off and work", "[[year]]\nyear=2026\n[[period]]\nname=\"x\"\noff=[\"2026-10-10\"]\nwork=[\"2026-10-10\"]\n", "both"},
		{"bad toml", "[[year]\n", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseCNTable(tc.src)
			if err == nil {
				t.Fatal("want an error")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not mention %q", err, tc.want)
			}
		})
	}
}
