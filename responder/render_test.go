package responder

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// checkBodyShape reports template artefacts: missing data markers, stray actions,
// blank-line runs, trailing blanks, doubled spaces and spaces before punctuation
// (the usual traces of an optional field left empty).
func checkBodyShape(t *testing.T, body string) {
	t.Helper()
	if !strings.HasSuffix(body, "\n") || strings.HasSuffix(body, "\n\n") {
		t.Errorf("body must end with exactly one newline: %q", tail(body))
	}
	if strings.HasPrefix(body, "\n") || strings.HasPrefix(body, " ") {
		t.Errorf("body starts with white space: %q", body[:min(len(body), 40)])
	}
	for _, bad := range []string{"<no value>", "{{", "}}", "\n\n\n", "()", "( )", "\r"} {
		if strings.Contains(body, bad) {
			t.Errorf("body contains %q:\n%s", bad, body)
		}
	}
	for i, line := range strings.Split(strings.TrimSuffix(body, "\n"), "\n") {
		if line != strings.TrimRight(line, " \t") {
			t.Errorf("line %d has trailing white space: %q", i+1, line)
		}
		prose := strings.TrimLeft(line, " ")
		for _, bad := range []string{"  ", " .", " ,", ",.", "..", " )"} {
			if strings.Contains(prose, bad) {
				t.Errorf("line %d contains %q: %q", i+1, bad, line)
			}
		}
	}
}

func tail(s string) string { return s[max(0, len(s)-30):] }

// TestRenderEveryCodeWithEmptyData renders every (store, language, action, code)
// with a Data that is empty but for the store, as SPEC'd for the templates.
func TestRenderEveryCodeWithEmptyData(t *testing.T) {
	r := newBuiltinRenderer(t)
	for _, store := range storeIDs {
		for _, lang := range Languages {
			for _, action := range sortedActions() {
				for _, code := range Codes[action] {
					name := fmt.Sprintf("%s/%s/%s/%s", orGeneric(store), lang, action, code)
					t.Run(name, func(t *testing.T) {
						body, used, err := r.Render(store, lang, action, Data{Store: storeFor(store), Code: code})
						if err != nil {
							t.Fatalf("Render: %v", err)
						}
						wantLang := lang
						if ForStaff(action) {
							wantLang = "en" // staff mails are English only
						}
						if used != wantLang {
							t.Errorf("used language %q, want %q", used, wantLang)
						}
						checkBodyShape(t, body)
						if name := storeFor(store).Name; !ForStaff(action) && !strings.Contains(body, name) {
							t.Errorf("body is not signed with the store name %q:\n%s", name, body)
						}
					})
				}
			}
		}
	}
}

// TestRenderWithZeroStore renders with a completely zero Data: templates must not
// depend on any field being set.
func TestRenderWithZeroStore(t *testing.T) {
	r := newBuiltinRenderer(t)
	for _, lang := range Languages {
		for _, action := range sortedActions() {
			for _, code := range Codes[action] {
				body, _, err := r.Render("", lang, action, Data{Code: code})
				if err != nil {
					t.Errorf("%s/%s/%s: %v", lang, action, code, err)
					continue
				}
				if strings.Contains(body, "<no value>") {
					t.Errorf("%s/%s/%s: <no value> in body", lang, action, code)
				}
			}
		}
	}
}

// phrases in each language that the tests look for.
var (
	labelWord = map[string]string{"en": "label", "de": "Etikett", "nl": "label", "fr": "étiquette", "es": "etiqueta"}
	trackWord = map[string]string{"en": "tracked", "de": "Sendungsverfolgung", "nl": "track & trace", "fr": "suivi", "es": "seguimiento"}
	youPay    = map[string]string{"en": "your responsibility", "de": "tragen Sie selbst", "nl": "voor uw rekening", "fr": "à votre charge", "es": "corren de su cuenta"}
)

