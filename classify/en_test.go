package classify

var englishCases = []classifyCase{
	// return
	{text: "I'd like to return my order AL-204518, it doesn't fit", intent: IntentReturn, reason: ReasonSize, lang: "en", conf: confSure},
	{text: "hi, wrong size. want to send back. order 1234", intent: IntentReturn, reason: ReasonSize, lang: "en", conf: confHigh},
	{text: "retrun plz, refnud to my card", intent: IntentReturn, lang: "en", flags: "refund", conf: confHigh},
	{text: "Never worn, tags still on. I changed my mind and would like to return it.", intent: IntentReturn, reason: ReasonChangedMind, lang: "en", conf: confSure},
	{text: "The perfume is unopened and still sealed, can I return it?", intent: IntentReturn, lang: "en", flags: "unopened", conf: confHigh},
	{text: "I want to return the whole order, everything is too small", intent: IntentReturn, reason: ReasonSize, lang: "en", flags: "whole", conf: confSure},
	{text: "hello, the item isn't working. I'd like to send it back and get a refund", intent: IntentReturn, reason: ReasonDefective, lang: "en", flags: "refund", conf: confHigh},
	{text: "it arrived broken, I want my money back", intent: IntentReturn, reason: ReasonDamaged, lang: "en", flags: "refund", conf: confHigh},
	{text: "The colour looks nothing like the picture on your website. I want to return it.", intent: IntentReturn, reason: ReasonNotAsDescribed, lang: "en", conf: confHigh},
	{subject: "Refund request", text: "I got this as a gift but I don't like it. How do I return it for a refund?", intent: IntentReturn, reason: ReasonChangedMind, lang: "en", flags: "gift,refund", conf: confHigh},
	// exchange
	{text: "Can I exchange the dress for a size M? The S is too small.", intent: IntentExchange, reason: ReasonSize, lang: "en", conf: confSure},
	{text: "exchage for a bigger size please", intent: IntentExchange, reason: ReasonSize, lang: "en", conf: confHigh},
	{text: "it arrived broken, I want a replacement", intent: IntentExchange, reason: ReasonDamaged, lang: "en", flags: "replacement", conf: confHigh},
	{text: "I don't want a refund, I want a replacement because it's faulty", intent: IntentExchange, reason: ReasonDefective, lang: "en", flags: "replacement", conf: confHigh},
	{text: "It was a gift from my aunt and it's too big. Can I swap it for a smaller size?", intent: IntentExchange, reason: ReasonSize, lang: "en", flags: "gift", conf: confHigh},
	{text: "I wore it once and the zipper broke, can I get a new one?", intent: IntentExchange, reason: ReasonDefective, lang: "en", flags: "used,replacement", conf: confHigh},
	{text: "Do you have it in another colour? I'd like to exchange the red one.", intent: IntentExchange, reason: ReasonColour, lang: "en", conf: confHigh},
	// claim
	{text: "it arrived broken", intent: IntentClaim, reason: ReasonDamaged, lang: "en", conf: confHigh},
	{text: "The headphones stopped working after two days.", intent: IntentClaim, reason: ReasonDefective, lang: "en", conf: confHigh},
	{text: "You sent me the wrong item, I ordered a blue shirt and got a red one", intent: IntentClaim, reason: ReasonWrongItem, lang: "en", conf: confHigh},
	{text: "I ordered M and you sent L", intent: IntentClaim, reason: ReasonWrongItem, lang: "en", conf: confHigh},
	{text: "Please see attached photos. The box was crushed and the vase arrived cracked.", intent: IntentClaim, reason: ReasonDamaged, lang: "en", flags: "photos", conf: confHigh},
	{text: "the bag is completely different from the description, cheap plastic", intent: IntentClaim, reason: ReasonNotAsDescribed, lang: "en", conf: confHigh},
	// cancel
	{text: "Please cancel my order #10234, I ordered it by mistake", intent: IntentCancel, reason: ReasonChangedMind, lang: "en", conf: confSure},
	{text: "dont ship it!! cancel everything", intent: IntentCancel, lang: "en", flags: "whole", conf: confSure},
	{text: "plz cancle order 4411", intent: IntentCancel, lang: "en", conf: confHigh},
	// refund status
	{text: "Where is my refund? I sent the parcel back two weeks ago.", intent: IntentRefundStatus, lang: "en", conf: confSure},
	{text: "I still haven't received my refund for order #10234", intent: IntentRefundStatus, lang: "en", conf: confSure},
	{text: "How long until I get my money back? You received the return last Monday.", intent: IntentRefundStatus, lang: "en", conf: confHigh},
	{text: "Has my return arrived yet? Order AL-204518", intent: IntentRefundStatus, lang: "en", conf: confHigh},
	{text: "I returned the shoes last week. When will I be refunded?", intent: IntentRefundStatus, lang: "en", conf: confHigh},
	// tracking
	{text: "I sent it back yesterday, tracking 1Z999AA10123456784", intent: IntentTracking, lang: "en", conf: confSure},
	{text: "Here is the tracking number for my return: 3SABCD1234567", intent: IntentTracking, lang: "en", conf: confHigh},
	{text: "I dropped the parcel off at the post office this morning.", intent: IntentTracking, lang: "en", conf: confHigh},
	// lost parcel
	{text: "My return parcel was lost, the carrier says it never arrived at your warehouse", intent: IntentLostParcel, lang: "en", conf: confSure},
	{text: "Tracking shows my return was delivered to you 10 days ago but you say you never got it", intent: IntentLostParcel, lang: "en", conf: confHigh},
	{text: "I sent the package back 3 weeks ago and it has disappeared, UPS can't find it", intent: IntentLostParcel, lang: "en", conf: confHigh},
	// other
	{text: "My order hasn't arrived yet, it's been 2 weeks", intent: IntentOther, lang: "en", conf: confHigh},
	{text: "I want to cancel my return, I'll keep the shoes", intent: IntentOther, lang: "en", conf: confHigh},
	{text: "What is your return policy for sale items?", intent: IntentOther, lang: "en"},
	{text: "Thanks for the quick refund!", intent: IntentOther, lang: "en"},
	{text: "My package never arrived", intent: IntentOther, lang: "en"},
	// flags and negations without a request
	{text: "I only tried it on once, it doesn't fit", intent: IntentReturn, reason: ReasonSize, lang: "en", conf: confLow},
	{text: "I have not opened the box", intent: IntentOther, lang: "en", flags: "unopened", conf: confLow},
}
