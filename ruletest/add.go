package ruletest

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/rulebot/rulebot/engine"
)

// NewCase is a case for AddCases to add to a test file.
type NewCase struct {
	// Name is the case's name; a name the file already has gets a number.
	Name string
	// Task is the fixture's path, relative to the test file.
	Task string
	// Now is the clock of now() (RFC 3339 or a date); empty is the real
	// clock.
	Now string
}

// AddCases adds cases to the end of the test file at path, which is made
// when missing, each with what the rules rs answer now as its
// expectations, as Update writes them: a recorded fixture becomes a
// regression test in one step. The rest of the file stays as it was, byte
// for byte. A case whose fixture the file already has a case for is
// skipped. It returns the cases added, with their final names, and those
// skipped; a fixture that cannot be read adds nothing.
func AddCases(
	path string, cases []NewCase, rs *engine.RuleSet,
) (added, skipped []NewCase, err error) {
	s, err := loadOrNew(path)
	if err != nil {
		return nil, nil, err
	}
	added, skipped = s.fresh(cases)
	if len(added) == 0 {
		return nil, skipped, nil
	}
	next, err := Parse(path, s.apply(s.appendCases(added)))
	if err != nil {
		return nil, nil, fmt.Errorf("add cases to %s: the result would not load: %w", path, err)
	}

	results := make([]*Result, 0, len(added))
	for _, c := range next.Cases[len(s.Cases):] {
		r := next.run(c, rs)
		if !r.Got.Ran {
			return nil, nil, fmt.Errorf("case %q: %w", c.Name, r.Err)
		}
		results = append(results, r)
	}
	src, _, err := next.updated(results)
	if err == nil {
		err = writeAtomically(path, src)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("add cases to %s: %w", path, err)
	}
	return added, skipped, nil
}

// loadOrNew loads the test file at path, or stands in for a new one.
func loadOrNew(path string) (*Suite, error) {
	s, err := Load(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &Suite{File: path, lines: []string{"tests:", ""}}, nil
	}
	return s, err
}

// fresh sorts cases into those to add, under names the file does not
// have yet, and those whose fixture the file already has a case for.
func (s *Suite) fresh(cases []NewCase) (added, skipped []NewCase) {
	names := make(map[string]bool)
	tasks := make(map[string]bool)
	for _, c := range s.Cases {
		names[c.Name] = true
		tasks[s.fixturePath(c.Task)] = true
	}
	for _, c := range cases {
		if tasks[s.fixturePath(c.Task)] {
			skipped = append(skipped, c)
			continue
		}
		tasks[s.fixturePath(c.Task)] = true
		base := c.Name
		for n := 2; names[c.Name]; n++ {
			c.Name = base + " (" + strconv.Itoa(n) + ")"
		}
		names[c.Name] = true
		added = append(added, c)
	}
	return added, skipped
}

// fixturePath is the cleaned, absolute path of a fixture named by a case.
func (s *Suite) fixturePath(task string) string {
	path := s.Fixture(&Case{Task: task})
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return filepath.Clean(path)
}

// appendCases gives the edits that add cases, without expectations, after
// the last case of the file, in the indentation of its cases. An empty
// list written [] becomes a block.
func (s *Suite) appendCases(cases []NewCase) []edit {
	var edits []edit
	at, dash := len(s.lines), 2 // before the final empty line of a new file
	switch {
	case s.tests != nil && len(s.tests.Content) > 0:
		last := s.tests.Content[len(s.tests.Content)-1]
		at = s.end(last.Line, len(s.lines)+1, last.Column-1) + 1
		dash = dashColumn(s.lines[last.Line-1], last.Column-1)
	case s.tests != nil: // tests: [], on one line
		line, col := s.lines[s.tests.Line-1], s.tests.Column-1
		end := col + strings.IndexByte(line[col:], ']') + 1
		edits = append(edits, edit{from: s.tests.Line, to: s.tests.Line,
			text: []string{strings.TrimRight(line[:col]+line[end:], " \r")}})
		at = s.tests.Line + 1
	}

	var text []string
	pad := strings.Repeat(" ", dash)
	for i, c := range cases {
		if i > 0 || len(s.Cases) > 0 {
			text = append(text, "")
		}
		text = append(text, pad+"- name: "+scalar(c.Name), pad+"  task: "+scalar(c.Task))
		if c.Now != "" {
			text = append(text, pad+"  now: "+c.Now)
		}
	}
	return append(edits, edit{from: at, to: at - 1, text: text})
}

// dashColumn is the column (from 0) of the "-" that opens the list entry
// whose first key is at column key of line; two before key when the dash
// is on a line of its own.
func dashColumn(line string, key int) int {
	if key <= len(line) {
		if i := strings.LastIndex(line[:key], "-"); i >= 0 {
			return i
		}
	}
	return max(key-2, 0)
}

// scalar writes text as a YAML value, quoted only when it must be.
func scalar(text string) string {
	var n yaml.Node
	n.SetString(text)
	out, err := yaml.Marshal(&n)
	if err != nil {
		return strconv.Quote(text)
	}
	return strings.TrimSuffix(string(out), "\n")
}
