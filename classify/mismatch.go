package classify

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// A customer who says what they ordered and, further on, that what came is another
// size or colour reports the store's mistake, however many words stand between the
// two: "I ordered a 38 and got a 40", "j'avais choisi les boucles en doré (...) mais
// dans la pochette il y a la version argentée", "pedí la camisa en talla L (así consta
// en el albarán), pero la que había en la bolsa es una M". The lexicon's phrases see
// only words close together; this reads the two statements wherever they stand in
// two neighbouring sentences.

// variant is a size or a colour named in the text.
type variant struct {
	pos      int
	sentence int
	kind     variantKind
	value    string // canonical: "silver" for "argentée", "40", "m", "65w"
}

// variantKind is what a variant names; only variants of one kind are compared.
type variantKind int

const (
	kindSize variantKind = iota
	kindColour
	kindSpec // a model's figure
)

// spec is a figure with its unit that tells models apart: 65w, 128gb, 10000mah.
var spec = regexp.MustCompile(`^[0-9]+(w|gb|tb|mah|v|hz|mp)$`)

// mismatch is an ordered variant and a received one that differ.
type mismatch struct{ ordered, received variant }

func (m mismatch) String() string {
	return "ordered " + m.ordered.value + ", received " + m.received.value
}

// orderedOtherThanReceived finds such pairs in the body's words, the first of each
// kind: "ordered the navy in L, the box held a grey M" is one of colour and one of size.
func orderedOtherThanReceived(words []textWord) []mismatch {
	var ordered, received []variant
	for i, w := range words {
		if w.subject {
			continue
		}
		if orderVerb(words, i) {
			ordered = append(ordered, variantsAfter(words, i, orderedReach, false)...)
			if verbFinal[w.text] {
				ordered = append(ordered, variantsBefore(words, i)...)
			}
		}
		if reach := receivedFrame(words, i); reach > 0 {
			received = append(received, variantsAfter(words, i, reach, true)...)
			if verbFinal[w.text] {
				received = append(received, variantsBefore(words, i)...)
			}
		}
	}
	var found []mismatch
	for _, o := range ordered {
		for _, r := range received {
			if o.pos == r.pos || o.kind != r.kind || o.value == r.value {
				continue
			}
			if d := o.sentence - r.sentence; d < -1 || d > 1 {
				continue
			}
			if !slices.ContainsFunc(found, func(m mismatch) bool { return m.ordered.kind == o.kind }) {
				found = append(found, mismatch{ordered: o, received: r})
			}
		}
	}
	return found
}

const (
	mismatchWeight = 3.5 // as unmistakable as "you sent the wrong item"

	orderedReach = 20 // words after "I ordered" that may still describe what was ordered
	// ... after "I got", "the label says", or a bare "is", "war" to the end of its
	// clause ("im Karton war aber ein grauer Pullover in Größe M").
	receivedReach = 8
)

// orderVerb reports whether words[i] says the customer ordered or chose something.
// French needs its auxiliary: "commande" alone is the noun, "j'ai commandé" the verb.
func orderVerb(words []textWord, i int) bool {
	w := words[i].text
	if orderVerbs[w] {
		return true
	}
	return frenchOrderVerbs[w] && i > 0 && frenchAuxiliaries[words[i-1].text]
}

var orderVerbs = setOf("ordered", "bought", "purchased", "chose", "chosen", "selected", "picked",
	"bestellt", "bestellte", "gekauft", "ausgewahlt", "gewahlt",
	"besteld", "bestelde", "gekocht", "gekozen",
	"pedi", "compre", "elegi", "escogi", "encargue", "pedimos",
	"ordinato", "ordinata", "ordinati", "ordinate", "ordinai", "acquistato", "acquistata", "acquistati",
	"acquistate", "acquistai", "comprato", "comprata", "comprati", "comprate", "comprai", "scelto", "scelta",
	"scelti", "scelte", "scelsi", "selezionato", "selezionata", "selezionati", "preso", "presa", "presi",
	"prenotato", "prenotata",
	"encomendei", "encomendamos", "encomendado", "encomendada", "encomendados", "encomendadas", "pedida",
	"pedidas", "comprei", "compramos", "comprado", "comprada", "comprados", "compradas", "escolhi",
	"escolhemos", "escolhido", "escolhida", "escolhidos", "escolhidas", "selecionei", "seleccionei",
	"selecionado", "selecionada", "seleccionado", "seleccionada", "optei", "adquiri", "adquirido", "adquirida")

