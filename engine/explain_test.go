package engine_test

import (
	"encoding/json"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rulebot/rulebot/engine"
	"github.com/rulebot/rulebot/pyrus"
)

// explainHook is a webhook whose task has an "Amount" of 5000 and a "Text"
// of "ten", and whose newest comment, "please", is Anna's.
func explainHook() *pyrus.Webhook {
	anna := &pyrus.Person{ID: 100101, FirstName: "Anna", Email: "anna@example.com"}
	return &pyrus.Webhook{Event: "comment", UserID: 100500, Task: &pyrus.Task{
		ID: 42, Subject: "Printer", FormID: 52210,
		Fields: []pyrus.FormField{
			{ID: 1, Type: pyrus.TypeMoney, Name: "Amount", Value: 5000.0},
			{ID: 2, Type: pyrus.TypeText, Name: "Text", Value: "ten"},
		},
		Comments: []*pyrus.Comment{{ID: 7, Text: "please", Author: anna}},
	}}
}

// explainNow pins the clock of every explanation here.
var explainNow = time.Date(2025, 3, 5, 10, 0, 0, 0, time.UTC)

func explain(t *testing.T, src string, hook *pyrus.Webhook) *engine.Explanation {
	t.Helper()
	rs, err := engine.Parse("rules.yaml", []byte(src))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return rs.Explain(engine.Input{Webhook: hook, Now: explainNow})
}

const explainHeading = "rules.yaml, task 42, now() 2025-03-05T10:00:00Z\n\n"

func TestExplainText(t *testing.T) {
	tests := []struct {
		name  string
		rules string
		want  string
	}{
		{
			name: "matched, with the values of each part",
			rules: `
rules:
  - name: big-amount
    when: field("Amount") > 1000 && task.subject == "Printer"
    then:
      comment: 'Amount {{ field("Amount") }}'
      approval: approved
`,
			want: explainHeading +
				"big-amount (line 3): matched\n" +
				"    true   field(\"Amount\") > 1000\n" +
				"             5000 > 1000\n" +
				"    true   task.subject == \"Printer\"\n" +
				"             \"Printer\" == \"Printer\"\n" +
				"    then comment: \"Amount 5000\"\n" +
				"    then approval: \"approved\"\n" +
				"\n" +
				`Answer: {"text":"Amount 5000","approval_choice":"approved"}` + "\n",
		},
		{
			name: "not matched: the parts after the deciding one are skipped",
			rules: `
rules:
  - name: small-printer
    when: task.subject == "Printer" and field("Amount") < 100 and comment.text == "please"
    then: {comment: never}
`,
			want: explainHeading +
				"small-printer (line 3): not matched\n" +
				"    true   task.subject == \"Printer\"\n" +
				"             \"Printer\" == \"Printer\"\n" +
				"    false  field(\"Amount\") < 100\n" +
				"             5000 < 100\n" +
				"    skip   comment.text == \"please\"\n" +
				"\n" +
				"Answer: empty: no rule matched\n",
		},
		{
			name: "a chain inside a chain",
			rules: `
rules:
  - name: either
    when: 'task.id == 42 && (comment.text == "hurry" || "Text" in map(task.fields, .name))'
    then: {comment: yes}
`,
			want: explainHeading +
				"either (line 3): matched\n" +
				"    true   task.id == 42\n" +
				"             42 == 42\n" +
				"    true   comment.text == \"hurry\" || \"Text\" in map(task.fields, .name)\n" +
				"      false  comment.text == \"hurry\"\n" +
				"               \"please\" == \"hurry\"\n" +
				"      true   \"Text\" in map(task.fields, .name)\n" +
				"               \"Text\" in [\"Amount\", \"Text\"]\n" +
				"    then comment: \"yes\"\n" +
				"\n" +
				`Answer: {"text":"yes"}` + "\n",
		},
		{
			name: "failed, with the error and the part that failed",
			rules: `
rules:
  - name: text-as-number
    when: task.id == 42 && field("Text") > 5
    then: {comment: never}
`,
			want: explainHeading +
				"text-as-number (line 3): failed\n" +
				"    error: rules.yaml:4:42: invalid operation: string > int\n" +
				"    true   task.id == 42\n" +
				"             42 == 42\n" +
				"    error  field(\"Text\") > 5\n" +
				"             \"ten\" > 5\n" +
				"             invalid operation: string > int\n" +
				"\n" +
				"Answer: empty: no rule matched, and 1 rule failed\n",
		},
		{
			name: "a field name with a typo",
			rules: `
rules:
  - name: typo
    when: (field("Amuont") ?? 0) > 100 || field("Colour") != nil
    then: {comment: never}
`,
			want: explainHeading +
				"typo (line 3): not matched\n" +
				"    false  (field(\"Amuont\") ?? 0) > 100\n" +
				"             0 > 100\n" +
				"    false  field(\"Colour\") != nil\n" +
				"             nil != nil\n" +
				"    field(\"Amuont\") found no field in this task: did you mean \"Amount\"?\n" +
				"    field(\"Colour\") found no field in this task: a typo, or a field that" +
				" Pyrus left out because it is empty\n" +
				"\n" +
				"Answer: empty: no rule matched\n",
		},
		{
			name: "switched off, overridden, and not evaluated after stop",
			rules: `
rules:
  - name: off
    when: true
    then: {approval: revoked}
    enabled: false
  - name: approve
    when: task.id == 42
    then: {approval: approved}
  - name: reject
    when: task.id == 42
    then: {approval: rejected}
    stop: true
  - name: later
    when: true
    then: {comment: never}
  - name: later-off
    when: true
    then: {comment: never}
    enabled: false
`,
			want: explainHeading +
				"off (line 3): switched off (enabled: false)\n" +
				"\n" +
				"approve (line 7): matched\n" +
				"    true   task.id == 42\n" +
				"             42 == 42\n" +
				"    then approval: \"approved\"\n" +
				"\n" +
				"reject (line 10): matched, and stop: true ends the evaluation here\n" +
				"    true   task.id == 42\n" +
				"             42 == 42\n" +
				"    then approval: \"rejected\"\n" +
				"    approval \"rejected\" is overridden:" +
				" the earlier rule approve set \"approved\"\n" +
				"\n" +
				"later (line 14): not evaluated: stopped by reject\n" +
				"later-off (line 17): switched off (enabled: false)\n" +
				"\n" +
				`Answer: {"approval_choice":"approved"}` + "\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := explain(t, tt.rules, explainHook()).Text()
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Text (-want +got):\n%s", diff)
			}
		})
	}
}

