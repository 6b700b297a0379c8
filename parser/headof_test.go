package parser

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestHeadOf(t *testing.T) {
	long := strings.Repeat("ünïcode line\n", 10000)
	for _, n := range []int{1, 2, 3, 50, 1000, 4097} {
		got := headOf(long, n)
		if len(got) > n || !utf8.ValidString(got) {
			t.Errorf("headOf(_, %d): %d bytes, valid=%t", n, len(got), utf8.ValidString(got))
		}
		if n > 100 && !strings.HasSuffix(got, "\n") {
			t.Errorf("headOf(_, %d) does not end at a line end", n)
		}
	}
	if got := headOf("short", 100); got != "short" {
		t.Errorf("short text changed: %q", got)
	}
}
