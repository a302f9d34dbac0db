package engine_test

import (
	"testing"

	"github.com/rulebot/rulebot/engine"
	"github.com/rulebot/rulebot/pyrus"
)

// render gives the comment of a single rule whose then is the YAML value
// comment (a scalar in any style, on the line after "comment:"), for task.
func render(t *testing.T, comment string, task *pyrus.Task) string {
	t.Helper()
	src := "timezone: Europe/Moscow\nrules:\n  - name: r\n    when: true\n    then:\n" +
		"      comment: " + comment + "\n"
	res := mustParse(t, src).Evaluate(engine.Input{Webhook: &pyrus.Webhook{Task: task}})
	if len(res.Errors) > 0 {
		t.Fatalf("run-time error: %v", res.Errors[0].Err)
	}
	if len(res.Matched) != 1 {
		t.Fatalf("the rule did not match")
	}
	return res.Response.Text
}

func TestTemplate(t *testing.T) {
	tests := []struct {
		name    string
		comment string // as written after "comment: " in the rules file
		want    string
	}{
		{
			name:    "plain text",
			comment: "Hello",
			want:    "Hello",
		},
		{
			name:    "several parts",
			comment: `'Task {{ task.id }} at step {{ task.current_step }}: {{ task.text }}.'`,
			want:    "Task 11839954 at step 2: Purchase request: pallet jacks.",
		},
		{
			name:    "no spaces inside the braces",
			comment: `'{{task.id}}'`,
			want:    "11839954",
		},
		{
			name: "Cyrillic text and field",
			comment: `'Комментарий заявителя: «{{ field("Комментарий") }}» — ` +
				`{{ field("Total amount") }} ₽'`,
			want: "Комментарий заявителя: «Срочно, склад стоит» — 18450.76 ₽",
		},
		{
			name:    "the surrounding space is trimmed",
			comment: `'  {{ field("Nope") }} Hello  '`,
			want:    "Hello",
		},
		{
			name:    "expression over two lines",
			comment: "|\n        Total: {{ field(\"Total amount\") +\n          1 }}",
			want:    "Total: 18451.76",
		},
		{
			name: "block keeps its lines",
			comment: "|\n" +
				"        Dear {{ task.author.first_name }},\n" +
				"\n" +
				"        total {{ field(\"total\") }}.\n",
			want: "Dear Anna,\n\ntotal 18450.76.",
		},
		{
			name: "a line that printed nothing is dropped",
			comment: "|\n" +
				"        Total: {{ field(\"total\") }}\n" +
				"        {{ field(\"Cost center\") }}\n" +
				"        {{ field(\"Nope\") }} {{ field(\"Gone\") }}\n" +
				"        Thanks\n",
			want: "Total: 18450.76\nThanks",
		},
		{
			name: "a line with text and an empty value stays",
			comment: "|\n" +
				"        Cost center: {{ field(\"Cost center\") }}\n" +
				"        Thanks\n",
			want: "Cost center: \nThanks",
		},
		{
			name: "a blank line of the template stays",
			comment: "|\n" +
				"        Hello\n" +
				"\n" +
				"        {{ field(\"Justification\") }}\n",
			want: "Hello\n\nThe old ones broke",
		},
		{
			name:    "folded block",
			comment: ">-\n        Total\n        {{ field(\"total\") }}",
			want:    "Total 18450.76",
		},
	}
	rs := mustParse(t, "timezone: Europe/Moscow\nrules: []\n")
	task := purchaseTask(rs)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := render(t, tt.comment, task); got != tt.want {
				t.Errorf("comment: %s\ngot  %q\nwant %q", tt.comment, got, tt.want)
			}
		})
	}
}

// Text from the task is data: {{ }} in it is printed as it is, never run.
func TestTemplateTaskTextIsData(t *testing.T) {
	task := &pyrus.Task{
		ID:   11841477,
		Text: `Purchase {{ task.id }} costs {{ field("Total amount") }}`,
		Fields: []pyrus.FormField{
			{ID: 1, Type: pyrus.TypeText, Name: "Note", Value: "{{ now() }} }} {{"},
		},
		Comments: []*pyrus.Comment{{Text: "{{ 1 + 1 }}"}},
	}
	tests := []struct {
		name, comment, want string
	}{
		{"task text", `'Text: {{ task.text }}'`,
			`Text: Purchase {{ task.id }} costs {{ field("Total amount") }}`},
		{"field value", `'{{ field("Note") }}!'`, "{{ now() }} }} {{!"},
		{"comment text", `'{{ comment.text }}'`, "{{ 1 + 1 }}"},
		{"twice", `'{{ task.text }} / {{ task.text }}'`,
			`Purchase {{ task.id }} costs {{ field("Total amount") }} / ` +
				`Purchase {{ task.id }} costs {{ field("Total amount") }}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := render(t, tt.comment, task); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// A comment that renders empty is left out of the answer: no empty text,
// and no blank line where it would have been joined.
func TestTemplateEmptyCommentLeftOut(t *testing.T) {
	src := "rules:\n" +
		ruleSrc("empty", "true", `comment: '{{ field("Nope") }}'`) +
		ruleSrc("blank", "true", "comment: |\n        {{ field(\"Nope\") }}\n\n        {{ task.responsible }}") +
		ruleSrc("approve", "true", "approval: approved") +
		ruleSrc("hello", "true", "comment: Hello") +
		ruleSrc("empty-again", "true", `comment: '  {{ nil }}  '`)
	task := &pyrus.Task{ID: 1}

	res := mustParse(t, src).Evaluate(engine.Input{Webhook: &pyrus.Webhook{Task: task}})
	body, err := res.Body()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"text":"Hello","approval_choice":"approved"}` + "\n"
	if string(body) != want {
		t.Errorf("body = %s, want %s", body, want)
	}

	only := "rules:\n" + ruleSrc("empty", "true", `comment: '{{ field("Nope") }}'`)
	res = mustParse(t, only).Evaluate(engine.Input{Webhook: &pyrus.Webhook{Task: task}})
	if body, _ := res.Body(); body != nil {
		t.Errorf("body = %s, want nil for a comment that renders empty", body)
	}
	if len(res.Matched) != 1 {
		t.Errorf("Matched = %q, want the rule listed though its comment was empty", res.Matched)
	}
}
