package responder

// Codes lists, per template action, the codes its templates branch on: the reply
// actions of SPEC §3 plus the scheduled mails (reminder, staff_escalation). The
// renderer checks every template against each code of its action when it starts.
// ignore has no template; escalate/rate_limited sends no reply but still renders.
var Codes = map[string][]string{
	"authorize_return":   {"return", "seller_fault", "eu_withdrawal", "gift_credit"},
	"authorize_exchange": {"exchange", "keep_and_exchange", "free_exchange"},
	"redirect_portal":    {"return", "no_direct_exchange"},
	"replace_or_refund":  {"claim"},
	"cancel_order":       {"cancel"},
	"status_update":      {"refund_status"},
	"acknowledge":        {"tracking_received"},
	"request_info": {"missing_order_number", "order_not_found", "sender_mismatch",
		"missing_photos", "missing_item", "verify_recipient"},
	"reject": {"window_expired", "claim_window_expired", "non_returnable", "final_sale",
		"sale_item", "used_item", "no_refunds", "reason_not_accepted", "exchange_not_offered",
		"already_shipped", "cancellation_window_passed"},
	"escalate":           {"needs_review", "statutory_rights", "refund_overdue", "rate_limited", "claim_review", "lost_parcel"},
	"reminder":           {"ship_return", "ran_lapsing", "ran_lapsed", "missing_info"},
	"staff_escalation":   {"flagged_unanswered", "refund_overdue", "label_needed", "label_overdue"},
	"staff_confirmation": {"approve", "reject", "ask", "refund-issued", "close", "handback"},
	"staff_digest":       {"daily"},
	"staff_alert":        {"login_failed"},
}

// Languages are the languages the built-in templates are written in. English is the
// fallback for every other language.
var Languages = []string{"en", "de", "nl", "fr", "es", "zh", "it", "pt"}

// FallbackLanguage is used when no template exists in the customer's language.
const FallbackLanguage = "en"

// ForStaff reports whether a template action is a mail to the store's staff, written
// in English only: the staff escalation, the confirmation of a staff command, the
// digest and the bot's own alerts.
func ForStaff(action string) bool {
	return action == "staff_escalation" || action == "staff_confirmation" || action == "staff_digest" || action == "staff_alert"
}
