package ruletest_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rulebot/rulebot/engine"
	"github.com/rulebot/rulebot/ruletest"
)

const (
	// testdata holds the rules and fixtures of these tests; test files are
	// parsed as if they sat there, so that fixture paths resolve.
	testdata  = "../testdata/ruletest"
	testRules = testdata + "/rules.yaml"
	testFile  = testdata + "/t_test.yaml"
)

func loadRules(t *testing.T) *engine.RuleSet {
	t.Helper()
	rs, err := engine.Load(testRules)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func parseSuite(t *testing.T, src string) *ruletest.Suite {
	t.Helper()
	s, err := ruletest.Parse(testFile, []byte(src))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return s
}

// oneCase is a test file holding a single case with the given task, now
// and expect lines.
func oneCase(task, now, expect string) string {
	src := "tests:\n  - name: the case\n    task: tasks/" + task + "\n"
	if now != "" {
		src += "    now: " + now + "\n"
	}
	return src + "    expect:\n" + expect
}

func TestRun(t *testing.T) {
	tests := []struct {
		name        string
		src         string
		wantStatus  ruletest.Status
		wantDetails string
	}{
		{"pass", oneCase("big.json", "2025-03-05T10:00:00Z",
			"      matched: [big, due-soon]\n"+
				"      response: {reassign_to: {email: cfo@example.com}, approval_choice: null}\n"+
				"      empty: false\n"), ruletest.Passed, ""},
		{"now pins the clock: a week earlier the task is not due soon",
			oneCase("big.json", "2025-02-26", "      matched: [big]\n"), ruletest.Passed, ""},
		{"now pins the clock: the day before it is", oneCase("big.json", "2025-03-05",
			"      matched: [big]\n"), ruletest.Failed,
			"    matched:\n" +
				"        want: [big]\n" +
				"        got:  [big, due-soon]\n"},
		{"matched and response differ", oneCase("big.json", "2025-03-05T10:00:00Z",
			"      matched: [bgi]\n"+
				"      response:\n"+
				"        text: \"Amount 5000 is big.\\n\\nDue later.\"\n"+
				"        reassign_to: {id: 100210}\n"+
				"        approval_choice: approved\n"), ruletest.Failed,
			"    matched:\n" +
				"        want: [bgi]\n" +
				"        got:  [big, due-soon]\n" +
				"        ../testdata/ruletest/rules.yaml has no rule named \"bgi\"\n" +
				"    response.approval_choice:\n" +
				"        want: \"approved\"\n" +
				"        got:  (absent)\n" +
				"    response.reassign_to:\n" +
				"        want: {\"id\":100210}\n" +
				"        got:  {\"email\":\"cfo@example.com\"}\n" +
				"    response.text:\n" +
				"        want: \"Amount 5000 is big.\\n\\nDue later.\"\n" +
				"        got:  \"Amount 5000 is big.\\n\\nDue soon.\"\n" +
				"        the texts are the same up to character 25\n"},
		{"a key that must be absent", oneCase("big.json", "2025-03-05T10:00:00Z",
			"      response: {reassign_to: null}\n"), ruletest.Failed,
			"    response.reassign_to:\n" +
				"        want: (absent)\n" +
				"        got:  {\"email\":\"cfo@example.com\"}\n"},
		{"empty differs", oneCase("big.json", "2025-03-05T10:00:00Z",
			"      empty: true\n"), ruletest.Failed,
			"    empty:\n" +
				"        want: true\n" +
				"        got:  false\n" +
				"        the answer is {\"text\":\"Amount 5000 is big.\\n\\nDue soon.\"," +
				"\"reassign_to\":{\"email\":\"cfo@example.com\"}}\n"},
		{"a rule that fails errors the case", oneCase("small.json", "",
			"      matched: []\n"), ruletest.Errored,
			"    ../testdata/ruletest/rules.yaml:14:49: rule \"note-over-five\":" +
				" invalid operation: string > int\n" +
				"    (list the rules that may fail under expect: errors)\n"},
		{"an expected rule failure passes", oneCase("small.json", "",
			"      matched: []\n      empty: true\n      errors: [note-over-five]\n"),
			ruletest.Passed, ""},
		{"errors differ", oneCase("big.json", "2025-03-05T10:00:00Z",
			"      errors: [big]\n"), ruletest.Failed,
			"    errors:\n" +
				"        want: [big]\n" +
				"        got:  []\n"},
		{"a fixture that is missing", oneCase("none.json", "", "      empty: true\n"),
			ruletest.Errored,
			"    read fixture: open ../testdata/ruletest/tasks/none.json:" +
				" no such file or directory\n"},
		{"a fixture that is not JSON", oneCase("broken.json", "", "      empty: true\n"),
			ruletest.Errored,
			"    read fixture: ../testdata/ruletest/tasks/broken.json: body is not JSON:" +
				" invalid character 'o' in literal null (expecting 'u') (at byte 2)\n"},
		{"a case that checks nothing", oneCase("big.json", "", ""), ruletest.Failed,
			"    expect:\n" +
				"        the case checks nothing: add expect, or run rulebot test --update" +
				" to write what came out as its expectation\n"},
	}
	rs := loadRules(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := parseSuite(t, tt.src).Run(rs)[0]
			if r.Status != tt.wantStatus {
				t.Errorf("Status = %v, want %v", r.Status, tt.wantStatus)
			}
			if diff := cmp.Diff(tt.wantDetails, r.Details()); diff != "" {
				t.Errorf("Details (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRunWithoutRules(t *testing.T) {
	s := parseSuite(t, oneCase("big.json", "", "      empty: true\n"))
	r := s.Run(nil)[0]
	if r.Status != ruletest.Errored || r.Got.Ran {
		t.Errorf("Status %v, Ran %v: want an errored case that did not run", r.Status, r.Got.Ran)
	}
	if got, want := r.Details(), "    the rules file does not load\n"; got != want {
		t.Errorf("Details = %q, want %q", got, want)
	}
}

func TestCoverage(t *testing.T) {
	rs := loadRules(t)
	s := parseSuite(t, "tests:\n"+
		"  - {name: a, task: tasks/big.json, now: 2025-02-26, expect: {matched: [big]}}\n"+
		"  - {name: b, task: tasks/small.json, expect: {matched: [due-soon]}}\n")

	c := ruletest.CoverageOf(rs, s.Run(rs))

	names := func(rules []*engine.Rule) []string {
		var out []string
		for _, r := range rules {
			out = append(out, r.Name)
		}
		return out
	}
	if c.Enabled != 3 || c.Covered != 1 || c.Complete() {
		t.Errorf("Enabled %d, Covered %d, Complete %v; want 3, 1, false",
			c.Enabled, c.Covered, c.Complete())
	}
	if diff := cmp.Diff([]string{"due-soon", "note-over-five"}, names(c.Uncovered)); diff != "" {
		t.Errorf("Uncovered (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"off"}, names(c.Off)); diff != "" {
		t.Errorf("Off (-want +got):\n%s", diff)
	}
}
