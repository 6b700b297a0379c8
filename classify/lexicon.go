package classify

import (
	_ "embed"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"
)

// The lexicon is data: lexicon.toml beside this file, embedded and compiled once. A
// broken file must fail the tests (TestLexiconValid), never production: Classify falls
// back to an unknown, zero-confidence result, which the caller escalates to a person.

//go:embed lexicon.toml
var lexiconTOML []byte

// classifierLanguages are the languages the lexicon covers; the index is a language id.
var classifierLanguages = []string{"en", "de", "nl", "fr", "es", "zh", "it", "pt"}

const (
	langEN = iota
	langDE
	langNL
	langFR
	langES
	langZH // Chinese is written without spaces: each Han character is one word
	langIT
	langPT
)

func languageID(code string) (int, bool) {
	i := slices.Index(classifierLanguages, code)
	return i, i >= 0
}

// cueGroup is a set of categories whose phrases compete for the same words.
type cueGroup int

const (
	groupIntent cueGroup = iota // intents and contexts
	groupReason
	groupFlag
)

// Category names the classifier logic refers to. The lexicon must define exactly these.
var lexiconCategories = map[string][]string{
	"intent":  {"return", "exchange", "claim", "cancel", "refund_status", "tracking", "lost_parcel", "other"},
	"context": {"sent_back", "not_arrived", "return_context", "procedure", "none"},
	"reason":  {"changed_mind", "size", "colour", "defective", "damaged", "wrong_item", "not_as_described", "works", "none"},
	"flag":    {"used", "unopened", "wants_replacement", "wants_refund", "whole_order", "one_item", "gift", "photos", "none"},
}

var sectionGroups = map[string]cueGroup{
	"intent": groupIntent, "context": groupIntent, "reason": groupReason, "flag": groupFlag,
}

// Gap widths of "*" and "**"; "***" spans the rest of the clause, however long (a
// German verb bracket: "ich hatte es am Samstag auf der Hochzeit meiner Freundin an").
const (
	shortGap  = 3
	longGap   = 8
	clauseGap = 30
)

// lexiconFile is the TOML layout.
type lexiconFile struct {
	Negators      map[string][]string      `toml:"negators"`
	Barriers      map[string][]string      `toml:"negation_barriers"`
	FunctionWords map[string][]string      `toml:"function_words"`
	FalseFriends  map[string][]string      `toml:"false_friends"`
	Fuzzy         struct{ Known []string } `toml:"fuzzy"`
	Intent        map[string]cueSection    `toml:"intent"`
	Context       map[string]cueSection    `toml:"context"`
	Reason        map[string]cueSection    `toml:"reason"`
	Flag          map[string]cueSection    `toml:"flag"`
}

type cueSection struct {
	Weight float64  `toml:"weight"`
	EN     []string `toml:"en"`
	DE     []string `toml:"de"`
	NL     []string `toml:"nl"`
	FR     []string `toml:"fr"`
	ES     []string `toml:"es"`
	ZH     []string `toml:"zh"`
	IT     []string `toml:"it"`
	PT     []string `toml:"pt"`
}

func (s cueSection) phrases() [][]string {
	return [][]string{s.EN, s.DE, s.NL, s.FR, s.ES, s.ZH, s.IT, s.PT}
}

// term is one word or word prefix the lexicon knows.
type term struct {
	text   string
	prefix bool
}

// slot is one position of a cue: a word from a set of terms, or a gap of up to gap words.
type slot struct {
	terms    []int32 // sorted
	gap      int
	inClause bool // the gap does not leave the clause of the word before it
}

type cue struct {
	phrase   string // as written, for error messages and debugging
	category int
	lang     int
	weight   float64
	negOnly  bool // "!": counts only when negated
	// ownLanguage ("="): counts only in mail of the cue's language; for false friends
	// such as French "sale" (dirty), which in English mail is a sale.
	ownLanguage bool
	// ownNegator: the phrase spells out its negation ("toujours pas * remboursé"), so a
	// negator before it belongs to the same negation ("n'ai toujours pas").
	ownNegator bool
	// clauseEnd ("$"): the phrase's last word must end its clause, as a German or
	// Dutch separable particle does ("ich hatte es auf der Hochzeit an").
	clauseEnd bool
	slots     []slot
	literals  int // number of word slots: the more, the more specific
}

