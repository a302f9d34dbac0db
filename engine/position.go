package engine

import (
	"errors"
	"fmt"
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
}

// spot gives the spot of an expression starting at place at inside the
// value of node n.
func (l *loader) spot(n *yaml.Node, at place) spot {
	s := spot{line: n.Line, col: n.Column, style: n.Style, at: at}
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		s.indent = l.blockIndent(n)
	}
	return s
}

// file maps a place inside the expression to the file. Literal blocks map
// exactly; folded and multi-line flow scalars lose their line breaks, so
// inside them only the first line maps exactly.
func (s spot) file(p place) (line, col int) {
	p = s.at.plus(p)
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

// blockIndent counts the spaces before the first non-blank line of the
// block scalar n.
func (l *loader) blockIndent(n *yaml.Node) int {
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
