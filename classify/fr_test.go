package classify

var frenchCases = []classifyCase{
	// return
	{text: "je voudrais retourner ma robe", intent: IntentReturn, lang: "fr", conf: confHigh},
	{text: "Bonjour, je souhaite retourner ma commande ALS10482, la taille ne me convient pas", intent: IntentReturn, reason: ReasonSize, lang: "fr", conf: confSure},
	{text: "Je ne l'ai jamais porté, il ne me plaît pas, je veux le renvoyer", intent: IntentReturn, reason: ReasonChangedMind, lang: "fr", conf: confSure},
	{text: "je veux etre rembourse, le produit est defectueux", intent: IntentReturn, reason: ReasonDefective, lang: "fr", flags: "refund", conf: confHigh},
	{text: "rembousement svp, trop grand", intent: IntentReturn, reason: ReasonSize, lang: "fr", flags: "refund", conf: confHigh},
	{text: "Le parfum est non ouvert, toujours sous blister, je souhaite le retourner", intent: IntentReturn, lang: "fr", flags: "unopened", conf: confHigh},
	{text: "Je voudrais retourner toute la commande", intent: IntentReturn, lang: "fr", flags: "whole", conf: confHigh},
	{text: "j'ai change d'avis, comment faire un retour ?", intent: IntentReturn, reason: ReasonChangedMind, lang: "fr", conf: confHigh},
	{text: "J'exerce mon droit de rétractation pour la commande ALS10482", intent: IntentReturn, lang: "fr", conf: confHigh},
	// exchange
	{text: "Je voudrais échanger contre une taille au-dessus", intent: IntentExchange, reason: ReasonSize, lang: "fr", conf: confSure},
	{text: "C'était un cadeau, mais c'est trop petit. Puis-je l'échanger ?", intent: IntentExchange, reason: ReasonSize, lang: "fr", flags: "gift", conf: confHigh},
	{text: "je voudrais une autre couleur svp", intent: IntentExchange, reason: ReasonColour, lang: "fr", conf: confHigh},
	{text: "Pouvez-vous m'envoyer un remplacement ? L'article est cassé.", intent: IntentExchange, reason: ReasonDefective, lang: "fr", flags: "replacement", conf: confHigh},
	{text: "echange taille 38 contre 40 svp", intent: IntentExchange, reason: ReasonSize, lang: "fr", conf: confHigh},
	// claim
	{text: "Le colis est arrivé endommagé, photos ci-jointes", intent: IntentClaim, reason: ReasonDamaged, lang: "fr", flags: "photos", conf: confHigh},
	{text: "L'appareil ne fonctionne pas", intent: IntentClaim, reason: ReasonDefective, lang: "fr", conf: confHigh},
	{text: "J'ai reçu le mauvais article", intent: IntentClaim, reason: ReasonWrongItem, lang: "fr", conf: confHigh},
	{text: "Je l'ai porté une fois et la couture s'est déchirée", intent: IntentClaim, reason: ReasonDefective, lang: "fr", flags: "used", conf: confHigh},
	{text: "Le produit ne correspond pas à la description", intent: IntentClaim, reason: ReasonNotAsDescribed, lang: "fr", conf: confHigh},
	// cancel
	{subject: "Annulation commande", text: "Merci d'annuler ma commande ALS10482", intent: IntentCancel, lang: "fr", conf: confSure},
	{text: "je veux anuler ma comande svp", intent: IntentCancel, lang: "fr", conf: confHigh},
	// refund status
	{text: "Je n'ai toujours pas reçu mon remboursement", intent: IntentRefundStatus, lang: "fr", conf: confSure},
	{text: "Où en est mon remboursement ? J'ai renvoyé le colis il y a deux semaines.", intent: IntentRefundStatus, lang: "fr", conf: confSure},
	{text: "Avez-vous reçu mon retour ?", intent: IntentRefundStatus, lang: "fr", conf: confHigh},
	{text: "Quand vais-je être remboursé ?", intent: IntentRefundStatus, lang: "fr", conf: confHigh},
	// tracking
	{text: "J'ai renvoyé le colis, voici le numéro de suivi : 1Z999AA10123456784", intent: IntentTracking, lang: "fr", conf: confSure},
	// lost parcel
	{text: "Mon colis retour a été perdu par La Poste", intent: IntentLostParcel, lang: "fr", conf: confHigh},
	// other
	{text: "Ma commande n'est pas encore arrivée", intent: IntentOther, lang: "fr", conf: confHigh},
	{text: "Merci pour le remboursement rapide", intent: IntentOther, lang: "fr"},
	{text: "je voudrais annuler mon retour", intent: IntentOther, lang: "fr", conf: confHigh},
}
