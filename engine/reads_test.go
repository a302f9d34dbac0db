package engine

import (
	"testing"

	"github.com/rulebot/rulebot/pyrus"
)

// TestDecodeOptionsFields checks which rules let webhooks be decoded with
// only the fields that field() names: any other way to reach the fields,
// or a key worked out at run time, needs them all.
func TestDecodeOptionsFields(t *testing.T) {
	for _, tt := range []struct {
		when, comment string
		all           bool
	}{
		{`field("a") != nil`, `done`, false},
		{`field("a") ?? field(7) ?? field(8.0)`, `{{ field("b")?.email }}`, false},
		{`task.form_id == 1 && comment.field_updates != nil`, `done`, false},
		{`len(task.fields) > 0`, `done`, true},
		{`len(task?.fields ?? []) > 0`, `done`, true},
		{`task["fields"] != nil`, `done`, true},
		{`toJSON(task) contains "x"`, `done`, true},
		{`$env.task.id > 0`, `done`, true},
		{`(let t = task; t.id > 0)`, `done`, true},
		{`field(settings.name) != nil`, `done`, true},
		{`any(["a", "b"], field(#) != nil)`, `done`, true},
		{`(let k = "a"; field(k) != nil)`, `done`, true},
		{`field("a") != nil`, `{{ field(settings.name) }}`, true},
	} {
		if got := optionsFor(t, tt.when, tt.comment).Fields == nil; got != tt.all {
			t.Errorf("when %s, comment %s: every field decoded = %v, want %v", tt.when, tt.comment, got, tt.all)
		}
	}
}

// TestDecodeOptionsFieldKeys checks the set that field("a"), field(7),
// field(8.0) and field(9.5) make: it names fields by name, code or id,
// and no others.
func TestDecodeOptionsFieldKeys(t *testing.T) {
	set := optionsFor(t, `field("a") ?? field(7) ?? field(8.0) ?? field(9.5)`, `done`).Fields
	if set == nil {
		t.Fatal("every field decoded")
	}
	for _, tt := range []struct {
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
		if got := set.Has(&tt.f); got != tt.want {
			t.Errorf("Has(%+v) = %v, want %v", tt.f, got, tt.want)
		}
	}
}