var frenchOrderVerbs = setOf("commande", "commandee", "commandes", "choisi", "choisie", "achete", "achetee", "pris")

var frenchAuxiliaries = setOf("ai", "avais", "avait", "avons", "avions")

// receivedFrame reports how far after words[i] the received variant may stand when
// words[i] says what came (0: it does not).
func receivedFrame(words []textWord, i int) int {
	w := words[i].text
	if i > 0 && negatorsAnyLanguage[words[i-1].text] {
		return 0
	}
	switch {
	case receivedVerbs[w], copulas[w]:
		return receivedReach
	case w == "y" && i+1 < len(words) && (words[i+1].text == "a" || words[i+1].text == "avait"):
		return receivedReach // "il y a la version argentée", "dans la boîte il y a une paire couleur cognac"
	}
	return 0
}

var receivedVerbs = setOf("got", "received", "came", "arrived", "sent", "say", "says", "said", "shows", "reads",
	"labelled", "labeled", "marked", "sagt", "zegt", "dice",
	"bekommen", "erhalten", "geliefert", "geschickt", "kam", "steht",
	"gekregen", "ontvangen", "geleverd", "gestuurd", "kwam", "staat",
	"recu", "recue", "livre", "livree", "envoye", "envoyee", "indique", "trouve", "dit",
	"recibi", "llego", "llegado", "recibido", "enviado", "mandado", "mandaron", "enviaron", "vino", "habia",
	"pone", "trajo",
	"ricevuto", "ricevuta", "ricevuti", "ricevute", "arrivato", "arrivata", "arrivati", "arrivate", "arrivo",
	"giunto", "giunta", "pervenuto", "pervenuta", "consegnato", "consegnata", "consegnati", "recapitato",
	"recapitata", "mandato", "mandata", "mandati", "inviato", "inviata", "inviati", "spedito", "spedita",
	"spediti", "avuto", "trovato", "trovata", "dicono", "indica", "riporta", "riportava", "scritto", "segna",
	"mostra", "etichettato", "etichettata", "conteneva", "contiene",
	"recebi", "recebemos", "recebido", "recebida", "recebidos", "recebidas", "recebeu", "chegou", "chegaram",
	"veio", "vieram", "vinha", "vinham", "enviaram", "mandaram", "entregaram", "enviada", "enviados",
	"enviadas", "mandada", "mandados", "mandadas", "entregue", "entregues", "trouxe", "diz", "dizia",
	"indicava", "mostrava", "consta", "constava", "traz", "trazia", "tinha", "havia", "marcado", "marcada",
	"etiquetado", "etiquetada")

var copulas = setOf("is", "was", "ist", "war", "est", "etait", "es", "era",
	"risulta", "risultava",
	"foi", "estava", "sao", "eram", "estao", "estavam")

var negatorsAnyLanguage = setOf("not", "never", "nicht", "nie", "niet", "nooit", "pas", "jamais", "no", "nunca",
	"non",
	"nao", "nem")

