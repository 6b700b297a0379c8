package classify

var germanCases = []classifyCase{
	// return (Rücksendung)
	{text: "Ich möchte meine Bestellung zurückschicken, die Schuhe sind zu klein", intent: IntentReturn, reason: ReasonSize, lang: "de", conf: confSure},
	{subject: "Rücksendnug AL-204518", intent: IntentReturn, lang: "de", conf: confHigh},
	{text: "Ich habe das Kleid nicht getragen, es gefällt mir einfach nicht. Ich möchte es zurücksenden.", intent: IntentReturn, reason: ReasonChangedMind, lang: "de", conf: confSure},
	{text: "Ich habe die Schuhe zweimal getragen und jetzt ist die Sohle kaputt. Ich möchte mein Geld zurück.", intent: IntentReturn, reason: ReasonDefective, lang: "de", flags: "used,refund", conf: confHigh},
	{text: "Ich will mein Geld zurück, die Ware ist mangelhaft", intent: IntentReturn, reason: ReasonDefective, lang: "de", flags: "refund", conf: confHigh},
	{text: "ich mochte es gerne zurucksenden, gefallt mir nicht", intent: IntentReturn, reason: ReasonChangedMind, lang: "de", conf: confHigh},
	{text: "zurueckschicken bitte, zu gross", intent: IntentReturn, reason: ReasonSize, lang: "de", conf: confHigh},
	{text: "Die Creme ist ungeöffnet und originalverpackt, ich möchte sie zurückgeben.", intent: IntentReturn, lang: "de", flags: "unopened", conf: confHigh},
	{text: "Ich möchte die komplette Bestellung zurückschicken.", intent: IntentReturn, lang: "de", flags: "whole", conf: confHigh},
	{text: "Ich widerrufe den Kaufvertrag und bitte um Erstattung.", intent: IntentReturn, lang: "de", flags: "refund", conf: confHigh},
	// exchange (Umtausch)
	{text: "Ich möchte die Hose umtauschen, eine Nummer größer bitte", intent: IntentExchange, reason: ReasonSize, lang: "de", conf: confSure},
	{subject: "Umtausch", text: "Bitte in einer anderen Farbe, das Blau gefällt mir doch nicht so.", intent: IntentExchange, reason: ReasonColour, lang: "de", conf: confHigh},
	{text: "Das war ein Geschenk, leider passt es nicht. Kann ich es umtauschen?", intent: IntentExchange, reason: ReasonSize, lang: "de", flags: "gift", conf: confHigh},
	{text: "Reklamation: Der Mixer ist defekt, bitte um Ersatz", intent: IntentExchange, reason: ReasonDefective, lang: "de", flags: "replacement", conf: confHigh},
	{text: "Ich hätte gerne die gleiche Jacke in einer anderen Größe, die M ist zu eng", intent: IntentExchange, reason: ReasonSize, lang: "de", conf: confHigh},
	// claim
	{text: "Die Jacke ist beschädigt angekommen. Fotos anbei.", intent: IntentClaim, reason: ReasonDamaged, lang: "de", flags: "photos", conf: confHigh},
	{text: "Die Kopfhörer funktionieren nicht mehr", intent: IntentClaim, reason: ReasonDefective, lang: "de", conf: confHigh},
	{text: "Ich habe den falschen Artikel erhalten", intent: IntentClaim, reason: ReasonWrongItem, lang: "de", conf: confHigh},
	{text: "Der Artikel sieht ganz anders aus als auf dem Bild", intent: IntentClaim, reason: ReasonNotAsDescribed, lang: "de", conf: confHigh},
	{text: "Ich habe Größe M bestellt, aber L bekommen", intent: IntentClaim, reason: ReasonWrongItem, lang: "de", conf: confHigh},
	// cancel
	{text: "Bitte stornieren Sie meine Bestellung", intent: IntentCancel, lang: "de", conf: confSure},
	{text: "Bitte die ganze Bestellung stornieren und nicht versenden", intent: IntentCancel, lang: "de", flags: "whole", conf: confSure},
	{text: "bestelung sofort storniern bitte", intent: IntentCancel, lang: "de", conf: confHigh},
	// refund status
	{text: "Wo bleibt meine Erstattung? Ich habe das Paket vor zwei Wochen zurückgeschickt.", intent: IntentRefundStatus, lang: "de", conf: confSure},
	{text: "Ich habe mein Geld noch nicht erhalten", intent: IntentRefundStatus, lang: "de", conf: confHigh},
	{text: "Ist meine Retoure schon bei Ihnen angekommen?", intent: IntentRefundStatus, lang: "de", conf: confHigh},
	{text: "Wann bekomme ich mein Geld zurück?", intent: IntentRefundStatus, lang: "de", conf: confHigh},
	{text: "Ich habe bis heute keine Erstattung bekommen", intent: IntentRefundStatus, lang: "de", conf: confHigh},
	// tracking
	{text: "Ich habe das Paket heute zurückgeschickt, die Sendungsnummer ist 00340434161234567890", intent: IntentTracking, lang: "de", conf: confSure},
	// lost parcel
	{text: "Meine Rücksendung ist verloren gegangen, DHL findet das Paket nicht", intent: IntentLostParcel, lang: "de", conf: confHigh},
	{text: "Ich habe die Retoure vor drei Wochen abgeschickt, sie ist laut DHL nie angekommen", intent: IntentLostParcel, lang: "de", conf: confHigh},
	// other
	{text: "Meine Bestellung ist noch nicht angekommen", intent: IntentOther, lang: "de", conf: confHigh},
	{text: "Danke für die schnelle Erstattung!", intent: IntentOther, lang: "de"},
	{text: "Ich möchte meine Rücksendung stornieren, ich behalte die Schuhe doch", intent: IntentOther, lang: "de"},
	{text: "Können Sie mir bitte eine Rechnung schicken?", intent: IntentOther, lang: "de"},
}
