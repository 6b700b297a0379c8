package desk

// StaffCommandOf exposes parseStaffCommand to the tests: "verb/code", "" for none.
func StaffCommandOf(text string) string {
	c, ok := parseStaffCommand(text)
	if !ok {
		return ""
	}
	return c.verb + "/" + c.code
}
