package engine

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"
	"go.yaml.in/yaml/v3"
)

// place is a position inside a scalar's value or an expression: line
// 1-based, col 0-based, both in characters, as expr and yaml count them.
type place struct{ line, col int }

// plus moves p by an offset measured from p.
func (p place) plus(q place) place {
	if q.line <= 1 {
		return place{p.line, p.col + q.col}
	}
	return place{p.line + q.line - 1, q.col}
}

// spot is where an expression sits in the rules file: what of its YAML node
// is needed to turn a place inside the expression into a line and column of
// the file, at load time and at run time alike.
type spot struct {
	line, col int        // of the node
	style     yaml.Style // of the node
	indent    int        // of a block scalar's lines
	at        place      // where the expression starts inside the value
	chars     [][]fpos   // where each character of the value is; see valueMap
}

// spot gives the spot of an expression starting at place at inside the
// value of node n.
func (l *loader) spot(n *yaml.Node, at place) spot {
	s := spot{line: n.Line, col: n.Column, style: n.Style, at: at, chars: l.valueMap(n)}
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		s.indent = l.blockIndent(n)
	}
	return s
}

// file maps a place inside the expression to the file: through the value
// map when there is one, else by offsets from the node, which is exact for
// literal blocks and for values that are a plain copy of one source line.
func (s spot) file(p place) (line, col int) {
	p = s.at.plus(p)
	if p.line >= 1 && p.line <= len(s.chars) {
		if chars := s.chars[p.line-1]; p.col < len(chars) {
			return chars[p.col].line, chars[p.col].col
		} else if len(chars) > 0 {
			last := chars[len(chars)-1] // the end of the value
			return last.line, last.col + 1
		}
	}
	switch {
	case s.style&yaml.LiteralStyle != 0:
		return s.line + p.line, s.indent + 1 + p.col
	case s.style&yaml.FoldedStyle != 0:
		return s.line + 1, s.indent + 1
	case p.line > 1:
		return s.line, s.col
	case s.style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) != 0:
		return s.line, s.col + 1 + p.col
	default:
		return s.line, s.col + p.col
	}
}

// blockIndent counts the spaces before the text of the block scalar n:
// as its indentation indicator says (|2 is two more than the key's), else
// as its first non-blank line has.
func (l *loader) blockIndent(n *yaml.Node) int {
	if m := indicator.FindStringSubmatch(l.header(n)); m != nil {
		key := l.lines[n.Line-1]
		keyIndent := len(key) - len(strings.TrimLeft(key, " -"))
		return keyIndent + int(m[1][0]-'0')
	}
	for _, line := range l.lines[min(n.Line, len(l.lines)):] {
		if strings.TrimSpace(line) != "" {
			return len(line) - len(strings.TrimLeft(line, " "))
		}
	}
	return 0
}

// program is a compiled expression and where it stands in the file, so
// that a run-time error can point at the token that failed.
type program struct {
	*vm.Program
	spot spot
}

// runError is an expression that failed at run time, at a line and column
// of the rules file.
type runError struct {
	line, col int
	msg       string
}

func (e *runError) Error() string { return e.msg }

// located turns an error of expr's VM into a runError, placed in the file
// when expr knows where, and on one line.
func (p *program) located(err error) error {
	line, col := p.spot.file(place{line: 1})
	msg := err.Error()
	var fe *file.Error
	if errors.As(err, &fe) {
		msg = fe.Message
		if fe.Line > 0 {
			line, col = p.spot.file(place{fe.Line, fe.Column})
		}
	}
	msg, _, _ = strings.Cut(msg, "\n") // a recovered panic may carry a stack trace
	return &runError{line: line, col: col, msg: runMessage(msg)}
}

// runMessage rewrites the run-time errors analysts meet most often.
func runMessage(msg string) string {
	if msg == "invalid operation: int(string)" {
		// expr's words for reading a member, such as settings.limit, of text.
		return "cannot read a member of text: the value is text, not an object" +
			" (settings is text when the bot's Settings box is not a JSON object)"
	}
	if t, ok := strings.CutPrefix(msg, "interface conversion: interface {} is nil, not "); ok {
		return fmt.Sprintf("got nil where %s was expected: the value is absent"+
			" (give a default with ?? or test it with != nil)", plainType(t))
	}
	return strings.Join(strings.Fields(msg), " ")
}

// indicator finds the indentation indicator of a block scalar's header,
// such as the 2 of |2- or >-2.
var indicator = regexp.MustCompile(`^[|>][+-]?([1-9])`)

// header is the source of a block scalar from its | or > on.
func (l *loader) header(n *yaml.Node) string {
	if n.Line < 1 || n.Line > len(l.lines) {
		return ""
	}
	line := []rune(l.lines[n.Line-1])
	return string(line[min(n.Column-1, len(line)):])
}
