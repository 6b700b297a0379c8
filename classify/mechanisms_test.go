package classify

import (
	"slices"
	"testing"
)

// mechanismCases pin the general mechanisms of the reading, each in words of its own
// (not the wording of any scored set): preference is not a fault, what a negation
// reaches, what a request explains, and how far the lexicon stretches a word.
var mechanismCases = []classifyCase{
	// Preference, not a fault: fit, comfort, taste, the customer's own use.
	{name: "does not work with my equipment", text: "The speaker does not work with my old amplifier, so I would like to return it.", intent: IntentReturn, reason: ReasonChangedMind, lang: "en", conf: confHigh},
	{name: "not working for me is taste", text: "The parka is just not working for me. Could I send it back?", intent: IntentReturn, reason: ReasonChangedMind, lang: "en", conf: confHigh},
	{name: "uncomfortable", text: "These sandals are uncomfortable after an hour, can I send them back?", intent: IntentReturn, reason: ReasonChangedMind, lang: "en", conf: confHigh},
	{name: "not what I hoped", text: "Honestly the lamp is not what I hoped for. I want to return it.", intent: IntentReturn, reason: ReasonChangedMind, lang: "en", conf: confHigh},
	{name: "a weak fault word beside a stated preference", text: "Ich möchte den Gürtel zurückschicken: er ist zu eng, selbst im letzten Loch, und gefällt mir nicht.", intent: IntentReturn, reason: ReasonChangedMind, lang: "de", conf: confHigh},
	{name: "praise of the size is no size reason", text: "Las botas son preciosas y la talla perfecta, pero la suela se despega. ¿Me las podéis reparar?", intent: IntentClaim, reason: ReasonDefective, lang: "es", conf: confHigh},
	{name: "use of the item kept, in Chinese", text: "我想退保护套，从来没拆开。耳机我留着，已经用了。", intent: IntentReturn, lang: "zh"},
	{name: "keep doing is no keeping", text: "I wore it on Sunday to a party and had to keep pinning the neckline all afternoon. Can I exchange it for a Medium?", intent: IntentExchange, lang: "en", flags: "used"},
	{name: "use of the item kept", text: "Je veux seulement retourner le chargeur, il n'a jamais été sorti de sa boîte. La brosse je la garde (je l'ai déjà utilisée de toute façon).", intent: IntentReturn, lang: "fr", conf: confHigh},
	{name: "a colour judged is a clear preference", text: "my son says the colour is hideous, can i send the hoodie back for a refund", intent: IntentReturn, reason: ReasonColour, lang: "en", flags: "refund", conf: confHigh},
	{name: "a lamp that keeps flickering", text: "台灯用了两天就一直闪，请帮我换一个新的。", intent: IntentExchange, reason: ReasonDefective, lang: "zh", flags: "replacement,used", conf: confHigh},
	{name: "the size of a video is not the item's", text: "音箱充满电以后只能放十分钟就没电了。视频太大发不了，拍了一张照片。麻烦给我换一个新的。", intent: IntentExchange, reason: ReasonDefective, lang: "zh", flags: "replacement,photos", conf: confHigh},
	{name: "worn at home to test is trying on", text: "They pinch across the toes. I've only worn them around the house on carpet to test. Can I swap them for a 10.5?", intent: IntentExchange, reason: ReasonSize, lang: "en", conf: confHigh},
	// An ordered size or colour and another received is the store's mistake, however
	// far apart; a size wished for is not one received.
	{name: "ordered one size, the box holds another", text: "I ordered the rain jacket in a 42, as on the order confirmation. The one in the box is a 46. What now?", intent: IntentClaim, reason: ReasonWrongItem, lang: "en"},
	{name: "received first, ordered after, verb-final", text: "Ik heb een 40 gekregen, terwijl ik een 38 had besteld. Kan ik ze terugsturen?", intent: IntentReturn, reason: ReasonWrongItem, lang: "nl"},
	{name: "a size wished for is not received", text: "I ordered a 38 as always, but it is too small and a 39 would be better. Can I swap it?", intent: IntentExchange, reason: ReasonSize, lang: "en"},
	{name: "a size asked for instead", text: "Ich habe Größe M bestellt, aber sie ist zu eng. Ich hätte gern eine L.", reason: ReasonSize, lang: "de", anyIntent: true},
	// A stated preference settles money against a replacement; a fallback does not.
	{name: "rather the money than waiting for a new one", text: "The toaster stopped working after two days. A new one would take weeks to come, so I'd rather just have my money back.", intent: IntentReturn, reason: ReasonDefective, lang: "en", flags: "refund"},
	{name: "a fallback preference chooses nothing", text: "The drill is faulty. Please send me a new one; if you have none left, I'd prefer a refund.", intent: IntentClaim, reason: ReasonDefective, lang: "en", flags: "refund,replacement"},
	{name: "than sets aside to the clause's end", text: "The coat is too big on me. I'd rather get my money back than start trying yet another size.", intent: IntentReturn, reason: ReasonSize, lang: "en", flags: "refund"},
	// The item works, by the customer's own account: the reason is no fault.
	{name: "nothing wrong with it is a preference", text: "There's nothing wrong with the kettle, the brushed steel just clashes with our kitchen. Can I return it?", intent: IntentReturn, reason: ReasonChangedMind, lang: "en", conf: confHigh},
	{name: "it works fine beside a colour", text: "de waterkoker doet het prima, daar ligt het niet aan, maar de kleur valt tegen. Kan ik hem terugsturen?", intent: IntentReturn, reason: ReasonChangedMind, lang: "nl"},
	{name: "a look compared is no liking", text: "The zip doesn't look like it was sewn in right, and now it is broken. I'd like a replacement.", intent: IntentExchange, reason: ReasonDefective, lang: "en", flags: "replacement"},
	{name: "a real word is no typo", text: "There is condensation inside the glass dome of the lamp and it flickers. Please send a new one.", intent: IntentExchange, reason: ReasonDefective, lang: "en", flags: "replacement"},
	{name: "not too late to send back", text: "The trousers are too long for me. I hope it isn't too late to send them back?", intent: IntentReturn, reason: ReasonSize, lang: "en"},
	{name: "part of an order, not said which", text: "Hi, I'd like to return part of my order, what do I do?", intent: IntentReturn, lang: "en", flags: "one"},
	{name: "the policy quoted twice over or", text: "Ik weet dat jullie alleen kapotte of verkeerd geleverde spullen terugnemen, maar ik heb er gewoon twee gekregen als cadeau. Kan ik hem terugsturen?", intent: IntentReturn, lang: "nl", flags: "gift"},
	{name: "what the box holds, far after il y a", text: "J'avais commandé les gants noirs en taille 7, et dans la boîte il y a une paire couleur cognac en taille 8. Je préfère être remboursée.", intent: IntentReturn, reason: ReasonWrongItem, lang: "fr", flags: "refund"},
	{name: "a side remark beside a clear cancellation", text: "Merci ! Pourriez-vous aussi annuler la commande LW-58598 ? Je n'ai reçu aucun mail d'expédition.", intent: IntentCancel, lang: "fr", conf: confHigh},
	{name: "the label says another size", text: "J'avais commandé la veste en taille 36, mais l'étiquette dit 40. Pouvez-vous m'envoyer la bonne taille ?", reason: ReasonWrongItem, lang: "fr", anyIntent: true, flags: "replacement"},
	{name: "a refused exchange refuses its size too", text: "No me gusta cómo me queda. Quisiera que me devuelvan mi dinero, no me interesa cambiarla por otra talla. ¿Cómo hago la devolución?", intent: IntentReturn, reason: ReasonChangedMind, lang: "es", flags: "refund", conf: confHigh},
	{name: "nothing on the card is the refund", text: "La devolví el lunes 9 por Correos. ¿Sabéis algo? Todavía no me aparece en la tarjeta.", intent: IntentRefundStatus, lang: "es"},
	{name: "another model's number came", text: "J'avais commandé la coque pour iPhone 16 Pro, mais dans le colis il y a une coque pour iPhone 15. Que dois-je faire ?", reason: ReasonWrongItem, lang: "fr", anyIntent: true},
	{name: "the size ordered named with its article", text: "Me habéis mandado un abrigo en talla L y yo pedí la M. ¿Qué hago?", reason: ReasonWrongItem, lang: "es", anyIntent: true},
	{name: "ivory ordered, black came", text: "Pedí el jersey en color marfil y me ha llegado en negro. ¿Me lo podéis cambiar?", intent: IntentExchange, reason: ReasonWrongItem, lang: "es", flags: "replacement"},
	{name: "a size asked for is an exchange", text: "need the boots in a 39 these pinch order 10412", intent: IntentExchange, reason: ReasonSize, lang: "en"},
	{name: "a size sent back is no exchange", text: "I want to return the boots in a 39, they pinch.", intent: IntentReturn, reason: ReasonSize, lang: "en"},
	{name: "a separable verb of wearing", text: "Ich hatte es am Samstag auf der Hochzeit an und habe mich nicht wohl darin gefühlt. Ich möchte es zurückschicken.", intent: IntentReturn, lang: "de", flags: "used"},
	{name: "a preposition is no separable particle", text: "Ich habe es an Ihre Adresse zurückgeschickt, wann bekomme ich mein Geld?", intent: IntentRefundStatus, lang: "de"},
	{name: "the store asked to take it back", text: "The grey makes me look washed out next to my coats. Is there any way you could take it back?", intent: IntentReturn, lang: "en"},
	{name: "a size then instead", text: "The S is squashing me. Is there any way I can get the M instead? I don't want to post it back.", intent: IntentExchange, lang: "en"},
	{name: "I'm is no German im", text: "hey can u cancel LW-58611? ordered the joggers in L at like 11pm and im def an M, ill just reorder", intent: IntentCancel, lang: "en", conf: confHigh},
	{name: "switched for the size written out", text: "The small is snug at the waist. Would it be possible to switch it for the medium? I'm fine paying to ship it back.", intent: IntentExchange, reason: ReasonSize, lang: "en"},
	// Words that look like requests and are none; requests asked in their own words.
	{name: "not waiting for a replacement sets it aside", text: "The lamp flickers from day one. I don't want to wait a month for a replacement from overseas, please just refund me.", intent: IntentReturn, reason: ReasonDefective, lang: "en", flags: "refund"},
	{name: "swapped digits are no exchange", text: "Sorry, I swapped two digits in my last mail, it's order 10482. The zip on the jacket is broken.", intent: IntentClaim, reason: ReasonDefective, lang: "en"},
	{name: "arrived only late is no lost parcel", text: "El abrigo no me llegó hasta el lunes y me queda grande. ¿Lo puedo devolver?", intent: IntentReturn, reason: ReasonSize, lang: "es"},
	{name: "how to go about it after a preference is the return", text: "The rug is lovely but far too bright for our living room. How should I go about it?", intent: IntentReturn, reason: ReasonChangedMind, lang: "en"},
	{name: "how to go about it after a fault is the claim", text: "Der Reißverschluss ist nach einer Woche kaputt. Wie soll ich vorgehen?", intent: IntentClaim, reason: ReasonDefective, lang: "de"},
	{name: "the return as a noun asks nothing", subject: "Re: your return", text: "Has the return been checked in yet? I haven't seen anything back on my card.", intent: IntentRefundStatus, lang: "en"},
	{name: "everything arrived fast is no whole order", text: "Todo llegó rapidísimo, gracias. La chaqueta me queda pequeña, ¿me la pueden cambiar por una L?", intent: IntentExchange, reason: ReasonSize, lang: "es"},
	{name: "one of the pieces, not said which", text: "One of the pieces just doesn't suit me, I'd like to send it back. The other two I'm keeping.", intent: IntentReturn, reason: ReasonChangedMind, lang: "en", flags: "one"},
	{name: "a wish turned down at the clause's end negates its fronted object", text: "Ich möchte die Jacke zurückschicken und mein Geld zurückerhalten. Eine Ersatzjacke in einer anderen Größe oder Farbe möchte ich nicht.", intent: IntentReturn, lang: "de", flags: "refund"},
	{name: "rather not wait for a replacement", text: "The kettle leaks from the base. Can I send it back for a refund? I'd rather not wait for a replacement.", intent: IntentReturn, reason: ReasonDamaged, lang: "en", flags: "refund"},
	{name: "a model's figure ordered and another received", text: "Pedí el adaptador de 100W y en la caja pone 45W. ¿Me lo podéis cambiar?", intent: IntentExchange, reason: ReasonWrongItem, lang: "es", flags: "replacement"},
	{name: "getting the goods to me is no lost return", text: "The lamp came in the wrong colour, I ordered white and got green. If you can't get the white one to me this week, a refund is fine.", intent: IntentReturn, reason: ReasonWrongItem, lang: "en", flags: "refund"},
	// What a negation reaches.
	{name: "negated time is not a negated verb", text: "Het pakket is nog geen week binnen, kan ik de jas nog retourneren?", intent: IntentReturn, lang: "nl", conf: confHigh},
	{name: "German clause-final negation", text: "Die Jacke möchte ich zurückgeben, getragen habe ich sie wirklich nicht.", intent: IntentReturn, lang: "de", conf: confHigh},
	{name: "rather X than Y sets Y aside", text: "The blender broke on day two. I would rather get my money back than a replacement.", intent: IntentReturn, reason: ReasonDefective, lang: "en", flags: "refund", conf: confHigh},
	{name: "than without rather negates nothing", text: "I need a bigger size than this one, could I exchange the boots?", intent: IntentExchange, reason: ReasonSize, lang: "en", conf: confHigh},
	// What one request explains in another.
	{name: "money after sending back is a refund question", text: "J'ai renvoyé la veste il y a trois semaines, quand vais-je récupérer mon argent ?", intent: IntentRefundStatus, lang: "fr", conf: confHigh},
	{name: "a lost return parcel with its tracking number", text: "I shipped the return with DHL, tracking JJD014600003840297153, but DHL says the parcel is lost. What now?", intent: IntentLostParcel, lang: "en", conf: confHigh},
	{name: "the refund question asked with the request", text: "Please cancel my order, and how long will the refund take?", intent: IntentCancel, lang: "en", flags: "refund", conf: confHigh},
	{name: "a side question leaves the request standing", text: "I'd like to return the scarf, it is too short. Also, do you restock the grey one? Thanks!", intent: IntentReturn, reason: ReasonSize, lang: "en", conf: confHigh},
	{name: "a parcel dropped off and lost", text: "Mon colis, déposé au bureau de poste le 3 novembre, est perdu d'après La Poste. Que dois-je faire ?", intent: IntentLostParcel, lang: "fr", conf: confHigh},
	{name: "a confirmation that never came is no lost parcel", text: "J'ai renvoyé le pull fin octobre. L'avez-vous bien reçu et le remboursement a-t-il été fait ? Je n'ai reçu aucune confirmation.", intent: IntentRefundStatus, lang: "fr", conf: confHigh},
	{name: "no answer received is no lost parcel", text: "I sent the boots back two weeks ago and have not received any reply to my last email. When will the refund be processed?", intent: IntentRefundStatus, lang: "en", conf: confHigh},
	{name: "either remedy with a side question stays a claim", text: "The kettle stopped working after two days. Please send me a replacement or a refund, whatever is easier. Do you ship with tracking to Norway?", intent: IntentClaim, reason: ReasonDefective, lang: "en", flags: "refund,replacement", conf: confHigh},
	{name: "asking for a working one", text: "Die Powerbank hält maximal zehn Minuten. Können Sie mir bitte ein funktionierendes Gerät schicken oder das Geld erstatten?", intent: IntentClaim, reason: ReasonDefective, lang: "de", flags: "refund,replacement", conf: confHigh},
	{name: "a lost parcel explains the exchange it was for", text: "Ik heb de jas teruggestuurd voor een andere maat, maar PostNL zegt dat het pakket zoek is. Ik wil nog steeds graag omruilen.", intent: IntentLostParcel, reason: ReasonSize, lang: "nl", conf: confHigh},
	{name: "asking for the right colour says the wrong one came", text: "J'ai commandé le pull en vert et j'ai reçu un pull gris. Pouvez-vous m'envoyer la bonne couleur ?", intent: IntentClaim, reason: ReasonWrongItem, lang: "fr", flags: "replacement", conf: confHigh},
	{name: "a German word is no English cue", text: "Seit einer Woche sehe ich, dass sich der Absatz von der Sohle löst. Können Sie die Schuhe reparieren oder ersetzen?", intent: IntentClaim, reason: ReasonDefective, lang: "de", flags: "replacement", conf: confHigh},
	{name: "a strap that comes loose", text: "Het hengsel van de tas schiet bij de naad los, ik wil hem graag retourneren.", intent: IntentReturn, reason: ReasonDefective, lang: "nl", conf: confHigh},
	// Money that did not arrive is the refund, not a lost parcel.
	{name: "nothing on the account after sending back", text: "Ich habe die Schuhe vor drei Wochen zurückgeschickt und auf meinem Konto ist immer noch nichts angekommen.", intent: IntentRefundStatus, lang: "de", conf: confHigh},
	{name: "nothing credited to the card", text: "I posted the coat back on the 2nd and nothing has been credited to my card yet.", intent: IntentRefundStatus, lang: "en", conf: confHigh},
	{name: "nothing on the bank account", text: "De retour is al twee weken onderweg terug naar jullie en er is nog niets op mijn rekening bijgeschreven.", intent: IntentRefundStatus, lang: "nl", conf: confHigh},
	// How far a word stretches.
	{name: "a separable participle", text: "Die Naht am Ärmel ist aufgerissen, ich möchte den Pullover zurückschicken.", intent: IntentReturn, reason: ReasonDefective, lang: "de", conf: confHigh},
	{name: "a short inflection is not a typo", text: "Te mando las fotos del pedido mañana.", intent: IntentOther, lang: "es"},
	{name: "a typo across languages is another word", text: "Guten Tag, die Ankle Boots möchte ich zurückschicken.", intent: IntentReturn, lang: "de", conf: confHigh},
	{name: "an ending is not a typo", text: "The grey washes me out and it is my fault for ordering it, I'd like to return it.", intent: IntentReturn, reason: ReasonNone, lang: "en", conf: confHigh},
	{name: "cancel and return are one request", text: "Please cancel the order, it arrived yesterday but I no longer want it. Can you send a label to return it?", intent: IntentCancel, reason: ReasonChangedMind, lang: "en", conf: confHigh},
	{name: "one of the two is not both", text: "Una de las dos cosas no me ha convencido, quiero devolverla.", intent: IntentReturn, reason: ReasonChangedMind, lang: "es", flags: "one", conf: confHigh},
	// Found with set 22.
	{name: "one of the two outweighs a both said of the gift", subject: "Umtausch eines der Teile", text: "Beide Sachen waren als Geschenk für meinen Mann gedacht. Eines der zwei Teile ist ihm an den Schultern zu eng. Wäre es möglich, das zu enge gegen L umzutauschen?",
		intent: IntentExchange, reason: ReasonSize, lang: "de", flags: "one,gift", conf: confHigh},
	{name: "instead goes with the wish before it", text: "hey do you guys do exchanges? the trail runners i got are a half size small, want a 9.5 instead. thx", intent: IntentExchange, reason: ReasonSize, lang: "en", conf: confHigh},
	{name: "a part that dropped off is no parcel dropped off", text: "When it arrived I lifted the bag by the strap and the little ring opened up and the strap dropped off. I'd like to send the bag back and get refunded for it.",
		intent: IntentReturn, reason: ReasonDefective, lang: "en", flags: "refund", conf: confHigh},
	{name: "no need of a refund negates it", text: "La charnière s'est fendue et le socle ne charge plus. Je voudrais qu'on m'envoie un chargeur neuf à la place, je n'ai pas besoin d'être remboursée.",
		intent: IntentExchange, reason: ReasonDefective, lang: "fr", flags: "replacement", conf: confHigh},
	{name: "the wrong one sent back is the exchange's return", text: "Ik had hem in beige besteld, maar in de doos zat een zwarte. Kunnen jullie de juiste kleur sturen? De zwarte stuur ik dan natuurlijk terug.",
		intent: IntentExchange, reason: ReasonWrongItem, lang: "nl", flags: "replacement", conf: confHigh},
	{name: "an emphatic past is a use", text: "I did wear them to the office two days last week before I admitted they're too tight. Still want to exchange them for the 10.5 if that works.",
		intent: IntentExchange, reason: ReasonSize, lang: "en", flags: "used", conf: confHigh},
	{name: "a German verb bracket closes far from its verb", text: "Ich hatte es am Samstag auf der Hochzeit meiner besten Freundin in der Wachau an und habe viele Komplimente bekommen. Trotzdem würde ich das Kleid gerne zurückgeben.",
		intent: IntentReturn, reason: ReasonNone, lang: "de", flags: "used", conf: confHigh},
	{name: "worn for an evening, in French", text: "Je l'ai mise samedi soir pour l'anniversaire de ma sœur, et la coupe ne me va pas. Est-ce que je peux la retourner ?",
		intent: IntentReturn, reason: ReasonSize, lang: "fr", flags: "used", conf: confHigh},
	{name: "a pulled thread is damage, and it came like this", text: "The satin top has a pulled thread right across the front, you can see it on the photo. I haven't worn it, it came like this.",
		intent: IntentClaim, reason: ReasonDamaged, lang: "en", flags: "photos", conf: confHigh},
	{name: "a size to have, and a return to avoid", text: "Mon maillot en M est trop grand au niveau du buste. Serait-il possible de l'avoir en S ? Je préfère éviter un renvoi vers les Pays-Bas.",
		intent: IntentExchange, reason: ReasonSize, lang: "fr", conf: confHigh},
	{name: "a German word that looks English is German", text: "Ich möchte den Gutschein deshalb zurückgeben. Da ich gelesen habe, dass man innerhalb von 14 Tagen zurücktreten darf, gehe ich davon aus, dass dies kein Problem darstellt.",
		intent: IntentReturn, reason: ReasonNone, lang: "de", conf: confHigh},
	{name: "a Dutch word that looks English is Dutch", text: "Ik wil de jas graag retourneren, hij is te groot. Kunt u mij laten weten of u bent ontvangen wat ik stuurde?",
		intent: IntentReturn, reason: ReasonSize, lang: "nl", conf: confHigh},
	{name: "a bent hoop whose clasp won't close", text: "one of the hoops is bent out of shape and the clasp wont close at all. Pic attached. Can you send me a new pair please?",
		intent: IntentExchange, reason: ReasonDamaged, lang: "en", flags: "replacement,photos", conf: confHigh},
	{name: "the policy is not the item", text: "I know you only take back faulty items, but the colour is just wrong for me. Could I return it?", intent: IntentReturn, reason: ReasonColour, lang: "en", conf: confHigh},
	// Found with sets 9 and 10.
	{name: "a reply's subject is history beside the body's request", subject: "Re: Annulation commande ALS10001",
		text: "Cette fois il s'agit d'une autre commande : je voudrais retourner le manteau, il est trop grand.", intent: IntentReturn, reason: ReasonSize, lang: "fr", conf: confHigh},
	{name: "a plain subject still speaks beside the body", subject: "Cancel please", text: "Order 1234, I ordered it by mistake.", intent: IntentCancel, reason: ReasonChangedMind, lang: "en"},
	{name: "an idiom is no parcel posted", text: "Mein alter Wecker hat den Geist aufgegeben, deshalb habe ich Ihren gekauft. Leider ist er mir zu laut, ich möchte ihn zurückschicken und das Geld erstattet bekommen.",
		intent: IntentReturn, reason: ReasonChangedMind, lang: "de", flags: "refund", conf: confHigh},
	{name: "how it looks is taste", text: "My mum says the vase looks cheap next to our other things. Could I send it back for my money?", intent: IntentReturn, reason: ReasonChangedMind, lang: "en", flags: "refund", conf: confHigh},
	{name: "a negated wish carries its negation", text: "I tried the dress on once but didn't want to take the tags off. I'd like to return it, it is too long.", intent: IntentReturn, reason: ReasonSize, lang: "en", conf: confHigh},
	{name: "an exchange out of the question", text: "Ich möchte die Vase zurückgeben und mein Geld zurück. Ein Umtausch gegen eine andere Größe kommt für mich nicht in Frage.",
		intent: IntentReturn, lang: "de", flags: "refund", conf: confHigh},
	{name: "an exchange that is not an option", text: "I want to send the rug back for a refund; an exchange for another colour is not an option for me.", intent: IntentReturn, lang: "en", flags: "refund", conf: confHigh},
	{name: "an option weighed, then set aside", text: "J'avais pensé l'échanger contre une autre taille, mais non : je préfère le retourner et être remboursée.", intent: IntentReturn, lang: "fr", flags: "refund", conf: confHigh},
	{name: "a real word is no double typo", text: "Lo quería para combinarlo con mi abrigo y no pega. Quiero devolverlo.", intent: IntentReturn, lang: "es", conf: confHigh},
	{name: "a problem with the item is a claim", text: "Bonjour, la lampe pose problème : elle s'éteint toute seule, ce n'est pas normal. Que pouvez-vous faire ?", intent: IntentClaim, reason: ReasonDefective, lang: "fr", conf: confHigh},
	{name: "a carrier that cannot locate the return", text: "I posted the jumper back to you two weeks ago; the carrier now says they cannot locate it and opened an investigation. What happens now?",
		intent: IntentLostParcel, lang: "en", conf: confHigh},
	{name: "not seeing oneself with it is taste", text: "De tas is mooi, maar ik zie mezelf er niet mee lopen. Ik wil hem graag terugsturen.", intent: IntentReturn, reason: ReasonChangedMind, lang: "nl", conf: confHigh},
	{name: "a belt's last hole is fit", text: "Even on the last hole the belt is too loose on me. Can I send it back?", intent: IntentReturn, reason: ReasonSize, lang: "en", conf: confHigh},
	{name: "somebody else's wearing is no use", text: "Ever since my cousin wore one to a wedding I wanted this dress. It arrived today but it is too long, can I send it back?",
		intent: IntentReturn, reason: ReasonSize, lang: "en", conf: confHigh},
	{name: "not seeing oneself wearing it is taste", text: "The coat is lovely but I can't see myself wearing it. Could I send it back?", intent: IntentReturn, reason: ReasonChangedMind, lang: "en", conf: confHigh},
	{name: "what should not happen happened", text: "Un teclado no debería estropearse en mes y medio: varias teclas se quedan hundidas. ¿Me lo podéis arreglar?", intent: IntentClaim, reason: ReasonDefective, lang: "es", conf: confHigh},
	{name: "a refund already paid is no request", text: "Lo del otro pedido ya está resuelto, me devolvisteis el dinero. Pero este jersey me queda pequeño: ¿puedo cambiarlo por una talla más?", intent: IntentExchange, reason: ReasonSize, lang: "es", conf: confHigh},
	{name: "no sound is a fault", text: "Seit gestern kommt aus dem rechten Ohrhörer kein Ton mehr. Ich hätte gern Ersatz.", intent: IntentExchange, reason: ReasonDefective, lang: "de", flags: "replacement", conf: confHigh},
}