func TestExplainOwnComment(t *testing.T) {
	hook := explainHook()
	hook.UserID = 100101 // Anna wrote the newest comment: she is the bot here
	x := explain(t, "rules:\n  - name: any\n    when: true\n    then: {comment: x}\n", hook)

	want := explainHeading +
		"any (line 2): not evaluated: the newest comment is the bot's own\n" +
		"\n" +
		"Answer: empty: the bot does not answer its own comment\n"
	if diff := cmp.Diff(want, x.Text()); diff != "" {
		t.Errorf("Text (-want +got):\n%s", diff)
	}
	if !x.OwnComment || !x.Result.OwnComment {
		t.Errorf("OwnComment = %v, Result.OwnComment = %v; want both true",
			x.OwnComment, x.Result.OwnComment)
	}
}

func TestExplainJSON(t *testing.T) {
	x := explain(t, `
rules:
  - name: typo
    when: field("Amuont") == nil && field(2) == "ten"
    then: {reassign: cfo@example.com}
`, explainHook())
	b, err := json.Marshal(x)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}

	want := map[string]any{
		"file": "rules.yaml", "task_id": 42.0, "now": "2025-03-05T10:00:00Z",
		"matched":  []any{"typo"},
		"response": map[string]any{"reassign_to": map[string]any{"email": "cfo@example.com"}},
		"rules": []any{map[string]any{
			"rule": "typo", "line": 3.0, "status": "matched",
			"parts": []any{
				map[string]any{"source": `field("Amuont") == nil`, "values": "nil == nil",
					"result": true},
				map[string]any{"source": `field(2) == "ten"`, "values": `"ten" == "ten"`,
					"result": true},
			},
			"actions": []any{map[string]any{"action": "reassign",
				"value": map[string]any{"email": "cfo@example.com"}}},
			"missing_fields": []any{map[string]any{"key": "Amuont", "did_you_mean": "Amount"}},
		}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("JSON (-want +got):\n%s", diff)
	}
}

