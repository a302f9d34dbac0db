package main

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const (
	ruletestData  = "../../testdata/ruletest"
	ruletestRules = ruletestData + "/rules.yaml"
	failTests     = ruletestData + "/fail_test.yaml"
)

// TestExampleRuleTests runs the tests of rules.example.yaml, so that the
// example rules and their tests can never drift apart, and checks that
// they match every rule that runs.
func TestExampleRuleTests(t *testing.T) {
	r := runCmd(t, nil, "test", "--rules", exampleRules, "--coverage")
	if r.code != 0 {
		t.Fatalf("exit %d; stdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if !regexp.MustCompile(`\n[1-9]\d* passed, 0 failed\n$`).MatchString(r.stdout) {
		t.Errorf("last line is not \"N passed, 0 failed\":\n%s", r.stdout)
	}
	if strings.Contains(r.stdout, "not matched:") ||
		!strings.Contains(r.stdout, "    switched off: quarter-end-freeze (line ") {
		t.Errorf("a rule that runs is matched by no case, or the switched-off rule is"+
			" not listed:\n%s", r.stdout)
	}
}

func TestTest(t *testing.T) {
	dir := t.TempDir()
	broken := writeFile(t, filepath.Join(dir, "broken.yaml"), "rules:\n  - name: a\n")
	badTests := writeFile(t, filepath.Join(dir, "bad_test.yaml"), "tests:\n  - name: a\n")

	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string
	}{
		{"the tests beside the rules pass quietly", []string{"--rules", ruletestRules}, 0,
			"2 passed, 0 failed\n"},
		{"-v lists every case", []string{"--rules", ruletestRules, "-v"}, 0,
			"--- PASS: a big amount due soon\n" +
				"--- PASS: a note that is text makes its rule fail\n" +
				"2 passed, 0 failed\n"},
		{"coverage", []string{"--coverage", "--rules", ruletestRules}, 0,
			"coverage: 2 of 3 enabled rules matched by some case\n" +
				"    not matched: note-over-five (line 13)\n" +
				"    switched off: off (line 17)\n" +
				"2 passed, 0 failed\n"},
		{"failing and erroring cases", []string{"--rules", ruletestRules, failTests}, 1,
			"--- FAIL: the clock makes due-soon match (" + failTests + ":9)\n" +
				"    matched:\n" +
				"        want: [big]\n" +
				"        got:  [big, due-soon]\n" +
				"    response.text:\n" +
				"        want: \"Amount 5000 is big.\"\n" +
				"        got:  \"Amount 5000 is big.\\n\\nDue soon.\"\n" +
				"--- ERROR: a rule fails unexpectedly (" + failTests + ":17)\n" +
				"    " + ruletestRules + ":14:49: rule \"note-over-five\":" +
				" invalid operation: string > int\n" +
				"    (list the rules that may fail under expect: errors)\n" +
				"--- ERROR: the fixture is missing (" + failTests + ":22)\n" +
				"    read fixture: open " + ruletestData + "/tasks/none.json:" +
				" no such file or directory\n" +
				"1 passed, 3 failed\n"},
		{"rules that do not load", []string{"--rules", broken, failTests}, 1,
			broken + ":2:5: rule \"a\": missing \"when\": a rule needs a condition\n" +
				broken + ":2:5: rule \"a\": missing \"then\": a rule needs at least one action\n" +
				"--- ERROR: passes (" + failTests + ":3)\n" +
				"    the rules file does not load\n" +
				"--- ERROR: the clock makes due-soon match (" + failTests + ":9)\n" +
				"    the rules file does not load\n" +
				"--- ERROR: a rule fails unexpectedly (" + failTests + ":17)\n" +
				"    the rules file does not load\n" +
				"--- ERROR: the fixture is missing (" + failTests + ":22)\n" +
				"    the rules file does not load\n" +
				"0 passed, 4 failed\n"},
		{"a test file that does not load", []string{"--rules", ruletestRules, badTests}, 1,
			badTests + ":2:5: case \"a\": missing \"task\": a case needs the path of a task" +
				" fixture\n" +
				"--- ERROR: " + badTests + ": the test file does not load\n" +
				"0 passed, 1 failed\n"},
		{"no test file beside the rules", []string{"--rules", filepath.Join(dir, "r.yaml")}, 1,
			"read rules: open " + dir + "/r.yaml: no such file or directory\n" +
				"read tests: open " + dir + "/r_test.yaml: no such file or directory\n" +
				"--- ERROR: " + dir + "/r_test.yaml: the test file does not load\n" +
				"0 passed, 1 failed\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCmd(t, nil, append([]string{"test"}, tt.args...)...)
			if r.code != tt.wantCode {
				t.Errorf("exit %d, want %d (stderr %q)", r.code, tt.wantCode, r.stderr)
			}
			if diff := cmp.Diff(tt.wantStdout, r.stdout); diff != "" {
				t.Errorf("stdout (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTestUsage(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStderr string
	}{
		{"unknown flag", []string{"test", "--verbose"}, 2,
			"rulebot: test: flag provided but not defined: -verbose (run rulebot test --help)\n"},
		{"junit without a file", []string{"test", "--junit"}, 2,
			"rulebot: test: flag needs an argument: -junit (run rulebot test --help)\n"},
		{"help", []string{"test", "--help"}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCmd(t, nil, tt.args...)
			if r.code != tt.wantCode || r.stderr != tt.wantStderr {
				t.Errorf("exit %d, stderr %q; want %d, %q",
					r.code, r.stderr, tt.wantCode, tt.wantStderr)
			}
		})
	}
}

func TestTestJUnit(t *testing.T) {
	out := filepath.Join(t.TempDir(), "junit.xml")
	r := runCmd(t, nil, "test", "--rules", ruletestRules, "--junit", out, failTests)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1; stderr %q", r.code, r.stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Errors   int `xml:"errors,attr"`
	}
	if err := xml.Unmarshal(data, &got); err != nil {
		t.Fatalf("the JUnit XML does not parse: %v\n%s", err, data)
	}
	if got.Tests != 4 || got.Failures != 1 || got.Errors != 2 {
		t.Errorf("tests %d, failures %d, errors %d; want 4, 1, 2",
			got.Tests, got.Failures, got.Errors)
	}
}

// TestTestUpdate updates a failing case and a new one, and then the file
// passes.
func TestTestUpdate(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"rules.yaml", "tasks/big.json"} {
		data, err := os.ReadFile(filepath.Join(ruletestData, name))
		if err != nil {
			t.Fatal(err)
		}
		_ = os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755)
		writeFile(t, filepath.Join(dir, name), string(data))
	}
	rules := filepath.Join(dir, "rules.yaml")
	tests := writeFile(t, filepath.Join(dir, "rules_test.yaml"), "tests:\n"+
		"  # the clock is not pinned: the case holds until 2025-03-04\n"+
		"  - name: new\n    task: tasks/big.json\n    now: 2025-02-26\n")

	r := runCmd(t, nil, "test", "--rules", rules, "--update")
	want := "--- UPDATED: new (" + tests + ":3)\n" +
		"    expect:\n" +
		"        the case checks nothing: add expect, or run rulebot test --update to write" +
		" what came out as its expectation\n" +
		tests + ": updated 1 case\n" +
		"1 passed, 0 failed\n"
	if diff := cmp.Diff(want, r.stdout); r.code != 0 || diff != "" {
		t.Errorf("exit %d; stdout (-want +got):\n%s", r.code, diff)
	}

	r = runCmd(t, nil, "test", "--rules", rules, "-v")
	if r.code != 0 || r.stdout != "--- PASS: new\n1 passed, 0 failed\n" {
		t.Errorf("after the update: exit %d, stdout:\n%s", r.code, r.stdout)
	}
}

