package pyrus

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/bits"
	"sync"
)

// A body is parsed in one pass into a tree: a flat list of nodes in
// document order, each value followed by everything it holds. The parser
// checks the whole body against the JSON grammar (see syntax.go), so that
// the decoder reads values without checking them again and passes over
// what it does not decode at no cost. Nothing is copied or unescaped here:
// a node only holds offsets into the body.

// node is one value of a parsed body.
type node struct {
	start, end  int32 // the value's text, body[start:end]; a string keeps its quotes
	key, keyEnd int32 // for a member of an object: its key's text, quotes excluded
	next        int32 // the index of the first node after this value and all it holds
	self        int32 // this node's index
	count       int32 // an object's members or an array's elements
	kind        kind
	simple      bool // a string of ASCII without escapes: its text is inside its quotes
	keyEscaped  bool // the key holds an escape: see tree.key
}

// tree is one parsed body.
type tree struct {
	body  []byte
	nodes []node
	key   []byte // the last escaped key, unescaped
	// kept is where the decoder gathers the fields a field set keeps,
	// before copying them into a list of their own size (decoder.fields).
	kept []FormField

	// The sizes of the last body decoded on this tree and of the text of
	// its strings, for strChunk.
	lastBody, lastStrings int
}

// maxDepth is how deep objects and arrays may nest in a body that is
// decoded. A deeper body that is valid JSON is read as an empty object,
// with a warning.
const maxDepth = 300

// errTooDeep and errSyntax stop a parse. The decoder then asks
// encoding/json which one it was and, for a syntax error, what is wrong.
var (
	errTooDeep = errors.New("nested too deep")
	errSyntax  = errors.New("not JSON")
)

// trees are reused across requests; a tree holds no pointer into its body
// once it is back in the pool.
var trees = sync.Pool{New: func() any { return new(tree) }}

// maxPooledNodes is the most nodes a tree may have to go back to the pool,
// so that one huge body does not keep its memory alive there.
const maxPooledNodes = 1 << 15

// maxPooledKept is the most fields a tree's scratch list (tree.kept) may
// hold room for to go back to the pool with it.
const maxPooledKept = 256

// parse parses body, which must be exactly one JSON value with optional
// whitespace around it. The root is t.nodes[0].
func (t *tree) parse(body []byte) error {
	p := parser{b: body, nodes: t.nodes[:0]}
	i, err := p.value(p.ws(0), 0)
	t.body, t.nodes = body, p.nodes
	if err != nil {
		return err
	}
	if p.ws(i) != len(body) {
		return errSyntax
	}
	return nil
}

// release returns t to the pool unless it grew too large to keep.
func (t *tree) release() {
	t.body = nil
	// decoder.fields clears what it gathers; anything left is from a
	// decode that stopped half way.
	clear(t.kept)
	t.kept = t.kept[:0]
	if cap(t.kept) > maxPooledKept {
		t.kept = nil
	}
	if cap(t.nodes) <= maxPooledNodes {
		trees.Put(t)
	}
}

// strChunk sizes the decoder's first allocation for the text of strings:
// what the last body decoded on this tree needed, scaled to this body's
// size, with 1/32 of the body to spare; a quarter of the body the first
// time. Bodies a bot gets are alike, and how much of one is decoded
// depends on the rules, so the last body is a better guess than a fixed
// share.
func (t *tree) strChunk() int {
	n := len(t.body)
	if t.lastBody == 0 {
		return max(n/4, 256)
	}
	return max(n*t.lastStrings/t.lastBody+n/32, 256)
}

// text returns the JSON text of n as sent.
func (t *tree) text(n *node) []byte { return t.body[n.start:n.end] }

// child returns the node at index i when it lies inside n, else nil. The
// children of n are child(n, n.self+1), then each one's next.
func (t *tree) child(n *node, i int32) *node {
	if i >= n.next {
		return nil
	}
	return &t.nodes[i]
}

// memberKey returns the key of n, a member of an object, unescaped. The
// result may share t's scratch memory until the next call.
func (t *tree) memberKey(n *node) []byte {
	raw := t.body[n.key:n.keyEnd]
	if !n.keyEscaped {
		return raw
	}
	t.key = appendUnquoted(t.key[:0], raw)
	return t.key
}

// parser builds the nodes of one body.
type parser struct {
	b     []byte
	nodes []node
}

// ws returns the offset of the first byte at or after i that is not JSON
// whitespace.
func (p *parser) ws(i int) int {
	b := p.b
	for i < len(b) && whitespace[b[i]] {
		i++
		if b[i-1] != '\n' {
			continue
		}
		// After a newline comes the indentation of pretty-printed JSON:
		// skip its spaces a word at a time, up to the first other byte.
		for i+8 <= len(b) {
			x := binary.LittleEndian.Uint64(b[i:]) ^ (ones * ' ')
			if x != 0 {
				i += bits.TrailingZeros64(x) / 8
				break
			}
			i += 8
		}
	}
	return i
}

// whitespace marks the bytes JSON allows between tokens. A table is
// cheaper than comparisons on pretty-printed bodies, which are half
// indentation.
var whitespace = [256]bool{' ': true, '\t': true, '\n': true, '\r': true}

