package calendar

import (
	"fmt"
	"strings"
	"time"
)

// Hours are a store's opening hours: the weekdays it works and the clock times of
// its day, in the store's time zone. Public holidays close an opening day and the
// country's adjusted working days (and the store's extra workdays) open a closed one.
type Hours struct {
	Days        [7]bool // indexed by time.Weekday
	Open, Close time.Duration
}

// DefaultHours are Monday to Friday, 09:00 to 17:00.
var DefaultHours = Hours{Days: [7]bool{false, true, true, true, true, true, false}, Open: 9 * time.Hour, Close: 17 * time.Hour}

var weekdayNames = map[string]time.Weekday{"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday}

// ParseHours reads opening hours as stores write them: days "Mon-Sat" or
// "Mon,Wed,Fri", times "09:00" and "17:00".
func ParseHours(days, open, close string) (Hours, error) {
	var h Hours
	for _, part := range strings.Split(days, ",") {
		part = strings.ToLower(strings.TrimSpace(part))
		from, to, isRange := strings.Cut(part, "-")
		a, ok1 := weekdayNames[strings.TrimSpace(from)]
		b, ok2 := a, ok1
		if isRange {
			b, ok2 = weekdayNames[strings.TrimSpace(to)]
		}
		if !ok1 || !ok2 {
			return Hours{}, fmt.Errorf("days %q: %q is not a weekday or a range of them (Mon-Sat)", days, part)
		}
		for d := a; ; d = (d + 1) % 7 {
			h.Days[d] = true
			if d == b {
				break
			}
		}
	}
	var err error
	if h.Open, err = parseClock(open); err != nil {
		return Hours{}, fmt.Errorf("open: %w", err)
	}
	if h.Close, err = parseClock(close); err != nil {
		return Hours{}, fmt.Errorf("close: %w", err)
	}
	if h.Close <= h.Open {
		return Hours{}, fmt.Errorf("close %s is not after open %s", close, open)
	}
	return h, nil
}

func parseClock(s string) (time.Duration, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("%q is not a clock time like 09:00", s)
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}

// isOpenDate reports whether the store works on d, a day of its week h.Days: the
// store's own extra days decide first, then the country's adjusted workdays and
// holidays.
func (c *Calendar) isOpenDate(d date, h Hours) bool {
	switch {
	case c.extraWorkdays[d]:
		return true
	case c.extraHolidays[d]:
		return false
	case c.holidays.adjustedWorkday(d):
		return true
	case c.holidays.holiday(d):
		return false
	}
	return h.Days[d.weekday()]
}

// AddBusinessHours returns the instant d of opening hours after t, in t's location:
// time outside the opening hours, on closed weekdays and on public holidays does not
// count. "Within 24 business hours" of a Friday 16:00 message, Mon-Sat 09-17, is
// Tuesday 16:00 (1 h Friday, 8 h Saturday, 8 h Monday, 7 h Tuesday). The day's hours
// are wall-clock times, so a daylight-saving change shifts nothing.
func (c *Calendar) AddBusinessHours(t time.Time, d time.Duration, h Hours) time.Time {
	loc := t.Location()
	day := dateOf(t)
	for range 3660 { // ten years of days: a calendar with no opening day ends the walk
		if c.isOpenDate(day, h) {
			open := time.Date(day.y, day.m, day.d, int(h.Open/time.Hour), int(h.Open%time.Hour/time.Minute), 0, 0, loc)
			close := time.Date(day.y, day.m, day.d, int(h.Close/time.Hour), int(h.Close%time.Hour/time.Minute), 0, 0, loc)
			start := open
			if t.After(start) {
				start = t
			}
			if start.Before(close) {
				left := close.Sub(start)
				if d <= left {
					return start.Add(d)
				}
				d -= left
			}
		}
		day = day.add(1)
	}
	return t.Add(d)
}
