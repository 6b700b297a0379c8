package classify

import "testing"

// Chinese mail to alinora's exchange mailbox (139.com): the core intents.
var chineseCases = []classifyCase{
	{text: "您好，我的订单AL204518的耳机收到就坏了，左边没有声音，照片见附件。请给我换一个新的。", intent: IntentExchange, reason: ReasonDefective, lang: "zh", flags: "replacement, photos", conf: confHigh},
	{text: "手表收到时表面有划痕，包装也破损了，我想退货退款。", intent: IntentReturn, reason: ReasonDamaged, lang: "zh", flags: "refund", conf: confHigh},
	{text: "你们发错货了，我买的是黑色，收到的是白色。", intent: IntentClaim, reason: ReasonWrongItem, lang: "zh"},
	{text: "我上周已经寄回了，请问退款什么时候到账？", intent: IntentRefundStatus, lang: "zh", conf: confHigh},
	{text: "退货的快递单号是 SF1234567890123，请查收。", intent: IntentTracking, lang: "zh"},
	{text: "不喜欢这个颜色，想退货。", intent: IntentReturn, reason: ReasonChangedMind, lang: "zh", conf: confHigh},
	{text: "我不想退货，只是想问一下保修期多长。", intent: IntentClaim, lang: "zh"},
}

func TestClassifyChinese(t *testing.T) { runClassifyCases(t, chineseCases) }