func TestEvalExplain(t *testing.T) {
	task := ruletestData + "/tasks/big.json"
	text := runCmd(t, nil, "eval", "--rules", ruletestRules, "--now", "2025-02-26",
		"--explain", task)
	want := ruletestRules + ", task 1001, now() 2025-02-26T00:00:00+03:00\n" +
		"\n" +
		"big (line 4): matched\n" +
		"    true   (field(\"Amount\") ?? 0) > 1000\n" +
		"             5000 > 1000\n" +
		"    then comment: \"Amount 5000 is big.\"\n" +
		"    then reassign: cfo@example.com\n" +
		"\n" +
		"due-soon (line 9): not matched\n" +
		"    true   task.due_date != nil\n" +
		"             2025-03-06 != nil\n" +
		"    false  task.due_date < now() + duration(\"48h\")\n" +
		"             2025-03-06 < 2025-02-28T00:00:00+03:00\n" +
		"\n" +
		"note-over-five (line 13): not matched\n" +
		"    false  field(\"Note\") != nil\n" +
		"             nil != nil\n" +
		"    skip   field(\"Note\") > 5\n" +
		"    field(\"Note\") found no field in this task: a typo, or a field that Pyrus left" +
		" out because it is empty\n" +
		"\n" +
		"off (line 17): switched off (enabled: false)\n" +
		"\n" +
		`Answer: {"text":"Amount 5000 is big.","reassign_to":{"email":"cfo@example.com"}}` + "\n"
	if diff := cmp.Diff(want, text.stdout); text.code != 0 || diff != "" {
		t.Errorf("exit %d; --explain (-want +got):\n%s", text.code, diff)
	}

	asJSON := runCmd(t, nil, "eval", "--rules", ruletestRules, "--now", "2025-02-26",
		"--explain", "--json", task)
	var x struct {
		Matched []string
		Rules   []struct{ Rule, Status string }
	}
	if err := json.Unmarshal([]byte(asJSON.stdout), &x); err != nil || asJSON.code != 0 {
		t.Fatalf("exit %d, not JSON (%v):\n%s", asJSON.code, err, asJSON.stdout)
	}
	statuses := make([]string, len(x.Rules))
	for i, r := range x.Rules {
		statuses[i] = r.Rule + " " + r.Status
	}
	wantStatuses := []string{"big matched", "due-soon not_matched",
		"note-over-five not_matched", "off disabled"}
	if diff := cmp.Diff(wantStatuses, statuses); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
}

