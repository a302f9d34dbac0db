package record

import (
	"errors"
	"strings"
)

// Redactor replaces the personal data in webhook bodies and task fixtures
// by placeholders. Placeholders derive from the redaction key, so that
// the same person gets the same placeholder in every file redacted with
// it, and nobody without the key can tell whose data a placeholder hides.
type Redactor struct {
	ph placeholders
}

// NewRedactor returns a Redactor that derives its placeholders from key
// (see LoadKey).
func NewRedactor(key []byte) (*Redactor, error) {
	if len(key) < minKeyLen {
		return nil, errors.New("redaction key is too short")
	}
	return &Redactor{ph: placeholders{key: key}}, nil
}

// Redact returns body with its access token removed, and with people's
// names, emails, phone numbers and messenger logins replaced by
// placeholders, indented by two spaces. body is a webhook body or a bare
// task; keys match ignoring case and underscores, as the webhook decoder
// reads them. Redacting a redacted body changes nothing.
func (r *Redactor) Redact(body []byte) ([]byte, error) {
	root, err := parseObject(body)
	if err != nil {
		return nil, err
	}
	dropTokens(root)
	s := &scrubber{ph: r.ph, emails: make(map[string]string)}
	s.collect(root)
	s.names.compile()
	s.object(root, inPlain)
	return encode(root), nil
}

// StripToken returns body without its access token, indented by two
// spaces, and with everything else kept: what --record-raw writes.
func StripToken(body []byte) ([]byte, error) {
	root, err := parseObject(body)
	if err != nil {
		return nil, err
	}
	dropTokens(root)
	return encode(root), nil
}

// normKey folds a key the way the webhook decoder does: ASCII lower case,
// without underscores, so "FirstName" and "first_name" are one key.
func normKey(key string) string {
	var b strings.Builder
	for i := 0; i < len(key); i++ {
		c := key[i]
		switch {
		case c == '_':
			continue
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
	return b.String()
}

// The keys that hold personal data, folded by normKey.
const (
	keyToken     = "accesstoken"
	keyEmail     = "email"
	keyID        = "id"
	keyType      = "type"
	keyName      = "name"
	keyValue     = "value"
	keyFirstName = "firstname"
	keyLastName  = "lastname"
)

// nameKeys map the keys of a person's names to whether the name is a
// first name (which becomes "Person") or a last name (which becomes the
// person's tag).
var nameKeys = map[string]bool{
	keyFirstName:      true,
	"nativefirstname": true,
	keyLastName:       false,
	"nativelastname":  false,
}

// dropTokens removes every access token from the tree under n.
func dropTokens(n *node) {
	n.members = deleteMembers(n.members, func(m member) bool {
		return normKey(m.key) == keyToken
	})
	for _, m := range n.members {
		dropTokens(m.value)
	}
	for _, item := range n.items {
		dropTokens(item)
	}
}

func deleteMembers(ms []member, drop func(member) bool) []member {
	out := ms[:0]
	for _, m := range ms {
		if !drop(m) {
			out = append(out, m)
		}
	}
	return out
}

// lookupKey returns the value of the first member of n whose folded key is
// key, or nil.
func lookupKey(n *node, key string) *node {
	for _, m := range n.members {
		if normKey(m.key) == key {
			return m.value
		}
	}
	return nil
}

// stringAt returns the text of n's member key when it is a string or a
// number (an id sent as either).
func stringAt(n *node, key string) string {
	v := lookupKey(n, key)
	if v == nil || (v.kind != kindString && v.kind != kindNumber) {
		return ""
	}
	return strings.TrimSpace(v.text)
}
