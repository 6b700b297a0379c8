package policy

import "time"

// ShipBy is the last day a return authorised at authorizedAt may be sent, as the
// authorisation states it (returns.ship_within_days after it, counted in the
// store's time zone): midnight at the start of that day, store-local. The RAN is
// valid through that whole day and lapses when the next day begins. ok is false
// when the store sets no ship_within_days: its RANs do not lapse.
func (p *Policy) ShipBy(authorizedAt time.Time) (day time.Time, ok bool) {
	if authorizedAt.IsZero() {
		return time.Time{}, false
	}
	day = p.shipBy(authorizedAt)
	return day, !day.IsZero()
}