// TestRenderKeyFacts checks that each reply carries what it must: the RAN, the
// address or label, tracking, who pays, refund time and deadline in RAN replies;
// section, quote and alternatives in rejections; and so on.
func TestRenderKeyFacts(t *testing.T) {
	r := newBuiltinRenderer(t)
	for _, store := range storeIDs {
		st := storeFor(store)
		for _, lang := range Languages {
			for _, action := range sortedActions() {
				for _, code := range Codes[action] {
					name := fmt.Sprintf("%s/%s/%s/%s", orGeneric(store), lang, action, code)
					t.Run(name, func(t *testing.T) {
						d := fullData(store, code)
						body, used, err := r.Render(store, lang, action, d)
						if err != nil {
							t.Fatalf("Render: %v", err)
						}
						checkBodyShape(t, body)
						must := func(what string, subs ...string) {
							t.Helper()
							for _, s := range subs {
								if !strings.Contains(body, s) {
									t.Errorf("%s: body lacks %q:\n%s", what, s, body)
								}
							}
						}
						if !ForStaff(action) {
							must("greeting", d.CustomerName)
						}
						switch {
						case isRANReply(action, code):
							must("RAN", fullRAN)
							must("deadline", formatDate(used, fullDeadline))
							if st.PrepaidLabel {
								must("prepaid label", labelWord[used])
							} else {
								must("return address", st.ReturnAddress...)
								must("tracked shipping", trackWord[used])
							}
							// A reminder does not know who paid in the authorisation, so it says nothing.
							if st.CustomerPaysShipping && code != "seller_fault" && action != "reminder" && !(store == "alinora" && action == "authorize_exchange") {
								must("who pays", youPay[used])
							}
							if action == "authorize_return" && code != "gift_credit" && st.RefundTime != "" {
								must("refund time", formatPeriod(used, st.RefundTime))
							}
						case action == "reject":
							must("policy section and quote", d.Section, d.Quote)
							must("exchange date", formatDate(used, fullExchange))
						case action == "redirect_portal":
							must("deadline", formatDate(used, fullDeadline))
							if used == "en" {
								must("portal steps", st.PortalSteps...)
							}
						case action == "authorize_exchange" && code == "keep_and_exchange":
							must("exchange reference", fullRAN)
							must("fee", st.ExchangeFee)
						case action == "request_info" && code == "missing_item":
							must("candidate items", fullItem, otherItem)
						case action == "request_info" && code == "order_not_found":
							must("number tried", d.OrderNumberTried)
						case action == "acknowledge":
							must("tracking number", fullTracking, fullRAN)
						case action == "status_update":
							must("return status", fullRAN, fullTracking)
						case action == "staff_alert":
							must("alert facts", d.Items...)
						case action == "staff_digest":
							must("digest facts", d.CustomerEmail, d.ThreadSubject, fullOrder, d.Digest[0].FirstLine, d.Digest[0].FlagCode)
						case ForStaff(action):
							must("staff facts", d.CustomerEmail, d.ThreadSubject, fullOrder, fullRAN)
						}
					})
				}
			}
		}
	}
}

// isRANReply reports whether a reply hands out a RAN with shipping instructions.
func isRANReply(action, code string) bool {
	switch action {
	case "authorize_return":
		return true
	case "authorize_exchange":
		return code == "exchange"
	case "reminder":
		return code == "ship_return"
	}
	return false
}

