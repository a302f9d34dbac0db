package record

import "strings"

// scrubber redacts one body. collect first learns who the people in it
// are, so that their names can be found in free text and each person gets
// one tag; then object rewrites the tree.
type scrubber struct {
	ph placeholders
	// emails holds a person's email by person id, for the places where
	// Pyrus sends the same person without one.
	emails map[string]string
	names  nameList
}

// where says what an object is, as far as redaction cares; it follows
// from the keys above the object.
type where int

const (
	inPlain   where = iota
	inField         // a form field: in fields, cells or field_updates
	inChannel       // a comment's outside channel
	inContact       // one end of a channel: {email, name}
)

// within is where the value of key sits, inside an object that is at w.
func within(w where, key string) where {
	switch key {
	case "fields", "cells", "fieldupdates":
		return inField
	case "channel":
		return inChannel
	case "to", "from":
		if w == inChannel {
			return inContact
		}
	}
	return inPlain
}

// visitObjects calls f for every object under n, with where it is.
func visitObjects(n *node, w where, f func(o *node, w where)) {
	if n.kind == kindObject {
		f(n, w)
	}
	for _, m := range n.members {
		visitObjects(m.value, within(w, normKey(m.key)), f)
	}
	for _, item := range n.items {
		visitObjects(item, w, f)
	}
}

// collect learns the emails of people by id, then the names to look for
// in free text.
func (s *scrubber) collect(root *node) {
	visitObjects(root, inPlain, func(o *node, w where) {
		id, email := stringAt(o, keyID), stringAt(o, keyEmail)
		if w == inPlain && id != "" && email != "" && s.emails[id] == "" {
			s.emails[id] = email
		}
	})
	visitObjects(root, inPlain, func(o *node, w where) {
		switch {
		case w == inContact:
			if name := stringAt(o, keyName); name != "" {
				s.names.add(name, s.ph.fullName(s.contactTag(o)))
			}
		case w == inPlain && hasNames(o) && isPerson(o):
			tag := s.personTag(o)
			for _, m := range o.members {
				if first, ok := nameKeys[normKey(m.key)]; ok && m.value.kind == kindString {
					s.names.add(m.value.text, namePlaceholder(first, tag))
				}
			}
		}
	})
}

// hasNames reports whether o carries a person's names.
func hasNames(o *node) bool {
	for _, m := range o.members {
		if _, ok := nameKeys[normKey(m.key)]; ok {
			return true
		}
	}
	return false
}

// isPerson reports whether o is a person rather than a bot or a role,
// whose names are not personal data and which rules may well compare.
func isPerson(o *node) bool {
	t := strings.ToLower(stringAt(o, keyType))
	return t != "bot" && t != "role"
}

// personTag is the tag of a person: that of the person's email, so that
// name and email share it, else of the person's id, else of the names.
func (s *scrubber) personTag(o *node) string {
	if email := stringAt(o, keyEmail); email != "" {
		return s.ph.emailTag(email)
	}
	if id := stringAt(o, keyID); id != "" {
		if email := s.emails[id]; email != "" {
			return s.ph.emailTag(email)
		}
		return s.ph.tag("id", id)
	}
	full := stringAt(o, keyFirstName) + " " + stringAt(o, keyLastName)
	return s.ph.tag("name", nameKey(full))
}

// contactTag is the tag of one end of a channel: that of its email, else
// of its name.
func (s *scrubber) contactTag(o *node) string {
	if email := stringAt(o, keyEmail); email != "" {
		return s.ph.emailTag(email)
	}
	return s.ph.tag("name", nameKey(stringAt(o, keyName)))
}

// namePlaceholder is what a first name (Person) or a last name (the tag)
// becomes.
func namePlaceholder(first bool, tag string) string {
	if first {
		return firstNamePlaceholder
	}
	return tag
}

// value rewrites a value that sits at w.
func (s *scrubber) value(n *node, w where) {
	switch n.kind {
	case kindObject:
		s.objectAt(n, w)
	case kindArray:
		for _, item := range n.items {
			s.value(item, w)
		}
	case kindString:
		n.text = s.scrubText(n.text)
	}
}

func (s *scrubber) objectAt(o *node, w where) {
	switch w {
	case inField:
		s.field(o)
	case inContact:
		s.contact(o)
	default:
		s.object(o, w)
	}
}

// object rewrites an object: the members that hold a person's names and
// contacts are replaced whole, the others are scrubbed as free text.
func (s *scrubber) object(o *node, w where) {
	person, tag := isPerson(o), ""
	if person && hasNames(o) {
		tag = s.personTag(o) // before the email it may derive from changes
	}
	for _, m := range o.members {
		key := normKey(m.key)
		if m.value.kind != kindString {
			s.value(m.value, within(w, key))
			continue
		}
		if first, ok := nameKeys[key]; ok {
			if person {
				s.replaceName(m.value, namePlaceholder(first, tag))
			}
			continue
		}
		if key != keyType && !strings.HasSuffix(key, keyID) { // ids sent as text
			m.value.text = s.contactValue(key, m.value.text)
		}
	}
}

// contactValue is the placeholder of a person's email, phone or login
// held under key, or text scrubbed as free text under any other key.
func (s *scrubber) contactValue(key, text string) string {
	switch {
	case text == "":
		return text
	case key == keyEmail:
		return s.ph.email(text)
	case key == "phone" || key == "mobilephone":
		return s.ph.phone(text)
	case key == "skype" || key == "messenger":
		return s.ph.handle(text)
	}
	return s.scrubText(text)
}

// replaceName puts placeholder in the place of a name, unless the name is
// empty or a placeholder already.
func (s *scrubber) replaceName(n *node, placeholder string) {
	if strings.TrimSpace(n.text) != "" && !isPlaceholderName(n.text) {
		n.text = placeholder
	}
}

// field rewrites a form field. Its id, type, name and code are kept, for
// rules find fields by them; its value is replaced whole when the field
// is an email or a phone, and scrubbed like any other value otherwise.
func (s *scrubber) field(o *node) {
	typ := normKey(stringAt(o, keyType))
	for _, m := range o.members {
		switch key := normKey(m.key); key {
		case keyType, keyName, "code":
		case keyValue:
			s.fieldValue(typ, m.value)
		default:
			s.value(m.value, within(inPlain, key))
		}
	}
}

func (s *scrubber) fieldValue(typ string, v *node) {
	switch {
	case v.kind != kindString || v.text == "":
		s.value(v, inPlain)
	case typ == keyEmail:
		v.text = s.ph.email(v.text)
	case typ == "phone":
		v.text = s.ph.phone(v.text)
	default:
		v.text = s.scrubText(v.text)
	}
}

// contact rewrites one end of a channel: its name and email.
func (s *scrubber) contact(o *node) {
	name := s.ph.fullName(s.contactTag(o))
	for _, m := range o.members {
		key := normKey(m.key)
		switch {
		case key == keyName && m.value.kind == kindString:
			s.replaceName(m.value, name)
		case m.value.kind == kindString:
			m.value.text = s.contactValue(key, m.value.text)
		default:
			s.value(m.value, inPlain)
		}
	}
}
