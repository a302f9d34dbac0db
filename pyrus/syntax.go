package pyrus

import (
	"encoding/json"
	"errors"
	"fmt"
)

// The parser (tree.go) checks a body against the JSON grammar as
// encoding/json.Valid does: brackets, commas, colons and literals, numbers
// exactly as RFC 8259 writes them (not "01", "1." or NaN), and strings
// without control characters or unknown escapes. So a body decodes exactly
// when encoding/json.Valid accepts it, and when it does not, encoding/json
// has the last word and writes the error.

// plainByte marks the bytes a JSON string may hold without an escape.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// isJSONNumber reports whether b is exactly one JSON number.
func isJSONNumber(b []byte) bool {
	end, ok := numberEnd(b, 0)
	return ok && end == len(b)
}

// numberEnd reads the JSON number that starts at b[i] and returns the
// offset after it, or false when none starts there:
// -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func numberEnd(b []byte, i int) (int, bool) {
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && '1' <= b[i] && b[i] <= '9':
		i = digits(b, i+1)
	default:
		return i, false
	}
	if i < len(b) && b[i] == '.' {
		j := digits(b, i+1)
		if j == i+1 {
			return j, false
		}
		i = j
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := digits(b, i)
		if j == i {
			return j, false
		}
		i = j
	}
	return i, true
}

// digits returns the offset of the first non-digit at or after i.
func digits(b []byte, i int) int {
	for i < len(b) && '0' <= b[i] && b[i] <= '9' {
		i++
	}
	return i
}

// escapeLen returns the length of the escape at the start of b (after the
// backslash), or 0 when it is not a valid JSON escape.
func escapeLen(b []byte) int {
	if len(b) == 0 {
		return 0
	}
	switch b[0] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 1
	case 'u':
		if len(b) < 5 {
			return 0
		}
		for _, c := range b[1:5] {
			if hexDigit(c) < 0 {
				return 0
			}
		}
		return 5
	}
	return 0
}

// hexDigit returns the value of hex digit c, or -1.
func hexDigit(c byte) rune {
	switch {
	case '0' <= c && c <= '9':
		return rune(c - '0')
	case 'a' <= c && c <= 'f':
		return rune(c - 'a' + 10)
	case 'A' <= c && c <= 'F':
		return rune(c - 'A' + 10)
	}
	return -1
}

// syntaxError returns encoding/json's complaint about body as one line, or
// nil when it finds body valid.
func syntaxError(body []byte) error {
	if json.Valid(body) {
		return nil
	}
	var v any
	err := json.Unmarshal(body, &v)
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Errorf("body is not JSON: %w (at byte %d)", err, syn.Offset)
	}
	return fmt.Errorf("body is not JSON: %w", err)
}

// firstKind returns the kind of the valid JSON text body by its first
// byte after any whitespace.
func firstKind(body []byte) kind {
	for _, c := range body {
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		case '{':
			return kindObject
		case '[':
			return kindArray
		case '"':
			return kindString
		case 't', 'f':
			return kindBool
		case 'n':
			return kindNull
		}
		return kindNumber
	}
	return kindNull
}
