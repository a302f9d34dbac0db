package ruletest

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/rulebot/rulebot/pyrus"

	"github.com/rulebot/rulebot/internal/yamldoc"
)

// The keys a test file knows, in the order they are listed to a person who
// mistyped one.
var (
	topKeys    = []string{"tests"}
	caseKeys   = []string{"name", "task", "now", "expect"}
	expectKeys = []string{"matched", "response", "empty", "errors"}
)

// responseKeys are the keys of an answer: the JSON names of a Pyrus
// comment request.
var responseKeys = jsonNames(reflect.TypeFor[pyrus.CommentRequest]())

func jsonNames(t reflect.Type) []string {
	var names []string
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			names = append(names, name)
		}
	}
	return names
}

// loader walks the YAML node tree of one test file, reporting every
// mistake with its position rather than stopping at the first.
type loader struct {
	file string
	errs ErrorList
	name string // the case being read, for error messages
}

func (l *loader) errorf(n *yaml.Node, format string, args ...any) {
	l.errorAt(n.Line, n.Column, fmt.Sprintf(format, args...))
}

func (l *loader) errorAt(line, col int, msg string) {
	e := &Error{File: l.file, Line: line, Column: col, Msg: msg}
	if l.name != "" {
		e.Within = fmt.Sprintf("case %q", l.name)
	}
	l.errs = append(l.errs, e)
}

// load reads the whole file; nil with l.errs set when it has mistakes.
func (l *loader) load(src []byte) *Suite {
	root := l.parseYAML(src)
	if root == nil {
		return nil
	}
	if root.Kind != yaml.MappingNode {
		l.errorf(root, "the file must be a mapping with a %q list", "tests")
		return nil
	}
	s := &Suite{File: l.file, lines: strings.Split(string(src), "\n")}
	top := l.mapping(root, topKeys, " at the top level")
	switch tests := top["tests"]; {
	case tests == nil:
		l.errorf(root, "missing %q: the file must list its cases under %q", "tests", "tests")
	case tests.Kind != yaml.SequenceNode:
		l.errorf(tests, "%q must be a list of cases", "tests")
	default:
		s.tests = tests
		s.Cases = l.cases(tests)
	}
	if len(l.errs) > 0 {
		return nil
	}
	return s
}

// parseYAML parses src into its root node; nil when there is none.
func (l *loader) parseYAML(src []byte) *yaml.Node {
	root, problems := yamldoc.Parse(src, yamldoc.Kind{File: "test", Items: "tests"})
	for _, p := range problems {
		l.errorAt(p.Line, p.Column, p.Msg)
	}
	return root
}

// cases reads every case of the list.
func (l *loader) cases(list *yaml.Node) []*Case {
	cases := make([]*Case, 0, len(list.Content))
	names := make(map[string]int)
	for i, n := range list.Content {
		n = yamldoc.Resolve(n)
		l.name = fmt.Sprintf("#%d", i+1)
		if n.Kind != yaml.MappingNode {
			l.errorf(n, "a case must be a mapping with name, task and expect")
			continue
		}
		if c := l.caseAt(n, names); c != nil {
			cases = append(cases, c)
		}
	}
	l.name = ""
	return cases
}

// caseAt reads one case; nil when it has a mistake.
func (l *loader) caseAt(n *yaml.Node, names map[string]int) *Case {
	errs := len(l.errs)
	c := &Case{Line: n.Line, node: n}

	// The name comes first so that every other message can carry it.
	c.Name = l.caseName(n, yamldoc.Lookup(n, "name"), names)
	keys := l.mapping(n, caseKeys, " in a case")
	switch task := yamldoc.Present(keys["task"]); {
	case task == nil:
		l.errorf(n, "missing %q: a case needs the path of a task fixture", "task")
	default:
		c.Task = l.text(task, "task")
	}
	if now := yamldoc.Present(keys["now"]); now != nil {
		c.Now = l.now(now)
	}
	if e := yamldoc.Present(keys["expect"]); e != nil {
		c.Expect = l.expect(e)
	}
	if len(l.errs) > errs {
		return nil
	}
	return c
}

