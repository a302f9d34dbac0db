package engine

import (
	"fmt"
	"reflect"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/rulebot/rulebot/pyrus"
)

// template is text with {{ expression }} parts, split and compiled once at
// load. Task data enters only as values of the expressions and the rendered
// text is never scanned again, so "{{ }}" inside a task stays text.
type template struct {
	parts []part
	// size is what render makes room for at once: the literal text and
	// a guess for each expression's value, so that the usual comment is
	// built in one allocation instead of a few doublings.
	size int
}

// valueGuess is the room render makes for one expression's value.
const valueGuess = 24

// part is literal text, or an expression when program is set.
type part struct {
	text    string
	program *program
}

// compileTemplate splits and compiles the template src held by node n;
// nil after reporting a mistake.
func (c *compiler) template(l *loader, n *yaml.Node, src string) *template {
	t := &template{}
	ok := true
	rest, at := src, place{line: 1}
	for rest != "" {
		open := strings.Index(rest, "{{")
		if open < 0 {
			t.parts = append(t.parts, part{text: rest})
			break
		}
		if open > 0 {
			t.parts = append(t.parts, part{text: rest[:open]})
		}
		at = at.plus(advance(rest[:open+2]))
		body := rest[open+2:]
		end := strings.Index(body, "}}")
		if end < 0 {
			l.reportAt(n, at.plus(place{col: -2}), "unclosed {{ in template: add }}")
			return nil
		}
		if p := c.part(l, n, body[:end], at); p != nil {
			t.parts = append(t.parts, part{program: p})
		} else {
			ok = false
		}
		at = at.plus(advance(body[:end+2]))
		rest = body[end+2:]
	}
	if !ok {
		return nil
	}
	for _, p := range t.parts {
		t.size += len(p.text)
		if p.program != nil {
			t.size += valueGuess
		}
	}
	return t
}

// part compiles the expression of one {{ }} at place at.
func (c *compiler) part(l *loader, n *yaml.Node, src string, at place) *program {
	if strings.TrimSpace(src) == "" {
		l.reportAt(n, at.plus(place{col: -2}), "empty {{ }} in template")
		return nil
	}
	p, err := c.compile(src)
	if err == nil {
		err = printable(p.Node().Type(), strings.TrimSpace(src))
	}
	if err != nil {
		l.exprError(n, src, at, err)
		return nil
	}
	return &program{Program: p, spot: l.spot(n, at)}
}

// printable rejects a {{ }} whose value is known to print badly: a
// function that was not called, or a whole task, comment or other object
// that has no printed form of its own.
func printable(t reflect.Type, src string) error {
	list := false
	for t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
		t, list = t.Elem(), true
	}
	switch {
	case t == nil:
		return nil
	case t.Kind() == reflect.Func:
		return fmt.Errorf("%s is a function: call it, as in %s()", src, src)
	case printsItself[t]:
		return nil
	case !isObject(t):
		return nil
	case list:
		return fmt.Errorf("cannot print a list of %ss whole: print a field of each,"+
			" as in map(%s, .id)", typeName(t.String()), src)
	default:
		return fmt.Errorf("cannot print a whole %s: print one of its fields, such as %s.id",
			typeName(t.String()), src)
	}
}

// isObject reports whether t is a struct or a pointer to one.
func isObject(t reflect.Type) bool {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Kind() == reflect.Struct
}

// printsItself lists the object types that templates print in a form of
// their own (see writeValue).
var printsItself = map[reflect.Type]bool{
	reflect.TypeFor[time.Time]():          true,
	reflect.TypeFor[*time.Time]():         true,
	reflect.TypeFor[*pyrus.Person]():      true,
	reflect.TypeFor[*pyrus.Catalog]():     true,
	reflect.TypeFor[pyrus.File]():         true,
	reflect.TypeFor[*pyrus.FormLink]():    true,
	reflect.TypeFor[*pyrus.ProjectList](): true,
	reflect.TypeFor[pyrus.Project]():      true,
}

// reportAt reports a mistake at a place inside the value of node n.
func (l *loader) reportAt(n *yaml.Node, at place, msg string) {
	line, col := l.spot(n, at).file(place{line: 1})
	l.errorAt(line, col, "%s%s", msg, cutNote(n))
}

// advance is the offset from the start of s to its end.
func advance(s string) place {
	nl := strings.LastIndexByte(s, '\n')
	if nl < 0 {
		return place{line: 1, col: len([]rune(s))}
	}
	return place{line: 1 + strings.Count(s, "\n"), col: len([]rune(s[nl+1:]))}
}

// render evaluates the template for one task. A line that held only
// expressions which all printed nothing is dropped whole, so an absent value
// leaves no blank line behind; the result is trimmed of surrounding space.
func (t *template) render(ev *evaluation) (string, error) {
	var b strings.Builder
	b.Grow(t.size)
	lineStart, lineHasExpr, lineHasText := 0, false, false
	endLine := func() bool {
		if lineHasExpr && !lineHasText && strings.TrimSpace(b.String()[lineStart:]) == "" {
			// Drop what the line printed, and its line break.
			s := b.String()[:lineStart]
			b.Reset()
			b.WriteString(s)
			return false
		}
		return true
	}

	for _, p := range t.parts {
		if p.program != nil {
			v, err := ev.run(p.program)
			if err != nil {
				return "", err
			}
			lineHasExpr = true
			writeValue(&b, v, ev.rules)
			continue
		}
		for text := p.text; text != ""; {
			line, rest, more := strings.Cut(text, "\n")
			b.WriteString(line)
			lineHasText = lineHasText || strings.TrimSpace(line) != ""
			if !more {
				break
			}
			if endLine() {
				b.WriteByte('\n')
			}
			lineStart, lineHasExpr, lineHasText = b.Len(), false, false
			text = rest
		}
	}
	endLine()
	return strings.TrimSpace(b.String()), nil
}
