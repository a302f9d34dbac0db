// Package yamldoc reads the YAML files that people write for rulebot (rules
// and rule tests) strictly, as node trees with positions. Every mistake it
// finds is a Problem at a line and column, so that the loaders built on it
// can report all of a file's mistakes at once.
package yamldoc

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Problem is one mistake at a 1-based line and column (in characters).
type Problem struct {
	Line, Column int
	Msg          string
}

func at(line, col int, format string, args ...any) Problem {
	return Problem{Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
}

// Kind names a kind of file and what it lists, for messages: a "rules"
// file lists "rules", a "test" file "cases".
type Kind struct {
	File, Items string
}

// Parse parses src, a file of the given kind, into its root node. When it
// gives problems the root is nil. An empty file, a file that is not UTF-8
// text, a tab in the indentation and a second YAML document are problems,
// as is a syntax error.
func Parse(src []byte, kind Kind) (*yaml.Node, []Problem) {
	if len(bytes.TrimSpace(src)) == 0 {
		return nil, []Problem{at(1, 1, "empty file")}
	}
	if p, ok := notText(src, kind); !ok {
		return nil, []Problem{p}
	}

	dec := yaml.NewDecoder(bytes.NewReader(src))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil && err != io.EOF {
		// yaml names the line before a tab, or none, so tabs are found here.
		if tabs := tabs(src); len(tabs) > 0 {
			return nil, tabs
		}
		return nil, []Problem{syntaxError(err)}
	}
	var next yaml.Node
	if dec.Decode(&next) != io.EOF {
		return nil, []Problem{at(max(next.Line, 1), 1, "a second YAML document: a %s file"+
			" holds one, so remove the \"---\" line and merge the %s into one list",
			kind.File, kind.Items)}
	}
	if len(doc.Content) == 0 {
		return nil, []Problem{at(1, 1, "empty file: no %s, only comments", kind.Items)}
	}
	root := Resolve(doc.Content[0])
	if Present(root) == nil {
		// "---" alone puts a null value after the last line.
		return nil, []Problem{at(1, 1, "empty file: no %s", kind.Items)}
	}
	return root, nil
}

// maxTabs bounds the tab mistakes reported, so that a file indented with
// tabs throughout gives a screenful, not hundreds of lines.
const maxTabs = 10

// tabs reports the lines indented with a tab; YAML indents with spaces.
func tabs(src []byte) []Problem {
	var out []Problem
	for i, line := range strings.Split(string(src), "\n") {
		indent := line[:len(line)-len(strings.TrimLeft(line, " \t"))]
		col := strings.IndexByte(indent, '\t')
		if col < 0 {
			continue
		}
		if len(out) == maxTabs {
			return append(out, at(i+1, col+1,
				"more lines indented with tabs follow: replace every tab with spaces"))
		}
		out = append(out, at(i+1, col+1,
			"tab character in indentation: YAML indents with spaces only"))
	}
	return out
}

// notText finds the first byte of src that is not UTF-8 text, if any.
func notText(src []byte, kind Kind) (Problem, bool) {
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
		return Problem{}, true
	}
	before := src[:bad]
	line := 1 + bytes.Count(before, []byte("\n"))
	col := 1 + utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:])
	return at(line, col, "not a text file: a %s file must be UTF-8 text", kind.File), false
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// syntaxError places a yaml syntax error at its line; yaml gives no column.
func syntaxError(err error) Problem {
	msg, line := err.Error(), 1
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	return at(line, 1, "YAML syntax error: %s%s", msg, hints[msg])
}

// hints explain the YAML syntax errors that unquoted text often causes.
var hints = map[string]string{
	"mapping values are not allowed in this context": `; if a value holds ": ", quote it`,
	"found character that cannot start any token":    "; if a value starts with @ or `, quote it",
	"did not find expected key":                      `; if a value starts with "{{", quote it`,
	"did not find expected alphabetic or numeric character": `; if a value starts with` +
		` "!", "&" or "*", quote it`,
}

// Mapping returns the values of a mapping node by key, with a problem for
// each duplicate key and each key not in known. noun names a key ("key",
// "action") and where says where the mapping is, for the message.
func Mapping(n *yaml.Node, known []string, noun, where string) (map[string]*yaml.Node, []Problem) {
	values := make(map[string]*yaml.Node, len(n.Content)/2)
	lines := make(map[string]int, len(n.Content)/2)
	var problems []Problem
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], Resolve(n.Content[i+1])
		if first, dup := lines[k.Value]; dup {
			problems = append(problems, at(k.Line, k.Column,
				"duplicate key %q (first at line %d)", k.Value, first))
			continue
		}
		lines[k.Value] = k.Line
		if known != nil && !slices.Contains(known, k.Value) {
			problems = append(problems, at(k.Line, k.Column, "unknown %s %q%s; known %ss: %s",
				noun, k.Value, where, noun, strings.Join(known, ", ")))
			continue
		}
		values[k.Value] = v
	}
	return values, problems
}

// Lookup returns the value of the first key of a mapping node, or nil.
func Lookup(n *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return Resolve(n.Content[i+1])
		}
	}
	return nil
}

// Present returns n unless it is missing or an empty (null) value.
func Present(n *yaml.Node) *yaml.Node {
	if n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null") {
		return nil
	}
	return n
}

// Resolve follows an alias to the node it names.
func Resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// KindName says what a node is, for messages: a mapping, a list or a value.
func KindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	}
	return "value"
}