// caseName reads a case's name, which must be unique in the file; names
// maps each name seen so far to its line.
func (l *loader) caseName(c, n *yaml.Node, names map[string]int) string {
	if yamldoc.Present(n) == nil {
		l.errorf(c, "missing %q: a case needs a unique name", "name")
		return ""
	}
	name := l.text(n, "name")
	if name == "" {
		return ""
	}
	l.name = name
	if first, dup := names[name]; dup {
		l.errorf(n, "duplicate case name (first at line %d)", first)
	} else {
		names[name] = n.Line
	}
	return name
}

// now checks a case's clock: RFC 3339, or a date that means its midnight
// in the rules' timezone, which is known only when the case runs.
func (l *loader) now(n *yaml.Node) string {
	s := l.text(n, "now")
	if s == "" {
		return ""
	}
	if _, err := time.Parse(time.RFC3339, s); err == nil {
		return s
	}
	if _, err := time.Parse(time.DateOnly, s); err == nil {
		return s
	}
	l.errorf(n, "%q %q is neither RFC 3339 (2025-03-05T10:00:00Z) nor a date (2025-03-05)",
		"now", s)
	return ""
}

// expect reads what a case checks.
func (l *loader) expect(n *yaml.Node) Expect {
	var e Expect
	if n.Kind != yaml.MappingNode {
		l.errorf(n, "%q must be a mapping of matched, response, empty and errors", "expect")
		return e
	}
	keys := l.mapping(n, expectKeys, " in expect")
	if v := keys["matched"]; v != nil {
		e.Matched = l.names(v, "matched")
	}
	if v := keys["errors"]; v != nil {
		e.Errors = l.names(v, "errors")
	}
	if v := keys["empty"]; v != nil {
		e.Empty = l.flag(v, "empty")
	}
	if v := keys["response"]; v != nil {
		e.Response = l.response(v)
	}
	return e
}

// names reads a list of rule names; never nil, so that [] checks for none.
func (l *loader) names(n *yaml.Node, key string) []string {
	names := []string{}
	if yamldoc.Present(n) == nil {
		return names
	}
	if n.Kind != yaml.SequenceNode {
		l.errorf(n, "%q must be a list of rule names, such as [big-purchase-to-cfo]", key)
		return names
	}
	for _, item := range n.Content {
		if name := l.text(yamldoc.Resolve(item), key); name != "" {
			names = append(names, name)
		}
	}
	return names
}

// response reads the expected keys of the answer, in JSON form.
func (l *loader) response(n *yaml.Node) map[string]any {
	if n.Kind != yaml.MappingNode {
		l.errorf(n, "%q must be a mapping of keys of the answer, such as text:", "response")
		return nil
	}
	values := l.mapping(n, responseKeys, " in response")
	want := make(map[string]any, len(values))
	for key, v := range values {
		if want[key] = l.jsonValue(v); want[key] == errValue {
			return nil
		}
	}
	return want
}

// errValue stands for a value that could not be read.
var errValue = &struct{}{}

// jsonValue reads a YAML value as the JSON of an answer holds it: numbers
// are float64, times RFC 3339 text.
func (l *loader) jsonValue(n *yaml.Node) any {
	var v any
	if err := n.Decode(&v); err != nil {
		l.errorf(n, "cannot read this value: %v", err)
		return errValue
	}
	if v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err == nil {
		err = json.Unmarshal(b, &v)
	}
	if err != nil {
		l.errorf(n, "this value has no JSON form: %v", err)
		return errValue
	}
	return v
}

// text reads a single, non-empty value such as a name or a path.
func (l *loader) text(n *yaml.Node, key string) string {
	if n.Kind != yaml.ScalarNode {
		l.errorf(n, "%q must be a single value, not a %s", key, yamldoc.KindName(n))
		return ""
	}
	if strings.TrimSpace(n.Value) == "" {
		l.errorf(n, "%q is empty", key)
		return ""
	}
	return n.Value
}

// flag reads a true/false value.
func (l *loader) flag(n *yaml.Node, key string) *bool {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		l.errorf(n, "%q must be true or false, not %q", key, n.Value)
		return nil
	}
	b := strings.EqualFold(n.Value, "true")
	return &b
}

// mapping returns the values of a mapping node by key, reporting unknown
// and duplicate keys; where says where the mapping is.
func (l *loader) mapping(n *yaml.Node, known []string, where string) map[string]*yaml.Node {
	values, problems := yamldoc.Mapping(n, known, "key", where)
	for _, p := range problems {
		l.errorAt(p.Line, p.Column, p.Msg)
	}
	return values
}
