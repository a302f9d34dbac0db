package engine

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rulebot/rulebot/pyrus"
)

// TestDecodeOptionsNewestCommentOnly checks which rules let webhooks be
// decoded with their newest comment only: those that cannot read the
// others.
func TestDecodeOptionsNewestCommentOnly(t *testing.T) {
	for _, tt := range []struct {
		when, comment string
		newestOnly    bool
	}{
		{`comment != nil && comment.text == "ok"`, `done`, true},
		{`field("Total amount") > 100 && task.author.email endsWith "@example.com"`, `{{ task.subject }}`, true},
		{`task?.responsible?.email == "cfo@example.com"`, `{{ comment?.author?.first_name }}`, true},
		{`len(task.comments) > 2`, `done`, false},
		{`any(task.comments, .text contains "urgent")`, `done`, false},
		{`true`, `{{ task.comments[0].text }}`, false},
		{`task?.comments != nil`, `done`, false},
		{`task["comments"] != nil`, `done`, false},
		{`$env[lower("TASK")] != nil`, `done`, false},
		{`toJSON(task) contains "urgent"`, `done`, false},
		{`$env.task.comments != nil`, `done`, false},
		{`toJSON($env) != ""`, `done`, false},
		// Found by a tester: $env.task whole, and what expr's optimizer
		// folds into map(filter(...)).
		{`toJSON($env.task) contains "urgent"`, `done`, false},
		{`toJSON($env["task"]) contains "urgent"`, `done`, false},
		{`toJSON($env?.task) contains "urgent"`, `done`, false},
		{`(let t = $env.task; toJSON(t) contains "urgent")`, `done`, false},
		{`first(map(filter([1], true), len(task.comments))) > 2`, `done`, false},
		{`true`, `{{ first(map(filter([1], true), len(task.comments))) }}`, false},
		{`len(flatten(map(filter([1], true), task.comments))) > 1`, `done`, false},
		{`first(map(filter([1], true), toJSON(task))) contains "x"`, `done`, false},
		{"any(map(filter(task.participants, .email != \"\"), let who = #.id; " +
			"count(task.comments, .author?.id == who)), # >= 2)", `done`, false},
		{`(let t = task; toJSON(t) != "")`, `done`, false},
		{`any([1], len(task.comments) > #)`, `done`, false},
		{`first(map(filter(task.participants, .id > 0), .email)) == "a@example.com"`, `done`, true},
	} {
		if got := optionsFor(t, tt.when, tt.comment).NewestCommentOnly; got != tt.newestOnly {
			t.Errorf("when %s, comment %s: NewestCommentOnly = %v, want %v", tt.when, tt.comment, got, tt.newestOnly)
		}
	}
}

// optionsFor gives the decode options of one rule with the condition when
// and the comment template comment.
func optionsFor(t *testing.T, when, comment string) pyrus.DecodeOptions {
	t.Helper()
	src := fmt.Sprintf("rules:\n  - name: r\n    when: %q\n    then:\n      comment: %q\n", when, comment)
	rs, err := Parse("rules.yaml", []byte(src))
	if err != nil {
		t.Fatalf("%s: %v", when, err)
	}
	return rs.DecodeOptions()
}

// TestDecodeOptionsSeeEveryRule checks that one rule reading the older
// comments, even switched off or last, is enough.
func TestDecodeOptionsSeeEveryRule(t *testing.T) {
	src := strings.Join([]string{
		"rules:",
		"  - name: first",
		"    when: comment != nil",
		"    then: {comment: one}",
		"    stop: true",
		"  - name: off",
		"    enabled: false",
		"    when: len(task.comments) > 1",
		"    then: {comment: two}",
		"",
	}, "\n")
	rs, err := Parse("rules.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if rs.DecodeOptions().NewestCommentOnly {
		t.Error("NewestCommentOnly is set though a rule reads task.comments")
	}
}