// value parses the value that starts at b[i] and returns the offset after
// it. depth counts the objects and arrays around it.
func (p *parser) value(i, depth int) (int, error) {
	if i >= len(p.b) {
		return i, errSyntax
	}
	at := len(p.nodes)
	p.nodes = append(p.nodes, node{start: int32(i), self: int32(at)})
	var k kind
	var err error
	simple := false
	switch c := p.b[i]; {
	case c == '"':
		k = kindString
		var escaped, ascii bool
		i, escaped, ascii, err = p.str(i + 1)
		simple = !escaped && ascii
	case c == '-' || '0' <= c && c <= '9':
		k = kindNumber
		i, err = p.number(i)
	case c == '{':
		k = kindObject
		i, err = p.object(i+1, at, depth+1)
	case c == '[':
		k = kindArray
		i, err = p.array(i+1, at, depth+1)
	case c == 't':
		k = kindBool
		i, err = p.literal(i, "true")
	case c == 'f':
		k = kindBool
		i, err = p.literal(i, "false")
	case c == 'n':
		k = kindNull
		i, err = p.literal(i, "null")
	default:
		return i, errSyntax
	}
	if err != nil {
		return i, err
	}
	n := &p.nodes[at] // after the nodes inside, which may have moved the slice
	n.end, n.next, n.kind, n.simple = int32(i), int32(len(p.nodes)), k, simple
	return i, nil
}

// object parses the members of the object whose '{' is just before b[i]
// and whose node is at.
func (p *parser) object(i, at, depth int) (int, error) {
	if depth > maxDepth {
		return i, errTooDeep
	}
	i = p.ws(i)
	if i < len(p.b) && p.b[i] == '}' {
		return i + 1, nil
	}
	count := int32(0)
	for {
		if i >= len(p.b) || p.b[i] != '"' {
			return i, errSyntax
		}
		key := i + 1
		end, escaped, _, err := p.str(key)
		if err != nil {
			return end, err
		}
		i = p.ws(end)
		if i >= len(p.b) || p.b[i] != ':' {
			return i, errSyntax
		}
		member := len(p.nodes)
		if i, err = p.value(p.ws(i+1), depth); err != nil {
			return i, err
		}
		m := &p.nodes[member]
		m.key, m.keyEnd, m.keyEscaped = int32(key), int32(end-1), escaped
		count++
		if i = p.ws(i); i >= len(p.b) {
			return i, errSyntax
		}
		switch p.b[i] {
		case ',':
			i = p.ws(i + 1)
		case '}':
			p.nodes[at].count = count
			return i + 1, nil
		default:
			return i, errSyntax
		}
	}
}

// array parses the elements of the array whose '[' is just before b[i]
// and whose node is at. It repeats object's opening and its comma and
// bracket handling rather than sharing helpers with it: the helpers were
// not inlined and cost 5 % of the parse (callgrind).
func (p *parser) array(i, at, depth int) (int, error) {
	if depth > maxDepth {
		return i, errTooDeep
	}
	i = p.ws(i)
	if i < len(p.b) && p.b[i] == ']' {
		return i + 1, nil
	}
	count := int32(0)
	for {
		var err error
		if i, err = p.value(i, depth); err != nil {
			return i, err
		}
		count++
		if i = p.ws(i); i >= len(p.b) {
			return i, errSyntax
		}
		switch p.b[i] {
		case ',':
			i = p.ws(i + 1)
		case ']':
			p.nodes[at].count = count
			return i + 1, nil
		default:
			return i, errSyntax
		}
	}
}

// str checks the string whose text starts at b[i], just after its opening
// quote, and returns the offset after its closing quote, whether it holds
// an escape, and whether all its bytes are ASCII. Bytes that are not UTF-8
// are allowed, as encoding/json allows them; the decoder turns them into
// U+FFFD.
func (p *parser) str(i int) (end int, escaped, ascii bool, err error) {
	b, high := p.b, uint64(0)
	for {
		for i+8 <= len(b) {
			w := binary.LittleEndian.Uint64(b[i:])
			if endsPlain(w) {
				break
			}
			high |= w
			i += 8
		}
		for i < len(b) && plainByte[b[i]] {
			high |= uint64(b[i])
			i++
		}
		if i >= len(b) {
			return i, escaped, false, errSyntax
		}
		switch b[i] {
		case '"':
			return i + 1, escaped, high&highs == 0, nil
		case '\\':
			n := escapeLen(b[i+1:])
			if n == 0 {
				return i, escaped, false, errSyntax
			}
			i, escaped = i+1+n, true
		default: // a control character
			return i, escaped, false, errSyntax
		}
	}
}

// Eight bytes of a string are read as one little-endian word, and the
// words whose bytes are all plain are skipped whole.
const (
	ones  = 0x0101010101010101 // 0x01 in each byte
	highs = 0x8080808080808080 // the high bit of each byte
)

// endsPlain reports whether one of the eight bytes of x is a quote, a
// backslash or a control character, anything but a plain byte. It may
// report true when there is none, never false when there is one.
func endsPlain(x uint64) bool {
	return hasZero(x^(ones*'"')) || hasZero(x^(ones*'\\')) || (x-ones*0x20)&^x&highs != 0
}

// hasZero reports whether a byte of x is zero.
func hasZero(x uint64) bool { return (x-ones)&^x&highs != 0 }

// number checks the number that starts at b[i] and returns the offset
// after it.
func (p *parser) number(i int) (int, error) {
	end, ok := numberEnd(p.b, i)
	if !ok {
		return end, errSyntax
	}
	return end, nil
}

// literal checks that b[i:] starts with lit and returns the offset after it.
func (p *parser) literal(i int, lit string) (int, error) {
	if !bytes.HasPrefix(p.b[i:], []byte(lit)) {
		return i, errSyntax
	}
	return i + len(lit), nil
}

// appendCompact appends the valid JSON text src to dst without the
// whitespace between its tokens.
func appendCompact(dst, src []byte) []byte {
	inString := false
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case inString:
			dst = append(dst, c)
			switch c {
			case '\\':
				i++
				dst = append(dst, src[i])
			case '"':
				inString = false
			}
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
		default:
			inString = c == '"'
			dst = append(dst, c)
		}
	}
	return dst
}