type categoryInfo struct {
	name  string // "intent.return"
	group cueGroup
}

// lexicon is the compiled, read-only form of lexicon.toml.
type lexicon struct {
	categories []categoryInfo
	catIndex   map[string]int

	terms    []term
	termIDs  map[term]int32
	exact    map[string]int32 // word -> exact-word term id
	prefixes map[rune][]int32 // first rune -> prefix term ids
	fuzzy    *fuzzyIndex
	known    map[string]bool   // words never typo-corrected
	negators []map[string]bool // per language id
	barriers map[string]bool   // words that end a negation's reach, all languages
	function map[string][]int  // function word -> language ids
	// falseFriends, per language id: its words that an English cue would misread.
	falseFriends []map[string]bool
	cues         []cue
	byFirst      map[int32][]int32 // term id -> cues whose first slot holds it
	cat          categoryIDs
}

// realwords.txt lists real words of the five languages that lie one or two typos from
// a cue word without being a form of it ("condensation" is not "compensation",
// "Taschen" not "tauschen"). A spelling checker does not correct a real word, and
// neither does the classifier. The list is generated from Debian's word lists by
// TestRealWords (run it with -update-realwords after changing the lexicon's words).
//
//go:embed realwords.txt
var realWordsTXT string

var loadLexicon = sync.OnceValues(func() (*lexicon, error) {
	lx, err := parseLexicon(lexiconTOML)
	if err != nil {
		return nil, err
	}
	for _, line := range strings.Split(realWordsTXT, "\n") {
		if w := strings.TrimSpace(line); w != "" && !strings.HasPrefix(w, "#") {
			lx.known[w] = true
		}
	}
	return lx, nil
})

