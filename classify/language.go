package classify

import (
	"slices"
	"strings"
	"unicode"

	"github.com/abadojack/whatlanggo"
)

// Language detection blends three kinds of evidence, each counted per language:
//
//   - function words ("ich", "de", "the", "je"): the strongest signal in short mail,
//     where a trigram model has too little text;
//   - the cue phrases found ("Rücksendung" is German even when it is the whole mail)
//     and letters only some languages use (ß, ñ, ç);
//   - the whatlanggo trigram detector restricted to the lexicon's languages, whose vote
//     grows with the length of the text and with the other evidence, so that it
//     settles long mails and cannot overrule a short one on its own. It is the
//     costliest step, so it is skipped when the other evidence is already decisive.
//
// A word shared by k languages ("de", "en", "la") counts 1/k for each. With too little
// evidence, or two languages too close, the answer is English.

var whatlangWhitelist = whatlanggo.Options{Whitelist: map[whatlanggo.Lang]bool{
	whatlanggo.Eng: true, whatlanggo.Deu: true, whatlanggo.Nld: true,
	whatlanggo.Fra: true, whatlanggo.Spa: true, whatlanggo.Ita: true, whatlanggo.Por: true,
}}

var whatlangIDs = map[whatlanggo.Lang]int{
	whatlanggo.Eng: langEN, whatlanggo.Deu: langDE, whatlanggo.Nld: langNL, whatlanggo.Fra: langFR, whatlanggo.Spa: langES,
	whatlanggo.Ita: langIT, whatlanggo.Por: langPT,
}

const (
	minLanguageEvidence = 1.0  // below this the text says too little: English
	minLanguageMargin   = 0.5  // a closer second language makes the answer English
	whatlangSampleBytes = 600  // trigram statistics settle well within this
	decisiveEvidence    = 6.0  // function words and cues this strong need no trigram vote
	decisiveRatio       = 3.0  // ... when the runner-up has at most a third of it
	whatlangFullLetters = 80.0 // letters at which the trigram vote gets its full weight
	subjectEvidence     = 0.5  // subjects are short and often the store's own words
)

// detectLanguage returns a language id and whether the evidence is clear enough to
// discount cues of other languages.
func (lx *lexicon) detectLanguage(subject, text string, words []textWord, matches []cueMatch) (int, bool) {
	// Chinese is told by its script: a mail mostly in Han characters is Chinese,
	// whatever Latin words (product names, order numbers) it carries.
	if han, letters := hanShare(subject + " " + text); han >= minHanRunes && han*hanShareOfLetters >= letters {
		return langZH, true
	}
	ev := make([]float64, len(classifierLanguages))

	for _, w := range words {
		langs := lx.function[w.text]
		if len(langs) == 0 {
			continue
		}
		f := 1 / float64(len(langs))
		if w.subject {
			f *= subjectEvidence
		}
		for _, l := range langs {
			ev[l] += f
		}
	}

	type span struct{ start, end int }
	spans := map[span][]int{}
	for _, m := range matches {
		if m.typo {
			continue // a typo of one language's word may be another language's word
		}
		sp := span{m.start, m.end}
		l := lx.cues[m.cue].lang
		if !slices.Contains(spans[sp], l) {
			spans[sp] = append(spans[sp], l)
		}
	}
	for _, langs := range spans {
		for _, l := range langs {
			ev[l] += 1 / float64(len(langs))
		}
	}

	addLetterEvidence(subject+" "+text, ev)

	total := 0.0
	for _, v := range ev {
		total += v
	}
	if top, runnerUp := topTwo(ev); ev[top] < decisiveEvidence || ev[top] < decisiveRatio*ev[runnerUp] {
		lx.addTrigramVote(subject, text, total, ev)
	}

	best, second := topTwo(ev)
	if ev[best] < minLanguageEvidence {
		return langEN, false
	}
	if ev[best]-ev[second] < minLanguageMargin {
		// "cancelar pedido por favor" is Spanish and Portuguese alike: Spanish, whose
		// cues are the fuller and whose reply a Portuguese reader follows.
		if pair := [2]int{min(best, second), max(best, second)}; pair == [2]int{langES, langPT} {
			return langES, false
		}
		return langEN, false
	}
	return best, ev[best] >= 2 && ev[best] >= 1.5*ev[second]
}

const (
	minHanRunes       = 4 // a Chinese mail says more than a name in characters
	hanShareOfLetters = 3 // ... and at least a third of its letters are Han characters
)

// hanShare counts the Han characters and all letters of s.
func hanShare(s string) (han, letters int) {
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
			if isHan(r) {
				han++
			}
		}
	}
	return han, letters
}

// addTrigramVote adds whatlanggo's vote, weighted by its confidence, the amount of text
// and the other evidence.
func (lx *lexicon) addTrigramVote(subject, text string, total float64, ev []float64) {
	sample := text
	if len(sample) < 40 {
		sample = subject + "\n" + text
	}
	if len(sample) > whatlangSampleBytes {
		sample = strings.ToValidUTF8(sample[:whatlangSampleBytes], "")
	}
	info := whatlanggo.DetectWithOptions(sample, whatlangWhitelist)
	if l, ok := whatlangIDs[info.Lang]; ok {
		letters := 0
		for _, r := range sample {
			if unicode.IsLetter(r) {
				letters++
			}
		}
		ev[l] += info.Confidence * min(1, float64(letters)/whatlangFullLetters) * (1.5 + 0.3*total)
	}
}

// topTwo returns the indexes of the highest and second-highest values; ties go to the
// lower index, so English wins a tie it is part of.
func topTwo(ev []float64) (best, second int) {
	best, second = 0, -1
	for l := 1; l < len(ev); l++ {
		if ev[l] > ev[best] {
			best = l
		}
	}
	for l := range ev {
		if l != best && (second < 0 || ev[l] > ev[second]) {
			second = l
		}
	}
	return best, second
}

// addLetterEvidence credits letters that only some of the languages use.
func addLetterEvidence(s string, ev []float64) {
	const perLetter, capPerLanguage = 0.5, 2.0
	add := make([]float64, len(ev))
	for _, r := range s {
		switch unicode.ToLower(r) {
		case 'ä', 'ö', 'ü', 'ß':
			add[langDE] += perLetter
		case 'ë', 'ï', 'ĳ':
			add[langNL] += perLetter / 2
			add[langFR] += perLetter / 2
		case 'ç':
			add[langFR] += perLetter * 0.6
			add[langPT] += perLetter * 0.4
		case 'è', 'à', 'ù':
			add[langFR] += perLetter / 2
			add[langIT] += perLetter / 2
		case 'ì', 'ò':
			add[langIT] += perLetter
		case 'ã', 'õ':
			add[langPT] += perLetter
		case 'ê', 'ô', 'â':
			add[langFR] += perLetter * 0.6
			add[langPT] += perLetter * 0.4
		case 'î', 'û', 'œ':
			add[langFR] += perLetter
		case 'ñ', '¿', '¡':
			add[langES] += perLetter
		case 'á', 'í', 'ó', 'ú':
			add[langES] += perLetter * 0.6
			add[langPT] += perLetter * 0.4
		case 'é':
			add[langFR] += perLetter * 0.4
			add[langES] += perLetter * 0.3
			add[langPT] += perLetter * 0.2
			add[langIT] += perLetter * 0.1
		}
	}
	for l := range ev {
		ev[l] += min(add[l], capPerLanguage)
	}
}
