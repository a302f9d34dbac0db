package engine

import (
	"errors"
	"fmt"
	"reflect"
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
	// reads, when set, gathers what the expressions compiled so far may
	// read of a task. The loader sets it; explain's compiler, which only
	// compiles parts of rules already loaded, does not.
	reads *reads
}

// optName is the function the optionalChains patch wraps a ?. chain in.
const optName = "_optional"

func newCompiler(rs *RuleSet) *compiler {
	return &compiler{options: append(boundedBuiltins(),
		expr.Env(&Env{}),
		// now() comes from Env, so that tests and eval can pin the clock.
		expr.DisableBuiltin("now"),
		expr.Timezone(rs.location.String()),
		expr.Function(optName, func(p ...any) (any, error) { return p[0], nil },
			new(func(any) any)),
		expr.Patch(optionalChains{}),
	)}
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
	p, err = expr.Compile(src, opts...)
	if err == nil && c.reads != nil {
		c.reads.add(src)
	}
	return p, err
}

// condition compiles a rule's when; nil after reporting a mistake.
func (c *compiler) condition(l *loader, n *yaml.Node, src string) *program {
	if strings.TrimSpace(src) == "" {
		l.errorf(n, "%q is empty: a rule needs a condition", "when")
		return nil
	}
	p, err := c.compile(src)
	if err == nil {
		err = boolean(p)
	}
	if err != nil {
		l.exprError(n, src, place{line: 1}, err)
		return nil
	}
	return &program{Program: p, spot: l.spot(n, place{line: 1})}
}

// boolean rejects a condition whose type is known at load time and is not
// bool. It stands in for expr.AsBool, which makes nil false at run time and
// so would hide a missing field behind a rule that silently never matches:
// a condition of unknown type is checked when it runs (see evaluation.rule).
func boolean(p *vm.Program) error {
	t := p.Node().Type()
	if t == nil || t.Kind() == reflect.Bool || t.Kind() == reflect.Interface {
		return nil
	}
	return fmt.Errorf("expected bool, but got %s", t)
}

// exprError reports a compile error of the expression src, which starts at
// place at inside the value of node n.
func (l *loader) exprError(n *yaml.Node, src string, at place, err error) {
	msg, where, ok := describe(err, src)
	if !ok {
		where = place{line: 1} // no place known: the start of the expression
	}
	line, col := l.spot(n, at).file(where)
	l.errorAt(line, col, "%s%s", msg, cutNote(n))
}

// cutNote explains a mistake in a plain value that a YAML comment may have
// cut short: an unquoted " #" ends the value there.
func cutNote(n *yaml.Node) string {
	if n.Style != 0 || n.LineComment == "" {
		return ""
	}
	return `; note that " #" starts a YAML comment, which cut this line short:` +
		` quote the expression or write it as a |- block`
}

var (
	noField    = regexp.MustCompile(`^type (\S+) has no field (\S+)$`)
	unexpected = regexp.MustCompile(`^unexpected token \w+\((".*")\)$`)
)

// describe rewrites an expr error as a person would say it, with its place
// inside src when expr knows it.
func describe(err error, src string) (string, place, bool) {
	var fe *file.Error
	if !errors.As(err, &fe) {
		msg, _, _ := strings.Cut(err.Error(), "\n")
		if t, ok := strings.CutPrefix(msg, "expected bool, but got "); ok {
			msg = fmt.Sprintf("the condition gives %s, not true or false", plainType(t))
		}
		return msg, place{}, false
	}

	// expr puts a stack trace after the message of a panic it recovered.
	msg, _, _ := strings.Cut(fe.Message, "\n")
	if name, ok := strings.CutPrefix(msg, "unknown name "); ok {
		msg = fmt.Sprintf("unknown name %q", name)
		if calledAt(src, fe.From+len([]rune(name))) {
			msg = fmt.Sprintf("unknown function %q", name)
		}
	} else if m := noField.FindStringSubmatch(msg); m != nil {
		msg = fmt.Sprintf("unknown field %q on %s", m[2], typeName(m[1]))
	} else if m := unexpected.FindStringSubmatch(msg); m != nil {
		msg = "unexpected " + m[1]
	} else if msg == "unexpected token EOF" {
		msg = "unexpected end of expression"
	}
	return msg, place{fe.Line, fe.Column}, fe.Line > 0
}

// plainType names a Go type from an expr error or a %T the way the rules
// language speaks of values.
func plainType(goType string) string {
	switch {
	case goType == "<nil>" || goType == "nil":
		return "nil"
	case goType == "string":
		return "text"
	case strings.HasPrefix(goType, "int") || strings.HasPrefix(goType, "uint") ||
		strings.HasPrefix(goType, "float"):
		return "a number"
	case goType == "time.Time" || goType == "*time.Time":
		return "a time"
	case goType == "time.Duration":
		return "a duration"
	case strings.HasPrefix(goType, "[]"):
		return "a list"
	case strings.HasPrefix(goType, "map["):
		return "a map"
	}
	return "a " + typeName(goType)
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
