package engine

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
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
	l.errs = append(l.errs, &Error{
		File: l.file, Line: line, Column: col, Rule: l.rule,
		Msg: fmt.Sprintf(format, args...),
	})
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

	rules := top["rules"]
	switch {
	case rules == nil:
		l.errorf(root, "missing %q: the file must list its rules under %q", "rules", "rules")
	case rules.Kind != yaml.SequenceNode:
		l.errorf(rules, "%q must be a list of rules", "rules")
	default:
		rs.Rules = l.rules(rules)
	}
	if len(l.errs) > 0 {
		return nil
	}
	return rs
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// parseYAML parses the file into its root node; nil when there is none.
func (l *loader) parseYAML() *yaml.Node {
	src := []byte(strings.Join(l.lines, "\n"))
	if len(bytes.TrimSpace(src)) == 0 {
		l.errorAt(1, 1, "empty file")
		return nil
	}

	if !l.text(src) {
		return nil
	}

	dec := yaml.NewDecoder(bytes.NewReader(src))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil && err != io.EOF {
		// yaml names the line before a tab, or none, so tabs are found here.
		if !l.tabs() {
			l.syntaxError(err)
		}
		return nil
	}
	var next yaml.Node
	if dec.Decode(&next) != io.EOF {
		l.errorAt(max(next.Line, 1), 1, "a second YAML document: a rules file holds one,"+
			" so remove the \"---\" line and merge the rules into one list")
		return nil
	}
	if len(doc.Content) == 0 {
		l.errorAt(1, 1, "empty file: no rules, only comments")
		return nil
	}
	root := resolve(doc.Content[0])
	if present(root) == nil {
		// "---" alone puts a null value after the last line.
		l.errorAt(1, 1, "empty file: no rules")
		return nil
	}
	return root
}

// maxTabErrors bounds the tab mistakes reported, so that a file indented
// with tabs throughout gives a screenful, not hundreds of lines.
const maxTabErrors = 10

// tabs reports the lines indented with a tab; YAML indents with spaces.
func (l *loader) tabs() bool {
	found := 0
	for i, line := range l.lines {
		indent := line[:len(line)-len(strings.TrimLeft(line, " \t"))]
		col := strings.IndexByte(indent, '\t')
		if col < 0 {
			continue
		}
		if found++; found > maxTabErrors {
			l.errorAt(i+1, col+1, "more lines indented with tabs follow: replace every tab with spaces")
			break
		}
		l.errorAt(i+1, col+1, "tab character in indentation: YAML indents with spaces only")
	}
	return found > 0
}

// text reports whether src is UTF-8 text, as a rules file must be; else it
// reports the first byte that is not, once.
func (l *loader) text(src []byte) bool {
	bad := bytes.IndexByte(src, 0)
	if !utf8.Valid(src) {
		i := 0
		for i < len(src) {
			r, size := utf8.DecodeRune(src[i:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			i += size
		}
		if bad < 0 || i < bad {
			bad = i
		}
	}
	if bad < 0 {
		return true
	}
	before := src[:bad]
	line := 1 + bytes.Count(before, []byte("\n"))
	col := 1 + utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:])
	l.errorAt(line, col, "not a text file: a rules file must be UTF-8 text")
	return false
}

func (l *loader) syntaxError(err error) {
	msg := err.Error()
	line := 1
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	l.errorAt(line, 1, "YAML syntax error: %s%s", msg, yamlHints[msg])
}

// yamlHints explain the YAML syntax errors that unquoted rules text often
// causes.
var yamlHints = map[string]string{
	"mapping values are not allowed in this context": `; if a value holds ": ", quote it`,
	"found character that cannot start any token":    "; if a value starts with @ or `, quote it",
	"did not find expected key":                      `; if a value starts with "{{", quote it`,
	"did not find expected alphabetic or numeric character": `; if a value starts with` +
		` "!", "&" or "*", quote it`,
}

// resolve follows an alias to the node it names.
func resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// mapping returns the values of a mapping node by key, reporting unknown and
// duplicate keys. noun names a key ("key", "action") and where says where
// the mapping is, for the unknown-key message.
func (l *loader) mapping(n *yaml.Node, known []string, noun, where string) map[string]*yaml.Node {
	values := make(map[string]*yaml.Node, len(n.Content)/2)
	keys := make(map[string]*yaml.Node, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolve(n.Content[i+1])
		if first, dup := keys[k.Value]; dup {
			l.errorf(k, "duplicate key %q (first at line %d)", k.Value, first.Line)
			continue
		}
		keys[k.Value] = k
		if known != nil && !slices.Contains(known, k.Value) {
			l.errorf(k, "unknown %s %q%s; known %ss: %s",
				noun, k.Value, where, noun, strings.Join(known, ", "))
			continue
		}
		values[k.Value] = v
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
			" with %q as a %[2]s, so quote the whole value", key, kindName(n), flowOpener(n))
		return "", false
	case n.Kind != yaml.ScalarNode:
		l.errorf(n, "%q must be a single value, not a %s", key, kindName(n))
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

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	default:
		return "value"
	}
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
