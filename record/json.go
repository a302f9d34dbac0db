package record

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// maxDepth bounds how deeply a body may nest. The webhook decoder reads
// no deeper than 300 levels; a body nested deeper than this is not a task
// worth keeping, and the limit keeps the recursion below on a short stack.
const maxDepth = 512

// kind is the JSON type of a node.
type kind int

const (
	kindNull kind = iota
	kindBool
	kindNumber
	kindString
	kindArray
	kindObject
)

// node is a JSON value that keeps the order of its object's members and
// the exact text of its numbers, so that a fixture written back reads as
// the body did, and the decoder sees the same values in it.
type node struct {
	kind kind
	// text is a string's value, a number's text, or "true" / "false".
	text    string
	items   []*node  // an array's elements
	members []member // an object's members, in their order
}

// member is one key and value of an object.
type member struct {
	key   string
	value *node
}

// parseObject reads data, which must hold one JSON object and nothing
// after it.
func parseObject(data []byte) (*node, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	n, err := readValue(dec, 0)
	if err != nil {
		return nil, fmt.Errorf("not JSON: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("not JSON: more after the end of the object")
	}
	if n.kind != kindObject {
		return nil, errors.New("not a JSON object")
	}
	return n, nil
}

// readValue reads the next value from dec.
func readValue(dec *json.Decoder, depth int) (*node, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("nested more than %d levels deep", maxDepth)
	}
	tok, err := dec.Token()
	if errors.Is(err, io.EOF) {
		return nil, io.ErrUnexpectedEOF
	}
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			return readObject(dec, depth)
		}
		return readArray(dec, depth)
	case string:
		return &node{kind: kindString, text: t}, nil
	case json.Number:
		return &node{kind: kindNumber, text: string(t)}, nil
	case bool:
		return &node{kind: kindBool, text: fmt.Sprint(t)}, nil
	}
	return &node{kind: kindNull}, nil
}

// readObject reads the members of an object whose { was read.
func readObject(dec *json.Decoder, depth int) (*node, error) {
	n := &node{kind: kindObject}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string)
		value, err := readValue(dec, depth+1)
		if err != nil {
			return nil, err
		}
		n.members = append(n.members, member{key: key, value: value})
	}
	_, err := dec.Token() // }
	return n, err
}

// readArray reads the elements of an array whose [ was read.
func readArray(dec *json.Decoder, depth int) (*node, error) {
	n := &node{kind: kindArray}
	for dec.More() {
		item, err := readValue(dec, depth+1)
		if err != nil {
			return nil, err
		}
		n.items = append(n.items, item)
	}
	_, err := dec.Token() // ]
	return n, err
}

// encode writes n as JSON indented by two spaces, as the fixtures in
// testdata are, with a final newline. Text is written as it is, without
// the HTML escapes of encoding/json, so that fixtures stay readable.
func encode(n *node) []byte {
	var b bytes.Buffer
	writeValue(&b, n, 0)
	b.WriteByte('\n')
	return b.Bytes()
}

func writeValue(b *bytes.Buffer, n *node, depth int) {
	switch n.kind {
	case kindObject:
		writeObject(b, n, depth)
	case kindArray:
		writeArray(b, n, depth)
	case kindString:
		writeString(b, n.text)
	case kindNumber, kindBool:
		b.WriteString(n.text)
	default:
		b.WriteString("null")
	}
}

func writeObject(b *bytes.Buffer, n *node, depth int) {
	if len(n.members) == 0 {
		b.WriteString("{}")
		return
	}
	b.WriteByte('{')
	for i, m := range n.members {
		if i > 0 {
			b.WriteByte(',')
		}
		newline(b, depth+1)
		writeString(b, m.key)
		b.WriteString(": ")
		writeValue(b, m.value, depth+1)
	}
	newline(b, depth)
	b.WriteByte('}')
}

func writeArray(b *bytes.Buffer, n *node, depth int) {
	if len(n.items) == 0 {
		b.WriteString("[]")
		return
	}
	b.WriteByte('[')
	for i, item := range n.items {
		if i > 0 {
			b.WriteByte(',')
		}
		newline(b, depth+1)
		writeValue(b, item, depth+1)
	}
	newline(b, depth)
	b.WriteByte(']')
}

func newline(b *bytes.Buffer, depth int) {
	b.WriteByte('\n')
	b.WriteString(strings.Repeat("  ", depth))
}

// writeString writes s as a JSON string. Only what JSON requires is
// escaped, and U+2028 and U+2029, which some JavaScript tools choke on.
func writeString(b *bytes.Buffer, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte(hex[r>>4])
			b.WriteByte(hex[r&0xf])
		case r == '\u2028' || r == '\u2029' || r == utf8.RuneError:
			fmt.Fprintf(b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
}
