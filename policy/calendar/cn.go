package calendar

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/BurntSushi/toml"
)

//go:embed cn.toml
var cnTable string

// cnCalendar holds China's holidays from the embedded table cn.toml, which lists
// the State Council's yearly arrangement: the days off and the adjusted working
// weekend days (调休). Those arrangements are only known once published, so the
// table covers a fixed set of years (2025 and 2026 complete; 2027 statutory
// holidays only, since its arrangement was not yet announced when the table was
// last checked; see the comments in cn.toml).
//
// For a year the table does not cover, the calendar falls back to weekends plus
// the holidays with a fixed Gregorian date: 1 January, 1-2 May and 1-3 October
// (1 May only and 1-3 October before 2025). The lunar holidays (Spring Festival,
// Qingming, Dragon Boat, Mid-Autumn) and all adjusted working weekends are then
// missing, so counts around them are off by a few days until the table is updated.
type cnCalendar struct {
	off     map[date]bool
	work    map[date]bool
	covered map[int]bool // years listed in the table, complete or not
}

type cnFile struct {
	Year []struct {
		Year     int  `toml:"year"`
		Complete bool `toml:"complete"`
	} `toml:"year"`
	Period []struct {
		Name string   `toml:"name"`
		Off  []string `toml:"off"`
		Work []string `toml:"work"`
	} `toml:"period"`
}

var chinaCalendar = sync.OnceValues(func() (holidaySource, error) {
	c, err := parseCNTable(cnTable)
	if err != nil {
		return nil, fmt.Errorf("embedded cn.toml: %w", err)
	}
	return c, nil
})

func parseCNTable(src string) (*cnCalendar, error) {
	var f cnFile
	if _, err := toml.Decode(src, &f); err != nil {
		return nil, err
	}
	c := &cnCalendar{off: map[date]bool{}, work: map[date]bool{}, covered: map[int]bool{}}
	for _, y := range f.Year {
		c.covered[y.Year] = true
	}
	for _, p := range f.Period {
		for _, spec := range p.Off {
			days, err := expandRange(spec)
			if err != nil {
				return nil, fmt.Errorf("%s: off: %w", p.Name, err)
			}
			for _, d := range days {
				if !c.covered[d.y] {
					return nil, fmt.Errorf("%s: %s is in a year not listed under [[year]]", p.Name, d)
				}
				c.off[d] = true
			}
		}
		for _, s := range p.Work {
			d, err := parseDate(s)
			if err != nil {
				return nil, fmt.Errorf("%s: work: %w", p.Name, err)
			}
			if wd := d.weekday(); wd != time.Saturday && wd != time.Sunday {
				return nil, fmt.Errorf("%s: adjusted workday %s is a %s, not a weekend day", p.Name, d, wd)
			}
			c.work[d] = true
		}
	}
	for d := range c.work {
		if c.off[d] {
			return nil, fmt.Errorf("%s is both a day off and an adjusted workday", d)
		}
	}
	return c, nil
}

// expandRange reads "2006-01-02" or an inclusive "2006-01-02..2006-01-09".
func expandRange(spec string) ([]date, error) {
	from, to, isRange := strings.Cut(spec, "..")
	a, err := parseDate(from)
	if err != nil {
		return nil, err
	}
	if !isRange {
		return []date{a}, nil
	}
	b, err := parseDate(to)
	if err != nil {
		return nil, err
	}
	if b.before(a) || b.y != a.y {
		return nil, fmt.Errorf("range %q must run forwards within one year", spec)
	}
	var out []date
	for d := a; !b.before(d); d = d.add(1) {
		out = append(out, d)
	}
	return out, nil
}

func (c *cnCalendar) holiday(d date) bool {
	if c.covered[d.y] {
		return c.off[d]
	}
	switch {
	case d.m == time.January && d.d == 1:
		return true
	case d.m == time.May && (d.d == 1 || (d.d == 2 && d.y >= 2025)):
		return true
	case d.m == time.October && d.d >= 1 && d.d <= 3:
		return true
	}
	return false
}

func (c *cnCalendar) adjustedWorkday(d date) bool { return c.work[d] }