// wishWords mean the variant after them is one wanted, not one received: "it is too
// small, I'd like a 39".
var wishWords = setOf("want", "wanted", "need", "like", "would", "could", "prefer", "rather", "instead",
	"exchange", "swap", "mochte", "hatte", "brauche", "brauchte", "wurde", "ware", "gerne", "gern", "lieber",
	"wil", "wilde", "zou", "graag", "liever", "voudrais", "souhaite", "souhaiterais", "prefere", "aimerais",
	"quiero", "quisiera", "necesito", "gustaria", "preferiria", "prefiero",
	"vorrei", "vorremmo", "voglio", "volevo", "preferirei", "preferisco", "preferiremmo", "piuttosto", "invece",
	"anziche", "desidero", "desidererei", "gradirei", "bisogno", "servirebbe", "servirebbero", "serve",
	"occorre", "occorrerebbe", "piacerebbe", "sarebbe", "andrebbe", "meglio", "cambiare", "cambio", "cambiarlo",
	"cambiarla", "scambiare", "sostituire", "sostituirlo", "sostituirla", "potreste", "potete",
	"quero", "queria", "quereria", "gostaria", "gostava", "prefiro", "preferia", "preciso", "precisava",
	"precisaria", "necessito", "desejo", "desejava", "pretendo", "pretendia", "podiam", "poderiam", "troca",
	"trocar", "vez", "inves")

// variantsAfter lists the sizes and colours among the reach words after words[i], in
// its sentence. A received one stops at a wish ("I got it, but I'd like a 40").
func variantsAfter(words []textWord, i, reach int, received bool) []variant {
	var out []variant
	for k := i + 1; k < len(words) && k <= i+reach && words[k].sentence == words[i].sentence; k++ {
		// What came is told in the clause that says it came: "il est beau, mais le
		// gris fait terne" judges the colour ordered.
		if received && (wishWords[words[k].text] || words[k].clause != words[i].clause) {
			break
		}
		if v, ok := variantAt(words, k); ok {
			if received && modalAfter(words, k) {
				break
			}
			out = append(out, v)
		}
	}
	return out
}

// verbFinal are the German and Dutch participles that close their clause, the
// variant before them: "ich hatte eine 38 bestellt", "ik heb een 40 gekregen".
var verbFinal = setOf("bestellt", "gekauft", "ausgewahlt", "gewahlt", "besteld", "gekocht", "gekozen",
	"bekommen", "erhalten", "geliefert", "geschickt", "gekregen", "ontvangen", "geleverd", "gestuurd",
	// Spanish relative clauses do the same: "el cinturón negro que pedí".
	"pedi", "compre", "encargue", "elegi")

// finalReach is how far before such a participle its variant may stand.
const finalReach = 6

// variantsBefore lists the sizes and colours among the finalReach words before
// words[i], in its clause.
func variantsBefore(words []textWord, i int) []variant {
	var out []variant
	for k := i - 1; k >= 0 && k >= i-finalReach && words[k].clause == words[i].clause; k-- {
		if wishWords[words[k].text] {
			break
		}
		if v, ok := variantAt(words, k); ok {
			out = append(out, v)
		}
	}
	return out
}

// modalAfter: "a 37 would be better" names a wish, not what came.
func modalAfter(words []textWord, k int) bool {
	for j := k + 1; j < len(words) && j <= k+2; j++ {
		if wishWords[words[j].text] || words[j].text == "better" || words[j].text == "besser" || words[j].text == "beter" {
			return true
		}
	}
	return false
}

// variantAt reads words[k] as a colour or a size.
func variantAt(words []textWord, k int) (variant, bool) {
	w := words[k].text
	v := variant{pos: k, sentence: words[k].sentence}
	if c, ok := colourOf(w); ok {
		v.kind, v.value = kindColour, c
		return v, true
	}
	if spec.MatchString(w) {
		// "Pedí el de 65W ... en la caja pone 30W": a model's figure.
		v.kind, v.value = kindSpec, w
		return v, true
	}
	prev := ""
	if k > 0 {
		prev = words[k-1].text
	}
	afterSizeWord := sizeWords[prev]
	if letterSizes[w] && (afterSizeWord || sizeArticles[prev]) {
		v.value = w
		return v, true
	}
	if n, err := strconv.Atoi(w); err == nil && len(w) == 2 && n >= 20 && n <= 60 {
		if k+1 < len(words) && (notSizeUnits[words[k+1].text] || monthNames[words[k+1].text]) {
			return v, false
		}
		if afterSizeWord || sizeArticles[prev] || receivedVerbs[prev] || copulas[prev] {
			v.value = w
			return v, true
		}
	}
	if modelName(prev) && len(w) <= 3 && strings.Trim(w, "0123456789") == "" {
		// "la coque pour iPhone 16 Pro ... une coque pour iPhone 15": a model's
		// number, compared only with the same model's.
		v.kind, v.value = kindSpec, prev+" "+w
		return v, true
	}
	return v, false
}

