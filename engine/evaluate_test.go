package engine_test

import (
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rulebot/rulebot/engine"
	"github.com/rulebot/rulebot/internal/benchrules"
	"github.com/rulebot/rulebot/pyrus"
)

// evaluate loads src and evaluates it against task, with a bot whose
// person id is 100500.
func evaluate(t *testing.T, src string, task *pyrus.Task) *engine.Result {
	t.Helper()
	return mustParse(t, src).Evaluate(engine.Input{
		Webhook: &pyrus.Webhook{Event: "comment", UserID: 100500, Task: task},
	})
}

// simpleTask is a task whose newest comment was written by a person.
func simpleTask() *pyrus.Task {
	anna := &pyrus.Person{ID: 100101, FirstName: "Anna", Email: "anna@example.com"}
	return &pyrus.Task{
		ID: 42, Subject: "Printer", Author: anna,
		Fields: []pyrus.FormField{
			{ID: 1, Type: pyrus.TypeMoney, Name: "Amount", Value: 5000.0},
			{ID: 2, Type: pyrus.TypeText, Name: "Text", Value: "ten"},
		},
		Comments: []*pyrus.Comment{{ID: 7, Text: "please", Author: anna}},
	}
}

// body gives the JSON answer of res as text.
func body(t *testing.T, res *engine.Result) string {
	t.Helper()
	b, err := res.Body()
	if err != nil {
		t.Fatalf("Body: %v", err)
	}
	return string(b)
}

// Comments of every matching rule are joined in order with a blank line;
// for approval and reassign the earliest matching rule wins, and each later
// different value is reported.
func TestEvaluateCombines(t *testing.T) {
	src := "rules:\n" +
		ruleSrc("first", "true", "comment: First\n      approval: approved\n      reassign: cfo@example.com") +
		ruleSrc("no-match", "false", "comment: Never\n      approval: revoked") +
		ruleSrc("second", "true", "comment: Second\n      approval: rejected\n      reassign: 100210") +
		ruleSrc("third", `field("Amount") > 1000`,
			"approval: approved\n      reassign: cfo@example.com\n      comment: Third")

	res := evaluate(t, src, simpleTask())

	want := pyrus.CommentRequest{
		Text:           "First\n\nSecond\n\nThird",
		ApprovalChoice: "approved",
		ReassignTo:     &pyrus.PersonIdentity{Email: "cfo@example.com"},
	}
	if diff := cmp.Diff(want, res.Response); diff != "" {
		t.Errorf("Response (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"first", "second", "third"}, res.Matched); diff != "" {
		t.Errorf("Matched (-want +got):\n%s", diff)
	}
	wantOverridden := []engine.Override{
		{Action: "approval", Rule: "second", Value: "rejected", KeptBy: "first", Kept: "approved"},
		{Action: "reassign", Rule: "second", Value: pyrus.PersonIdentity{ID: 100210},
			KeptBy: "first", Kept: pyrus.PersonIdentity{Email: "cfo@example.com"}},
	}
	if diff := cmp.Diff(wantOverridden, res.Overridden); diff != "" {
		t.Errorf("Overridden (-want +got):\n%s", diff)
	}
	if len(res.Errors) > 0 {
		t.Errorf("Errors = %v, want none", res.Errors)
	}
}

// A later rule can set what earlier matching rules left unset.
func TestEvaluateLaterRuleFillsIn(t *testing.T) {
	src := "rules:\n" +
		ruleSrc("comment-only", "true", "comment: Hello") +
		ruleSrc("approves", "true", "approval: acknowledged") +
		ruleSrc("reassigns", "true", "reassign: 100210")

	got := body(t, evaluate(t, src, simpleTask()))

	want := `{"text":"Hello","approval_choice":"acknowledged","reassign_to":{"id":100210}}` + "\n"
	if got != want {
		t.Errorf("body = %s, want %s", got, want)
	}
}

func TestEvaluateStopAndEnabled(t *testing.T) {
	tests := []struct {
		name    string
		rules   string
		matched []string
		text    string
	}{
		{
			name: "stop ends the run",
			rules: ruleSrc("a", "true", "comment: A") +
				ruleSrc("b", "true", "comment: B") + "    stop: true\n" +
				ruleSrc("c", "true", "comment: C"),
			matched: []string{"a", "b"},
			text:    "A\n\nB",
		},
		{
			name: "stop of a rule that does not match",
			rules: ruleSrc("a", "false", "comment: A") + "    stop: true\n" +
				ruleSrc("b", "true", "comment: B"),
			matched: []string{"b"},
			text:    "B",
		},
		{
			name: "stop of a switched-off rule",
			rules: ruleSrc("a", "true", "comment: A") + "    stop: true\n    enabled: false\n" +
				ruleSrc("b", "true", "comment: B"),
			matched: []string{"b"},
			text:    "B",
		},
		{
			name: "switched-off rule never runs",
			rules: ruleSrc("a", "true", "comment: A") + "    enabled: false\n" +
				ruleSrc("b", `field("Text") > 5`, "comment: B") + "    enabled: false\n" +
				ruleSrc("c", "true", "comment: C") + "    enabled: true\n",
			matched: []string{"c"},
			text:    "C",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := evaluate(t, "rules:\n"+tt.rules, simpleTask())
			if diff := cmp.Diff(tt.matched, res.Matched); diff != "" {
				t.Errorf("Matched (-want +got):\n%s", diff)
			}
			if res.Response.Text != tt.text {
				t.Errorf("text = %q, want %q", res.Response.Text, tt.text)
			}
			if len(res.Errors) > 0 {
				t.Errorf("Errors = %v, want none", res.Errors)
			}
		})
	}
}

