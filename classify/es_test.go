package classify

var spanishCases = []classifyCase{
	// return (devolución)
	{text: "Quiero devolver mi pedido, me queda grande", intent: IntentReturn, reason: ReasonSize, lang: "es", conf: confSure},
	{subject: "Devolución", text: "pedido 10234, quiero devolverlo", intent: IntentReturn, lang: "es", conf: confSure},
	{text: "No lo he usado, no me gusta, quiero devolverlo", intent: IntentReturn, reason: ReasonChangedMind, lang: "es", conf: confSure},
	{text: "quiero mi dinero, el producto es defectuoso", intent: IntentReturn, reason: ReasonDefective, lang: "es", flags: "refund", conf: confHigh},
	{text: "devolucion por favor, talla equivocada", intent: IntentReturn, reason: ReasonSize, lang: "es", conf: confHigh},
	{text: "El perfume está sin abrir y precintado, quiero devolverlo", intent: IntentReturn, lang: "es", flags: "unopened", conf: confHigh},
	{text: "Quiero devolver todo el pedido", intent: IntentReturn, lang: "es", flags: "whole", conf: confHigh},
	{text: "reembolzo porfa, no lo quiero", intent: IntentReturn, lang: "es", flags: "refund", conf: confHigh},
	{text: "Hola, quisiera solicitar un reembolso, pedí por error", intent: IntentReturn, reason: ReasonChangedMind, lang: "es", flags: "refund", conf: confHigh},
	// exchange (cambio)
	{text: "Quisiera cambiar la talla por una más pequeña", intent: IntentExchange, reason: ReasonSize, lang: "es", conf: confSure},
	{text: "Fue un regalo y me queda pequeño, ¿puedo cambiarlo?", intent: IntentExchange, reason: ReasonSize, lang: "es", flags: "gift", conf: confHigh},
	{text: "Quiero cambiarlo por otro color", intent: IntentExchange, reason: ReasonColour, lang: "es", conf: confHigh},
	{text: "¿Me pueden enviar uno nuevo? El producto llegó dañado.", intent: IntentExchange, reason: ReasonDamaged, lang: "es", flags: "replacement", conf: confHigh},
	// claim
	{text: "El producto llegó roto, adjunto fotos", intent: IntentClaim, reason: ReasonDamaged, lang: "es", flags: "photos", conf: confHigh},
	{text: "La batería no funciona", intent: IntentClaim, reason: ReasonDefective, lang: "es", conf: confHigh},
	{text: "Me enviaron el artículo equivocado", intent: IntentClaim, reason: ReasonWrongItem, lang: "es", conf: confHigh},
	{text: "Lo he usado una vez y se rompió", intent: IntentClaim, reason: ReasonDefective, lang: "es", flags: "used", conf: confHigh},
	{text: "No es como en la foto", intent: IntentClaim, reason: ReasonNotAsDescribed, lang: "es", conf: confHigh},
	{text: "pedi la talla M pero me llego una L", intent: IntentClaim, reason: ReasonWrongItem, lang: "es", conf: confHigh},
	// cancel
	{text: "Quiero cancelar mi pedido", intent: IntentCancel, lang: "es", conf: confSure},
	{text: "por favor anular el pedido y no enviar nada", intent: IntentCancel, lang: "es", conf: confSure},
	// refund status
	{text: "¿Dónde está mi reembolso?", intent: IntentRefundStatus, lang: "es", conf: confSure},
	{text: "Todavía no he recibido mi reembolso", intent: IntentRefundStatus, lang: "es", conf: confSure},
	{text: "¿Han recibido mi devolución?", intent: IntentRefundStatus, lang: "es", conf: confHigh},
	{text: "¿Cuándo recibiré mi dinero?", intent: IntentRefundStatus, lang: "es", conf: confHigh},
	// tracking
	{text: "Ya he enviado el paquete, el número de seguimiento es 1Z999AA10123456784", intent: IntentTracking, lang: "es", conf: confSure},
	// lost parcel
	{text: "Mi paquete de devolución se ha perdido", intent: IntentLostParcel, lang: "es", conf: confHigh},
	// other
	{text: "Mi pedido todavía no ha llegado", intent: IntentOther, lang: "es", conf: confHigh},
	{text: "Gracias por el reembolso", intent: IntentOther, lang: "es"},
	{text: "Quiero cancelar mi devolución", intent: IntentOther, lang: "es", conf: confHigh},
}
