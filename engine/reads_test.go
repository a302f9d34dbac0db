package engine_test

import (
	"fmt"
	"testing"

	"github.com/rulebot/rulebot/engine"
	"github.com/rulebot/rulebot/pyrus"
)

// TestFieldsDecoded checks which rules let webhooks be decoded with only
// the fields that field() names: any other way to reach the fields, or a
// key worked out at run time, needs them all.
func TestFieldsDecoded(t *testing.T) {
	for _, tc := range []struct {
		when, comment string
		all           bool
	}{
		{when: `field("a") != nil`},
		{when: `field("a") ?? field(7) ?? field(8.0)`, comment: `{{ field("b")?.email }}`},
		{when: `task.form_id == 1 && comment.field_updates != nil`},
		{when: `len(task.fields) > 0`, all: true},
		{when: `len(task?.fields ?? []) > 0`, all: true},
		{when: `task["fields"] != nil`, all: true},
		{when: `toJSON(task) contains "x"`, all: true},
		{when: `$env.task.id > 0`, all: true},
		{when: `field(settings.name) != nil`, all: true},
		{when: `any(["a", "b"], field(#) != nil)`, all: true},
		{when: `let k = "a"; field(k) != nil`, all: true},
		{when: `field("a") != nil`, comment: `{{ field(settings.name) }}`, all: true},
	} {
		src := fmt.Sprintf("rules:\n  - name: r\n    when: '%s'\n    then: {comment: '%s'}\n", tc.when, tc.comment)
		if tc.comment == "" {
			src = fmt.Sprintf("rules:\n  - name: r\n    when: '%s'\n    then: {approval: approved}\n", tc.when)
		}
		rs, err := engine.Parse("rules.yaml", []byte(src))
		if err != nil {
			t.Fatalf("%s: %v", tc.when, err)
		}
		set := rs.DecodeOptions().Fields
		if got := set == nil; got != tc.all {
			t.Errorf("when %s, comment %q: all fields decoded = %v, want %v", tc.when, tc.comment, got, tc.all)
		}
	}
}

// TestFieldsDecodedByKey checks the set that field("a"), field(7) and
// field(8.0) make: it names fields by name, code or id, and no others.
func TestFieldsDecodedByKey(t *testing.T) {
	const src = `rules:
  - name: r
    when: 'field("a") ?? field(7) ?? field(8.0) ?? field(9.5)'
    then: {approval: approved}
`
	rs, err := engine.Parse("rules.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	set := rs.DecodeOptions().Fields
	if set == nil {
		t.Fatal("all fields decoded")
	}
	for _, tc := range []struct {
		f    pyrus.FormField
		want bool
	}{
		{pyrus.FormField{ID: 1, Name: "a"}, true},
		{pyrus.FormField{ID: 1, Code: "a"}, true},
		{pyrus.FormField{ID: 7, Name: "x"}, true},
		{pyrus.FormField{ID: 8}, true},
		{pyrus.FormField{ID: 9}, false},
		{pyrus.FormField{ID: 1, Name: "A"}, false},
		{pyrus.FormField{ID: 1}, false},
	} {
		if got := set.Has(&tc.f); got != tc.want {
			t.Errorf("Has(%+v) = %v, want %v", tc.f, got, tc.want)
		}
	}
}
