package orders

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Layouts accepted for timestamps, most specific first. Shopify writes the first;
// the others come from exports touched by spreadsheets or other tools.
var zonedLayouts = []string{
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 -07:00",
	"2006-01-02 15:04 -0700",
	time.RFC3339Nano,
	"2006-01-02T15:04:05-0700",
	"2006-01-02 15:04:05.999999999 -0700 MST", // Go's time.Time.String
}

// Layouts without a zone: read in the loader's location (UTC unless InLocation).
var localLayouts = []string{
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	time.DateOnly,
}

// parseTime reads a timestamp; "" gives the zero time.
func parseTime(s string, loc *time.Location) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range zonedLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	for _, layout := range localLayouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("cannot parse %q as a timestamp (want like 2026-10-05 14:32:10 +0200)", s)
}

// parseAmount reads a money amount; "" gives 0. Shopify writes "12.50". A decimal
// comma ("12,50") is accepted when one or two digits follow it; a comma before a
// dot is a thousands separator ("1,299.00"). "1,299" is refused as ambiguous
// rather than guessed. Negative amounts are refused: no price or refund we read
// can be below zero.
func parseAmount(s string) (float64, error) {
	if s == "" {
		return 0, nil
	}
	v := s
	if strings.Contains(v, ",") {
		dot := strings.LastIndexByte(v, '.')
		comma := strings.LastIndexByte(v, ',')
		switch {
		case dot > comma:
			v = strings.ReplaceAll(v, ",", "")
		case dot < 0 && strings.Count(v, ",") == 1 && len(v)-comma-1 >= 1 && len(v)-comma-1 <= 2:
			v = strings.Replace(v, ",", ".", 1)
		default:
			return 0, fmt.Errorf("cannot parse %q as an amount (want like 12.50)", s)
		}
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 0 || f != f || f > 1e12 {
		return 0, fmt.Errorf("cannot parse %q as an amount (want like 12.50)", s)
	}
	return f, nil
}

// parseQuantity reads a line item quantity; "" means 1 (the row is an item).
func parseQuantity(s string) (int, error) {
	if s == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("cannot parse %q as a quantity", s)
	}
	return n, nil
}

// parseBool reads Shopify's TRUE/FALSE; "" is false.
func parseBool(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "", "false", "no", "0", "n":
		return false, nil
	case "true", "yes", "1", "y":
		return true, nil
	}
	return false, fmt.Errorf("cannot parse %q as TRUE or FALSE", s)
}

// parseTags splits a comma-separated tag list into trimmed, lower-cased tags.
func parseTags(s string) []string {
	var tags []string
	for _, t := range strings.Split(s, ",") {
		if t = strings.ToLower(strings.TrimSpace(t)); t != "" {
			tags = append(tags, t)
		}
	}
	return tags
}

// parseNoteAttributes reads Shopify's note attributes: one "key: value" per line
// ("key=value" also accepted). Keys are lower-cased; lines without a separator
// are ignored; the first occurrence of a key wins.
func parseNoteAttributes(s string) map[string]string {
	if s == "" {
		return nil
	}
	attrs := map[string]string{}
	for _, line := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' }) {
		i := strings.IndexAny(line, ":=")
		if i <= 0 {
			continue
		}
		key := strings.ToLower(strings.TrimSpace(line[:i]))
		if _, seen := attrs[key]; key == "" || seen {
			continue
		}
		attrs[key] = strings.TrimSpace(line[i+1:])
	}
	if len(attrs) == 0 {
		return nil
	}
	return attrs
}
