package classify

var dutchCases = []classifyCase{
	// return (retour)
	{text: "Ik wil mijn bestelling retourneren, de schoenen zijn te klein", intent: IntentReturn, reason: ReasonSize, lang: "nl", conf: confSure},
	{subject: "Retour", text: "bestelling LW-58213, graag terugsturen", intent: IntentReturn, lang: "nl", conf: confHigh},
	{text: "Het jurkje is ongedragen en de labels zitten er nog aan. Ik wil het terugsturen.", intent: IntentReturn, lang: "nl", conf: confSure},
	{text: "Ik wil mijn geld terug, het product is defect", intent: IntentReturn, reason: ReasonDefective, lang: "nl", flags: "refund", conf: confHigh},
	{text: "bevalt me niet, wil retour", intent: IntentReturn, reason: ReasonChangedMind, lang: "nl", conf: confHigh},
	{text: "Het parfum is nog ongeopend en verzegeld, ik wil het retourneren", intent: IntentReturn, lang: "nl", flags: "unopened", conf: confHigh},
	{text: "Ik wil de hele bestelling retourneren", intent: IntentReturn, lang: "nl", flags: "whole", conf: confHigh},
	{text: "ik wil het retouneren want het is te groot", intent: IntentReturn, reason: ReasonSize, lang: "nl", conf: confHigh},
	{text: "Per ongeluk twee besteld, ik stuur er een terug", intent: IntentReturn, reason: ReasonChangedMind, lang: "nl", conf: confHigh},
	// exchange (ruilen)
	{text: "Ik wil graag ruilen voor een maat groter", intent: IntentExchange, reason: ReasonSize, lang: "nl", conf: confSure},
	{text: "Het was een cadeau, maar het past niet. Kan ik het ruilen?", intent: IntentExchange, reason: ReasonSize, lang: "nl", flags: "gift", conf: confHigh},
	{text: "Ik wil het ruilen voor een andere kleur", intent: IntentExchange, reason: ReasonColour, lang: "nl", conf: confHigh},
	{text: "te groot, graag omruilen voor een kleinere maat", intent: IntentExchange, reason: ReasonSize, lang: "nl", conf: confHigh},
	{text: "Kunnen jullie een nieuwe sturen? De lamp is stuk.", intent: IntentExchange, reason: ReasonDefective, lang: "nl", flags: "replacement", conf: confHigh},
	// claim
	{text: "Het product is kapot aangekomen, foto's bijgevoegd", intent: IntentClaim, reason: ReasonDamaged, lang: "nl", flags: "photos", conf: confHigh},
	{text: "De stofzuiger werkt niet meer", intent: IntentClaim, reason: ReasonDefective, lang: "nl", conf: confHigh},
	{text: "Ik heb het verkeerde artikel ontvangen", intent: IntentClaim, reason: ReasonWrongItem, lang: "nl", conf: confHigh},
	{text: "Ik heb de broek één keer gedragen en nu is de naad gescheurd", intent: IntentClaim, reason: ReasonDefective, lang: "nl", flags: "used", conf: confHigh},
	{text: "Het ziet er heel anders uit dan op de foto", intent: IntentClaim, reason: ReasonNotAsDescribed, lang: "nl", conf: confHigh},
	// cancel
	{text: "Graag mijn bestelling annuleren", intent: IntentCancel, lang: "nl", conf: confSure},
	{text: "Ik wil mijn bestelling anuleren", intent: IntentCancel, lang: "nl", conf: confSure},
	{text: "Niet verzenden aub, ik annuleer de hele bestelling", intent: IntentCancel, lang: "nl", flags: "whole", conf: confSure},
	// refund status
	{text: "Waar blijft mijn terugbetaling? Het pakket is al twee weken geleden teruggestuurd.", intent: IntentRefundStatus, lang: "nl", conf: confSure},
	{text: "Ik heb mijn geld nog steeds niet ontvangen", intent: IntentRefundStatus, lang: "nl", conf: confHigh},
	{text: "Is mijn retour al aangekomen?", intent: IntentRefundStatus, lang: "nl", conf: confHigh},
	{text: "Wanneer krijg ik mijn geld terug?", intent: IntentRefundStatus, lang: "nl", conf: confHigh},
	// tracking
	{text: "Ik heb het pakket teruggestuurd, hier is de track & trace: 3SABCD1234567", intent: IntentTracking, lang: "nl", conf: confSure},
	// lost parcel
	{text: "Mijn retourpakket is kwijtgeraakt bij PostNL", intent: IntentLostParcel, lang: "nl", conf: confHigh},
	// other
	{text: "Mijn bestelling is nog niet aangekomen", intent: IntentOther, lang: "nl", conf: confHigh},
	{text: "Bedankt voor de snelle terugbetaling!", intent: IntentOther, lang: "nl"},
	{text: "Ik heb het pas gisteren ontvangen en het is prima, dank u", intent: IntentOther, lang: "nl"},
}