// The bot does not answer its own comment, unless the file says so.
func TestEvaluateLoopGuard(t *testing.T) {
	bot := &pyrus.Person{ID: 100500, FirstName: "Purchasing", LastName: "Bot"}
	person := &pyrus.Person{ID: 100101}
	rules := ruleSrc("always", "true", "comment: Hello")
	tests := []struct {
		name     string
		file     string
		comments []*pyrus.Comment
		own      bool
	}{
		{"newest comment by the bot", "rules:\n" + rules,
			[]*pyrus.Comment{{Author: person}, {Author: bot}}, true},
		{"older comment by the bot", "rules:\n" + rules,
			[]*pyrus.Comment{{Author: bot}, {Author: person}}, false},
		{"newest comment without an author", "rules:\n" + rules,
			[]*pyrus.Comment{{Author: bot}, {Text: "system"}}, false},
		{"no comments", "rules:\n" + rules, nil, false},
		{"answer_own_comments", "answer_own_comments: true\nrules:\n" + rules,
			[]*pyrus.Comment{{Author: person}, {Author: bot}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			task := &pyrus.Task{ID: 42, Comments: tt.comments}
			res := evaluate(t, tt.file, task)
			if res.OwnComment != tt.own {
				t.Errorf("OwnComment = %v, want %v", res.OwnComment, tt.own)
			}
			wantBody := `{"text":"Hello"}` + "\n"
			if tt.own {
				wantBody = ""
				if len(res.Matched) > 0 {
					t.Errorf("Matched = %q, want nothing evaluated", res.Matched)
				}
			}
			if got := body(t, res); got != wantBody {
				t.Errorf("body = %q, want %q", got, wantBody)
			}
		})
	}
}