// The explanation's Result must be exactly what Evaluate gives, for every
// fixture: Explain runs its own loop over the rules.
func TestExplainMatchesEvaluate(t *testing.T) {
	rs, err := engine.Load("../rules.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	paths, _ := filepath.Glob("../testdata/tasks/*.json")
	if len(paths) == 0 {
		t.Fatal("no fixtures")
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			in := engine.Input{Webhook: readFixture(t, rs, path), Now: explainNow}
			want, x := rs.Evaluate(in), rs.Explain(in)
			if diff := cmp.Diff(want, x.Result, cmp.Comparer(sameError)); diff != "" {
				t.Errorf("Result (-Evaluate +Explain):\n%s", diff)
			}
			if len(x.Rules) != len(rs.Rules) {
				t.Errorf("%d rules explained, want %d", len(x.Rules), len(rs.Rules))
			}
		})
	}
}

func sameError(a, b error) bool { return fmt.Sprint(a) == fmt.Sprint(b) }

func readFixture(t *testing.T, rs *engine.RuleSet, path string) *pyrus.Webhook {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	opts := pyrus.DecodeOptions{DateLocation: rs.DateLocation()}
	hook, _, err := pyrus.DecodeWebhook(data, opts)
	if err != nil {
		t.Fatal(err)
	}
	if hook.Task == nil {
		if hook.Task, _, err = pyrus.DecodeTask(data, opts); err != nil {
			t.Fatal(err)
		}
	}
	return hook
}

func TestExplainValues(t *testing.T) {
	long := strings.Repeat("a", 100)
	tests := []struct {
		name, when, want string
	}{
		{"text is quoted", `comment.text == "x"`, `"please" == "x"`},
		{"long text is cut", `comment.text == "` + long + `"`,
			`"please" == "` + strings.Repeat("a", 77) + `..."`},
		{"a list in brackets", `"b" in ["a", "b"]`, `"b" in ["a", "b"]`},
		{"a time in RFC 3339", `now() > date("2025-03-01")`,
			"2025-03-05T10:00:00Z > 2025-03-01T00:00:00Z"},
		{"a duration", `duration("72h") > duration("1h")`, "72h0m0s > 1h0m0s"},
		{"a person by name", `comment.author != nil`, "Anna != nil"},
		{"a failed side", `field("Text") + 1 > 5`, "? > 5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := fmt.Sprintf("rules:\n  - name: r\n    when: '%s'\n    then: {comment: x}\n",
				strings.ReplaceAll(tt.when, "'", "''"))
			x := explain(t, src, explainHook())
			if got := x.Rules[0].Parts[0].Values; got != tt.want {
				t.Errorf("Values = %q, want %q", got, tt.want)
			}
		})
	}
}

func ExampleRuleSet_Explain() {
	rules := `
rules:
  - name: big-purchase-to-cfo
    when: task.form_id == 52210 && field("Total amount") > 10000
    then:
      reassign: cfo@example.com
`
	rs, err := engine.Parse("rules.yaml", []byte(rules))
	if err != nil {
		log.Fatal(err)
	}
	task := &pyrus.Task{ID: 11840217, FormID: 52210, Fields: []pyrus.FormField{
		{ID: 1, Type: pyrus.TypeMoney, Name: "Total amount", Value: 18450.76},
	}}
	now := time.Date(2025, 3, 5, 10, 0, 0, 0, time.UTC)

	x := rs.Explain(engine.Input{Webhook: &pyrus.Webhook{Task: task}, Now: now})
	fmt.Print(x.Text())
	// Output:
	// rules.yaml, task 11840217, now() 2025-03-05T10:00:00Z
	//
	// big-purchase-to-cfo (line 3): matched
	//     true   task.form_id == 52210
	//              52210 == 52210
	//     true   field("Total amount") > 10000
	//              18450.76 > 10000
	//     then reassign: cfo@example.com
	//
	// Answer: {"reassign_to":{"email":"cfo@example.com"}}
}

// A key that field() cannot find anything by is not a missing field, and
// explaining it must not fail where Evaluate does not.
func TestExplainOddFieldKey(t *testing.T) {
	src := "rules:\n  - name: r\n" +
		"    when: field([1]) == nil && field([2]) == nil\n    then: {comment: x}\n"
	x := explain(t, src, explainHook())
	if r := x.Rules[0]; r.Status != engine.StatusMatched || r.MissingFields != nil {
		t.Errorf("status %s, missing %v; want matched, none", r.Status, r.MissingFields)
	}
}