// parseLexicon decodes and compiles a lexicon, collecting every problem it finds.
func parseLexicon(data []byte) (*lexicon, error) {
	var f lexiconFile
	md, err := toml.Decode(string(data), &f)
	if err != nil {
		return nil, fmt.Errorf("decode lexicon: %w", err)
	}
	var errs []error
	for _, k := range md.Undecoded() {
		errs = append(errs, fmt.Errorf("lexicon: unknown key %q", k.String()))
	}

	lx := &lexicon{
		catIndex: map[string]int{},
		termIDs:  map[term]int32{},
		exact:    map[string]int32{},
		prefixes: map[rune][]int32{},
		fuzzy:    newFuzzyIndex(),
		known:    map[string]bool{},
		barriers: map[string]bool{},
		function: map[string][]int{},
		byFirst:  map[int32][]int32{},
	}

	for _, code := range classifierLanguages {
		if len(f.Negators[code]) == 0 {
			errs = append(errs, fmt.Errorf("lexicon: negators.%s is missing", code))
		}
		if len(f.FunctionWords[code]) == 0 {
			errs = append(errs, fmt.Errorf("lexicon: function_words.%s is missing", code))
		}
		if len(f.Barriers[code]) == 0 {
			errs = append(errs, fmt.Errorf("lexicon: negation_barriers.%s is missing", code))
		}
	}
	for code := range f.Negators {
		if _, ok := languageID(code); !ok {
			errs = append(errs, fmt.Errorf("lexicon: negators.%s: unknown language", code))
		}
	}
	for _, table := range []struct {
		name  string
		lists map[string][]string
	}{{"function_words", f.FunctionWords}, {"negation_barriers", f.Barriers}, {"false_friends", f.FalseFriends}} {
		for code := range table.lists {
			if _, ok := languageID(code); !ok {
				errs = append(errs, fmt.Errorf("lexicon: %s.%s: unknown language", table.name, code))
			}
		}
	}
	lx.negators = make([]map[string]bool, len(classifierLanguages))
	lx.falseFriends = make([]map[string]bool, len(classifierLanguages))
	for id, code := range classifierLanguages {
		lx.negators[id] = map[string]bool{}
		lx.falseFriends[id] = map[string]bool{}
		for _, w := range f.FalseFriends[code] {
			lx.falseFriends[id][foldText(w)] = true
		}
		for _, w := range f.Negators[code] {
			lx.negators[id][foldText(w)] = true
			lx.known[foldText(w)] = true
		}
		for _, w := range f.Barriers[code] {
			lx.barriers[foldText(w)] = true
			lx.known[foldText(w)] = true
		}
		for _, w := range f.FunctionWords[code] {
			w = foldText(w)
			if !slices.Contains(lx.function[w], id) {
				lx.function[w] = append(lx.function[w], id)
			}
			lx.known[w] = true
		}
	}
	for _, w := range f.Fuzzy.Known {
		lx.known[foldText(w)] = true
	}

	sections := map[string]map[string]cueSection{
		"intent": f.Intent, "context": f.Context, "reason": f.Reason, "flag": f.Flag,
	}
	for _, kind := range []string{"intent", "context", "reason", "flag"} {
		names := lexiconCategories[kind]
		for name := range sections[kind] {
			if !slices.Contains(names, name) {
				errs = append(errs, fmt.Errorf("lexicon: unknown section [%s.%s]", kind, name))
			}
		}
		for _, name := range names {
			full := kind + "." + name
			sec, ok := sections[kind][name]
			if !ok {
				errs = append(errs, fmt.Errorf("lexicon: section [%s] is missing", full))
				continue
			}
			if sec.Weight <= 0 || sec.Weight > 10 {
				errs = append(errs, fmt.Errorf("lexicon: [%s] weight %v must be in (0, 10]", full, sec.Weight))
				continue
			}
			cat := len(lx.categories)
			lx.categories = append(lx.categories, categoryInfo{name: full, group: sectionGroups[kind]})
			lx.catIndex[full] = cat
			for lang, list := range sec.phrases() {
				for i, raw := range list {
					c, err := lx.compileCue(raw, cat, lang, sec.Weight)
					if err != nil {
						errs = append(errs, fmt.Errorf("lexicon: [%s] %s[%d] %q: %w",
							full, classifierLanguages[lang], i, raw, err))
						continue
					}
					lx.cues = append(lx.cues, c)
				}
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}

	for i := range lx.cues {
		for _, id := range lx.cues[i].slots[0].terms {
			lx.byFirst[id] = append(lx.byFirst[id], int32(i))
		}
	}
	for w, id := range lx.exact {
		lx.known[w] = true
		lx.fuzzy.add(id, w)
	}
	lx.cat = newCategoryIDs(lx.catIndex)
	return lx, nil
}

// compileCue parses one phrase of the syntax described at the top of lexicon.toml.
func (lx *lexicon) compileCue(raw string, category, lang int, weight float64) (cue, error) {
	c := cue{phrase: raw, category: category, lang: lang, weight: weight}
	s := strings.TrimSpace(raw)
	for len(s) > 0 && (s[0] == '!' || s[0] == '=') {
		if s[0] == '!' {
			c.negOnly = true
		} else {
			c.ownLanguage = true
		}
		s = strings.TrimSpace(s[1:])
	}
	if i := strings.LastIndexByte(s, '^'); i >= 0 {
		w, err := strconv.ParseFloat(strings.TrimSpace(s[i+1:]), 64)
		if err != nil || w <= 0 || w > 10 {
			return cue{}, fmt.Errorf("weight after '^' must be a number in (0, 10]")
		}
		c.weight = w
		s = strings.TrimSpace(s[:i])
	}
	if strings.HasSuffix(s, "$") {
		c.clauseEnd = true
		s = strings.TrimSpace(strings.TrimSuffix(s, "$"))
	}
	fields := strings.Fields(s)
	if len(fields) == 0 {
		return cue{}, errors.New("empty phrase")
	}
	fields = splitHanFields(fields)
	for fi, field := range fields {
		if field == "*" || field == "**" || field == "***" {
			if fi == 0 || fi == len(fields)-1 {
				return cue{}, errors.New("a gap cannot start or end a phrase")
			}
			if c.slots[len(c.slots)-1].gap > 0 {
				return cue{}, errors.New("two gaps in a row")
			}
			sl := slot{gap: shortGap}
			switch field {
			case "**":
				sl.gap = longGap
			case "***":
				sl.gap, sl.inClause = clauseGap, true
			}
			c.slots = append(c.slots, sl)
			continue
		}
		alts := strings.Split(field, "|")
		var words [][]term
		for _, alt := range alts {
			t, err := parseAlternative(alt)
			if err != nil {
				return cue{}, err
			}
			words = append(words, t)
		}
		if len(alts) == 1 && len(words[0]) > 1 {
			// "d'avis" is two words after normalisation: two slots.
			for _, t := range words[0] {
				c.slots = append(c.slots, slot{terms: []int32{lx.termID(t)}})
				c.literals++
			}
			continue
		}
		var sl slot
		for ai, t := range words {
			if len(t) != 1 {
				return cue{}, fmt.Errorf("alternative %q is more than one word", alts[ai])
			}
			id := lx.termID(t[0])
			if !slices.Contains(sl.terms, id) {
				sl.terms = append(sl.terms, id)
			}
		}
		slices.Sort(sl.terms)
		c.slots = append(c.slots, sl)
		c.literals++
	}
	for _, sl := range c.slots {
		for _, id := range sl.terms {
			if t := lx.terms[id]; !t.prefix && lx.negates(t.text, lang) {
				c.ownNegator = true
			}
		}
	}
	return c, nil
}

// splitHanFields writes a Chinese phrase the way splitWords reads Chinese text, one
// word a character: "退货" is the two words "退 货". An alternative set ("坏|破") must
// then be of single characters.
func splitHanFields(fields []string) []string {
	var out []string
	for _, f := range fields {
		if strings.Contains(f, "|") || !strings.ContainsFunc(f, isHan) {
			out = append(out, f)
			continue
		}
		var latin []rune
		for _, r := range f {
			if isHan(r) {
				if len(latin) > 0 {
					out = append(out, string(latin))
					latin = latin[:0]
				}
				out = append(out, string(r))
				continue
			}
			latin = append(latin, r)
		}
		if len(latin) > 0 {
			out = append(out, string(latin))
		}
	}
	return out
}

// parseAlternative normalises one alternative ("rücksend*", "don't") into its words.
// Only the last word may carry the prefix star.
func parseAlternative(alt string) ([]term, error) {
	prefix := strings.HasSuffix(alt, "*")
	body := strings.TrimSuffix(alt, "*")
	if body == "" {
		return nil, errors.New("empty alternative")
	}
	if strings.ContainsAny(body, "*^!") {
		return nil, fmt.Errorf("misplaced '*', '^' or '!' in %q", alt)
	}
	for _, r := range body {
		if !(r == '\'' || r == '-' || isWordRune(r)) {
			return nil, fmt.Errorf("unexpected character %q in %q", r, alt)
		}
	}
	words := splitWords(body, false, textWord{})
	if len(words) == 0 {
		return nil, fmt.Errorf("%q has no letters", alt)
	}
	out := make([]term, len(words))
	for i, w := range words {
		out[i] = term{text: w.text}
	}
	out[len(out)-1].prefix = prefix
	return out, nil
}

func (lx *lexicon) termID(t term) int32 {
	if id, ok := lx.termIDs[t]; ok {
		return id
	}
	id := int32(len(lx.terms))
	lx.terms = append(lx.terms, t)
	lx.termIDs[t] = id
	if t.prefix {
		first := []rune(t.text)[0]
		lx.prefixes[first] = append(lx.prefixes[first], id)
	} else {
		lx.exact[t.text] = id
	}
	return id
}

// negates reports whether w negates a phrase of language lang: a negator of lang, or
// an English one, unless lang uses that word for something else (Portuguese "no" is
// "in the": "veio no tamanho errado" negates nothing).
func (lx *lexicon) negates(w string, lang int) bool {
	if lx.negators[lang][w] {
		return true
	}
	return lx.negators[langEN][w] && (lang == langEN || !slices.Contains(lx.function[w], lang))
}

// Languages are the languages the lexicon reads, as Reading.Language names them.
func Languages() []string { return slices.Clone(classifierLanguages) }
