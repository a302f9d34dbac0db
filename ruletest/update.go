package ruletest

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/rulebot/rulebot/internal/yamldoc"
)

// Update writes what came out as the expectations of the cases of s that
// failed, errored on a rule that failed, or checked nothing, and returns
// how many it changed. Cases that could not run are left as they are.
//
// Only the expect block of each such case is rewritten: it is edited as a
// YAML node tree, which keeps the comments inside it, and put back in
// place of its old lines, so the rest of the file (comments, blank lines,
// quoting, the order of the cases) stays as it was, byte for byte. The
// file is replaced atomically.
func (s *Suite) Update(results []*Result) (int, error) {
	src, n, err := s.updated(results)
	if err != nil || n == 0 {
		return 0, err
	}
	if err := writeAtomically(s.File, src); err != nil {
		return 0, fmt.Errorf("update %s: %w", s.File, err)
	}
	return n, nil
}

// updated is the source of s with the expectations that Update writes,
// and how many cases it changed.
func (s *Suite) updated(results []*Result) ([]byte, int, error) {
	var edits []edit
	for _, r := range results {
		if !r.Got.Ran || r.Status == Passed {
			continue
		}
		e, err := s.updateCase(r)
		if err != nil {
			return nil, 0, err
		}
		edits = append(edits, e)
	}
	if len(edits) == 0 {
		return nil, 0, nil
	}

	src := s.apply(edits)
	if _, err := Parse(s.File, src); err != nil {
		return nil, 0, fmt.Errorf("update %s: the result would not load: %w", s.File, err)
	}
	if err := sameComments(s.lines, src); err != nil {
		return nil, 0, fmt.Errorf("update %s: %w", s.File, err)
	}
	return src, len(edits), nil
}

// edit replaces the lines from..to (1-based, inclusive) with text; to is
// from-1 for an insertion before line from.
type edit struct {
	from, to int
	text     []string
}

// apply makes the new source; edits are in file order and do not overlap.
// New lines end like the file's first line, with or without a CR.
func (s *Suite) apply(edits []edit) []byte {
	cr := strings.HasSuffix(s.lines[0], "\r")
	lines := slices.Clone(s.lines)
	for i := len(edits) - 1; i >= 0; i-- {
		e := edits[i]
		text := e.text
		if cr {
			text = slices.Clone(text)
			for j := range text {
				text[j] += "\r"
			}
		}
		lines = slices.Replace(lines, e.from-1, e.to, text...)
	}
	return []byte(strings.Join(lines, "\n"))
}

// updateCase rewrites the expect block of r's case, or adds one.
func (s *Suite) updateCase(r *Result) (edit, error) {
	c := r.Case
	if c.node.Style&yaml.FlowStyle != 0 || s.tests.Style&yaml.FlowStyle != 0 {
		return edit{}, fmt.Errorf("%s:%d: case %q is written in {} or [] style:"+
			" write it as a block so that --update can change it", s.File, c.Line, c.Name)
	}
	next := s.after(c)
	i, ok := keyIndex(c.node, "expect")
	if !ok {
		indent := c.node.Column - 1
		end := s.end(c.Line, next, indent)
		key := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "expect"}
		text, err := block(key, fullExpect(&r.Got), indent)
		return edit{from: end + 1, to: end, text: text}, err
	}

	key, value := c.node.Content[i], c.node.Content[i+1]
	if i+2 < len(c.node.Content) {
		next = c.node.Content[i+2].Line
	}
	end := s.end(key.Line, next, key.Column-1)
	if value.Kind != yaml.MappingNode || !c.Expect.checks() {
		replace(value, fullExpect(&r.Got))
	} else {
		updateExpect(value, &r.Got)
	}
	text, err := block(key, value, key.Column-1)
	return edit{from: key.Line, to: end, text: text}, err
}

// after is the line where whatever follows case c starts: the next case,
// or the line after the end of the file.
func (s *Suite) after(c *Case) int {
	i := slices.Index(s.tests.Content, c.node)
	if i >= 0 && i+1 < len(s.tests.Content) {
		return s.tests.Content[i+1].Line
	}
	return len(s.lines) + 1
}

// end is the last line of the entry that starts on line from, indented by
// indent spaces, when the next entry starts on line next: blank lines and
// comments no deeper than the entry's key before next belong to what
// follows.
func (s *Suite) end(from, next, indent int) int {
	last := next - 1
	for last > from {
		line := s.lines[last-1]
		text := strings.TrimLeft(line, " ")
		comment := strings.HasPrefix(text, "#") && len(line)-len(text) <= indent
		if strings.TrimSpace(line) != "" && !comment {
			break
		}
		last--
	}
	return last
}

// block encodes key: value as lines indented by indent spaces. The key's
// head and foot comments stay where they are in the file, outside the
// lines that are replaced, so they are left out here.
func block(key, value *yaml.Node, indent int) ([]string, error) {
	k := *key
	k.HeadComment, k.FootComment = "", ""
	m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{&k, value}}

	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(m); err != nil {
		return nil, fmt.Errorf("encode expect: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encode expect: %w", err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	pad := strings.Repeat(" ", indent)
	for i, line := range lines {
		if line != "" {
			lines[i] = pad + line
		}
	}
	return lines, nil
}

// fullExpect is an expectation of everything that came out: the matched
// rules, the failed ones, and the whole answer, or empty: true.
func fullExpect(g *Got) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	add := func(key string, value *yaml.Node) {
		k := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}
		m.Content = append(m.Content, k, value)
	}
	add("matched", namesNode(g.Matched, nil))
	if g.Response.IsEmpty() {
		add("empty", valueNode(true))
	} else {
		add("response", responseNode(g))
	}
	if len(g.Errors) > 0 {
		add("errors", namesNode(failedRules(g), nil))
	}
	return m
}

