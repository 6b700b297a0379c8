package parser

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestBlindBatch(t *testing.T) {
	data, err := os.ReadFile("/tmp/blind/blind.tsv")
	if err != nil {
		t.Skip()
	}
	okI, okR, n := 0, 0, 0
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		f := strings.Split(line, "\t")
		c := Classify("", f[0])
		n++
		mi := c.Intent == Intent(f[1])
		mr := c.Reason == Reason(f[2])
		if mi { okI++ }
		if mr { okR++ }
		if !mi || !mr {
			fmt.Printf("MISS %-14s/%-16s got %-14s/%-16s %.2f | %s\n", f[1], f[2], c.Intent, c.Reason, c.Confidence, f[0])
		}
	}
	fmt.Printf("intent %d/%d reason %d/%d\n", okI, n, okR, n)
}
