package record

import (
	"strings"
	"testing"
)

// mark stands for a phone's placeholder in the tests below.
func mark(string) string { return "<phone>" }

func TestReplacePhones(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"international", "call +7 900 000-00-01 now", "call <phone> now"},
		{"international in brackets", "tel. +7 (900) 000-00-01.", "tel. <phone>."},
		{"trunk prefix", "8 (900) 000-00-01, or", "<phone>, or"},
		{"area code in brackets", "desk (495) 000-00-02", "desk <phone>"},
		{"local", "local 000-00-03;", "local <phone>;"},
		{"bare eleven digits", "sms 89000000004", "sms <phone>"},
		{"in quotes", `"hotline":"+7 900 000-00-05"`, `"hotline":"<phone>"`},
		{"after tel:", "tel:+79000000006", "tel:<phone>"},
		{"two", "+7 900 000-00-07 or 8 900 000 00 08", "<phone> or <phone>"},
		{"date", "due 2025-03-05", "due 2025-03-05"},
		{"date and hour", "at 2025-03-05 10:00", "at 2025-03-05 10:00"},
		{"dotted date", "on 05.03.2025 10", "on 05.03.2025 10"},
		{"decimal", "total 18450.76", "total 18450.76"},
		{"thousands", "limit 1 000 000 000", "limit 1 000 000 000"},
		{"short number", "room 1204, 12-34", "room 1204, 12-34"},
		{"nine digits", "call 495 000 000", "call 495 000 000"},
		{"glued to a word", "INV-2025-000123, A89000000009", "INV-2025-000123, A89000000009"},
		{"in a URL", "https://example.com/?id=12345678901", "https://example.com/?id=12345678901"},
		{"followed by a letter", "89000000010abc", "89000000010abc"},
		{"too long", "+7 900 000 00 00 00 00 00", "+7 900 000 00 00 00 00 00"},
		{"a plus and too few digits", "+1 23 45", "+1 23 45"},
		{"in Cyrillic text", "звоните +7 900 000-00-11", "звоните <phone>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := replacePhones(tt.text, mark); got != tt.want {
				t.Errorf("replacePhones(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

// testScrubber knows one person, Anna Petrova, and a channel contact.
func testScrubber() *scrubber {
	s := &scrubber{ph: placeholders{key: []byte("EXAMPLE-redaction-key-0123456789")}}
	s.names.add("Anna", "Person")
	s.names.add("Petrova", "0000aaaa")
	s.names.add("Анна", "Person")
	s.names.add("Kama Logistics sales", "Person 0000bbbb")
	s.names.add("A", "Person")              // too short: left alone
	s.names.add("Person 1234abcd", "never") // a placeholder: left alone
	s.names.compile()
	return s
}

func TestScrubText(t *testing.T) {
	s := testScrubber()
	email := s.ph.email("anna.petrova@example.com")
	tests := []struct {
		name, text, want string
	}{
		{"email", "write to anna.petrova@example.com.", "write to " + email + "."},
		{"email in any case", "ANNA.Petrova@Example.COM", email},
		{"email in a link", `<a href="mailto:anna.petrova@example.com">`,
			`<a href="mailto:` + email + `">`},
		{"a bot's login stays", "bot@2f4c9a0e-0000-4000-8000-000000000001",
			"bot@2f4c9a0e-0000-4000-8000-000000000001"},
		{"placeholders stay", email + " " + s.ph.phone("1"), email + " " + s.ph.phone("1")},
		{"names", "Anna Petrova approved", "Person 0000aaaa approved"},
		{"names in any case", "ask ANNA or petrova", "ask Person or 0000aaaa"},
		{"a name with punctuation", "Petrova's (Anna)", "0000aaaa's (Person)"},
		{"part of a word stays", "Annapolis, Petrovaville", "Annapolis, Petrovaville"},
		{"Cyrillic", "Спасибо, Анна!", "Спасибо, Person!"},
		{"a contact's whole name", "from Kama  Logistics sales today",
			"from Person 0000bbbb today"},
		{"part of a contact's name stays", "Kama Logistics Equipment", "Kama Logistics Equipment"},
		{"an initial stays", "A. Petrova", "A. 0000aaaa"},
		// Only the names of people in the body are known: a name that
		// appears nowhere else cannot be told from any other word.
		{"a stranger's name stays", "Dmitry Orlov called", "Dmitry Orlov called"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := s.scrubText(tt.text); got != tt.want {
				t.Errorf("scrubText(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestPlaceholders(t *testing.T) {
	p := placeholders{key: []byte("EXAMPLE-redaction-key-0123456789")}
	tests := []struct {
		name      string
		a, b      string
		same      bool
		transform func(string) string
	}{
		{"email ignores case and spaces", "Anna@Example.com ", "anna@example.com", true, p.email},
		{"emails differ", "anna@example.com", "anne@example.com", false, p.email},
		{"phone ignores punctuation", "+7 (900) 000-00-01", "79000000001", true, p.phone},
		{"phones differ", "+7 900 000-00-01", "+7 900 000-00-02", false, p.phone},
		{"handle ignores case", "Anna.Fake", "anna.fake", true, p.handle},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := tt.transform(tt.a), tt.transform(tt.b)
			if (a == b) != tt.same {
				t.Errorf("%q -> %q, %q -> %q; want same: %v", tt.a, a, tt.b, b, tt.same)
			}
			if again := tt.transform(a); again != a {
				t.Errorf("a placeholder changed: %q -> %q", a, again)
			}
		})
	}

	email := p.email("anna@example.com")
	if !emailPattern.MatchString(email) || !strings.HasSuffix(email, "@example.com") {
		t.Errorf("email placeholder %q", email)
	}
	if tag := p.emailTag("anna@example.com"); email != "person-"+tag+"@example.com" {
		t.Errorf("the email %q does not carry the tag %q", email, tag)
	}
	if phone := p.phone("+7 900 000-00-01"); !phonePattern.MatchString(phone) {
		t.Errorf("phone placeholder %q", phone)
	}
}
