package parser

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestDebugClassify(t *testing.T) {
	in := os.Getenv("CLS")
	if in == "" {
		t.Skip()
	}
	lx, err := loadLexicon()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(in, "\n") {
		subj, body, _ := strings.Cut(line, "||")
		if body == "" {
			body, subj = subj, ""
		}
		words := append(splitWords(subj, true, textWord{}), splitWords(body, false, continueAfter(splitWords(subj, true, textWord{})))...)
		ms := lx.findCues(words)
		lang, sure := lx.detectLanguage(subj, body, words, ms)
		kept := lx.resolve(ms, lang)
		fmt.Printf("== %q\n", line)
		for _, m := range kept {
			c := lx.cues[m.cue]
			fmt.Printf("   %-24s %-4s %v %q neg=%v [%d,%d)\n", lx.categories[c.category].name, classifierLanguages[c.lang], c.weight, c.phrase, m.negated, m.start, m.end)
		}
		fmt.Printf("   lang=%s sure=%v => %+v\n", classifierLanguages[lang], sure, Classify(subj, body))
	}
}