// TestNoDisclosure renders the replies that go to a sender who may not be the
// buyer with every order fact set, and asserts that none of them shows.
func TestNoDisclosure(t *testing.T) {
	r := newBuiltinRenderer(t)
	type reply struct{ action, code, askedFor string }
	var replies []reply
	for _, code := range Codes["escalate"] {
		replies = append(replies, reply{"escalate", code, ""})
	}
	replies = append(replies, reply{"request_info", "sender_mismatch", ""}, reply{"request_info", "verify_recipient", ""})
	for _, asked := range append(Codes["request_info"], "") {
		replies = append(replies, reply{"reminder", "missing_info", asked})
	}
	for _, store := range storeIDs {
		st := storeFor(store)
		secrets := append([]string{fullOrder, fullRAN, fullItem, otherItem, fullTracking, "ZX-000000", "PostNL"}, st.ReturnAddress...)
		for _, lang := range Languages {
			secrets := append(secrets, formatDate(lang, fullDeadline), formatDate(lang, fullExchange))
			for _, rp := range replies {
				t.Run(fmt.Sprintf("%s/%s/%s/%s/%s", orGeneric(store), lang, rp.action, rp.code, rp.askedFor), func(t *testing.T) {
					d := fullData(store, rp.code)
					d.AskedFor = rp.askedFor
					body, _, err := r.Render(store, lang, rp.action, d)
					if err != nil {
						t.Fatalf("Render: %v", err)
					}
					for _, s := range secrets {
						if strings.Contains(body, s) {
							t.Errorf("body discloses %q:\n%s", s, body)
						}
					}
					checkBodyShape(t, body)
				})
			}
		}
	}
}

// TestCustomerStringsAreData: customer text is printed, never executed, and cannot
// add lines of its own.
func TestCustomerStringsAreData(t *testing.T) {
	r := newBuiltinRenderer(t)
	tests := []struct {
		name, customerName, want string
	}{
		{"template action", "{{.RAN}}", "{{.RAN}}"},
		{"template call", `{{template "signoff" .}}`, `{{template "signoff" .}}`},
		{"line breaks", "Eve\r\nBcc: x@example.com\n\nFake paragraph", "Eve Bcc: x@example.com Fake paragraph"},
		{"bidi override", "Eve\u202Egnp.exe", "Evegnp.exe"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := fullData("lumina", "return")
			d.CustomerName = tt.customerName
			d.RAN = "RAN-SECRET"
			d.Order = ""
			body, _, err := r.Render("lumina", "en", "request_info", Data{Store: d.Store, Code: "sender_mismatch", CustomerName: d.CustomerName, RAN: d.RAN})
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			first := strings.SplitN(body, "\n", 2)[0]
			if want := "Hello " + tt.want + ","; first != want {
				t.Errorf("greeting = %q, want %q", first, want)
			}
			if strings.Contains(body, "RAN-SECRET") {
				t.Errorf("customer name was executed as a template:\n%s", body)
			}
		})
	}
}

func TestRenderLanguageFallback(t *testing.T) {
	r := newBuiltinRenderer(t)
	tests := []struct{ lang, want string }{
		{"de", "de"}, {"DE", "de"}, {"de-AT", "de"}, {"fr_CA", "fr"}, {" es ", "es"},
		{"", "en"}, {"sv", "en"}, {"zh-Hans", "zh"}, {"ja", "en"}, {"nl", "nl"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			_, used, err := r.Render("lumina", tt.lang, "acknowledge", Data{Code: "tracking_received"})
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			if used != tt.want {
				t.Errorf("used %q, want %q", used, tt.want)
			}
		})
	}
}

func TestRenderUnknownAction(t *testing.T) {
	r := newBuiltinRenderer(t)
	if _, _, err := r.Render("lumina", "en", "ignore", Data{}); err == nil {
		t.Fatal("Render of an action without a template succeeded")
	}
}

// TestRenderUnknownCode: a code the template does not know still gives a sensible,
// well-formed reply rather than an error.
func TestRenderUnknownCode(t *testing.T) {
	r := newBuiltinRenderer(t)
	for _, action := range sortedActions() {
		body, _, err := r.Render("", "en", action, Data{Store: storeFor(""), Code: "no_such_code"})
		if err != nil {
			t.Errorf("%s: %v", action, err)
			continue
		}
		checkBodyShape(t, body)
	}
}

