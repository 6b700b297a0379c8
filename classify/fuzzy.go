package classify

// Typo tolerance. A mail word and a lexicon word both of 6 letters or more match one
// Damerau-Levenshtein edit apart ("retrun", "refnud"), both of 10 letters or more two
// edits apart ("rembousement", "zurueckschicken"). Two guards keep this from inventing
// cues: a mail word that is itself a known word (any lexicon word, function word or
// listed "known" word) is never corrected, so "ungetragen" stays "ungetragen" and does
// not become "getragen"; and the first letter must agree (or the first two be swapped),
// because typos rarely hit the first letter while prefixes like un-/on- change meaning.
//
// Candidates come from a symmetric-deletion index built once at start-up: every lexicon
// word is stored under each string obtained by deleting up to its allowed number of
// letters; a mail word looks up its own deletions and only those few candidates are
// checked with the real distance.

const (
	fuzzyMinLen  = 6  // shortest lexicon word that tolerates one edit ("doing" is not "dying")
	fuzzyTwoEdit = 10 // shortest lexicon word that tolerates two edits ("combinarlo" is not "cambiarlo")
)

// allowedEdits is the number of typos a word of n letters tolerates.
func allowedEdits(n int) int {
	switch {
	case n >= fuzzyTwoEdit:
		return 2
	case n >= fuzzyMinLen:
		return 1
	}
	return 0
}

type fuzzyIndex struct {
	deletions map[string][]int32 // deletion variant -> term ids of exact-word terms
	words     []string           // term id -> word, for exact-word terms only ("" otherwise)
}

func newFuzzyIndex() *fuzzyIndex {
	return &fuzzyIndex{deletions: make(map[string][]int32)}
}

// add registers an exact-word term.
func (f *fuzzyIndex) add(id int32, word string) {
	for int(id) >= len(f.words) {
		f.words = append(f.words, "")
	}
	f.words[id] = word
	d := allowedEdits(len([]rune(word)))
	if d == 0 {
		return
	}
	for _, v := range deletionVariants(word, d) {
		ids := f.deletions[v]
		if len(ids) == 0 || ids[len(ids)-1] != id {
			f.deletions[v] = append(ids, id)
		}
	}
}

// lookup returns the ids of exact-word terms within their allowed distance of w.
func (f *fuzzyIndex) lookup(w string) []int32 {
	n := len([]rune(w))
	if n < fuzzyMinLen {
		return nil
	}
	d := 1
	if n >= fuzzyTwoEdit-2 {
		d = 2
	}
	var out []int32
	seen := map[int32]bool{}
	for _, v := range deletionVariants(w, d) {
		for _, id := range f.deletions[v] {
			if seen[id] {
				continue
			}
			seen[id] = true
			word := f.words[id]
			limit := allowedEdits(min(n, len([]rune(word))))
			if limit > 0 && sameStart(w, word) && sameInflection(w, word) && osaDistance(w, word, limit) <= limit {
				out = append(out, id)
			}
		}
	}
	return out
}

// sameInflection reports whether a word and its candidate differ by more than their
// ending: two words of at most longInflectionLen letters alike but for the last
// letter, or for one letter added at the end, are two forms of a word, not a typo
// ("washes", "washed"), while "cancle" is a typo of "cancel".
func sameInflection(w, word string) bool {
	a, b := []rune(w), []rune(word)
	if len(a) > len(b) {
		a, b = b, a
	}
	switch {
	case len(a) == len(b) && len(a) <= longInflectionLen:
		// "washes" is not "washed", "worn" not "word": only the ending differs.
		return string(a[:len(a)-1]) != string(b[:len(b)-1])
	case len(b)-len(a) == 1 && len(b) <= longInflectionLen && string(a) == string(b[:len(a)]):
		// "fault" is not "faulty", "renvoi" not "renvoie": an ending added.
		return false
	}
	return true
}

// longInflectionLen is the longest word whose last letter alone is taken for an
// ending rather than a typo ("washes"/"washed", "usados"/"usadas").
const longInflectionLen = 8

// deletionVariants returns w and every string made by deleting up to d runes of it. A
// variant reachable in several ways may appear more than once; callers tolerate that.
func deletionVariants(w string, d int) []string {
	out := []string{w}
	start := 0
	for step := 0; step < d; step++ {
		end := len(out)
		for _, s := range out[start:end] {
			r := []rune(s)
			if len(r) <= 1 {
				continue
			}
			for i := range r {
				out = append(out, string(r[:i])+string(r[i+1:]))
			}
		}
		start = end
	}
	return out
}

// sameStart is the first-letter guard: equal first runes, or the first two swapped.
func sameStart(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	if len(ra) == 0 || len(rb) == 0 {
		return false
	}
	if ra[0] == rb[0] {
		return true
	}
	return len(ra) > 1 && len(rb) > 1 && ra[0] == rb[1] && ra[1] == rb[0]
}

// osaDistance is the optimal-string-alignment form of the Damerau-Levenshtein
// distance (insertions, deletions, substitutions, adjacent transpositions). It stops
// early and returns limit+1 once the distance must exceed limit.
func osaDistance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra)-len(rb) > limit || len(rb)-len(ra) > limit {
		return limit + 1
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// fuzzyPrefix reports whether w starts with prefix p give or take the edits their
// lengths allow ("rembousement" against "rembours*").
func fuzzyPrefix(w, p string) bool {
	rw := []rune(w)
	n := len([]rune(p))
	d := allowedEdits(min(n, len(rw)))
	if d == 0 || !sameStart(w, p) {
		return false
	}
	for k := n - d; k <= n+d; k++ {
		if k < 1 || k > len(rw) {
			continue
		}
		if osaDistance(string(rw[:k]), p, d) <= d {
			return true
		}
	}
	return false
}