// modelName reports whether w may name a product line whose number follows it
// ("iphone 16", "galaxy 24", "series 9"): a word, not one that counts or names
// something else ("order 1234", "day 12", "size 38").
func modelName(w string) bool {
	return len(w) >= 3 && strings.Trim(w, "abcdefghijklmnopqrstuvwxyz") == "" && !sizeWords[w] && !notSizeUnits[w] &&
		!monthNames[w] && !numberNames[w]
}

// numberNames are words a number follows that is no model's: an order's, a day's, a count.
var numberNames = setOf("order", "orders", "number", "commande", "bestellung", "bestelling", "pedido", "ordine",
	"encomenda", "nummer", "numero", "ref", "item", "items", "article", "artikel", "articulo", "articolo", "artigo",
	"page", "room", "box", "parcel", "package", "paket", "pakket", "colis", "paquete", "pacco", "pacote",
	"about", "around", "over", "under", "than", "only", "just", "after", "before", "within", "last", "first",
	"the", "and", "for", "with", "von", "und", "fur", "mit", "les", "des", "pour", "avec", "los", "las", "por",
	"con", "del", "een", "van", "voor", "met", "het", "per", "bis", "tot", "dans", "sur", "uit", "aus", "week",
	"weeks", "hour", "hours", "minute", "minutes", "year", "years", "times", "pieces", "pairs", "pack", "set")

var sizeWords = setOf("size", "sizes", "taille", "talla", "maat", "maatje", "grosse", "groesse", "gr", "pointure",
	"numero", "nummer",
	"taglia", "taglie", "tg", "misura", "misure", "num", "nr",
	"tamanho", "tamanhos", "tam", "numeros", "numeracao", "medida")

var sizeArticles = setOf("a", "an", "the", "een", "de", "het", "eine", "ein", "einer", "die", "une", "un", "le", "la",
	"una", "el", "in", "en",
	"uno", "nel", "nella",
	"um", "uma", "num", "numa", "o")

var letterSizes = setOf("xxs", "xs", "s", "m", "l", "xl", "xxl", "xxxl", "2xl", "3xl")

var notSizeUnits = setOf("days", "day", "dagen", "dag", "tage", "tagen", "jours", "jour", "dias", "dia",
	"minutes", "minuten", "min", "hours", "stunden", "uur", "heures", "horas",
	"euro", "euros", "eur", "dollars", "usd", "pounds", "percent", "procent", "prozent", "pourcent", "cm", "mm",
	"ml", "kg",
	"giorni", "giorno", "gg", "ore", "ora", "minuti", "minuto", "secondi", "settimane", "settimana", "mesi",
	"mese", "anni", "anno", "centesimi", "percento", "volte", "pezzi", "g", "km", "litri",
	"hora", "minutos", "segundos", "semana", "semanas", "mes", "meses", "ano", "anos", "vezes", "reais", "real",
	"centimos", "cent", "porcento", "litros", "gramas", "metros", "unidades", "pecas", "artigos")

var monthNames = setOf("january", "february", "march", "april", "may", "june", "july", "august", "september",
	"october", "november", "december", "januar", "februar", "marz", "mai", "juni", "juli", "oktober", "dezember",
	"januari", "februari", "maart", "mei", "augustus", "janvier", "fevrier", "mars", "avril", "juin", "juillet",
	"aout", "septembre", "octobre", "novembre", "decembre", "enero", "febrero", "marzo", "abril", "mayo", "junio",
	"julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre", "jan", "feb", "mar", "apr", "jun",
	"jul", "aug", "sep", "sept", "oct", "nov", "dec",
	"gennaio", "febbraio", "aprile", "maggio", "giugno", "luglio", "settembre", "ottobre", "dicembre", "gen",
	"mag", "giu", "lug", "ago", "set", "sett", "ott", "dic",
	"janeiro", "fevereiro", "marco", "maio", "junho", "julho", "setembro", "outubro", "novembro", "dezembro",
	"fev", "abr", "out", "dez")

