package pyrus

import (
	"bytes"
	"math"
	"strconv"
	"strings"
)

// kind is the JSON type of a value, named as warnings print it.
type kind uint8

const (
	kindNull kind = iota
	kindBool
	kindNumber
	kindString
	kindArray
	kindObject
)

// String names the kind with its article: "an object", "a number".
func (k kind) String() string {
	switch k {
	case kindBool:
		return "a bool"
	case kindNumber:
		return "a number"
	case kindString:
		return "a string"
	case kindArray:
		return "an array"
	case kindObject:
		return "an object"
	}
	return "null"
}

// peek returns the kind of v and, for a string, number or bool, its JSON
// text as sent (a string with its quotes and escapes).
func (d *decoder) peek(v *node) (kind, []byte) {
	switch v.kind {
	case kindString, kindNumber, kindBool:
		return v.kind, d.t.text(v)
	}
	return v.kind, nil
}

// str reads a string; see strOK.
func (d *decoder) str(v *node) string {
	s, _ := d.strOK(v)
	return s
}

// strOK reads a string and reports whether there was one. A number is read
// as its text.
func (d *decoder) strOK(v *node) (string, bool) {
	k, raw := d.peek(v)
	switch k {
	case kindString:
		return d.copy(d.textOf(v)), true
	case kindNumber:
		return d.copy(raw), true
	case kindNull:
		return "", false
	}
	d.wrongType("a string", k)
	return "", false
}

// copy returns b as a string in the decoder's string memory: the strings
// of one body share a few allocations, and none points into the parser.
func (d *decoder) copy(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if d.strMem.Cap()-d.strMem.Len() < len(b) {
		d.strMem = strings.Builder{}
		d.strMem.Grow(max(len(b), d.strChunk))
	}
	start := d.strMem.Len()
	d.strMem.Write(b)
	d.strBytes += len(b)
	return d.strMem.String()[start:]
}

// int reads an integer; see intOK.
func (d *decoder) int(v *node) int64 {
	n, _ := d.intOK(v)
	return n
}

// intOK reads an integer and reports whether there was one. An integral
// float (123.0) is fine; a number sent as a string is read with a warning.
func (d *decoder) intOK(v *node) (int64, bool) {
	k, raw := d.peek(v)
	switch k {
	case kindNumber:
		return d.integer(raw)
	case kindString:
		if text := d.textOf(v); isJSONNumber(text) {
			d.warn("want an integer, got a string; read as a number")
			return d.integer(text)
		}
	case kindNull:
		return 0, false
	}
	d.wrongType("an integer", k)
	return 0, false
}

// integer parses the number text b as an int64.
func (d *decoder) integer(b []byte) (int64, bool) {
	if n, ok := smallInt(b); ok {
		return n, true
	}
	if !bytes.ContainsAny(b, ".eE") {
		// Written as an integer: exact when it fits, absent when not, and
		// never rounded through a float.
		n, err := strconv.ParseInt(string(b), 10, 64)
		if err != nil {
			d.warnf("want an integer, got %s, out of range; counted absent", b)
			return 0, false
		}
		return n, true
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64 {
		d.warnf("want an integer, got %s; counted absent", b)
		return 0, false
	}
	return int64(f), true
}

// smallInt parses the JSON number b when it is an integer of at most 18
// digits, which cannot overflow: the usual case, done without strconv.
func smallInt(b []byte) (int64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		return -n, true
	}
	return n, true
}

// float reads a number, parsed from its exact JSON text so that it prints
// back as sent, and reports whether there was one. A number sent as a
// string is read with a warning.
func (d *decoder) float(v *node) (float64, bool) {
	k, raw := d.peek(v)
	switch k {
	case kindNumber:
		return d.parseFloat(raw)
	case kindString:
		if text := d.textOf(v); isJSONNumber(text) {
			d.warn("want a number, got a string; read as a number")
			return d.parseFloat(text)
		}
	case kindNull:
		return 0, false
	}
	d.wrongType("a number", k)
	return 0, false
}

// parseFloat parses the number text b.
func (d *decoder) parseFloat(b []byte) (float64, bool) {
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		d.warnf("want a number, got %s, out of range; counted absent", b)
		return 0, false
	}
	return f, true
}

// bool reads a bool; the strings "true" and "false" are read with a warning.
func (d *decoder) bool(v *node) bool {
	k, raw := d.peek(v)
	switch k {
	case kindBool:
		return raw[0] == 't'
	case kindString:
		switch string(d.textOf(v)) {
		case "true":
			d.warn("want a bool, got a string; read as a bool")
			return true
		case "false":
			d.warn("want a bool, got a string; read as a bool")
			return false
		}
	case kindNull:
		return false
	}
	d.wrongType("a bool", k)
	return false
}
