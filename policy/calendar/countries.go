package calendar

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/at"
	"github.com/rickar/cal/v2/be"
	"github.com/rickar/cal/v2/de"
	"github.com/rickar/cal/v2/es"
	"github.com/rickar/cal/v2/fr"
	"github.com/rickar/cal/v2/gb"
	"github.com/rickar/cal/v2/ie"
	"github.com/rickar/cal/v2/it"
	"github.com/rickar/cal/v2/nl"
	"github.com/rickar/cal/v2/us"
)

// nationalHolidays lists, per country, the holidays a business there closes on.
// The choice per country, where rickar/cal offers more than one reading:
//   - US: the eleven federal holidays (us.Holidays), the days banks and the
//     Postal Service close; weekend dates move to the observed Friday/Monday.
//     The day after Thanksgiving is not a federal holiday and is not included.
//   - GB: the bank holidays of England and Wales (gb.Holidays); Scotland and
//     Northern Ireland have their own extra days, not included.
//   - DE: the nine nationwide holidays (de.Holidays), none of the Länder ones.
//   - FR: the eleven jours fériés (fr.Holidays), without the Alsace-Moselle extras.
//   - NL: the national holidays (nl.Holidays) except that Bevrijdingsdag (5 May)
//     counts only in lustrum years (2025, 2030, ...): outside those most employers
//     and the Dutch collective agreements treat it as a working day.
//   - AT, BE, ES, IE, IT: the package's national list.
//
// China (CN) has no rickar/cal package: see cnCalendar.
var nationalHolidays = map[string]func() []*cal.Holiday{
	"AT": func() []*cal.Holiday { return at.Holidays },
	"BE": func() []*cal.Holiday { return be.Holidays },
	"DE": func() []*cal.Holiday { return de.Holidays },
	"ES": func() []*cal.Holiday { return es.Holidays },
	"FR": func() []*cal.Holiday { return fr.Holidays },
	"GB": func() []*cal.Holiday { return gb.Holidays },
	"IE": func() []*cal.Holiday { return ie.Holidays },
	"IT": func() []*cal.Holiday { return it.Holidays },
	"NL": dutchHolidays,
	"US": func() []*cal.Holiday { return us.Holidays },
}

// Countries returns the supported country codes, sorted.
func Countries() []string {
	out := []string{"CN"}
	for cc := range nationalHolidays {
		out = append(out, cc)
	}
	slices.Sort(out)
	return out
}

func sourceFor(cc string) (holidaySource, error) {
	if cc == "CN" {
		return chinaCalendar()
	}
	list, ok := nationalHolidays[cc]
	if !ok {
		return nil, fmt.Errorf("%w %q (supported: %v)", ErrUnknownCountry, cc, Countries())
	}
	return &ruleCalendar{rules: list(), years: map[int]map[date]bool{}}, nil
}

func dutchHolidays() []*cal.Holiday {
	out := make([]*cal.Holiday, 0, len(nl.Holidays))
	for _, h := range nl.Holidays {
		if h == nl.BevrijdingsDag {
			h = &cal.Holiday{
				Name:  h.Name,
				Type:  cal.ObservancePublic,
				Month: time.May,
				Day:   5,
				Func: func(h *cal.Holiday, year int) time.Time {
					if year%5 != 0 {
						return time.Time{}
					}
					return cal.CalcDayOfMonth(h, year)
				},
			}
		}
		out = append(out, h)
	}
	return out
}

// ruleCalendar evaluates rickar/cal holiday rules, caching each year's observed
// dates: a holiday that falls on a weekend counts on its observed (substitute)
// day, as cal.BusinessCalendar does.
type ruleCalendar struct {
	rules []*cal.Holiday

	mu    sync.Mutex
	years map[int]map[date]bool
}

func (r *ruleCalendar) holiday(d date) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	set, ok := r.years[d.y]
	if !ok {
		set = map[date]bool{}
		// Observed days can cross a year boundary (1 January on a Saturday is
		// observed on 31 December in the US), so look at the neighbouring years too.
		for _, y := range []int{d.y - 1, d.y, d.y + 1} {
			for _, h := range r.rules {
				_, obs := h.Calc(y)
				if obs.IsZero() {
					continue
				}
				if od := dateOf(obs); od.y == d.y {
					set[od] = true
				}
			}
		}
		r.years[d.y] = set
	}
	return set[d]
}

func (r *ruleCalendar) adjustedWorkday(date) bool { return false }
