package calendar

import (
	"regexp"
	"strconv"
	"strings"
)

// Period is a duration as stores write it in their policies: "10 business days",
// "5-10 business days", "24 hours", "24 business hours", "30 calendar days".
type Period struct {
	From, To int    // equal unless a range ("5-10") was written
	Unit     string // "day" or "hour"
	Business bool   // business (working) days or hours rather than calendar ones
}

var periodPattern = regexp.MustCompile(`^(\d+)(?:\s*(?:[-–]|to)\s*(\d+))?\s+(?:(business|working|calendar)\s+)?(days?|hours?)$`)

// ParsePeriod reads a period in English; ok is false for anything else.
func ParsePeriod(s string) (p Period, ok bool) {
	m := periodPattern.FindStringSubmatch(strings.Join(strings.Fields(strings.ToLower(s)), " "))
	if m == nil {
		return Period{}, false
	}
	from, err1 := strconv.Atoi(m[1])
	to, err2 := from, error(nil)
	if m[2] != "" {
		to, err2 = strconv.Atoi(m[2])
	}
	if err1 != nil || err2 != nil || to < from {
		return Period{}, false
	}
	return Period{From: from, To: to, Unit: strings.TrimSuffix(m[4], "s"), Business: m[3] == "business" || m[3] == "working"}, true
}