// TestStoreOverridesAreUsed checks that the built-in per-store templates win over
// the generic ones in every language.
func TestStoreOverridesAreUsed(t *testing.T) {
	r := newBuiltinRenderer(t)
	// A phrase only the store's own template has, per language.
	markers := map[string]map[string]string{
		"lumina/authorize_return":    {"en": "insured", "de": "versichert", "nl": "verzekerd", "fr": "assurance", "es": "seguro", "it": "assicurazione", "pt": "seguro"},
		"lumina/replace_or_refund":   {"en": "donate", "de": "spenden", "nl": "weggeven", "fr": "donner", "es": "donarlo", "it": "donarlo", "pt": "doá-lo"},
		"luxnome/authorize_return":   {"en": "cannot be accepted", "de": "nicht annehmen", "nl": "niet aannemen", "fr": "pourront pas être acceptés", "es": "no podemos aceptar", "it": "non possono essere accettati", "pt": "não podemos aceitar"},
		"alinora/authorize_exchange": {"en": "replace the item", "de": "ersetzen den Artikel", "nl": "vervangen het artikel", "fr": "remplacerons l'article", "es": "sustituiremos el artículo", "it": "sostituiremo l'articolo", "pt": "substituir o artigo"},
		"alusse/redirect_portal":     {"en": "1–3 business days", "de": "1–3 Werktagen", "nl": "1–3 werkdagen", "fr": "1 à 3 jours ouvrés", "es": "1 a 3 días hábiles", "it": "1–3 giorni lavorativi", "pt": "1 a 3 dias úteis"},
	}
	for key, byLang := range markers {
		store, action, _ := strings.Cut(key, "/")
		for lang, marker := range byLang {
			t.Run(key+"/"+lang, func(t *testing.T) {
				code := Codes[action][0]
				own, _, err := r.Render(store, lang, action, fullData(store, code))
				if err != nil {
					t.Fatalf("Render: %v", err)
				}
				if !strings.Contains(own, marker) {
					t.Errorf("store template not used: no %q in\n%s", marker, own)
				}
				generic, _, err := r.Render("", lang, action, fullData(store, code))
				if err != nil {
					t.Fatalf("Render generic: %v", err)
				}
				if strings.Contains(generic, marker) {
					t.Errorf("generic template also says %q; the marker proves nothing", marker)
				}
			})
		}
	}
}

// TestGermanBodyStartsLowercase: after "Guten Tag …," a German letter continues in
// lower case (unless the first word is a noun or "Sie"/"Ihr").
func TestGermanBodyStartsLowercase(t *testing.T) {
	r := newBuiltinRenderer(t)
	ok := regexp.MustCompile(`^([a-zäöü]|Ihr|Sie|Für|Dies|Die|Beschädigte|Artikel|Einen|Wir)`)
	for _, store := range storeIDs {
		for _, action := range sortedActions() {
			if ForStaff(action) {
				continue
			}
			for _, code := range Codes[action] {
				body, _, err := r.Render(store, "de", action, fullData(store, code))
				if err != nil {
					t.Fatalf("Render: %v", err)
				}
				paragraphs := strings.SplitN(body, "\n\n", 3)
				if len(paragraphs) < 2 || !ok.MatchString(paragraphs[1]) {
					t.Errorf("%s/%s/%s: first paragraph after the greeting starts oddly: %q", orGeneric(store), action, code, paragraphs[1][:min(40, len(paragraphs[1]))])
				}
			}
		}
	}
}

func orGeneric(store string) string {
	if store == "" {
		return "generic"
	}
	return store
}

// TestRenderConcurrently: one Renderer serves all mailbox workers at once.
func TestRenderConcurrently(t *testing.T) {
	r := newBuiltinRenderer(t)
	want, _, err := r.Render("lumina", "nl", "authorize_return", fullData("lumina", "return"))
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			for range 50 {
				got, _, err := r.Render("lumina", "nl", "authorize_return", fullData("lumina", "return"))
				if err == nil && got != want {
					err = fmt.Errorf("concurrent render differs")
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