// colourWords map the colour words of every language (accents folded, each gender)
// to one name, so that "argentée" and "silver" are one colour.
var colourWords = func() map[string]string {
	groups := map[string]string{
		"black": "black schwarz schwarze schwarzen zwart zwarte noir noire noirs negro negra negros nero nera neri " +
			"nere preto preta pretos pretas negras",
		"white": "white weiss weisse weissen wit witte blanc blanche blancs blanco blanca blancos bianco bianca " +
			"bianchi bianche branco branca brancos brancas",
		"red": "red rot rote roten rood rode rouge rouges rojo roja rojos rosso rossa rossi rosse vermelho " +
			"vermelha vermelhos vermelhas encarnado encarnada encarnados encarnadas",
		// A navy or a charcoal is often called blue or grey: one colour each, so that
		// naming it both ways is no mismatch.
		"blue": "blue blau blaue blauen blauw blauwe bleu bleue bleus azul azules navy marine blu azzurro " +
			"azzurra azzurri azzurre celeste celesti bluette azuis marinho marinhos anil",
		"green": "green grun grune grunen groen groene vert verte verts verde verdes verdi",
		"yellow": "yellow gelb gelbe geel gele jaune jaunes amarillo amarilla giallo gialla gialli gialle amarelo " +
			"amarela amarelos amarelas",
		"pink": "pink rosa roze rosato rosata rosati rosate fucsia rosas rosado rosada rosados rosadas",
		"purple": "purple lila paars paarse violet violette morado morada viola lilla violetto violetta violetti " +
			"porpora roxo roxa roxos roxas lilas violeta violetas purpura purpuras",
		"grey": "grey gray grau graue grijs grijze gris grise charcoal anthrazit antraciet anthracite antracita " +
			"grigio grigia grigi grigie antracite grafite cinza cinzas cinzento cinzenta cinzentos cinzentas chumbo",
		"brown": "brown braun braune bruin bruine marron marrone marroni castano castana castani castane " +
			"castanho castanha castanhos castanhas marrom marrons chocolate",
		"beige": "beige sabbia bege beges",
		"orange": "orange oranje naranja arancione arancioni arancio laranja laranjas alaranjado alaranjada " +
			"alaranjados alaranjadas",
		"silver": "silver silber silberne silbernen zilver zilveren argent argente argentee plateado plateada " +
			"argento argentato argentata argentati argentate prateado prateada prateados prateadas prata",
		"gold": "gold golden goldene goldenen goud gouden dore doree dorado dorada oro dorato dorata dorati " +
			"dorate dourado dourada dourados douradas ouro",
		"camel": "camel cognac conac tan cammello camelo caramelo conhaque",
		"cream": "cream creme ivory ivoire ivoor elfenbein marfil ecru oatmeal avoine crudo crema panna avorio " +
			"cremes marfim cru crua crus cruas perola",
		"sage":     "sage salbei salie salvia",
		"rust":     "rust rost roest rouille oxido terracotta terracota terrakotta ruggine mattone ferrugem telha tijolo",
		"olive":    "olive oliv olijf oliva azeitona",
		"khaki":    "khaki kaki caqui cachi",
		"burgundy": "burgundy bordeaux burdeos vinaccia bordo bordeus grena vinho",
		"teal":     "teal petrol petrolio ottanio petroleo",
		"coral":    "coral koralle koraal corail corallo corais",
		"mustard":  "mustard senf mosterd moutarde mostaza senape mostarda",
		"taupe":    "taupe tortora",
		"mint":     "mint mintgrun mintgroen menthe menta hortela",
	}
	m := map[string]string{}
	for name, ws := range groups {
		for _, w := range strings.Fields(ws) {
			m[w] = name
		}
	}
	return m
}()

