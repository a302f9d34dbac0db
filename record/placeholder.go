package record

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// The placeholders that stand for personal data. A tag is the first four
// bytes of an HMAC-SHA256, under the redaction key, of the normalized
// original: the same original gets the same tag in every file redacted
// with the same key, and without the key a tag cannot be checked against
// a guess. Eight hex digits keep two people of a few hundred apart with a
// chance of about one in a million.
const (
	// firstNamePlaceholder is every person's first name.
	firstNamePlaceholder = "Person"
	// emailDomain is the domain of placeholder emails, reserved for
	// examples by RFC 2606.
	emailDomain = "example.com"
)

var (
	tagPattern   = regexp.MustCompile(`^[0-9a-f]{8}$`)
	emailPattern = regexp.MustCompile(`^person-([0-9a-f]{8})@example\.com$`)
	phonePattern = regexp.MustCompile(`^\+0 000 [0-9]{8}$`)
	handlePat    = regexp.MustCompile(`^person-[0-9a-f]{8}$`)
	fullNamePat  = regexp.MustCompile(`^Person [0-9a-f]{8}$`)
)

// placeholders makes the placeholders of one redaction key.
type placeholders struct{ key []byte }

// sum is the HMAC of a kind of value and its normalized text.
func (p placeholders) sum(kind, value string) []byte {
	mac := hmac.New(sha256.New, p.key)
	mac.Write([]byte(kind))
	mac.Write([]byte{0})
	mac.Write([]byte(value))
	return mac.Sum(nil)
}

// tag is the eight hex digits that stand for a value of a kind.
func (p placeholders) tag(kind, value string) string {
	return hex.EncodeToString(p.sum(kind, value)[:4])
}

// emailTag is the tag of an email; a placeholder email keeps its own.
func (p placeholders) emailTag(email string) string {
	if m := emailPattern.FindStringSubmatch(email); m != nil {
		return m[1]
	}
	return p.tag("email", strings.ToLower(strings.TrimSpace(email)))
}

// email is the placeholder of an email: person-TAG@example.com.
func (p placeholders) email(email string) string {
	return "person-" + p.emailTag(email) + "@" + emailDomain
}

// phone is the placeholder of a phone number: +0 000 and eight digits.
// No real number starts with country code 0. Numbers that differ only in
// their punctuation get the same placeholder.
func (p placeholders) phone(phone string) string {
	if phonePattern.MatchString(phone) {
		return phone
	}
	norm := digitsOf(phone)
	if norm == "" {
		norm = strings.ToLower(strings.TrimSpace(phone))
	}
	n := binary.BigEndian.Uint32(p.sum("phone", norm)) % 100_000_000
	return fmt.Sprintf("+0 000 %08d", n)
}

// handle is the placeholder of a Skype or messenger login: person-TAG.
func (p placeholders) handle(login string) string {
	if handlePat.MatchString(login) {
		return login
	}
	return "person-" + p.tag("handle", strings.ToLower(strings.TrimSpace(login)))
}

// fullName is the placeholder of a name given whole, such as the name of
// an email channel's sender: Person TAG.
func (p placeholders) fullName(tag string) string {
	return firstNamePlaceholder + " " + tag
}

// nameKey is the normalized form of a name, for its tag.
func nameKey(name string) string {
	return strings.ToLower(strings.Join(strings.Fields(name), " "))
}

// isPlaceholderName reports whether a name is already a placeholder.
func isPlaceholderName(name string) bool {
	return name == firstNamePlaceholder || tagPattern.MatchString(name) ||
		fullNamePat.MatchString(name)
}

func digitsOf(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < unicode.MaxASCII && unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
