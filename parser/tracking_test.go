package parser

import (
	"reflect"
	"testing"
)

func TestFindTracking(t *testing.T) {
	tn := func(carrier, number string) TrackingNumber { return TrackingNumber{Carrier: carrier, Number: number} }
	tests := []struct {
		name string
		text string
		want []TrackingNumber
	}{
		{"ups", "Sent with UPS 1Z999AA10123456784 today", []TrackingNumber{tn("ups", "1Z999AA10123456784")}},
		{"ups with spaces as typed", "tracking: 1Z 999 AA1 01 2345 6784.", []TrackingNumber{tn("ups", "1Z999AA10123456784")}},
		{"ups lower case", "1z879e930346834440", []TrackingNumber{tn("ups", "1Z879E930346834440")}},
		{"ups bad check digit", "1Z999AA10123456785", nil},
		{"usps impb", "USPS 9400111899223197428497", []TrackingNumber{tn("usps", "9400111899223197428497")}},
		{"usps impb grouped", "9400 1118 9922 3197 4284 97", []TrackingNumber{tn("usps", "9400111899223197428497")}},
		{"usps 21 digits", "920559017554770000008", []TrackingNumber{tn("usps", "920559017554770000008")}},
		{"usps bad check digit", "9400111899223197428490", nil},
		{"usps s10", "EA000000005US", []TrackingNumber{tn("usps", "EA000000005US")}},
		{"royal mail s10", "Royal Mail LZ473829103GB", []TrackingNumber{tn("royalmail", "LZ473829103GB")}},
		{"china post s10 spaced", "RR 123456785 CN", []TrackingNumber{tn("chinapost", "RR123456785CN")}},
		{"postnl s10", "RB876543216NL", []TrackingNumber{tn("postnl", "RB876543216NL")}},
		{"deutsche post s10", "CX112233447DE", []TrackingNumber{tn("dhl", "CX112233447DE")}},
		{"other post s10", "Colissimo CP556677887FR", []TrackingNumber{tn("post", "CP556677887FR")}},
		{"s10 bad check digit", "RR123456784CN", nil},
		{"postnl 3S", "PostNL: 3SABCD1234567 and 3SXYZW123456789", []TrackingNumber{tn("postnl", "3SABCD1234567"), tn("postnl", "3SXYZW123456789")}},
		{"postnl 3S too long", "3SABCD1234567890", nil},
		{"a mistyped number the carrier introduces", "shipped it back friday ups 1Z4A79W80398741256", []TrackingNumber{tn("ups", "1Z4A79W80398741256")}},
		{"a carrier word inside another word introduces nothing", "the groups AB12345678901 met", nil},
		{"cainiao", "Cainiao LP00123456789012", []TrackingNumber{tn("cainiao", "LP00123456789012")}},
		{"dhl jjd", "DHL Paket JJD000390007882926958", []TrackingNumber{tn("dhl", "JJD000390007882926958")}},
		{"dhl paket sscc", "Die Sendungsnummer lautet: 00340434292135100186", []TrackingNumber{tn("dhl", "00340434292135100186")}},
		{"dhl paket sscc, wrong check digit", "Die Sendungsnummer lautet: 00340434292135100187", nil},
		{"dhl jvgl", "JVGL0612345678", []TrackingNumber{tn("dhl", "JVGL0612345678")}},
		{"dhl express near dhl", "My DHL waybill is 1234567891", []TrackingNumber{tn("dhl", "1234567891")}},
		{"dhl express near tracking", "Tracking number: 3456789011", []TrackingNumber{tn("dhl", "3456789011")}},
		{"ten digits without context", "Call me on 1234567891 please", nil},
		{"ten digits with a bad check digit", "DHL 1234567890", nil},
		{"phone number near dhl", "DHL asked me to call 0612345678", nil},
		{"dhl word in an earlier paragraph", "I used DHL.\n\nMy phone is 1234567891", nil},
		{"order numbers and postcodes are not tracking", "Order #10234, AL-204518, 10115 Berlin", nil},
		{"part of a longer word", "ref X1Z999AA10123456784", nil},
		{"duplicates removed, order kept", "RR123456785CN then 1Z999AA10123456784 and again RR123456785CN",
			[]TrackingNumber{tn("chinapost", "RR123456785CN"), tn("ups", "1Z999AA10123456784")}},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FindTracking(tt.text); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("FindTracking(%q) = %+v, want %+v", tt.text, got, tt.want)
			}
		})
	}
}

func TestCheckDigits(t *testing.T) {
	// Published UPS numbers, all with valid check digits.
	for _, n := range []string{"1Z5R89390357567127", "1Z879E930346834440", "1Z410E7W0392751591", "1Z8V92A70367203024", "1ZXX3150YW44070023"} {
		if !upsCheck(n) {
			t.Errorf("upsCheck(%s) = false", n)
		}
	}
	s10 := map[string]bool{"RR123456785CN": true, "RR000000014CN": true, "RR123456789CN": false, "EA000000005US": true}
	for n, want := range s10 {
		if got := isS10(n); got != want {
			t.Errorf("isS10(%s) = %v, want %v", n, got, want)
		}
	}
}

// TestIntroducedTracking: a number the customer introduces as the tracking number is
// one, whatever its carrier or a mistyped check digit; an order number is not.
func TestIntroducedTracking(t *testing.T) {
	for _, tc := range []struct {
		text, want string
	}{
		{"Dropped it off at UPS. Tracking is 1ZA9W2E6034417027.", "1ZA9W2E6034417027"},
		{"Envoyé en Colissimo 6A23071944582 hier.", "6A23071944582"},
		{"Sendungsnummer: 00340434161094042557", "00340434161094042557"},
		{"SF Express 顺丰 SF1234567890123", "SF1234567890123"},
		{"my order number is 10234, tracking not yet", ""},
		{"tracking: tomorrow morning", ""},
		// Typed in groups, as read off the receipt; words after it stay out.
		{"USPS tracking 9400 1118 9922 3344 5566 71", "9400111899223344556671"},
		{"tracking is 1Z 999 AA1 01 2345 6785 and the receipt is attached", "1Z999AA10123456785"},
		{"tracking: 2 boxes, 10 kg", ""},
		{"Die Sendungsnummer lautet CC482193657DE.", "CC482193657DE"},
		{"I sent it USPS Priority Mail International, the tracking number is LZ 482 913 605 US.", "LZ482913605US"},
		{"tracking is 9400 1118 9922 3344 5566 71 OK thanks", "9400111899223344556671"},
	} {
		got := FindTracking(tc.text)
		switch {
		case tc.want == "" && len(got) > 0:
			t.Errorf("%q: found %v, want none", tc.text, got)
		case tc.want != "" && (len(got) == 0 || got[0].Number != tc.want):
			t.Errorf("%q: found %v, want %s", tc.text, got, tc.want)
		}
	}
}
