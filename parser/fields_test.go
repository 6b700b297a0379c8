package parser

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestMsgIDs(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"<a@b>", []string{"a@b"}},
		{" <a@b> <c@d>\t<a@b>", []string{"a@b", "c@d"}},
		{"<a@b>,<c@d>", []string{"a@b", "c@d"}},
		{"a@b", []string{"a@b"}},
		{"a@b c@d", []string{"a@b", "c@d"}},
		{"<a@b> (comment)", []string{"a@b"}},
		{"no id here", nil},
		{"", nil},
	}
	for _, tt := range tests {
		if got := MessageIDs(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("MessageIDs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseFrom(t *testing.T) {
	tests := []struct {
		in         string
		name, addr string
		ok         bool
	}{
		{"Anna <anna@example.de>", "Anna", "anna@example.de", true},
		{`"Muller, Anna" <anna@example.de>`, "Muller, Anna", "anna@example.de", true},
		{"=?UTF-8?B?SsO8cmdlbiBXZWnDnw==?= <j@example.de>", "Jürgen Weiß", "j@example.de", true},
		{"=?ISO-8859-1?Q?J=FCrgen?= <j@example.de>", "Jürgen", "j@example.de", true},
		{"anna@example.de", "", "anna@example.de", true},
		{"anna@example.de (Anna Muller)", "Anna Muller", "anna@example.de", true},
		// net/mail refuses these; the address is still extracted.
		{"Anna M. Muller <anna@example.de>", "Anna M. Muller", "anna@example.de", true},
		{"Anna <anna@example.de> <junk", "Anna", "anna@example.de", true},
		{`"broken <anna@example.de>`, "broken", "anna@example.de", true},
		{"Mail Delivery Subsystem <MAILER-DAEMON>", "Mail Delivery Subsystem", "MAILER-DAEMON", true},
		{"mailer-daemon", "", "mailer-daemon", true},
		{"<>", "", "", false},
		{"", "", "", false},
	}
	for _, tt := range tests {
		a, ok := parseFrom(tt.in)
		if ok != tt.ok || a.Name != tt.name || a.Address != tt.addr {
			t.Errorf("parseFrom(%q) = %q <%s>, %v; want %q <%s>, %v", tt.in, a.Name, a.Address, ok, tt.name, tt.addr, tt.ok)
		}
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want string // RFC 3339, empty when unreadable
	}{
		{"Tue, 3 Mar 2026 10:14:52 +0100", "2026-03-03T10:14:52+01:00"},
		{"Tue, 03 Mar 2026 10:14:52 +0100 (CET)", "2026-03-03T10:14:52+01:00"},
		{"3 Mar 2026 10:14:52 +0100", "2026-03-03T10:14:52+01:00"},
		{"Tue,  3 Mar 2026 10:14:52   +0100", "2026-03-03T10:14:52+01:00"},
		{"Tue, 3 Mar 2026 10:14 +0100", "2026-03-03T10:14:00+01:00"},
		{"Tue, 3 Mar 26 10:14:52 +0100", "2026-03-03T10:14:52+01:00"},
		{"Thur, 3 Mar 2026 10:14:52 +0100", "2026-03-03T10:14:52+01:00"},
		{"Tue, 3 Mar 2026 10:14:52", "2026-03-03T10:14:52Z"},
		{"Tue Mar  3 10:14:52 2026", "2026-03-03T10:14:52Z"},
		{"2026-03-03T10:14:52+01:00", "2026-03-03T10:14:52+01:00"},
		{"2026-03-03 10:14:52 +0100", "2026-03-03T10:14:52+01:00"},
		{"Whenever", ""},
		{"<HR>", ""},
	}
	for _, tt := range tests {
		got, ok := parseDate(tt.in)
		if tt.want == "" {
			if ok {
				t.Errorf("parseDate(%q) = %v, want failure", tt.in, got)
			}
			continue
		}
		if !ok || got.Format(time.RFC3339) != tt.want {
			t.Errorf("parseDate(%q) = %v, %v; want %s", tt.in, got.Format(time.RFC3339), ok, tt.want)
		}
	}
}

func TestHeaderFields(t *testing.T) {
	raw := "Return-Path: <>\n" +
		"Return-Path: <older@example.com>\n" +
		"From: Shop Customer <Customer@Example.COM>\n" +
		"To: \"Support\" <Support@Alinora.example>, other@example.com\n" +
		"Cc: support@alinora.example\n" +
		"Delivered-To: returns@alinora.example\n" +
		"X-Original-To: returns@alinora.example\n" +
		"To: broken <address@example.org\n" +
		"Message-ID: no-brackets@example.com\n" +
		"In-Reply-To: <bot-1@alinora.example> (sent earlier)\n" +
		"References: <a@x> <b@x>\n <c@x>\n" +
		"References: <d@x>\n" +
		"Subject: =?UTF-8?Q?Caf=C3=A9?= =?x-unknown-charset?Q?raw?= and\n  folded\n" +
		"\n" +
		"body\n"
	msg, err := Parse(strings.NewReader(raw), DefaultOptions())
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if msg.ReturnPath != "<>" {
		t.Errorf("ReturnPath = %q", msg.ReturnPath)
	}
	if msg.From.Address != "Customer@Example.COM" || msg.From.Name != "Shop Customer" {
		t.Errorf("From = %+v", msg.From)
	}
	wantRcpt := []string{"support@alinora.example", "other@example.com", "address@example.org", "returns@alinora.example"}
	if !reflect.DeepEqual(msg.Recipients, wantRcpt) {
		t.Errorf("Recipients = %q, want %q", msg.Recipients, wantRcpt)
	}
	if msg.MessageID != "no-brackets@example.com" {
		t.Errorf("MessageID = %q", msg.MessageID)
	}
	if !reflect.DeepEqual(msg.InReplyTo, []string{"bot-1@alinora.example"}) {
		t.Errorf("InReplyTo = %q", msg.InReplyTo)
	}
	if !reflect.DeepEqual(msg.References, []string{"a@x", "b@x", "c@x", "d@x"}) {
		t.Errorf("References = %q", msg.References)
	}
	if msg.Subject != "Café =?x-unknown-charset?Q?raw?= and folded" {
		t.Errorf("Subject = %q", msg.Subject)
	}
	if !msg.Date.IsZero() {
		t.Errorf("Date = %v, want zero for a missing header", msg.Date)
	}
}

func TestReturnPath(t *testing.T) {
	tests := []struct{ header, want string }{
		{"Return-Path: <>\n", "<>"},
		{"Return-Path: < >\n", "<>"},
		{"Return-Path:\n", "<>"},
		{"Return-Path: <MAILER-DAEMON>\n", "MAILER-DAEMON"},
		{"Return-Path: <bounce+x=y@example.com>\n", "bounce+x=y@example.com"},
		{"", ""},
	}
	for _, tt := range tests {
		msg, _ := Parse(strings.NewReader("From: a@example.com\n"+tt.header+"\nbody"), DefaultOptions())
		if msg.ReturnPath != tt.want {
			t.Errorf("%q: ReturnPath = %q, want %q", tt.header, msg.ReturnPath, tt.want)
		}
	}
}
