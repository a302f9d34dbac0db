package ruletest_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/rulebot/rulebot/ruletest"
)

// parseErrors parses src, which must fail, and gives its messages.
func parseErrors(t *testing.T, src string) []string {
	t.Helper()
	_, err := ruletest.Parse("t_test.yaml", []byte(src))
	var list ruletest.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("Parse: got %v, want an ErrorList", err)
	}
	msgs := make([]string, len(list))
	for i, e := range list {
		msgs[i] = e.Error()
	}
	return msgs
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"empty file", "\n  \n", []string{"t_test.yaml:1:1: empty file"}},
		{"only comments", "# nothing\n", []string{
			"t_test.yaml:1:1: empty file: no tests, only comments"}},
		{"syntax error", "tests:\n  - name: a: b\n", []string{
			`t_test.yaml:2:1: YAML syntax error: mapping values are not allowed in this context;` +
				` if a value holds ": ", quote it`,
		}},
		{"tab in indentation", "tests:\n\t- name: a\n", []string{
			"t_test.yaml:2:1: tab character in indentation: YAML indents with spaces only"}},
		{"second document", "tests: []\n---\ntests: []\n", []string{
			`t_test.yaml:2:1: a second YAML document: a test file holds one, so remove` +
				` the "---" line and merge the tests into one list`}},
		{"not a mapping", "- a\n",
			[]string{`t_test.yaml:1:1: the file must be a mapping with a "tests" list`}},
		{"no tests", "cases: []\n", []string{
			`t_test.yaml:1:1: unknown key "cases" at the top level; known keys: tests`,
			`t_test.yaml:1:1: missing "tests": the file must list its cases under "tests"`,
		}},
		{"tests not a list", "tests: {name: a}\n",
			[]string{`t_test.yaml:1:8: "tests" must be a list of cases`}},
		{"case not a mapping", "tests:\n  - big purchase\n",
			[]string{`t_test.yaml:2:5: case "#1": a case must be a mapping` +
				` with name, task and expect`}},
		{"missing name and task", "tests:\n  - expect: {empty: true}\n", []string{
			`t_test.yaml:2:5: case "#1": missing "name": a case needs a unique name`,
			`t_test.yaml:2:5: case "#1": missing "task": a case needs the path of a task fixture`,
		}},
		{"duplicate name",
			"tests:\n  - name: a\n    task: x.json\n  - name: a\n    task: y.json\n",
			[]string{`t_test.yaml:4:11: case "a": duplicate case name (first at line 2)`}},
		{"unknown and duplicate keys", "tests:\n  - name: a\n    task: x.json\n" +
			"    exepct: {}\n    task: y.json\n", []string{
			`t_test.yaml:4:5: case "a": unknown key "exepct" in a case;` +
				` known keys: name, task, now, expect`,
			`t_test.yaml:5:5: case "a": duplicate key "task" (first at line 3)`,
		}},
		{"name not text", "tests:\n  - name: [a]\n    task: x.json\n",
			[]string{`t_test.yaml:2:11: case "#1": "name" must be a single value, not a list`}},
		{"bad now", "tests:\n  - name: a\n    task: x.json\n    now: tomorrow\n", []string{
			`t_test.yaml:4:10: case "a": "now" "tomorrow" is neither RFC 3339` +
				` (2025-03-05T10:00:00Z) nor a date (2025-03-05)`,
		}},
		{"expect not a mapping", "tests:\n  - name: a\n    task: x.json\n    expect: [big]\n",
			[]string{`t_test.yaml:4:13: case "a": "expect" must be a mapping of matched,` +
				` response, empty and errors`}},
		{"bad expectations", "tests:\n  - name: a\n    task: x.json\n    expect:\n" +
			"      matched: big\n      empty: yes please\n" +
			"      errors: {a: 1}\n      mached: []\n",
			[]string{
				`t_test.yaml:5:16: case "a": "matched" must be a list of rule names,` +
					` such as [big-purchase-to-cfo]`,
				`t_test.yaml:6:14: case "a": "empty" must be true or false, not "yes please"`,
				`t_test.yaml:7:15: case "a": "errors" must be a list of rule names,` +
					` such as [big-purchase-to-cfo]`,
				`t_test.yaml:8:7: case "a": unknown key "mached" in expect;` +
					` known keys: matched, response, empty, errors`,
			}},
		{"unknown response key", "tests:\n  - name: a\n    task: x.json\n    expect:\n" +
			"      response: {approval: approved}\n",
			[]string{`t_test.yaml:5:18: case "a": unknown key "approval" in response;` +
				` known keys: ` +
				`text, formatted_text, subject, approval_choice, approval_steps, action,` +
				` reassign_to, field_updates, approvals_added, approvals_removed,` +
				` approvals_rerequested, subscribers_added, subscribers_removed,` +
				` subscribers_rerequested, participants_added, participants_removed, due_date,` +
				` due, duration, cancel_due, scheduled_date, scheduled_datetime_utc,` +
				` cancel_schedule, added_list_ids, removed_list_ids, attachments, spent_minutes,` +
				` channel, skip_notification, skip_auto_reopen, skip_satisfaction,` +
				` edit_comment_id`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, parseErrors(t, tt.src)); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParse(t *testing.T) {
	src := `
tests:
  - name: every key
    task: tasks/big.json
    now: 2025-03-05
    expect:
      matched: [big, due-soon]
      response:
        text: Amount 5000 is big.
        reassign_to: {id: 100210}
        approval_choice: null
      empty: false
      errors: []
  - name: nothing to check
    task: tasks/small.json
    expect:
`
	s, err := ruletest.Parse("dir/t_test.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	no := false
	want := []*ruletest.Case{
		{Name: "every key", Task: "tasks/big.json", Now: "2025-03-05", Line: 3,
			Expect: ruletest.Expect{
				Matched: []string{"big", "due-soon"},
				Response: map[string]any{
					"text":            "Amount 5000 is big.",
					"reassign_to":     map[string]any{"id": 100210.0},
					"approval_choice": nil,
				},
				Empty:  &no,
				Errors: []string{},
			}},
		{Name: "nothing to check", Task: "tasks/small.json", Line: 14},
	}
	if diff := cmp.Diff(want, s.Cases, cmpopts.IgnoreUnexported(ruletest.Case{})); diff != "" {
		t.Errorf("Cases (-want +got):\n%s", diff)
	}
	if got := s.Fixture(s.Cases[0]); got != filepath.Join("dir", "tasks", "big.json") {
		t.Errorf("Fixture = %q", got)
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := ruletest.Load(filepath.Join(t.TempDir(), "none_test.yaml"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Load: got %v, want a file-not-found error", err)
	}
}
