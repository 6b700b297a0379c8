package classify

import "testing"

// italianCases and portugueseCases hold the core requests in the two languages read
// since the lexicon's Italian and Portuguese lists: each intent once or twice, and the
// words they share with Spanish ("un regalo", "no") read as their own.
var italianCases = []classifyCase{
	{text: "Vorrei restituire il cappotto, è troppo grande.", intent: IntentReturn, reason: ReasonSize, lang: "it", conf: confHigh},
	{text: "Posso cambiare la gonna con una taglia più piccola?", intent: IntentExchange, reason: ReasonSize, lang: "it", conf: confHigh},
	{text: "La borsa è arrivata rotta, allego le foto.", intent: IntentClaim, reason: ReasonDamaged, lang: "it", flags: "photos", conf: confHigh},
	{text: "Ho ordinato la taglia M ma mi è arrivata una L.", intent: IntentClaim, reason: ReasonWrongItem, lang: "it", conf: confHigh},
	{text: "Vorrei annullare il mio ordine.", intent: IntentCancel, lang: "it", conf: confHigh},
	{text: "Non ho ancora ricevuto il rimborso, ho spedito il pacco due settimane fa.", intent: IntentRefundStatus, lang: "it", conf: confHigh},
	{text: "Ho spedito il reso, il numero di tracciamento è RR407182365IT.", intent: IntentTracking, lang: "it", conf: confHigh},
	{text: "Il pacco del reso si è perso.", intent: IntentLostParcel, lang: "it", conf: confHigh},
}

var portugueseCases = []classifyCase{
	{text: "Quero devolver o vestido, ficou grande.", intent: IntentReturn, reason: ReasonSize, lang: "pt", conf: confHigh},
	{text: "Gostaria de trocar as sandálias por um número maior.", intent: IntentExchange, reason: ReasonSize, lang: "pt", conf: confHigh},
	{text: "O relógio chegou partido, envio fotos em anexo.", intent: IntentClaim, reason: ReasonDamaged, lang: "pt", flags: "photos", conf: confHigh},
	// "no" is Portuguese "in the", not the English negator.
	{text: "A encomenda veio no tamanho errado: pedi um M e recebi um L. Podem trocar?", intent: IntentExchange, reason: ReasonWrongItem, lang: "pt", flags: "replacement"},
	{text: "Quero cancelar a minha encomenda.", intent: IntentCancel, lang: "pt", conf: confHigh},
	{text: "Ainda não recebi o reembolso, devolvi a saia há duas semanas.", intent: IntentRefundStatus, lang: "pt", conf: confHigh},
	{text: "Já enviei a devolução, o número de rastreio é LZ482913605US.", intent: IntentTracking, lang: "pt", conf: confHigh},
}

func TestClassifyItalianAndPortuguese(t *testing.T) {
	runClassifyCases(t, append(italianCases, portugueseCases...))
}
