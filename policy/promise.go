package policy

import (
	"fmt"
	"time"

	"github.com/returnsdesk/returnsdesk/policy/calendar"
)

// BusinessHours are the store's opening hours, for promises made in business hours
// ("we answer within 24 business hours, Mon–Sat 09:00–17:00 CET"). Unset: Monday to
// Friday, 09:00 to 17:00.
type BusinessHours struct {
	Days  string `toml:"days"`  // "Mon-Fri", "Mon-Sat", "Mon,Wed,Fri"
	Open  string `toml:"open"`  // "09:00", in the store's time zone
	Close string `toml:"close"` // "17:00"
}

// parsePromise reads a period a store promises something within: "24 hours", "24
// business hours", "2 business days"; of a range ("1-3 business days") the promise is
// its end.
func parsePromise(s string) (calendar.Period, error) {
	pr, ok := calendar.ParsePeriod(s)
	if !ok {
		return calendar.Period{}, fmt.Errorf("%q is not a period such as \"24 hours\", \"24 business hours\" or \"2 business days\"", s)
	}
	return pr, nil
}

// initPromises reads response_time and business_hours.
func (p *Policy) initPromises() error {
	p.hours = calendar.DefaultHours
	if b := p.BusinessHours; b != (BusinessHours{}) {
		h, err := calendar.ParseHours(b.Days, b.Open, b.Close)
		if err != nil {
			return fmt.Errorf("business_hours: %w", err)
		}
		p.hours = h
	}
	p.response = nil
	if p.ResponseTime != "" {
		pr, err := parsePromise(p.ResponseTime)
		if err != nil {
			return fmt.Errorf("response_time: %w", err)
		}
		p.response = &pr
	}
	return nil
}

// ResponseDue is when the store's promised answer to a message of `from` is due, on
// the store's calendar: calendar hours, business hours (opening hours, weekends and
// public holidays skipped) or business days. ok is false when the policy promises no
// response time.
func (p *Policy) ResponseDue(from time.Time) (due time.Time, ok bool) {
	pr := p.response
	if pr == nil {
		return time.Time{}, false
	}
	from = from.In(p.loc)
	switch {
	case pr.Unit == "hour" && pr.Business:
		return p.cal.AddBusinessHours(from, time.Duration(pr.To)*time.Hour, p.hours), true
	case pr.Unit == "hour":
		return from.Add(time.Duration(pr.To) * time.Hour), true
	case pr.Business:
		return p.cal.AddBusinessDays(from, pr.To), true
	}
	return from.AddDate(0, 0, pr.To), true
}