// colourOf reads a colour word, also as German and Dutch inflect and compound it:
// "dunkelblauer", "hellgrauen", "donkerblauwe".
func colourOf(w string) (string, bool) {
	if c, ok := colourWords[w]; ok {
		return c, true
	}
	for _, shade := range []string{"dunkel", "hell", "marine", "pastell", "donker", "licht"} {
		if rest, ok := strings.CutPrefix(w, shade); ok && rest != "" {
			w = rest
			break
		}
	}
	for _, ending := range []string{"", "e", "er", "en", "es", "em"} {
		if base, ok := strings.CutSuffix(w, ending); ok && base != "" {
			if c, ok := colourWords[base]; ok {
				return c, true
			}
		}
	}
	return "", false
}

func setOf(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// wishedVariant finds a size asked for: a wish ("need", "could you send", "möchte")
// and, a few words on in its clause, "in a 39", "en talla 38", "in maat M". "Need the sandals in a 39" asks for an exchange as plainly as
// "can I swap them"; the wish must not be one to send something back ("I want to
// return the jacket in a 40").
func wishedVariant(words []textWord) (variant, bool) {
	for i, w := range words {
		if w.subject || !wantWords[w.text] {
			continue
		}
		for k := i + 1; k < len(words) && k <= i+wishReach && words[k].clause == w.clause; k++ {
			if sendingBack[words[k].text] {
				break
			}
			// "Can I get the M instead?": a size, then "instead".
			if size, ok := sizeBefore(words, k, w.clause); ok {
				return size, true
			}
			// "in a 39", "in size 39", "en taille 38"; after an exchange, "for the
			// medium", "voor een maat M".
			if !inWords[words[k].text] && !(exchangeVerbs[w.text] && forWords[words[k].text]) {
				continue
			}
			for j := k + 1; j < len(words) && j <= k+3 && words[j].clause == w.clause; j++ {
				// Sizes only: "I have it in green" describes as often as it asks.
				if v, ok := variantAt(words, j); ok && v.kind == kindSize {
					return v, true
				}
				if size, ok := sizeNames[words[j].text]; ok && forWords[words[k].text] {
					return variant{pos: j, sentence: words[j].sentence, kind: kindSize, value: size}, true
				}
			}
		}
	}
	return variant{}, false
}

const (
	wishReach           = 6   // words after the wish that may hold "in a 39"
	wishedVariantWeight = 3.0 // an explicit ask
)

var wantWords = setOf("need", "want", "like", "prefer", "send", "get", "swap", "exchange", "switch",
	"brauche", "mochte", "schicken", "senden", "tauschen", "umtauschen",
	"nodig", "wil", "zou", "graag", "sturen", "ruilen", "omruilen",
	"voudrais", "aimerais", "envoyer", "echanger", "souhaite", "prefererais", "avoir", "recevoir", "tener", "recibir",
	"necesito", "quiero", "quisiera", "gustaria", "enviar", "mandar", "cambiar", "preferiria")

// inWords introduce the size wished for ("in a 39"); not "im", which is English "I'm"
// as often as German "in dem".
var inWords = setOf("in", "en", "dans")

// sizeBefore reads words[k] as a size named and then set in place of the one had:
// "the M instead", "die M stattdessen", "la M à la place".
func sizeBefore(words []textWord, k, clause int) (variant, bool) {
	size, ok := sizeNames[words[k].text]
	if !ok && letterSizes[words[k].text] {
		size, ok = words[k].text, true
	}
	if !ok && k > 0 && (sizeArticles[words[k-1].text] || words[k-1].text == "the") && sizeNumber.MatchString(words[k].text) {
		// "want a 9.5 instead", "kann ich eine 40 stattdessen haben": a number
		// wished for in place of another is a size.
		size, ok = words[k].text, true
	}
	if !ok {
		return variant{}, false
	}
	for j := k + 1; j < len(words) && j <= k+3 && words[j].clause == clause; j++ {
		if insteadWords[words[j].text] {
			return variant{pos: k, sentence: words[k].sentence, kind: kindSize, value: size}, true
		}
	}
	return variant{}, false
}

// sizeNumber is a clothing or shoe size written as a number: 4 to 60, with a half.
var sizeNumber = regexp.MustCompile(`^([4-9]|[1-5][0-9]|60)([.,]5)?$`)

var insteadWords = setOf("instead", "stattdessen", "dafur", "plaats", "place", "lugar", "cambio",
	"invece", "posto",
	"vez", "inves")

// exchangeVerbs ask for one thing in place of another, and forWords name it.
var (
	exchangeVerbs = setOf("swap", "switch", "exchange", "trade", "tauschen", "umtauschen", "eintauschen", "ruilen", "omruilen",
		"wisselen", "omwisselen", "echanger", "changer", "cambiar", "cambiarlo", "cambiarla", "cambiarmela", "cambiarmelo", "cambio",
		"cambiare", "sostituire", "scambiare",
		"trocar", "troca", "troco", "substituir", "permutar")
	forWords = setOf("for", "voor", "gegen", "contre", "pour", "por",
		"con",
		"pelo", "pela")
)

// sizeNames are sizes written out ("the medium"): only after an exchange's "for",
// where they cannot be the "large" of "too large".
var sizeNames = map[string]string{"small": "s", "medium": "m", "large": "l", "petite": "xs",
	"klein": "s", "mittel": "m", "gross": "l", "groot": "l", "petit": "s", "moyen": "m", "grand": "l",
	"pequena": "s", "pequeno": "s", "mediana": "m", "mediano": "m", "grande": "l"}

var sendingBack = setOf("return", "returning", "refund", "back", "terug", "terugsturen", "zuruck", "zuruckschicken",
	"zuruckgeben", "retour", "retourner", "renvoyer", "rembourser", "devolver", "devolverlo", "devolverla",
	"devolucion", "reembolso",
	"restituire", "rimandare", "reso", "indietro", "rimborso", "restituirlo", "restituirla", "rispedire",
	"devolucao", "devolve-lo", "devolve-la", "reenviar")

// receiveVerbs take what the customer would receive in place of the item: "can I get
// the dress instead", "recevoir la robe à la place".
var receiveVerbs = setOf("receive", "get", "have", "recevoir", "avoir", "bekommen", "erhalten", "krijgen", "ontvangen", "recibir",
	"ricevere", "avere",
	"receber", "ter")

// exchangeTargets returns what an exchange asks for, as the customer's words: those
// after the exchange's "for" ("swap it for the Ridge overshirt", "cambiar por el
// vestido") and those between a receiving verb and its "instead" ("recevoir la robe à
// la place"), each within its clause. The policy tells whether they name another
// product than the one bought.
func exchangeTargets(words []textWord) []string {
	var out []string
	phrase := func(from, to int) {
		var ws []string
		for k := from; k < to; k++ {
			ws = append(ws, words[k].text)
		}
		if len(ws) > 0 {
			out = append(out, strings.Join(ws, " "))
		}
	}
	for i, w := range words {
		switch {
		case exchangeVerbs[w.text]:
			for k := i + 1; k < len(words) && k <= i+targetReach && words[k].sentence == w.sentence; k++ {
				if forWords[words[k].text] {
					end := k + 1
					for end < len(words) && end <= k+targetReach && words[end].clause == words[k].clause {
						end++
					}
					phrase(k+1, end)
					break
				}
			}
		case receiveVerbs[w.text]:
			for k := i + 1; k < len(words) && k <= i+targetReach && words[k].clause == w.clause; k++ {
				if insteadWords[words[k].text] {
					phrase(i+1, k)
					break
				}
			}
		}
	}
	return out
}

// targetReach is how many words an exchange's target may take.
const targetReach = 12