func TestClassifyMechanisms(t *testing.T) {
	runClassifyCases(t, mechanismCases)
	if r := Read("", "my son says the colour is hideous, can i send the hoodie back"); r.ReasonStrength < ClearReason {
		t.Errorf("a judged colour read with strength %.1f only, below ClearReason", r.ReasonStrength)
	}
}

// TestPraisedSizeIsNoPreference: "the size is perfect" names the size to praise it; a
// late fault claim beside it is not a preference the store would take back.
func TestPraisedSizeIsNoPreference(t *testing.T) {
	for _, text := range []string{
		"Son preciosas y la talla perfecta, pero chirrían al andar. ¿Las podéis reparar? ¿Y tenéis la talla 38?",
		"They are lovely and the size is perfect, but they squeak at every step. Can you repair them? Do you have a size 38?",
	} {
		r := Read("", text)
		if r.PreferenceStrength >= ClearReason {
			t.Errorf("%q: preference %.1f read as clear (%v)", text, r.PreferenceStrength, r.Evidence)
		}
	}
}

// TestAlternativesOffered: a return and an exchange joined by "or" are one request
// with two acceptable answers; joined by "and" they are two, and none is offered.
func TestAlternativesOffered(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"Is there any way I can send it back for a refund? Or failing that could she swap it for the silver one?", true},
		{"Est-ce que je peux le retourner ou l'échanger pour le gris ?", true},
		{"Kann ich die Jacke zurückgeben oder gegen eine kleinere umtauschen?", true},
		{"这件衣服可以退货还是换货？", true},
		{"I want to return the scarf. I love the boots, but please exchange them for a 39 and refund the scarf.", false},
	} {
		r := Read("", tc.text)
		if got := r.Alternative != ""; got != tc.want {
			t.Errorf("%q: alternative %q (intent %s, %v), want offered=%v", tc.text, r.Alternative, r.Intent, r.Evidence, tc.want)
		}
	}
}

// TestRefundAmounts: the sums asked back are read from the clause of the ask, a
// decimal comma as much as a dot; a sum told elsewhere is not one asked back.
func TestRefundAmounts(t *testing.T) {
	for _, c := range []struct {
		text string
		want []float64
	}{
		{"Fine, I'll keep the coat. I want that £41.60 refunded please.", []float64{41.60}},
		{"Ich möchte die 12,50 € Zollgebühren erstattet bekommen.", []float64{12.50}},
		{"I paid 89.00 for it. I'd like to send it back for a refund.", nil},
	} {
		if got := Read("", c.text).RefundAmounts; !slices.Equal(got, c.want) {
			t.Errorf("%q: refund amounts %v, want %v", c.text, got, c.want)
		}
	}
}
