package pyrus

import (
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// textOf returns the text of v, a string node, as unquote does: without
// looking at it again when the parser found it simple.
func (d *decoder) textOf(v *node) []byte {
	raw := d.t.text(v)
	if v.simple {
		return raw[1 : len(raw)-1]
	}
	return d.unquote(raw)
}

// unquote returns the text of the JSON string raw (quotes included), which
// the parser has checked, with its escapes decoded as encoding/json does: a
// lone surrogate or a byte that is not UTF-8 becomes U+FFFD. The result may
// share d's scratch memory.
func (d *decoder) unquote(raw []byte) []byte {
	raw = raw[1 : len(raw)-1]
	i, high := 0, byte(0)
	for i < len(raw) && plainByte[raw[i]] {
		high |= raw[i]
		i++
	}
	if i == len(raw) && (high < utf8.RuneSelf || utf8.Valid(raw)) {
		return raw
	}
	d.text = appendUnquoted(d.text[:0], raw)
	return d.text
}

// appendUnquoted appends the decoded text of the inside of a JSON string,
// which the parser has checked, to dst.
func appendUnquoted(dst, raw []byte) []byte {
	for i := 0; i < len(raw); {
		switch c := raw[i]; {
		case c == '\\':
			var r rune
			r, i = unescape(raw, i)
			dst = utf8.AppendRune(dst, r)
		case c < utf8.RuneSelf:
			dst = append(dst, c)
			i++
		default:
			r, size := utf8.DecodeRune(raw[i:])
			dst = utf8.AppendRune(dst, r)
			i += size
		}
	}
	return dst
}

// unescape decodes the valid escape at raw[i] and returns its rune and the
// offset after it. A surrogate pair written as two \u escapes is one rune.
func unescape(raw []byte, i int) (rune, int) {
	switch raw[i+1] {
	case 'b':
		return '\b', i + 2
	case 'f':
		return '\f', i + 2
	case 'n':
		return '\n', i + 2
	case 'r':
		return '\r', i + 2
	case 't':
		return '\t', i + 2
	case 'u':
		return unescapeU(raw, i)
	}
	return rune(raw[i+1]), i + 2
}

// unescapeU decodes the \uXXXX escape at raw[i], with the low half that
// follows a high surrogate.
func unescapeU(raw []byte, i int) (rune, int) {
	r := hex4(raw[i+2:])
	i += 6
	if !utf16.IsSurrogate(r) {
		return r, i
	}
	if len(raw) >= i+6 && raw[i] == '\\' && escapeLen(raw[i+1:]) == 5 {
		pair := utf16.DecodeRune(r, hex4(raw[i+2:]))
		if pair != unicode.ReplacementChar {
			return pair, i + 6
		}
	}
	return unicode.ReplacementChar, i
}

// hex4 returns the value of the four hex digits at the start of b, which
// escapeLen has checked.
func hex4(b []byte) rune {
	return hexDigit(b[0])<<12 | hexDigit(b[1])<<8 | hexDigit(b[2])<<4 | hexDigit(b[3])
}

// keyLen bounds the normalized keys the decoder knows; longer keys are
// unknown.
const keyLen = 32

// normKey lower-cases the ASCII letters of k and drops its underscores, so
// that "TaskId", "task_id" and "TASK_ID" all become "taskid". It writes to
// d's key buffer, and returns nil for a key too long to be known.
func (d *decoder) normKey(k []byte) []byte {
	n := 0
	for _, c := range k {
		switch {
		case c == '_':
			continue
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		if n == keyLen {
			return nil
		}
		d.key[n] = c
		n++
	}
	return d.key[:n]
}
