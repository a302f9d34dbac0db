package engine_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/rulebot/rulebot/engine"
	"github.com/rulebot/rulebot/pyrus"
)

// mustParse loads the rules in src or fails the test.
func mustParse(t testing.TB, src string) *engine.RuleSet {
	t.Helper()
	rs, err := engine.Parse("rules.yaml", []byte(src))
	if err != nil {
		t.Fatalf("Parse: unexpected error:\n%v", err)
	}
	return rs
}

// parseErrors loads src, which must fail, and gives its messages.
func parseErrors(t *testing.T, src string) []string {
	t.Helper()
	rs, err := engine.Parse("rules.yaml", []byte(src))
	if err == nil {
		t.Fatalf("Parse: no error, want one (got %d rules)", len(rs.Rules))
	}
	if rs != nil {
		t.Errorf("Parse returned a RuleSet along with an error")
	}
	var list engine.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("Parse error is %T, want engine.ErrorList: %v", err, err)
	}
	msgs := make([]string, len(list))
	for i, e := range list {
		msgs[i] = e.Error()
	}
	return msgs
}

// rule wraps a rule's body (the lines after "- name: a") into a file.
func rule(body string) string {
	return "rules:\n  - name: a\n" + body
}

// One snippet per mistake of SPEC section 2, with the exact message. Columns
// are counted by hand in the snippet; each case says what it points at.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{
			name: "unknown key at the top level",
			src:  "rules: []\ncolour: red\n",
			want: `rules.yaml:2:1: unknown key "colour" at the top level; ` +
				`known keys: timezone, answer_own_comments, rules`,
		},
		{
			name: "unknown key in a rule",
			src:  rule("    when: true\n    then: {comment: x}\n    color: red\n"),
			want: `rules.yaml:5:5: rule "a": unknown key "color" in a rule; ` +
				`known keys: name, description, when, then, stop, enabled`,
		},
		{
			name: "an action without a value",
			src:  rule("    when: true\n    then:\n      comment: null\n"),
			want: `rules.yaml:5:7: rule "a": action "comment" has no value` +
				` (write text in quotes if you mean the word "null")`,
		},
		{
			name: "a function printed without calling it",
			src:  rule("    when: true\n    then:\n      comment: 'at {{ now }}'\n"),
			want: `rules.yaml:5:22: rule "a": now is a function: call it, as in now()`,
		},
		{
			name: "a whole task printed",
			src:  rule("    when: true\n    then:\n      comment: '{{ task }}'\n"),
			want: `rules.yaml:5:19: rule "a": cannot print a whole task: print one of its` +
				` fields, such as task.id`,
		},
		{
			name: "a list of comments printed",
			src:  rule("    when: true\n    then:\n      comment: '{{ task.comments }}'\n"),
			want: `rules.yaml:5:19: rule "a": cannot print a list of comments whole:` +
				` print a field of each, as in map(task.comments, .id)`,
		},
		{
			name: "a second YAML document",
			src:  "rules: []\n---\nrules: []\n",
			want: `rules.yaml:2:1: a second YAML document: a rules file holds one,` +
				` so remove the "---" line and merge the rules into one list`,
		},
		{
			name: "not a text file",
			src:  "rules:\n  - name: caf\xe9\n",
			want: `rules.yaml:2:14: not a text file: a rules file must be UTF-8 text`,
		},
		{
			name: "a compiler panic shows no stack trace",
			src:  rule("    when: 'task.text matches (\"(\" + \"\")'\n    then: {comment: x}\n"),
			want: "rules.yaml:3:12: rule \"a\": error parsing regexp: missing closing ): `(`",
		},
		{
			name: "unknown action",
			src:  rule("    when: true\n    then:\n      coment: x\n"),
			want: `rules.yaml:5:7: rule "a": unknown action "coment"; ` +
				`known actions: comment, approval, reassign`,
		},
		{
			name: "duplicate key at the top level",
			src:  "rules: []\nrules: []\n",
			want: `rules.yaml:2:1: duplicate key "rules" (first at line 1)`,
		},
		{
			name: "duplicate key in a rule",
			src:  rule("    when: true\n    when: false\n    then: {comment: x}\n"),
			want: `rules.yaml:4:5: rule "a": duplicate key "when" (first at line 3)`,
		},
		{
			name: "duplicate action",
			src:  rule("    when: true\n    then:\n      comment: x\n      comment: y\n"),
			want: `rules.yaml:6:7: rule "a": duplicate key "comment" (first at line 5)`,
		},
		{
			name: "duplicate rule name",
			src: "rules:\n" +
				"  - name: a\n    when: true\n    then: {comment: x}\n" +
				"  - name: a\n    when: true\n    then: {comment: y}\n",
			// the second name's value
			want: `rules.yaml:5:11: rule "a": duplicate rule name (first at line 2)`,
		},
		{
			name: "missing name",
			src:  "rules:\n  - when: true\n    then: {comment: x}\n",
			// the rule's first key; the rule is named by its place in the list
			want: `rules.yaml:2:5: rule "#1": missing "name"`,
		},
		{
			name: "empty name",
			src:  "rules:\n  - name: ''\n    when: true\n    then: {comment: x}\n",
			want: `rules.yaml:2:11: rule "#1": "name" is empty: a rule needs a unique name`,
		},
		{
			name: "name not a single value",
			src:  "rules:\n  - name:\n      - a\n    when: true\n    then: {comment: x}\n",
			want: `rules.yaml:3:7: rule "#1": "name" must be a single value, not a list`,
		},
		{
			name: "missing when",
			src:  rule("    then: {comment: x}\n"),
			want: `rules.yaml:2:5: rule "a": missing "when": a rule needs a condition`,
		},
		{
			name: "when without a value",
			src:  rule("    when:\n    then: {comment: x}\n"),
			// just after the colon, where the value should be
			want: `rules.yaml:3:10: rule "a": "when" is empty: a rule needs a condition`,
		},
		{
			name: "when of empty text",
			src:  rule("    when: ' '\n    then: {comment: x}\n"),
			want: `rules.yaml:3:11: rule "a": "when" is empty: a rule needs a condition`,
		},
		{
			name: "missing then",
			src:  rule("    when: true\n"),
			want: `rules.yaml:2:5: rule "a": missing "then": a rule needs at least one action`,
		},
		{
			name: "then without a value",
			src:  rule("    when: true\n    then:\n"),
			want: `rules.yaml:4:10: rule "a": "then" is empty: a rule needs at least one action`,
		},
		{
			name: "then of no actions",
			src:  rule("    when: true\n    then: {}\n"),
			want: `rules.yaml:4:11: rule "a": "then" is empty: a rule needs at least one action`,
		},
		{
			name: "then a list",
			src:  rule("    when: true\n    then: [comment]\n"),
			want: `rules.yaml:4:11: rule "a": "then" must be a mapping of actions, ` +
				`such as comment: or approval:`,
		},
		{
			name: "approval misspelt",
			src:  rule("    when: true\n    then:\n      approval: aproved\n"),
			want: `rules.yaml:5:17: rule "a": approval "aproved" must be one of ` +
				`approved, rejected, acknowledged, revoked`,
		},
		{
			name: "reassign to a bare name",
			src:  rule("    when: true\n    then:\n      reassign: bob\n"),
			want: `rules.yaml:5:17: rule "a": reassign "bob" must be an email or a person id`,
		},
		{
			name: "reassign to person id 0",
			src:  rule("    when: true\n    then:\n      reassign: 0\n"),
			want: `rules.yaml:5:17: rule "a": reassign "0" must be an email or a person id`,
		},
		{
			name: "comment not a single value",
			src:  rule("    when: true\n    then:\n      comment: [a]\n"),
			want: `rules.yaml:5:16: rule "a": "comment" must be a single value, not a list: ` +
				`YAML reads a value that starts with "[" as a list, so quote the whole value`,
		},
		{
			name: "unknown name",
			src:  rule("    when: tsk.id == 1\n    then: {comment: x}\n"),
			want: `rules.yaml:3:11: rule "a": unknown name "tsk"`,
		},
		{
			name: "unknown task field",
			src:  rule("    when: task.form == 52210\n    then: {comment: x}\n"),
			// "form", after "task."
			want: `rules.yaml:3:16: rule "a": unknown field "form" on task`,
		},
		{
			name: "unknown field of a person",
			src:  rule("    when: task.author.mail == ''\n    then: {comment: x}\n"),
			want: `rules.yaml:3:23: rule "a": unknown field "mail" on person`,
		},
		{
			name: "unknown function",
			src:  rule("    when: fieldd(\"x\") == 1\n    then: {comment: x}\n"),
			want: `rules.yaml:3:11: rule "a": unknown function "fieldd"`,
		},
		{
			name: "condition known to be a number",
			src:  rule("    when: task.id + 1\n    then: {comment: x}\n"),
			want: `rules.yaml:3:11: rule "a": the condition gives a number, not true or false`,
		},
		{
			name: "condition known to be text",
			src:  rule("    when: task.subject\n    then: {comment: x}\n"),
			want: `rules.yaml:3:11: rule "a": the condition gives text, not true or false`,
		},
		{
			name: "condition known to be a person",
			src:  rule("    when: task.author\n    then: {comment: x}\n"),
			want: `rules.yaml:3:11: rule "a": the condition gives a person, not true or false`,
		},
		{
			name: "template with an unknown task field",
			src:  rule("    when: true\n    then:\n      comment: '{{ task.nope }}'\n"),
			// "nope": quote at 16, {{ at 17
			want: `rules.yaml:5:25: rule "a": unknown field "nope" on task`,
		},
		{
			name: "template with an unclosed {{",
			src:  rule("    when: true\n    then:\n      comment: 'Hi {{ task.id'\n"),
			want: `rules.yaml:5:20: rule "a": unclosed {{ in template: add }}`,
		},
		{
			name: "template with an empty {{ }}",
			src:  rule("    when: true\n    then:\n      comment: 'Hi {{ }} there'\n"),
			want: `rules.yaml:5:20: rule "a": empty {{ }} in template`,
		},
		{
			name: "syntax error",
			src:  rule("    when: task.id == == 1\n    then: {comment: x}\n"),
			// the second "=="
			want: `rules.yaml:3:22: rule "a": unexpected "=="`,
		},
		{
			name: "expression ends too early",
			src:  rule("    when: task.id ==\n    then: {comment: x}\n"),
			want: `rules.yaml:3:20: rule "a": unexpected end of expression`,
		},
		{
			name: "type mismatch",
			src:  rule("    when: '\"a\" + 1 == 2'\n    then: {comment: x}\n"),
			want: `rules.yaml:3:16: rule "a": invalid operation: + (mismatched types string and int)`,
		},
		{
			name: "bad regular expression",
			src:  rule("    when: task.text matches \"((\"\n    then: {comment: x}\n"),
			want: "rules.yaml:3:21: rule \"a\": error parsing regexp: missing closing ): `((`",
		},
		{
			name: "when cut short by an unquoted #",
			src: rule("    when: any(field(\"Items\"), #[\"Unit price\"] > 1500)\n" +
				"    then: {comment: x}\n"),
			// YAML kept `any(field("Items"),`; expr points at its last token
			want: `rules.yaml:3:29: rule "a": unexpected end of expression; ` +
				`note that " #" starts a YAML comment, which cut this line short: ` +
				`quote the expression or write it as a |- block`,
		},
		{
			name: "template cut short by an unquoted #",
			src: rule("    when: true\n    then:\n" +
				"      comment: Dear {{ any(field(\"Items\"), #[\"Unit price\"] > 1500) }}\n"),
			want: `rules.yaml:5:21: rule "a": unclosed {{ in template: add }}; ` +
				`note that " #" starts a YAML comment, which cut this line short: ` +
				`quote the expression or write it as a |- block`,
		},
		{
			name: "when starting with ! unquoted",
			src:  rule("    when: !task.is_closed\n    then: {comment: x}\n"),
			want: `rules.yaml:3:11: rule "a": the value of "when" starts with "!task.is_closed", ` +
				`which YAML reads as a tag and leaves out: quote the whole value`,
		},
		{
			name: "comment starting with ! unquoted",
			src:  rule("    when: true\n    then:\n      comment: !important read this\n"),
			want: `rules.yaml:5:16: rule "a": the value of "comment" starts with "!important", ` +
				`which YAML reads as a tag and leaves out: quote the whole value`,
		},
		{
			name: "empty file",
			src:  "",
			want: `rules.yaml:1:1: empty file`,
		},
		{
			name: "blank file",
			src:  "\n  \n",
			want: `rules.yaml:1:1: empty file`,
		},
		{
			name: "only a document start",
			src:  "---\n",
			want: `rules.yaml:1:1: empty file: no rules`,
		},
		{
			name: "only comments",
			src:  "# rules go here\n# one day\n",
			want: `rules.yaml:1:1: empty file: no rules, only comments`,
		},
		{
			name: "tab in indentation",
			src:  "rules:\n\t- name: a\n",
			want: `rules.yaml:2:1: tab character in indentation: YAML indents with spaces only`,
		},
		{
			name: "YAML syntax error",
			src:  "rules: [\n",
			want: `rules.yaml:1:1: YAML syntax error: did not find expected node content`,
		},
		{
			name: "YAML syntax error on a later line",
			src:  "timezone: UTC\nrules:\n  - name: a\n    when: x: y\n",
			want: `rules.yaml:4:1: YAML syntax error: mapping values are not allowed in this context; ` +
				`if a value holds ": ", quote it`,
		},
		{
			name: "unquoted colon and space",
			src:  rule("    when: task.text contains \"a: b\"\n    then: {comment: x}\n"),
			want: `rules.yaml:3:1: YAML syntax error: mapping values are not allowed in this context; ` +
				`if a value holds ": ", quote it`,
		},
		{
			name: "unquoted template starting with {{ and more text",
			src:  rule("    when: true\n    then:\n      comment: {{ task.id }} is the id\n"),
			// YAML names the line where the mapping around began
			want: `rules.yaml:4:1: YAML syntax error: did not find expected key; ` +
				`if a value starts with "{{", quote it`,
		},
		{
			name: "unquoted template of only {{ }}",
			src:  rule("    when: true\n    then:\n      comment: {{ task.id }}\n"),
			want: `rules.yaml:5:16: rule "a": "comment" must be a single value, not a mapping: ` +
				`YAML reads a value that starts with "{" as a mapping, so quote the whole value`,
		},
		{
			name: "unquoted comment starting with @",
			src:  rule("    when: true\n    then:\n      comment: @anna please look\n"),
			want: "rules.yaml:5:1: YAML syntax error: found character that cannot start any token; " +
				"if a value starts with @ or `, quote it",
		},
		{
			name: "rules missing",
			src:  "timezone: Europe/Moscow\n",
			want: `rules.yaml:1:1: missing "rules": the file must list its rules under "rules"`,
		},
		{
			name: "rules not a list",
			src:  "rules: 5\n",
			want: `rules.yaml:1:8: "rules" must be a list of rules`,
		},
		{
			name: "rules a mapping",
			src:  "rules:\n  name: a\n",
			want: `rules.yaml:2:3: "rules" must be a list of rules`,
		},
		{
			name: "file a list",
			src:  "- name: a\n",
			want: `rules.yaml:1:1: the file must be a mapping with a "rules" list`,
		},
		{
			name: "rule not a mapping",
			src:  "rules:\n  - big-purchase\n",
			want: `rules.yaml:2:5: rule "#1": a rule must be a mapping with name, when and then`,
		},
		{
			name: "unknown timezone",
			src:  "timezone: Mars/Olympus\nrules: []\n",
			want: `rules.yaml:1:11: unknown timezone "Mars/Olympus": ` +
				`use a name such as Europe/Moscow or UTC`,
		},
		{
			name: "Local timezone",
			src:  "timezone: Local\nrules: []\n",
			want: `rules.yaml:1:11: unknown timezone "Local": use a name such as Europe/Moscow or UTC`,
		},
		{
			name: "stop maybe",
			src:  rule("    when: true\n    then: {comment: x}\n    stop: maybe\n"),
			want: `rules.yaml:5:11: rule "a": "stop" must be true or false, not "maybe"`,
		},
		{
			name: "enabled as a number",
			src:  rule("    when: true\n    then: {comment: x}\n    enabled: 0\n"),
			want: `rules.yaml:5:14: rule "a": "enabled" must be true or false, not "0"`,
		},
		{
			name: "answer_own_comments yes",
			src:  "answer_own_comments: yes\nrules: []\n",
			want: `rules.yaml:1:22: "answer_own_comments" must be true or false, not "yes"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parseErrors(t, tt.src)
			if diff := cmp.Diff([]string{tt.want}, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s\nsource:\n%s", diff, tt.src)
			}
		})
	}
}

// The column of an error inside an expression is that of the offending
// token in the file, whatever the quoting of the YAML value.
func TestParseErrorColumns(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{
			name: "plain",
			src:  rule("    when: task.id == 1 && task.form == 2\n    then: {comment: x}\n"),
			want: "rules.yaml:3:32:",
		},
		{
			name: "single-quoted",
			src:  rule("    when: 'task.id == 1 && task.form == 2'\n    then: {comment: x}\n"),
			want: "rules.yaml:3:33:",
		},
		{
			name: "double-quoted",
			src:  rule("    when: \"task.id == 1 && task.form == 2\"\n    then: {comment: x}\n"),
			want: "rules.yaml:3:33:",
		},
		{
			name: "literal block, second line",
			src: rule("    when: |-\n" +
				"      task.id == 1\n" +
				"        && task.form == 2\n" +
				"    then: {comment: x}\n"),
			want: "rules.yaml:5:17:",
		},
		{
			name: "literal block, first line",
			src: rule("    when: |-\n" +
				"      task.form == 2\n" +
				"    then: {comment: x}\n"),
			want: "rules.yaml:4:12:",
		},
		{
			name: "flow mapping",
			src:  rule("    when: true\n    then: {comment: 'a {{ tsk }}'}\n"),
			want: "rules.yaml:4:27:",
		},
		{
			name: "second {{ }} of a template",
			src: rule("    when: true\n    then:\n" +
				"      comment: 'Total {{ task.id }} and {{ task.nope }}'\n"),
			want: "rules.yaml:5:49:",
		},
		{
			name: "second {{ }} on the second line of a block",
			src: rule("    when: true\n    then:\n" +
				"      comment: |\n" +
				"        Total {{ task.id }}\n" +
				"        and {{ task.id }} {{ task.nope }}\n"),
			want: "rules.yaml:7:35:",
		},
		{
			name: "Cyrillic before the error counts in characters",
			src:  rule("    when: field(\"Сумма\") > tsk\n    then: {comment: x}\n"),
			want: "rules.yaml:3:28:",
		},
		{
			name: "expression spread over lines of a {{ }}",
			src: rule("    when: true\n    then:\n" +
				"      comment: |\n" +
				"        Total {{ task.id +\n" +
				"          task.nope }}\n"),
			want: "rules.yaml:7:16:",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parseErrors(t, tt.src)
			if len(got) != 1 || !strings.HasPrefix(got[0], tt.want) {
				t.Errorf("errors = %q, want one starting with %q\nsource:\n%s", got, tt.want, tt.src)
			}
		})
	}
}

// A file with several mistakes reports every one, in file order, even
// several in one rule.
func TestParseReportsEveryError(t *testing.T) {
	src := `timezone: Mars/Olympus
rules:
  - name: first
    when: tsk
    then:
      comment: '{{ task.nope }}'
      approval: yes
  - name: first
    when: true
  - name: third
    when: true
    then: {comment: x}
    colour: red
  - name: fourth
    when: task.id > 0
    then: {comment: ok}
`
	want := []string{
		`rules.yaml:1:11: unknown timezone "Mars/Olympus": use a name such as Europe/Moscow or UTC`,
		`rules.yaml:4:11: rule "first": unknown name "tsk"`,
		`rules.yaml:6:25: rule "first": unknown field "nope" on task`,
		`rules.yaml:7:17: rule "first": approval "yes" must be one of ` +
			`approved, rejected, acknowledged, revoked`,
		`rules.yaml:8:5: rule "first": missing "then": a rule needs at least one action`,
		`rules.yaml:8:11: rule "first": duplicate rule name (first at line 3)`,
		`rules.yaml:13:5: rule "third": unknown key "colour" in a rule; ` +
			`known keys: name, description, when, then, stop, enabled`,
	}
	if diff := cmp.Diff(want, parseErrors(t, src)); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func TestParseErrorList(t *testing.T) {
	_, err := engine.Parse("dir/rules.yaml", []byte("rules: 5\ncolour: red\n"))

	var list engine.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("errors.As(%T, *ErrorList) = false", err)
	}
	want := engine.ErrorList{
		{File: "dir/rules.yaml", Line: 1, Column: 8, Msg: `"rules" must be a list of rules`},
		{File: "dir/rules.yaml", Line: 2, Column: 1, Msg: `unknown key "colour" at the top level; ` +
			`known keys: timezone, answer_own_comments, rules`},
	}
	if diff := cmp.Diff(want, list); diff != "" {
		t.Errorf("ErrorList (-want +got):\n%s", diff)
	}
	wantText := `dir/rules.yaml:1:8: "rules" must be a list of rules` + "\n" +
		`dir/rules.yaml:2:1: unknown key "colour" at the top level; ` +
		`known keys: timezone, answer_own_comments, rules`
	if got := err.Error(); got != wantText {
		t.Errorf("Error() = %q, want %q", got, wantText)
	}
}

// A condition whose type is only known at run time loads; it is checked
// when it runs.
func TestParseConditionOfUnknownType(t *testing.T) {
	for _, when := range []string{`field("Urgent")`, `settings.enabled`, `field("x") ?? false`} {
		mustParse(t, "rules:\n"+ruleSrc("r", when, "comment: x"))
	}
}

func TestParseEmptyRules(t *testing.T) {
	rs := mustParse(t, "rules: []\n")
	if len(rs.Rules) != 0 {
		t.Errorf("got %d rules, want none", len(rs.Rules))
	}
	if rs.Location() != time.UTC {
		t.Errorf("Location() = %v, want UTC", rs.Location())
	}
}

func TestParseRules(t *testing.T) {
	src := `# purchasing
timezone: Europe/Moscow
answer_own_comments: true
rules:
  - name: big
    description: Big purchases go to the CFO
    when: field("Total") > 10000
    then:
      comment: Over {{ 10000 }}
      approval: approved
      reassign: cfo@example.com
    stop: true
  - name: "off"
    when: false
    then:
      reassign: 100210
    enabled: false
`
	rs := mustParse(t, src)

	type ruleView struct {
		Name, Description string
		Line              int
		Stop, Enabled     bool
	}
	var got []ruleView
	for _, r := range rs.Rules {
		got = append(got, ruleView{r.Name, r.Description, r.Line, r.Stop, r.Enabled})
	}
	want := []ruleView{
		{"big", "Big purchases go to the CFO", 5, true, true},
		{"off", "", 13, false, false},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	if !rs.AnswerOwnComments {
		t.Errorf("AnswerOwnComments = false, want true")
	}
	if rs.Enabled() != 1 {
		t.Errorf("Enabled() = %d, want 1", rs.Enabled())
	}
	if got := rs.Location().String(); got != "Europe/Moscow" {
		t.Errorf("Location() = %s, want Europe/Moscow", got)
	}
	if rs.DateLocation() == rs.Location() {
		t.Errorf("DateLocation() is Location(): date-only values could not be told apart")
	}
	if rs.File != "rules.yaml" || len(rs.Hash) != 64 {
		t.Errorf("File, Hash = %q, %q; want rules.yaml and a SHA-256 in hex", rs.File, rs.Hash)
	}
}

func TestLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rules.yaml")
	if err := os.WriteFile(path, []byte("rules: 5\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := engine.Load(path)
	if want := path + `:1:8: "rules" must be a list of rules`; err == nil || err.Error() != want {
		t.Errorf("Load: error %v, want %s", err, want)
	}

	_, err = engine.Load(filepath.Join(t.TempDir(), "missing.yaml"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Load of a missing file: error %v, want one that is os.ErrNotExist", err)
	}
}

// The example that analysts start from must always load.
func TestLoadExample(t *testing.T) {
	const path = "../rules.example.yaml"
	if _, err := os.Stat(path); err != nil {
		t.Skipf("no example: %v", err)
	}
	rs, err := engine.Load(path)
	if err != nil {
		t.Fatalf("Load(%s):\n%v", path, err)
	}
	if len(rs.Rules) == 0 {
		t.Errorf("Load(%s): no rules", path)
	}
}

// A task decoded for one RuleSet keeps its date-only values under another
// RuleSet of the same timezone, as after a reload.
func TestDateLocationShared(t *testing.T) {
	for _, zone := range []string{"UTC", "Europe/Moscow"} {
		t.Run(zone, func(t *testing.T) {
			src := "timezone: " + zone + "\nrules: []\n"
			a, b := mustParse(t, src), mustParse(t, src)
			if a.DateLocation() != b.DateLocation() {
				t.Errorf("two loads of the same timezone give different DateLocations")
			}
			if a.DateLocation() == a.Location() {
				t.Errorf("DateLocation() is Location(): date-only values could not be told apart")
			}
			if got := a.DateLocation().String(); got != zone {
				t.Errorf("DateLocation() = %s, want %s", got, zone)
			}
		})
	}
}

// FuzzParse feeds the loader odd files: it must never panic, and it gives
// either rules, which then run, or errors, each at a place inside the file.
func FuzzParse(f *testing.F) {
	seeds := []string{
		"rules: []\n",
		"",
		"# only a comment\n",
		"rules:\n\t- name: a\n",
		"rules: [\n",
		rule("    when: task.form == 1\n    then: {comment: x}\n"),
		rule("    when: any(field(\"Items\"), #[\"Unit price\"] > 1500)\n    then: {comment: x}\n"),
		rule("    when: true\n    then:\n      comment: |\n" +
			"        Total {{ task.id +\n          task.nope }}\n"),
		rule("    when: >-\n      task.id\n      == 1\n    then: {comment: '{{ }}{{'}\n"),
		rule("    when: true\n" +
			"    then: {approval: aproved, reassign: bob, comment: '{{ now() }}'}\n"),
		"timezone: Europe/Moscow\nanswer_own_comments: true\nrules:\n" +
			"  - &r {name: a, when: 'true', then: {comment: x}}\n  - *r\n",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	if example, err := os.ReadFile("../rules.example.yaml"); err == nil {
		f.Add(example)
	}

	f.Fuzz(func(t *testing.T, src []byte) {
		rs, err := engine.Parse("rules.yaml", src)
		if (rs == nil) == (err == nil) {
			t.Fatalf("Parse gave rules %v and error %v: want exactly one", rs != nil, err)
		}
		if err == nil {
			// Whatever loads must also run.
			rs.Evaluate(engine.Input{Webhook: &pyrus.Webhook{Task: &pyrus.Task{ID: 1}}})
			return
		}
		var list engine.ErrorList
		if !errors.As(err, &list) || len(list) == 0 {
			t.Fatalf("Parse error is %T %v, want a non-empty engine.ErrorList", err, err)
		}
		if !utf8.Valid(src) {
			return // UTF-16 with a byte order mark: YAML reads it, lines cannot be counted here
		}
		lines := yamlLines(string(src))
		for _, e := range list {
			if e.Line < 1 || e.Line > lines || e.Column < 1 {
				t.Errorf("error outside the file's %d lines: %v", lines, e)
			}
		}
	})
}

// yamlLines counts the lines of src as YAML does: a line ends at \n, \r\n,
// a lone \r, or one of the Unicode breaks NEL, LS and PS.
func yamlLines(src string) int {
	src = strings.ReplaceAll(src, "\r\n", "\n")
	return 1 + strings.Count(src, "\n") + strings.Count(src, "\r") +
		strings.Count(src, "\u0085") + strings.Count(src, "\u2028") + strings.Count(src, "\u2029")
}

// A file saved with Windows line ends loads like any other, and its errors
// name the same places.
func TestParseCRLF(t *testing.T) {
	crlf := func(s string) []byte { return []byte(strings.ReplaceAll(s, "\n", "\r\n")) }
	good := "rules:\n  - name: a\n    when: |-\n      task.id > 0\n        && true\n" +
		"    then:\n      comment: |\n        Hello\n        {{ task.id }}\n"
	rs, err := engine.Parse("rules.yaml", crlf(good))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	res := rs.Evaluate(engine.Input{Webhook: &pyrus.Webhook{Task: &pyrus.Task{ID: 7}}})
	if got := res.Response.Text; got != "Hello\n7" {
		t.Errorf("text = %q, want %q", got, "Hello\n7")
	}

	bad := rule("    when: |-\n      task.id > 0\n        && task.form\n    then: {comment: x}\n")
	_, err = engine.Parse("rules.yaml", crlf(bad))
	want := `rules.yaml:5:17: rule "a": unknown field "form" on task`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
}

func TestParseReportsAFewTabsOnly(t *testing.T) {
	src := "rules:\n" + strings.Repeat("\t- name: a\n", 30)
	got := parseErrors(t, src)
	if len(got) != 11 || !strings.Contains(got[10], "more lines indented with tabs follow") {
		t.Errorf("got %d messages, want 10 and a last one:\n%s", len(got), strings.Join(got, "\n"))
	}
}

// TestParseErrorColumnsInFoldedValues counts, by hand, the columns of
// mistakes in values that YAML folds or unescapes: plain and quoted values
// over two lines, a folded block, doubled quotes and backslash escapes, and
// a block with an indentation indicator.
func TestParseErrorColumnsInFoldedValues(t *testing.T) {
	src := `rules:
  - name: plain-two-lines
    when: task.id > 0
      && task.nope1
    then: {comment: x}
  - name: folded
    when: >-
      task.id > 0
      && task.nope2
    then: {comment: x}
  - name: dq-two-lines
    when: "task.id > 0
      && task.nope3"
    then: {comment: x}
  - name: sq-doubling
    when: 'task.text == "it''s" && task.nope4'
    then: {comment: x}
  - name: dq-escapes
    when: "task.text == \"x\" && task.nope5"
    then: {comment: x}
  - name: dq-unicode
    when: "task.text == \u0022x\u0022 && task.nope6"
    then: {comment: x}
  - name: explicit-indent
    when: |2-
        task.id > 0 && task.nope7
    then: {comment: x}
  - name: template-over-two-lines
    when: 'true'
    then:
      comment: 'Total {{ task.id }},
        due {{ task.nope8 }}'
`
	want := []string{
		`rules.yaml:4:15: rule "plain-two-lines": unknown field "nope1" on task`,
		`rules.yaml:9:15: rule "folded": unknown field "nope2" on task`,
		`rules.yaml:13:15: rule "dq-two-lines": unknown field "nope3" on task`,
		`rules.yaml:16:41: rule "sq-doubling": unknown field "nope4" on task`,
		`rules.yaml:19:39: rule "dq-escapes": unknown field "nope5" on task`,
		`rules.yaml:22:47: rule "dq-unicode": unknown field "nope6" on task`,
		`rules.yaml:26:29: rule "explicit-indent": unknown field "nope7" on task`,
		`rules.yaml:32:21: rule "template-over-two-lines": unknown field "nope8" on task`,
	}
	if diff := cmp.Diff(want, parseErrors(t, src)); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
}
