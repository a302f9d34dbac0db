package engine_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rulebot/rulebot/engine"
	"github.com/rulebot/rulebot/pyrus"
)

// readingComments reads the older comments in ways that are easy to miss
// (found by a tester), beside rules that read only the newest one.
const readingComments = `rules:
  - name: urgent-anywhere
    when: 'toJSON($env.task) contains "URGENT"'
    then: {comment: 'Someone said URGENT in this task.'}
  - name: long-thread
    when: 'first(map(filter([1], true), len(task.comments))) > 1'
    then: {comment: 'Long thread: {{ first(map(filter([1], true), len(task.comments))) }} comments.'}
  - name: newest
    when: comment.text != ""
    then: {comment: 'Newest: {{ comment.text }}'}
`

// readingFields reads fields by every constant key field() takes: a name,
// a code, an id as an integer and as a float, fields nested in a title and
// in a multiple choice, a whole title, table and catalog.
const readingFields = `rules:
  - name: by-keys
    when: field("total") != nil || field(11) != nil || field(41.0) != nil
    then:
      comment: >-
        {{ field("total") }} {{ field(11) }} {{ field(41.0) }} {{ field("budget_line") }}
        {{ field("Justification") }} {{ field("Service period") }} {{ field("Items") }}
        {{ field("Supplier") }} {{ field("summa") }} {{ field("Поставщик") }} {{ field(2) }}
  - name: missing
    when: field("No such field") == nil && field(999) == nil
    then: {comment: 'Not there.'}
`

// TestDecodingLessChangesNoAnswer evaluates every fixture decoded as
// RuleSet.DecodeOptions says and decoded in full: the answers, matches and
// errors must be the same, for rules that read the older comments and for
// rules that do not.
func TestDecodingLessChangesNoAnswer(t *testing.T) {
	sources := map[string][]byte{
		"reading-comments.yaml": []byte(readingComments),
		"reading-fields.yaml":   []byte(readingFields),
	}
	for _, path := range []string{"../rules.example.yaml", "../bench/rules.yaml"} {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		sources[path] = src
	}
	fixtures, _ := filepath.Glob("../testdata/tasks/*.json")
	if len(fixtures) == 0 {
		t.Fatal("no fixtures")
	}
	for name, src := range sources {
		rs, err := engine.Parse(name, src)
		if err != nil {
			t.Fatal(err)
		}
		full := pyrus.DecodeOptions{DateLocation: rs.DateLocation()}
		for _, path := range fixtures {
			body, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			want := evaluateAs(t, rs, body, full)
			got := evaluateAs(t, rs, body, rs.DecodeOptions())
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s on %s (-full decode +as decoded):\n%s", name, filepath.Base(path), diff)
			}
		}
	}
}

// outcome is what a webhook's evaluation shows: its answer, the rules that
// matched and the errors.
type outcome struct {
	Body            string
	Matched, Errors []string
}

func evaluateAs(t *testing.T, rs *engine.RuleSet, body []byte, opts pyrus.DecodeOptions) outcome {
	t.Helper()
	hook, _, err := pyrus.DecodeWebhook(body, opts)
	if err != nil {
		t.Fatal(err)
	}
	res := rs.Evaluate(engine.Input{Webhook: hook, Now: time.Date(2025, 3, 5, 12, 0, 0, 0, time.UTC)})
	answer, err := res.Body()
	if err != nil {
		t.Fatal(err)
	}
	o := outcome{Body: string(answer), Matched: res.Matched}
	for _, e := range res.Errors {
		o.Errors = append(o.Errors, e.Error())
	}
	return o
}
