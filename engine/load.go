package engine

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/rulebot/rulebot/internal/yamldoc"
)

// The keys a rules file knows, in the order they are listed to a person who
// mistyped one.
var (
	topKeys  = []string{"timezone", "answer_own_comments", "rules"}
	ruleKeys = []string{"name", "description", "when", "then", "stop", "enabled"}
)

// loader walks the YAML node tree of one rules file. It checks the file's
// shape itself rather than through yaml's struct decoding, so that every
// mistake is found, with its exact position, and none stops the walk.
type loader struct {
	file  string
	lines []string
	errs  ErrorList
	rule  string // the rule being read, for error messages
	comp  *compiler
}

func newLoader(file string, src []byte) *loader {
	return &loader{file: file, lines: strings.Split(string(src), "\n")}
}

func (l *loader) errorAt(line, col int, format string, args ...any) {
	e := &Error{File: l.file, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
	if l.rule != "" {
		e.Within = fmt.Sprintf("rule %q", l.rule)
	}
	l.errs = append(l.errs, e)
}

func (l *loader) errorf(n *yaml.Node, format string, args ...any) {
	l.errorAt(n.Line, n.Column, format, args...)
}

// load reads the whole file and returns the rules, or nil with l.errs set.
func (l *loader) load() *RuleSet {
	root := l.parseYAML()
	if root == nil {
		return nil
	}
	if root.Kind != yaml.MappingNode {
		l.errorf(root, "the file must be a mapping with a %q list", "rules")
		return nil
	}

	top := l.mapping(root, topKeys, "key", " at the top level")
	rs := &RuleSet{File: l.file}
	rs.location, rs.dateLocation = l.timezone(top["timezone"])
	rs.AnswerOwnComments = l.flag(top["answer_own_comments"], "answer_own_comments", false)
	l.comp = newCompiler(rs)
	l.comp.reads = new(reads)

	rules := top["rules"]
	switch {
	case rules == nil:
		l.errorf(root, "missing %q: the file must list its rules under %q", "rules", "rules")
	case rules.Kind != yaml.SequenceNode:
		l.errorf(rules, "%q must be a list of rules", "rules")
	default:
		rs.Rules = l.rules(rules)
		rs.olderComments = l.comp.reads.comments
		rs.fields = l.comp.reads.fieldSet()
	}
	if len(l.errs) > 0 {
		return nil
	}
	return rs
}

// parseYAML parses the file into its root node; nil when there is none.
func (l *loader) parseYAML() *yaml.Node {
	src := []byte(strings.Join(l.lines, "\n"))
	root, problems := yamldoc.Parse(src, yamldoc.Kind{File: "rules", Items: "rules"})
	for _, p := range problems {
		l.errorAt(p.Line, p.Column, "%s", p.Msg)
	}
	return root
}

// mapping returns the values of a mapping node by key, reporting unknown and
// duplicate keys. noun names a key ("key", "action") and where says where
// the mapping is, for the unknown-key message.
func (l *loader) mapping(n *yaml.Node, known []string, noun, where string) map[string]*yaml.Node {
	values, problems := yamldoc.Mapping(n, known, noun, where)
	for _, p := range problems {
		l.errorAt(p.Line, p.Column, "%s", p.Msg)
	}
	return values
}

// flag reads an optional true/false value.
func (l *loader) flag(n *yaml.Node, key string, dflt bool) bool {
	if n == nil {
		return dflt
	}
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		l.errorf(n, "%q must be true or false, not %q", key, n.Value)
		return dflt
	}
	return strings.EqualFold(n.Value, "true")
}

// scalar reads a required single value such as a name or an expression.
// A value that starts with "!" is a YAML tag, which YAML takes off the
// text (when: !task.is_closed is an empty condition), so it is refused.
func (l *loader) scalar(n *yaml.Node, key string) (string, bool) {
	switch {
	case n.Kind != yaml.ScalarNode && n.Style&yaml.FlowStyle != 0:
		l.errorf(n, "%q must be a single value, not a %s: YAML reads a value that starts"+
			" with %q as a %[2]s, so quote the whole value", key, yamldoc.KindName(n), flowOpener(n))
		return "", false
	case n.Kind != yaml.ScalarNode:
		l.errorf(n, "%q must be a single value, not a %s", key, yamldoc.KindName(n))
		return "", false
	case strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") && n.Tag != "!":
		l.errorf(n, "the value of %q starts with %q, which YAML reads as a tag and leaves out:"+
			" quote the whole value", key, n.Tag)
		return "", false
	}
	return n.Value, true
}

// flowOpener is the bracket that opens a mapping or list written on one
// line.
func flowOpener(n *yaml.Node) string {
	if n.Kind == yaml.SequenceNode {
		return "["
	}
	return "{"
}

// timezone reads the rules' timezone (UTC when absent) and the second,
// distinct location of the same zone that marks date-only values, so that
// they print as dates while comparing like any other time.
func (l *loader) timezone(n *yaml.Node) (loc, dateLoc *time.Location) {
	name := "UTC"
	if n != nil {
		name, _ = l.scalar(n, "timezone")
	}
	loc, err := time.LoadLocation(name)
	if err != nil || name == "" || name == "Local" {
		l.errorf(n, "unknown timezone %q: use a name such as Europe/Moscow or UTC", name)
		return time.UTC, dateLocation("UTC", time.UTC)
	}
	return loc, dateLocation(name, loc)
}

// dateLocations holds the date-marking location of each zone name. Every
// RuleSet of a zone shares it, so a task decoded for one RuleSet keeps its
// date-only values when a reload puts another in its place.
var dateLocations sync.Map // zone name -> *time.Location

// dateLocation gives the date-marking location of the zone loc, named name:
// a location distinct from loc with the same rules.
func dateLocation(name string, loc *time.Location) *time.Location {
	if d, ok := dateLocations.Load(name); ok {
		return d.(*time.Location)
	}
	d := time.FixedZone("UTC", 0)
	if loc != time.UTC {
		d, _ = time.LoadLocation(name)
	}
	stored, _ := dateLocations.LoadOrStore(name, d)
	return stored.(*time.Location)
}
