package pyrus

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fieldSetBody has fields of every kind a field set treats apart: named
// by name, code and id, a name twice, a title and a multiple choice with
// nested fields, a table, a field with a bad value, and a comment that
// changes a field.
const fieldSetBody = `{"task":{"id":1,"fields":[
	{"id":1,"name":"Total amount","code":"total","type":"money","value":10},
	{"id":2,"name":"Note","type":"text","value":{"bad":true}},
	{"id":3,"name":"Details","type":"title","value":{"fields":[
		{"id":31,"name":"Inner","type":"text","value":"x"},
		{"id":32,"name":"Other","type":"text","value":"y"}]}},
	{"id":4,"name":"Items","type":"table","value":[{"row_id":0,"cells":[
		{"id":41,"name":"Price","type":"money","value":5}]}]},
	{"id":5,"name":"Pick","type":"multiple_choice","value":{"choice_ids":[1],"fields":[
		{"id":51,"name":"Why","type":"text","value":"because"}]}},
	{"id":6,"name":"total","type":"number","value":3},
	{"id":7,"name":"Urgent","type":"checkmark","value":"checked"},
	{"id":8,"name":"Named","type":"title","value":{"fields":[
		{"id":81,"name":"Deep","type":"text","value":"d"}]}},
	{"id":9,"name":"Spare","type":"text","value":"s","info":{"columns":[{"id":91,"name":"Col"}]}}
],"comments":[{"id":1,"field_updates":[{"id":2,"name":"Note","type":"text","value":"n"}]}]}}`

// TestFieldSetKeepsWhatItNames holds a filtered decode to a full one with
// the fields the set does not name taken out by hand.
func TestFieldSetKeepsWhatItNames(t *testing.T) {
	body := []byte(fieldSetBody)
	full, fullWarns, err := DecodeWebhook(body, DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(fullWarns) != 1 {
		t.Fatalf("full decode: want one warning (field 2's value), got %q", fullWarns)
	}
	set := NewFieldSet([]string{"total", "Inner", "Items", "Named", ""}, []int64{7})
	got, warns, err := DecodeWebhook(body, DecodeOptions{Fields: set})
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) != 0 {
		t.Errorf("warnings about a field left out: %q", warns)
	}

	f := full.Task.Fields
	details, pick := f[2], f[4]
	details.Value = &Title{Fields: details.Value.(*Title).Fields[:1]} // Inner only
	choice := *pick.Value.(*MultipleChoice)
	choice.Fields = nil // Why is not named
	pick.Value = &choice
	full.Task.Fields = []FormField{f[0], details, f[3], pick, f[5], f[6], f[7]}
	if diff := cmp.Diff(full, got); diff != "" {
		t.Errorf("webhook (-full decode, fields taken out +decoded with the set):\n%s", diff)
	}
}

// TestFieldSetWholeFields checks that a field a set names keeps what is
// inside it, and that its info is not filtered.
func TestFieldSetWholeFields(t *testing.T) {
	body := []byte(fieldSetBody)
	full, _, err := DecodeWebhook(body, DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := DecodeWebhook(body, DecodeOptions{Fields: NewFieldSet([]string{"Spare", "Details"}, nil)})
	if err != nil {
		t.Fatal(err)
	}
	want := []FormField{full.Task.Fields[2], full.Task.Fields[4], full.Task.Fields[7], full.Task.Fields[8]}
	want[1].Value = &MultipleChoice{ChoiceIDs: []int64{1}}
	want[2].Value = &Title{}
	if diff := cmp.Diff(want, got.Task.Fields); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
}

// TestFieldSetScratchStaysSmall decodes a form with many named fields: the
// tree's scratch list must not go back to the pool that large, where it
// would be cleared, or kept, for every later webhook.
func TestFieldSetScratchStaysSmall(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"task":{"id":1,"fields":[`)
	for i := range 2000 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":%d,"name":"F","type":"text","value":"v"}`, i+1)
	}
	b.WriteString(`]}}`)

	tr := new(tree)
	if err := tr.parse([]byte(b.String())); err != nil {
		t.Fatal(err)
	}
	d := newDecoder(tr, DecodeOptions{Fields: NewFieldSet([]string{"F"}, nil)})
	var w Webhook
	d.webhook(&tr.nodes[0], &w)
	if n := len(w.Task.Fields); n != 2000 {
		t.Fatalf("%d fields decoded, want 2000", n)
	}
	if len(tr.kept) != 0 {
		t.Errorf("%d fields left in the scratch list after the decode", len(tr.kept))
	}
	tr.release()
	if c := cap(tr.kept); c > maxPooledKept {
		t.Errorf("the tree goes back to the pool with room for %d fields", c)
	}
}