// A rule that fails at run time does not match; its error names it, and
// the other rules still run.
func TestEvaluateRunTimeErrors(t *testing.T) {
	tests := []struct {
		name    string
		rule    string
		wantErr string // the whole one-line error, placed in the file
	}{
		{
			name:    "text compared with a number",
			rule:    ruleSrc("broken", `field("Text") > 5`, "comment: Broken"),
			wantErr: `rules.yaml:7:26: rule "broken": invalid operation: string > int`,
		},
		{
			name:    "condition gives nil",
			rule:    ruleSrc("broken", `field("Urgent-missing")`, "comment: Broken"),
			wantErr: `rules.yaml:7:12: rule "broken": the condition gave nil, not true or false`,
		},
		{
			name:    "condition gives text",
			rule:    ruleSrc("broken", `field("Text")`, "comment: Broken"),
			wantErr: `rules.yaml:7:12: rule "broken": the condition gave text, not true or false`,
		},
		{
			name:    "member of nil",
			rule:    ruleSrc("broken", `field("Nope").email == "x"`, "comment: Broken"),
			wantErr: `rules.yaml:7:26: rule "broken": cannot fetch email from <nil>`,
		},
		{
			name: "absent value where text is expected",
			rule: ruleSrc("broken", `lower(field("Nope")) == "x"`, "comment: Broken"),
			wantErr: `rules.yaml:7:12: rule "broken": got nil where text was expected: the value` +
				` is absent (give a default with ?? or test it with != nil)`,
		},
		{
			name:    "text that would take the bot's memory",
			rule:    ruleSrc("broken", `len(repeat("abc", 1000000)) > 0`, "comment: Broken"),
			wantErr: `rules.yaml:7:16: rule "broken": repeat: the text would be over 1048576 bytes`,
		},
		{
			name:    "failing template",
			rule:    ruleSrc("broken", "true", `comment: '{{ field("Text") * 2 }}'`+"\n      approval: approved"),
			wantErr: `rules.yaml:9:34: rule "broken": invalid operation: string * int`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "rules:\n" +
				ruleSrc("before", "true", "comment: Before") +
				tt.rule +
				ruleSrc("after", `field("Amount") == 5000`, "comment: After")

			res := evaluate(t, src, simpleTask())

			if diff := cmp.Diff([]string{"before", "after"}, res.Matched); diff != "" {
				t.Errorf("Matched (-want +got):\n%s", diff)
			}
			if got := body(t, res); got != `{"text":"Before\n\nAfter"}`+"\n" {
				t.Errorf("body = %s, want only the comments of before and after", got)
			}
			if len(res.Errors) != 1 {
				t.Fatalf("Errors = %v, want one", res.Errors)
			}
			if res.Errors[0].Rule != "broken" {
				t.Errorf("Errors[0].Rule = %q, want broken", res.Errors[0].Rule)
			}
			if got := res.Errors[0].Error(); got != tt.wantErr {
				t.Errorf("error = %q, want %q", got, tt.wantErr)
			}
		})
	}
}

func TestEvaluateEnvironment(t *testing.T) {
	tests := []struct {
		name     string
		when     string
		settings string
		want     bool
	}{
		{"absent responsible", `task.responsible?.email == "x"`, "", false},
		{"absent responsible is nil", `task.responsible == nil && task.responsible?.email == nil`, "", true},
		{"absent responsible with ??", `(task.responsible?.email ?? "none") == "none"`, "", true},
		{"present author", `task.author?.email == "anna@example.com"`, "", true},
		{"absent due date", `task.due_date == nil`, "", true},
		{"absent string", `task.text == ""`, "", true},
		{"absent number", `task.form_id == 0`, "", true},
		{"absent list", `len(task.list_ids) == 0`, "", true},
		{"absent flag", `task.is_closed == false`, "", true},
		{"newest comment", `comment.text == "please" && comment.author.id == 100101`, "", true},
		{"event", `event == "comment"`, "", true},
		{"bot id", `bot_id == 100500`, "", true},
		{"settings number", `field("Amount") < settings.limit`, `{"limit": 10000}`, true},
		{"settings text", `settings.cfo_email == "cfo@example.com"`, `{"cfo_email": "cfo@example.com"}`, true},
		{"settings not JSON", `settings == "limit=5"`, "limit=5", true},
		{"settings empty", `settings.limit == nil`, "", true},
		{"comment contains", `lower(comment.text) contains "plea"`, "", true},
		{"matches", `comment.text matches "^pl"`, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := mustParse(t, "rules:\n"+ruleSrc("r", tt.when, "comment: x"))
			res := rs.Evaluate(engine.Input{Webhook: &pyrus.Webhook{
				Event: "comment", UserID: 100500, BotSettings: tt.settings, Task: simpleTask(),
			}})
			if len(res.Errors) > 0 {
				t.Fatalf("when: %s\nrun-time error: %v", tt.when, res.Errors[0].Err)
			}
			if got := len(res.Matched) == 1; got != tt.want {
				t.Errorf("when: %s\ngave %v, want %v", tt.when, got, tt.want)
			}
		})
	}
}

