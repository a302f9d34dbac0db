package engine

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"
	"go.yaml.in/yaml/v3"
)

// compiler turns the expressions of one rules file into programs, all
// checked against the typed environment Env.
type compiler struct {
	options []expr.Option
}

// optName is the function the optionalChains patch wraps a ?. chain in.
const optName = "_optional"

func newCompiler(rs *RuleSet) *compiler {
	return &compiler{options: []expr.Option{
		expr.Env(&Env{}),
		// now() comes from Env, so that tests and eval can pin the clock.
		expr.DisableBuiltin("now"),
		expr.Timezone(rs.location.String()),
		expr.Function(optName, func(p ...any) (any, error) { return p[0], nil },
			new(func(any) any)),
		expr.Patch(optionalChains{}),
	}}
}

// optionalChains gives every ?. chain the type any. Left typed, a chain that
// stops at nil breaks the comparison after it (task.responsible?.email == "x"
// fails instead of being false), because expr picks a string-only operator.
type optionalChains struct{}

func (optionalChains) Visit(node *ast.Node) {
	chain, ok := (*node).(*ast.ChainNode)
	if !ok {
		return
	}
	ast.Patch(node, &ast.CallNode{
		Callee:    &ast.IdentifierNode{Value: optName},
		Arguments: []ast.Node{chain},
	})
}

// compile compiles src with the given extra options. expr has panicked on
// odd input before, so a panic becomes an error here.
func (c *compiler) compile(src string, extra ...expr.Option) (p *vm.Program, err error) {
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, fmt.Errorf("cannot compile this expression: %v", r)
		}
	}()
	opts := append(c.options[:len(c.options):len(c.options)], extra...)
	return expr.Compile(src, opts...)
}

// condition compiles a rule's when; nil after reporting a mistake.
func (c *compiler) condition(l *loader, n *yaml.Node, src string) *vm.Program {
	if strings.TrimSpace(src) == "" {
		l.errorf(n, "%q is empty", "when")
		return nil
	}
	p, err := c.compile(src, expr.AsBool())
	if err != nil {
		l.exprError(n, src, place{line: 1}, err)
		return nil
	}
	return p
}

// place is a position inside a scalar's value: line 1-based, col 0-based,
// both in characters.
type place struct{ line, col int }

// plus moves p by an offset measured from p.
func (p place) plus(q place) place {
	if q.line <= 1 {
		return place{p.line, p.col + q.col}
	}
	return place{p.line + q.line - 1, q.col}
}

// exprError reports a compile error of the expression src, which starts at
// place at inside the value of node n.
func (l *loader) exprError(n *yaml.Node, src string, at place, err error) {
	msg, where, ok := describe(err, src)
	line, col := n.Line, n.Column
	if ok {
		line, col = l.position(n, at.plus(where))
	}
	if n.Style == 0 && n.LineComment != "" {
		msg += `; note that " #" starts a YAML comment, which cut this line short:` +
			` quote the expression or write it as a |- block`
	}
	l.errorAt(line, col, "%s", msg)
}

var noField = regexp.MustCompile(`^type (\S+) has no field (\S+)$`)

// describe rewrites an expr error as a person would say it, with its place
// inside src when expr knows it.
func describe(err error, src string) (string, place, bool) {
	var fe *file.Error
	if !errors.As(err, &fe) {
		msg := err.Error()
		if t, ok := strings.CutPrefix(msg, "expected bool, but got "); ok {
			msg = fmt.Sprintf("the condition gives %s, not true or false", t)
		}
		return msg, place{}, false
	}

	msg := fe.Message
	if name, ok := strings.CutPrefix(msg, "unknown name "); ok {
		msg = fmt.Sprintf("unknown name %q", name)
		if calledAt(src, fe.From+len([]rune(name))) {
			msg = fmt.Sprintf("unknown function %q", name)
		}
	} else if m := noField.FindStringSubmatch(msg); m != nil {
		msg = fmt.Sprintf("unknown field %q on %s", m[2], typeName(m[1]))
	}
	return msg, place{fe.Line, fe.Column}, fe.Line > 0
}

// calledAt reports whether a call's "(" follows rune offset i of src.
func calledAt(src string, i int) bool {
	r := []rune(src)
	for i < len(r) && unicode.IsSpace(r[i]) {
		i++
	}
	return i < len(r) && r[i] == '('
}

// typeName gives the rules-language name of a Go type from an expr error.
func typeName(goType string) string {
	name := goType[strings.LastIndexAny(goType, ".*")+1:]
	switch name {
	case "FormField":
		return "form field"
	case "ApprovalEntry":
		return "approval"
	}
	return strings.ToLower(name)
}

// position maps a place inside the value of node n to the file. Literal
// blocks map exactly; folded and multi-line flow scalars lose their line
// breaks, so inside them only the first line maps exactly.
func (l *loader) position(n *yaml.Node, p place) (int, int) {
	switch {
	case n.Style&yaml.LiteralStyle != 0:
		return n.Line + p.line, l.blockIndent(n) + 1 + p.col
	case n.Style&yaml.FoldedStyle != 0:
		return n.Line + 1, l.blockIndent(n) + 1
	case p.line > 1:
		return n.Line, n.Column
	case n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) != 0:
		return n.Line, n.Column + 1 + p.col
	default:
		return n.Line, n.Column + p.col
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
