package ruletest_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rulebot/rulebot/ruletest"
)

// bigCase and smallCase name the fixtures that tempSuite copies.
var (
	bigCase   = ruletest.NewCase{Name: "big", Task: "tasks/big.json", Now: "2025-03-05T10:00:00Z"}
	smallCase = ruletest.NewCase{Name: "small", Task: "tasks/small.json", Now: "2025-02-26"}
)

// The expectations the rules of testdata/ruletest give the two fixtures.
const (
	bigExpect = "    expect:\n" +
		"      matched: [big, due-soon]\n" +
		"      response:\n" +
		"        text: |-\n" +
		"          Amount 5000 is big.\n" +
		"\n" +
		"          Due soon.\n" +
		"        reassign_to: {email: cfo@example.com}\n"
	smallExpect = "    expect:\n" +
		"      matched: []\n" +
		"      empty: true\n" +
		"      errors: [note-over-five]\n"
)

// TestAddCases adds cases with what the rules answer as expectations, and
// keeps the rest of the file as it was.
func TestAddCases(t *testing.T) {
	tests := []struct {
		name        string
		before      string // "" for no file
		cases       []ruletest.NewCase
		want        string
		wantSkipped []string
	}{
		{"a new file", "", []ruletest.NewCase{bigCase, smallCase},
			"tests:\n" +
				"  - name: big\n    task: tasks/big.json\n    now: 2025-03-05T10:00:00Z\n" +
				bigExpect +
				"\n" +
				"  - name: small\n    task: tasks/small.json\n    now: 2025-02-26\n" + smallExpect,
			nil},
		{"after the last case, before the closing comment",
			"# Tests.\ntests:\n  - name: big\n    task: tasks/big.json  # kept\n" +
				"    expect: {empty: true}\n\n# The end.\n",
			[]ruletest.NewCase{bigCase, smallCase},
			"# Tests.\ntests:\n  - name: big\n    task: tasks/big.json  # kept\n" +
				"    expect: {empty: true}\n" +
				"\n" +
				"  - name: small\n    task: tasks/small.json\n    now: 2025-02-26\n" +
				smallExpect +
				"\n# The end.\n",
			[]string{"big"}},
		{"a taken name gets a number",
			"tests:\n- name: small\n  task: tasks/big.json\n  expect: {empty: true}\n",
			[]ruletest.NewCase{smallCase},
			"tests:\n- name: small\n  task: tasks/big.json\n  expect: {empty: true}\n" +
				"\n" +
				"- name: small (2)\n  task: tasks/small.json\n  now: 2025-02-26\n" +
				"  expect:\n    matched: []\n    empty: true\n    errors: [note-over-five]\n",
			nil},
		{"an empty list", "tests: []   # none yet\n", []ruletest.NewCase{
			{Name: "needs: quotes", Task: "./tasks/../tasks/small.json"}},
			"tests:    # none yet\n" +
				"  - name: 'needs: quotes'\n    task: ./tasks/../tasks/small.json\n" + smallExpect,
			nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := tempSuite(t, []byte(tt.before), 0o640)
			if tt.before == "" {
				_ = os.Remove(path)
			}
			added, skipped, err := ruletest.AddCases(path, tt.cases, loadRules(t))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, readFile(t, path)); diff != "" {
				t.Errorf("test file (-want +got):\n%s", diff)
			}
			var skippedNames []string
			for _, c := range skipped {
				skippedNames = append(skippedNames, c.Name)
			}
			if len(added)+len(skipped) != len(tt.cases) ||
				!cmp.Equal(skippedNames, tt.wantSkipped) {
				t.Errorf("added %v, skipped %v", added, skipped)
			}

			// The cases added pass as they are.
			s, err := ruletest.Load(path)
			if err != nil {
				t.Fatal(err)
			}
			results := s.Run(loadRules(t))
			for _, r := range results[len(results)-len(added):] {
				if r.Status != ruletest.Passed {
					t.Errorf("case %q: %v\n%s", r.Case.Name, r.Status, r.Details())
				}
			}
		})
	}
}

// TestAddCasesFails leaves the file as it was when a fixture cannot be
// read or the file does not load.
func TestAddCasesFails(t *testing.T) {
	tests := []struct {
		name    string
		before  string
		cases   []ruletest.NewCase
		wantErr string
	}{
		{"missing fixture", "tests:\n  - name: a\n    task: tasks/big.json\n",
			[]ruletest.NewCase{{Name: "gone", Task: "tasks/gone.json"}},
			`case "gone": read fixture: open `},
		{"a test file with mistakes", "tests:\n  - name: a\n",
			[]ruletest.NewCase{smallCase}, `t_test.yaml:2:5: case "a": missing "task"`},
		{"cases on one line", "tests: [{name: a, task: tasks/big.json}]\n",
			[]ruletest.NewCase{smallCase}, "the result would not load"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := tempSuite(t, []byte(tt.before), 0o644)
			_, _, err := ruletest.AddCases(path, tt.cases, loadRules(t))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("AddCases: %v, want %q", err, tt.wantErr)
			}
			if got := readFile(t, path); got != tt.before {
				t.Errorf("the file changed:\n%s", got)
			}
			if tmp, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*")); len(tmp) != 0 {
				t.Errorf("left behind: %q", tmp)
			}
		})
	}
}