// A task without comments has an empty comment, never nil.
func TestEvaluateNoComments(t *testing.T) {
	src := "rules:\n" + ruleSrc("r", `comment.text == "" && comment.author == nil`, "comment: x")
	res := evaluate(t, src, &pyrus.Task{ID: 1})
	if len(res.Matched) != 1 || len(res.Errors) > 0 {
		t.Errorf("Matched = %q, Errors = %v; want the rule matched", res.Matched, res.Errors)
	}
}

// now() is the clock Input.Now pins, in the rules' timezone.
func TestEvaluateNow(t *testing.T) {
	src := "timezone: Europe/Moscow\nrules:\n" +
		ruleSrc("soon", `field("Delivery date") < now() + duration("72h")`, `comment: 'Now {{ now() }}'`)
	rs := mustParse(t, src)
	task := purchaseTask(rs) // delivery on 2025-03-14

	tests := []struct {
		now  time.Time
		want string
	}{
		{time.Date(2025, 3, 12, 9, 0, 0, 0, time.UTC), "Now 2025-03-12T12:00:00+03:00"},
		{time.Date(2025, 3, 10, 21, 0, 1, 0, time.UTC), "Now 2025-03-11T00:00:01+03:00"},
		{time.Date(2025, 3, 10, 21, 0, 0, 0, time.UTC), ""}, // exactly 72 hours before
	}
	for _, tt := range tests {
		t.Run(tt.now.String(), func(t *testing.T) {
			res := rs.Evaluate(engine.Input{Webhook: &pyrus.Webhook{Task: task}, Now: tt.now})
			if res.Response.Text != tt.want {
				t.Errorf("text = %q, want %q", res.Response.Text, tt.want)
			}
		})
	}
}

func TestEvaluateWithoutTask(t *testing.T) {
	rs := mustParse(t, "rules:\n"+ruleSrc("r", "true", "comment: x"))
	for _, in := range []engine.Input{{}, {Webhook: &pyrus.Webhook{}}} {
		res := rs.Evaluate(in)
		if b := body(t, res); b != "" || len(res.Matched) > 0 {
			t.Errorf("Evaluate(%+v) = %q matched, body %q; want nothing", in, res.Matched, b)
		}
	}
}

func TestResultBody(t *testing.T) {
	src := "rules:\n" +
		ruleSrc("r", "true", "comment: 'Total <{{ field(\"Amount\") }}> & \"{{ task.subject }}\"'\n"+
			"      approval: approved\n      reassign: cfo@example.com")
	got := body(t, evaluate(t, src, simpleTask()))

	want := `{"text":"Total \u003c5000\u003e \u0026 \"Printer\"","approval_choice":"approved",` +
		`"reassign_to":{"email":"cfo@example.com"}}` + "\n"
	if got != want {
		t.Errorf("body:\ngot  %s\nwant %s", got, want)
	}

	empty := &engine.Result{}
	if b, err := empty.Body(); b != nil || err != nil {
		t.Errorf("empty Body() = %q, %v; want nil, nil", b, err)
	}
}

