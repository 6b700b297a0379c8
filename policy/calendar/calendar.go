// Package calendar counts business days for a store's country: Monday to Friday,
// minus the country's public holidays, plus (for China) the official adjusted
// working weekend days.
//
// All questions are about calendar dates: a time.Time is reduced to its date in
// its own location, so callers pass times already converted to the store's time
// zone. Holidays come from github.com/rickar/cal/v2 where it has a national list,
// and from the embedded table cn.toml for China (see New for its coverage).
package calendar

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrUnknownCountry is returned by New for a country without a holiday list.
var ErrUnknownCountry = errors.New("no holiday list for country")

// Calendar answers business-day questions for one country. It is safe for
// concurrent use.
type Calendar struct {
	country  string
	holidays holidaySource
	// Operator overrides from the store configuration; they win over everything.
	extraHolidays map[date]bool
	extraWorkdays map[date]bool
}

// holidaySource tells, for a date, whether it is a public holiday (a day off even
// on a weekday) and whether it is an official working day (a weekend day worked).
type holidaySource interface {
	holiday(d date) bool
	adjustedWorkday(d date) bool
}

// New returns the calendar of country (ISO 3166-1 alpha-2, case-insensitive).
// extraHolidays and extraWorkdays are "2006-01-02" dates from the store
// configuration: an extra holiday is never a business day, an extra workday always
// is (a Saturday opening, say). A date may not be in both lists.
//
// Supported countries: see Countries (the holiday set chosen for each is
// documented on nationalHolidays in countries.go). Others return an error
// wrapping ErrUnknownCountry.
//
// China (CN) has no rules library: its holidays and adjusted working weekend days
// come from the embedded table cn.toml, complete for 2025 and 2026 and holding only
// the statutory days for 2027 (its arrangement was unpublished when last checked).
// For a year outside the table the CN calendar falls back to weekends plus the
// fixed-date holidays (1 January, 1-2 May, 1-3 October): the lunar holidays and
// the adjusted working weekends are then missing until cn.toml is updated.
func New(country string, extraHolidays, extraWorkdays []string) (*Calendar, error) {
	cc := strings.ToUpper(strings.TrimSpace(country))
	src, err := sourceFor(cc)
	if err != nil {
		return nil, err
	}
	c := &Calendar{country: cc, holidays: src}
	if c.extraHolidays, err = parseDates(extraHolidays); err != nil {
		return nil, fmt.Errorf("extra holidays: %w", err)
	}
	if c.extraWorkdays, err = parseDates(extraWorkdays); err != nil {
		return nil, fmt.Errorf("extra workdays: %w", err)
	}
	for d := range c.extraHolidays {
		if c.extraWorkdays[d] {
			return nil, fmt.Errorf("%s is both an extra holiday and an extra workday", d)
		}
	}
	return c, nil
}

// Country returns the upper-case country code the calendar was built for.
func (c *Calendar) Country() string { return c.country }

// IsBusinessDay reports whether t's calendar date, in t's location, is a business
// day.
func (c *Calendar) IsBusinessDay(t time.Time) bool {
	return c.isBusinessDate(dateOf(t))
}

// isBusinessDate reports whether d is a working day of the Monday-to-Friday week.
func (c *Calendar) isBusinessDate(d date) bool { return c.isOpenDate(d, DefaultHours) }

// AddBusinessDays returns the instant n business days after t: the n-th business
// date after t's date (in t's location) at t's clock time. t itself need not be a
// business day: a Saturday plus one business day is the following Monday (in most
// countries). A negative n counts backwards; n == 0 returns t unchanged.
func (c *Calendar) AddBusinessDays(t time.Time, n int) time.Time {
	if n == 0 {
		return t
	}
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	d := dateOf(t)
	for n > 0 {
		d = d.add(step)
		if c.isBusinessDate(d) {
			n--
		}
	}
	return time.Date(d.y, d.m, d.d, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
}

// BusinessDaysBetween counts the business dates after from's date up to and
// including to's date, both dates taken in from's location. The same date gives 0;
// Friday to the next Monday gives 1; Saturday to Sunday gives 0. When to's date is
// before from's date the result is the negated count of business dates after to's
// date up to and including from's date, so BusinessDaysBetween(a, b) ==
// -BusinessDaysBetween(b, a). It inverts AddBusinessDays:
// BusinessDaysBetween(t, AddBusinessDays(t, n)) == n for every n >= 0, and for
// n < 0 when t is itself a business day.
func (c *Calendar) BusinessDaysBetween(from, to time.Time) int {
	a, b := dateOf(from), dateOf(to.In(from.Location()))
	sign := 1
	if b.before(a) {
		a, b, sign = b, a, -1
	}
	n := 0
	for d := a.add(1); !b.before(d); d = d.add(1) {
		if c.isBusinessDate(d) {
			n++
		}
	}
	return sign * n
}

// date is a calendar date without time or location.
type date struct {
	y int
	m time.Month
	d int
}

func dateOf(t time.Time) date {
	y, m, d := t.Date()
	return date{y, m, d}
}

func parseDate(s string) (date, error) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return date{}, fmt.Errorf("invalid date %q (want YYYY-MM-DD)", s)
	}
	return dateOf(t), nil
}

func parseDates(list []string) (map[date]bool, error) {
	out := make(map[date]bool, len(list))
	for _, s := range list {
		d, err := parseDate(s)
		if err != nil {
			return nil, err
		}
		out[d] = true
	}
	return out, nil
}

// utc anchors date arithmetic in UTC so that DST changes never skip or repeat a day.
func (d date) utc() time.Time { return time.Date(d.y, d.m, d.d, 0, 0, 0, 0, time.UTC) }

func (d date) add(days int) date { return dateOf(d.utc().AddDate(0, 0, days)) }

func (d date) weekday() time.Weekday { return d.utc().Weekday() }

func (d date) before(o date) bool { return d.utc().Before(o.utc()) }

func (d date) String() string { return d.utc().Format(time.DateOnly) }