// TestEvalExplainSuggestsAnyField mistypes a field's name in rules that
// read fields only through field() with constant keys, so that serve
// decodes just the fields named: eval must still read every field of the
// fixture, to suggest the one meant.
func TestEvalExplainSuggestsAnyField(t *testing.T) {
	rules := filepath.Join(t.TempDir(), "rules.yaml")
	src := "rules:\n  - name: typo\n    when: field(\"Amuont\") != nil\n    then: {comment: x}\n"
	if err := os.WriteFile(rules, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runCmd(t, nil, "eval", "--rules", rules, "--explain", ruletestData+"/tasks/big.json")
	want := `field("Amuont") found no field in this task: did you mean "Amount"?`
	if r.code != 0 || !strings.Contains(r.stdout, want) {
		t.Errorf("exit %d; want %q in:\n%s", r.code, want, r.stdout)
	}
}

// TestTestFileMistakes prints each mistake of a test file on a line of its
// own, and fails a test file without cases.
func TestTestFileMistakes(t *testing.T) {
	dir := t.TempDir()
	bad := writeFile(t, filepath.Join(dir, "bad_test.yaml"),
		"tests:\n  - name: a\n    task: x.json\n    nwo: 1\n    expect: {matchd: []}\n")
	r := runCmd(t, nil, "test", "--rules", exampleRules, bad)
	want := bad + `:4:5: case "a": unknown key "nwo" in a case; known keys: name, task, now, expect` + "\n" +
		bad + `:5:14: case "a": unknown key "matchd" in expect; known keys: matched, response, empty, errors` + "\n" +
		"--- ERROR: " + bad + ": the test file does not load\n0 passed, 1 failed\n"
	if r.code != 1 || r.stdout != want {
		t.Errorf("exit %d, stdout:\n%s\nwant:\n%s", r.code, r.stdout, want)
	}

	empty := writeFile(t, filepath.Join(dir, "empty_test.yaml"), "tests: []\n")
	r = runCmd(t, nil, "test", "--rules", exampleRules, empty)
	if r.code != 1 || r.stdout != "0 passed, 0 failed\n" || r.stderr != "rulebot: test: no test cases ran\n" {
		t.Errorf("a file without cases: %+v", r)
	}
}