// One RuleSet evaluates many tasks at once; run with -race.
func TestEvaluateConcurrently(t *testing.T) {
	src := "timezone: Europe/Moscow\nrules:\n" +
		ruleSrc("big", `field("total") > settings.limit`, `comment: 'Total {{ field("total") }}'`) +
		ruleSrc("hardware", `"Hardware" in field("Category")`, `comment: 'Hardware from {{ field("Supplier") }}'`)
	rs := mustParse(t, src)
	want := "Total 18450.76\n\nHardware from Kama Logistics, Volga Tools"

	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 50 {
				settings := `{"limit": 10000}`
				if (i+j)%2 == 0 {
					settings = `{"limit": 10000, "n": 1}`
				}
				res := rs.Evaluate(engine.Input{Webhook: &pyrus.Webhook{
					BotSettings: settings, Task: purchaseTask(rs),
				}})
				if res.Response.Text != want {
					t.Errorf("text = %q, want %q", res.Response.Text, want)
					return
				}
			}
		})
	}
	wg.Wait()
}

// TestSettingsFollowEachWebhook alternates two settings texts, on one
// goroutine and on many: the cached parse of the last one must never
// answer for the other.
func TestSettingsFollowEachWebhook(t *testing.T) {
	rs := mustParse(t, "rules:\n"+
		ruleSrc("big", `field("total") > settings.limit`, `comment: 'over {{ settings.limit }}'`))
	answer := func(settings string) string {
		return rs.Evaluate(engine.Input{Webhook: &pyrus.Webhook{
			BotSettings: settings, Task: purchaseTask(rs),
		}}).Response.Text
	}
	low, high := `{"limit": 10000}`, `{"limit": 20000}`
	for range 3 {
		if got := answer(low); got != "over 10000" {
			t.Fatalf("limit 10000: %q", got)
		}
		if got := answer(high); got != "" { // 18450.76 is under 20000
			t.Fatalf("limit 20000: %q", got)
		}
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 50 {
				settings, want := low, "over 10000"
				if (i+j)%2 == 0 {
					settings, want = high, ""
				}
				if got := answer(settings); got != want {
					t.Errorf("settings %s: %q, want %q", settings, got, want)
					return
				}
			}
		})
	}
	wg.Wait()
}

// benchWebhook decodes the recorded task with every field type, once; when
// the fixture or the decoder is not there, it builds purchaseTask instead.
func benchWebhook(b *testing.B, rs *engine.RuleSet) *pyrus.Webhook {
	b.Helper()
	const fixture = "../testdata/tasks/all-field-types.json"
	body, err := os.ReadFile(fixture)
	if err == nil {
		var w *pyrus.Webhook
		w, _, err = pyrus.DecodeWebhook(body, pyrus.DecodeOptions{DateLocation: rs.DateLocation()})
		if err == nil && w.Task != nil {
			b.Logf("task: %s, %d fields", fixture, len(w.Task.Fields))
			return w
		}
	}
	b.Logf("task: purchaseTask, built in Go (%s: %v)", fixture, err)
	return &pyrus.Webhook{
		Event: "comment", UserID: 100500, Task: purchaseTask(rs),
		BotSettings: `{"cfo_email":"cfo@example.com","limit":10000}`,
	}
}

func BenchmarkEvaluate(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		b.Run(fmt.Sprintf("rules=%d", n), func(b *testing.B) {
			rs := mustParse(b, benchrules.Generate(n))
			in := engine.Input{
				Webhook: benchWebhook(b, rs),
				Now:     time.Date(2025, 3, 5, 9, 0, 0, 0, time.UTC),
			}
			res := rs.Evaluate(in)
			if len(res.Errors) > 0 || len(res.Matched) == 0 {
				b.Fatalf("matched %d of %d rules, errors %v", len(res.Matched), n, res.Errors)
			}

			b.ReportAllocs()
			for b.Loop() {
				rs.Evaluate(in)
			}
			b.ReportMetric(float64(len(res.Matched)), "matched")
		})
	}
}
