package policy

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/BurntSushi/toml"
)

// TranslationsSuffix names a policy's translations file beside it: the passages of
// lumina.toml in the customers' languages are in lumina.translations.toml.
const TranslationsSuffix = ".translations.toml"

// Translations maps a language code to the store's own wording, in that language, of
// the English texts its policy file quotes (section titles, clauses, portal steps).
// Keys are the English text exactly as in the policy file, so a store owner edits the
// two side by side and a changed English text falls back to English, never to an
// outdated translation.
type Translations map[string]map[string]string

// ParseTranslations reads a translations file. Every key must be a text the policy
// quotes: a translation of nothing is a stale entry or a typo.
func ParseTranslations(data []byte, name string, p *Policy) (Translations, error) {
	var t Translations
	if _, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&t); err != nil {
		var perr toml.ParseError
		if errors.As(err, &perr) {
			return nil, fmt.Errorf("translations %s: line %d: %s", name, perr.Position.Line, perr.Message)
		}
		return nil, fmt.Errorf("translations %s: %w", name, err)
	}
	quoted := map[string]bool{}
	for _, s := range p.QuotedTexts() {
		quoted[s] = true
	}
	for lang, texts := range t {
		if len(lang) < 2 || len(lang) > 3 || strings.ToLower(lang) != lang {
			return nil, fmt.Errorf("translations %s: [%s] is not a language code", name, lang)
		}
		for en := range texts {
			if !quoted[en] {
				return nil, fmt.Errorf("translations %s: [%s] %q is not a text of policy %s", name, lang, truncate(en, 60), p.ID)
			}
		}
	}
	return t, nil
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// SetTranslations attaches the policy's translations.
func (p *Policy) SetTranslations(t Translations) { p.translations = t }

// Translate returns the store's wording of an English policy text in lang, or the
// text itself when it has none (English replies, and passages not yet translated).
func (p *Policy) Translate(lang, english string) string {
	if s, ok := p.translations[lang][english]; ok && s != "" {
		return s
	}
	return english
}

// QuotedTexts lists every English text of the policy a reply may quote.
func (p *Policy) QuotedTexts() []string {
	var out []string
	add := func(cs ...Clause) {
		for _, c := range cs {
			if c.Section != "" {
				out = append(out, c.Section)
			}
			if c.Quote != "" {
				out = append(out, c.Quote)
			}
		}
	}
	r, n, c, x := p.Returns, p.NonReturnable, p.Claims, p.Exchanges
	add(r.Clause, r.WindowClause, r.ConditionClause, r.ReasonClause,
		n.CategoryClause, n.FinalSaleClause, n.PersonalisedClause, n.SaleClause,
		c.Clause, c.WindowClause, x.Clause, x.WindowClause,
		p.Cancellation.Clause, p.Withdrawal.Clause, p.Gifts.Clause, p.Refunds.Clause)
	out = append(out, r.PortalSteps...)
	return out
}
