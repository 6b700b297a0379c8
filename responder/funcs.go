package responder

import (
	"fmt"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/returnsdesk/returnsdesk/policy/calendar"
)

// monthNames are the month names per language, January first. A language not listed
// here formats dates in English.
var monthNames = map[string][12]string{
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	"de": {"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"},
	"nl": {"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"},
	"fr": {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
	"es": {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
	"it": {"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"},
	"pt": {"janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"},
}

// formatDate writes t's calendar day (in t's own location) as a reader of lang
// expects it: "2 March 2026", "2. März 2026", "2 maart 2026", "1er mars 2026",
// "2 de marzo de 2026", "2 marzo 2026", "1º marzo 2026", "2 de março de 2026". The
// zero time gives "" so templates can use {{with date .X}}.
func formatDate(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	names, ok := monthNames[lang]
	if !ok {
		names = monthNames["en"]
	}
	day, month, year := t.Day(), names[t.Month()-1], t.Year()
	switch lang {
	case "zh":
		return fmt.Sprintf("%d年%d月%d日", year, t.Month(), day)
	case "de":
		return fmt.Sprintf("%d. %s %d", day, month, year)
	case "fr":
		if day == 1 {
			return fmt.Sprintf("1er %s %d", month, year)
		}
		return fmt.Sprintf("%d %s %d", day, month, year)
	case "it":
		if day == 1 {
			return fmt.Sprintf("1º %s %d", month, year)
		}
		return fmt.Sprintf("%d %s %d", day, month, year)
	case "es", "pt":
		return fmt.Sprintf("%d de %s de %d", day, month, year)
	default:
		return fmt.Sprintf("%d %s %d", day, month, year)
	}
}

// formatDateTime adds the clock time and zone to formatDate, for staff mails.
func formatDateTime(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	clock := t.Format("15:04 MST")
	switch lang {
	case "de":
		return formatDate(lang, t) + ", " + t.Format("15:04") + " Uhr " + t.Format("MST")
	case "nl":
		return formatDate(lang, t) + " om " + clock
	case "fr":
		return formatDate(lang, t) + " à " + clock
	case "it":
		return formatDate(lang, t) + " alle " + clock
	case "pt":
		return formatDate(lang, t) + " às " + clock
	default:
		return formatDate(lang, t) + ", " + clock
	}
}

// periodUnits translates the units of a calendar.Period; [singular, plural]. German uses
// the dative, as the templates put it after "innerhalb von".
var periodUnits = map[string]map[string][2]string{
	"de": {"business day": {"Werktag", "Werktagen"}, "day": {"Tag", "Tagen"}, "business hour": {"Geschäftsstunde", "Geschäftsstunden"}, "hour": {"Stunde", "Stunden"}},
	"nl": {"business day": {"werkdag", "werkdagen"}, "day": {"dag", "dagen"}, "business hour": {"werkuur", "werkuren"}, "hour": {"uur", "uur"}},
	"fr": {"business day": {"jour ouvré", "jours ouvrés"}, "day": {"jour", "jours"}, "business hour": {"heure ouvrée", "heures ouvrées"}, "hour": {"heure", "heures"}},
	"es": {"business day": {"día hábil", "días hábiles"}, "day": {"día", "días"}, "business hour": {"hora hábil", "horas hábiles"}, "hour": {"hora", "horas"}},
	"it": {"business day": {"giorno lavorativo", "giorni lavorativi"}, "day": {"giorno", "giorni"}, "business hour": {"ora lavorativa", "ore lavorative"}, "hour": {"ora", "ore"}},
	"pt": {"business day": {"dia útil", "dias úteis"}, "day": {"dia", "dias"}, "business hour": {"hora útil", "horas úteis"}, "hour": {"hora", "horas"}},
	"zh": {"business day": {"个工作日", "个工作日"}, "day": {"天", "天"}, "business hour": {"个工作小时", "个工作小时"}, "hour": {"小时", "小时"}},
}

// formatPeriod translates a duration written in English in the store configuration
// ("10 business days") into lang. Anything it does not recognise is returned as
// written, which is always right for English.
func formatPeriod(lang, s string) string {
	s = strings.TrimSpace(s)
	units, ok := periodUnits[lang]
	if !ok {
		return s
	}
	p, ok := calendar.ParsePeriod(s)
	if !ok {
		return s
	}
	unit := p.Unit
	if p.Business {
		unit = "business " + unit
	}
	names, ok := units[unit]
	if !ok {
		return s
	}
	count, last := strconv.Itoa(p.From), p.To
	if p.To != p.From {
		count += "–" + strconv.Itoa(p.To)
	}
	name := names[1]
	if last == 1 {
		name = names[0]
	}
	if lang == "zh" {
		return count + name
	}
	return count + " " + name
}

// currencySymbols are the signs replies write for the currencies stores charge in;
// another currency is written with its ISO code.
var currencySymbols = map[string]string{"EUR": "€", "USD": "$", "GBP": "£", "CNY": "¥", "CHF": "CHF"}

// FormatMoney writes an amount in a store's currency as a reader of lang expects it:
// "€25" and "$12.50" in English, "25 €" and "12,50 $" in German, French, Spanish,
// Italian and Portuguese,
// "€ 25" in Dutch. Whole amounts are written without cents.
func FormatMoney(lang string, amount float64, currency string) string {
	sym, ok := currencySymbols[currency]
	if !ok {
		sym = currency
	}
	num := strconv.FormatFloat(amount, 'f', 2, 64)
	if amount == float64(int64(amount)) {
		num = strconv.FormatInt(int64(amount), 10)
	}
	switch lang {
	case "de", "fr", "es", "it", "pt":
		return strings.Replace(num, ".", ",", 1) + "\u00a0" + sym
	case "nl":
		return sym + "\u00a0" + strings.Replace(num, ".", ",", 1)
	}
	return sym + num
}

// funcMap is the function map of one template language. date, datetime and period
// are bound to lang so that a template never has to pass its own language.
func funcMap(lang string) template.FuncMap {
	return template.FuncMap{
		"date":     func(t time.Time) string { return formatDate(lang, t) },
		"datetime": func(t time.Time) string { return formatDateTime(lang, t) },
		"period":   func(s string) string { return formatPeriod(lang, s) },
		// join sep list: sep first so that {{.Items | join ", "}} also works.
		"join": func(sep string, list []string) string { return strings.Join(list, sep) },
		// lines prefix list: one element a line, each after prefix.
		"lines": func(prefix string, list []string) string {
			var b strings.Builder
			for i, s := range list {
				if i > 0 {
					b.WriteByte('\n')
				}
				b.WriteString(prefix)
				b.WriteString(s)
			}
			return b.String()
		},
		// numbered list: "1. first\n2. second".
		"numbered": func(list []string) string {
			var b strings.Builder
			for i, s := range list {
				if i > 0 {
					b.WriteByte('\n')
				}
				fmt.Fprintf(&b, "%d. %s", i+1, s)
			}
			return b.String()
		},
		// indent prefix text: prefix before every line of a multi-line text (quotes).
		"indent": func(prefix, s string) string {
			return prefix + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n"+prefix)
		},
		// inc n: n+1, for lists numbered from 1.
		"inc": func(n int) int { return n + 1 },
		// oneOf code "a" "b": whether code is one of the others.
		"oneOf": func(s string, options ...string) bool {
			for _, o := range options {
				if s == o {
					return true
				}
			}
			return false
		},
	}
}