// updateExpect sets each expectation that the case has to what came out,
// and adds errors when rules failed that the case did not expect to.
func updateExpect(e *yaml.Node, g *Got) {
	for i := 0; i+1 < len(e.Content); i += 2 {
		v := yamldoc.Resolve(e.Content[i+1])
		switch e.Content[i].Value {
		case "matched":
			replace(v, namesNode(g.Matched, v))
		case "errors":
			replace(v, namesNode(failedRules(g), v))
		case "empty":
			replace(v, valueNode(g.Response.IsEmpty()))
		case "response":
			updateResponse(v, responseJSON(g))
		}
	}
	if _, ok := keyIndex(e, "errors"); !ok && len(g.Errors) > 0 {
		k := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "errors"}
		e.Content = append(e.Content, k, namesNode(failedRules(g), nil))
	}
}

// updateResponse sets each key the case checks to its value in the
// answer; a key the answer does not have becomes null, which checks that
// it stays absent.
func updateResponse(r *yaml.Node, got map[string]any) {
	for i := 0; i+1 < len(r.Content); i += 2 {
		replace(yamldoc.Resolve(r.Content[i+1]), valueNode(got[r.Content[i].Value]))
	}
}

func keyIndex(m *yaml.Node, key string) (int, bool) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return i, true
		}
	}
	return 0, false
}

// responseNode is the whole answer, its keys in the order of its JSON.
func responseNode(g *Got) *yaml.Node {
	got := responseJSON(g)
	m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	for _, key := range responseKeys {
		if v, ok := got[key]; ok {
			k := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}
			m.Content = append(m.Content, k, valueNode(v))
		}
	}
	return m
}

// namesNode is a list of rule names in the style of old, or on one line
// when there is no old list. Items that stay keep their comments.
func namesNode(names []string, old *yaml.Node) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle}
	if old != nil && old.Kind == yaml.SequenceNode {
		n.Style = old.Style
	}
	var kept []*yaml.Node
	if old != nil {
		kept = slices.Clone(old.Content)
	}
	for _, name := range names {
		i := slices.IndexFunc(kept, func(k *yaml.Node) bool { return k.Value == name })
		if i >= 0 {
			n.Content = append(n.Content, kept[i])
			kept = slices.Delete(kept, i, i+1)
			continue
		}
		n.Content = append(n.Content, valueNode(name))
	}
	return n
}

// valueNode is a value of an answer as YAML; objects and lists inside it
// are written on one line, as in reassign_to: {email: cfo@example.com}.
func valueNode(v any) *yaml.Node {
	var n yaml.Node
	if err := n.Encode(v); err != nil {
		n = yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
	}
	if n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode {
		n.Style = yaml.FlowStyle
	}
	return &n
}

// replace puts new in the place of old, keeping old's comments, and the
// quotes of a text that stays on one line.
func replace(old, new *yaml.Node) {
	quoted := yaml.SingleQuotedStyle | yaml.DoubleQuotedStyle
	if old.Kind == yaml.ScalarNode && old.Style&quoted != 0 &&
		new.Tag == "!!str" && !strings.Contains(new.Value, "\n") {
		new.Style = old.Style
	}
	new.HeadComment, new.LineComment, new.FootComment =
		old.HeadComment, old.LineComment, old.FootComment
	*old = *new
}

// sameComments checks that every comment of the old source is in the new
// one, and none more often: a guard against a comment that the YAML
// library attached to a node in the rewritten block being written twice.
func sameComments(old []string, src []byte) error {
	before, err := comments([]byte(strings.Join(old, "\n")))
	if err != nil {
		return err
	}
	after, err := comments(src)
	if err != nil {
		return err
	}
	for text, n := range after {
		if n > before[text] {
			return fmt.Errorf("the comment %q would be written twice:"+
				" update this case by hand", text)
		}
	}
	return nil
}

// comments counts the comment lines of a YAML source.
func comments(src []byte) (map[string]int, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, err
	}
	count := map[string]int{}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		for _, c := range []string{n.HeadComment, n.LineComment, n.FootComment} {
			for line := range strings.SplitSeq(c, "\n") {
				if line = strings.TrimSpace(line); line != "" {
					count[line]++
				}
			}
		}
		for _, child := range n.Content {
			walk(child)
		}
	}
	walk(&doc)
	return count, nil
}

// writeAtomically replaces the file at path with data through a temporary
// file in the same folder, so that a reader sees the old file or the new
// one, never half of it. A symlink is followed, not replaced; a missing
// file is made.
func writeAtomically(path string, data []byte) error {
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	mode := fs.FileMode(0o644)
	info, err := os.Stat(path)
	switch {
	case err == nil:
		mode = info.Mode().Perm()
	case !errors.Is(err, fs.ErrNotExist):
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed

	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if err == nil {
		err = tmp.Chmod(mode)
	}
	if closeErr := tmp.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
