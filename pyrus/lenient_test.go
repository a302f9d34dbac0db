package pyrus

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLenientTask(t *testing.T) {
	tests := []struct {
		name  string
		task  string
		want  *Task
		warns []string
	}{
		{"id as string", `{"id":"123456"}`, &Task{ID: 123456},
			[]string{"task.id: want an integer, got a string; read as a number"}},
		{"integral float into an int", `{"id":123.0,"form_id":5.2e4}`,
			&Task{ID: 123, FormID: 52000}, nil},
		{"fraction into an int", `{"id":12.5}`, &Task{},
			[]string{"task.id: want an integer, got 12.5; counted absent"}},
		{"int out of range", `{"id":1e30}`, &Task{},
			[]string{"task.id: want an integer, got 1e30; counted absent"}},
		// Found by a tester: 19-digit integers were rounded through a float.
		{"19 digits, exact", `{"id":1234567890123456789,"form_id":9223372036854775807,` +
			`"current_step":-9223372036854775808}`,
			&Task{ID: 1234567890123456789, FormID: math.MaxInt64, CurrentStep: math.MinInt64}, nil},
		{"integer over int64", `{"id":9223372036854775808,"form_id":-9223372036854775809}`, &Task{},
			[]string{
				"task.id: want an integer, got 9223372036854775808, out of range; counted absent",
				"task.form_id: want an integer, got -9223372036854775809, out of range; counted absent",
			}},
		{"object for a number", `{"current_step":{"x":1}}`, &Task{},
			[]string{"task.current_step: want an integer, got an object; counted absent"}},
		{"bool for a number", `{"form_id":true}`, &Task{},
			[]string{"task.form_id: want an integer, got a bool; counted absent"}},
		{"word for a number", `{"form_id":"many"}`, &Task{},
			[]string{"task.form_id: want an integer, got a string; counted absent"}},
		{"spaced number string", `{"form_id":" 12"}`, &Task{},
			[]string{"task.form_id: want an integer, got a string; counted absent"}},
		{"number for a string", `{"text":12345,"subject":-1.5}`,
			&Task{Text: "12345", Subject: "-1.5"}, nil},
		{"bool for a string", `{"text":false}`, &Task{},
			[]string{"task.text: want a string, got a bool; counted absent"}},
		{"array for a string", `{"text":["a"]}`, &Task{},
			[]string{"task.text: want a string, got an array; counted absent"}},
		{"bool as string", `{"is_closed":"true","cancel_schedule":"false"}`,
			&Task{IsClosed: true}, []string{
				"task.is_closed: want a bool, got a string; read as a bool",
				"task.cancel_schedule: want a bool, got a string; read as a bool",
			}},
		{"number for a bool", `{"is_closed":1}`, &Task{},
			[]string{"task.is_closed: want a bool, got a number; counted absent"}},
		{"bad date", `{"due_date":"2025-13-45"}`, &Task{},
			[]string{`task.due_date: want a date, got "2025-13-45"; counted absent`}},
		{"bad datetime", `{"create_date":"yesterday at noon, or so they said"}`, &Task{},
			[]string{`task.create_date: want a datetime, ` +
				`got "yesterday at noon, or so they said"; counted absent`}},
		{"long bad datetime is cut", `{"create_date":"` + longText + `"}`, &Task{},
			[]string{`task.create_date: want a datetime, got "` + longText[:40] +
				`"...; counted absent`}},
		{"datetime without zone", `{"create_date":"2025-03-05T10:00:00"}`, &Task{},
			[]string{`task.create_date: want a datetime, got "2025-03-05T10:00:00"; ` +
				`counted absent`}},
		{"number for a date", `{"due_date":20250314}`, &Task{},
			[]string{"task.due_date: want a date, got a number; counted absent"}},
		{"date for a datetime", `{"create_date":"2025-03-05"}`,
			&Task{CreateDate: ptr(dateOnly("2025-03-05", dateOnlyUTC))},
			[]string{"task.create_date: want a datetime, got a date; read as a date"}},
		{"datetime for a date", `{"due_date":"2025-03-14T10:00:00Z"}`,
			&Task{DueDate: ptr(instant("2025-03-14T10:00:00Z"))},
			[]string{"task.due_date: want a date, got a datetime; read as a datetime"}},
		{"object for a list", `{"list_ids":{"a":1}}`, &Task{},
			[]string{"task.list_ids: want an array, got an object; counted absent"}},
		{"bad list elements", `{"list_ids":[1,"2",null,"x",{}]}`, &Task{ListIDs: []int64{1, 2}},
			[]string{
				"task.list_ids[1]: want an integer, got a string; read as a number",
				"task.list_ids[3]: want an integer, got a string; counted absent",
				"task.list_ids[4]: want an integer, got an object; counted absent",
			}},
		{"string for a person", `{"author":"Anna"}`, &Task{},
			[]string{"task.author: want an object, got a string; counted absent"}},
		{"flat approvals", `{"approvals":[{"person":{"id":1}},[{"person":{"id":2}}]]}`,
			&Task{Approvals: [][]ApprovalEntry{nil, {{Person: &Person{ID: 2}}}}},
			[]string{"task.approvals[0]: want an array, got an object; counted absent"}},
		{"bad field", `{"fields":[7,{"id":1}]}`, &Task{Fields: []FormField{{ID: 1}}},
			[]string{"task.fields[0]: want an object, got a number; counted absent"}},
		{"money as string", `{"fields":[{"type":"money","value":"7200.50"}]}`,
			&Task{Fields: []FormField{{Type: TypeMoney, Value: 7200.5}}},
			[]string{"task.fields[0].value: want a number, got a string; read as a number"}},
		{"money as text with a comma", `{"fields":[{"type":"money","value":"1 000,50"}]}`,
			&Task{Fields: []FormField{{Type: TypeMoney}}},
			[]string{"task.fields[0].value: want a number, got a string; counted absent"}},
		{"object for money", `{"fields":[{"id":1},{},{},{"type":"money","value":{"a":1}}]}`,
			&Task{Fields: []FormField{{ID: 1}, {}, {}, {Type: TypeMoney}}},
			[]string{"task.fields[3].value: want a number, got an object; counted absent"}},
		{"number for text", `{"fields":[{"type":"text","value":42}]}`,
			&Task{Fields: []FormField{{Type: TypeText, Value: "42"}}}, nil},
		{"string for a person value", `{"fields":[{"type":"person","value":"Anna"}]}`,
			&Task{Fields: []FormField{{Type: TypePerson}}},
			[]string{"task.fields[0].value: want an object, got a string; counted absent"}},
		{"object for a table", `{"fields":[{"type":"table","value":{"row_id":0}}]}`,
			&Task{Fields: []FormField{{Type: TypeTable}}},
			[]string{"task.fields[0].value: want an array, got an object; counted absent"}},
		{"number type", `{"fields":[{"type":7,"value":"x"}]}`,
			&Task{Fields: []FormField{{Value: json.RawMessage(`"x"`)}}},
			[]string{"task.fields[0].type: want a string, got a number; counted absent"}},
		{"step as string", `{"fields":[{"type":"step","value":"3"}]}`,
			&Task{Fields: []FormField{{Type: TypeStep, Value: int64(3)}}},
			[]string{"task.fields[0].value: want an integer, got a string; read as a number"}},
		{"nulls everywhere", `{"id":null,"text":null,"author":null,"approvals":[null,[null]],
			"fields":[null,{"id":null,"type":null,"value":null,"info":null}],"due_date":null,
			"is_closed":null,"comments":[null],"list_ids":null}`,
			&Task{Approvals: [][]ApprovalEntry{nil, nil}, Fields: []FormField{{}}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, warns := mustDecode(t, `{"task":`+tt.task+`}`)
			if diff := cmp.Diff(tt.want, w.Task); diff != "" {
				t.Errorf("task (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.warns, warns); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
		})
	}
}

// longText is a string longer than a warning quotes.
const longText = "a very long and entirely wrong datetime value that goes on"

// ptr returns a pointer to a copy of v.
func ptr[T any](v T) *T { return &v }

func TestStrings(t *testing.T) {
	tests := []struct {
		name string
		json string // the JSON string literal, quotes included
	}{
		{"plain", `"Purchase request"`},
		{"cyrillic", `"Заявка на закупку: Токарный станок №2"`},
		{"cyrillic escaped", `"\u0410\u043d\u043d\u0430"`},
		{"mixed escapes", `"a\"b\\c\/d\be\ff\ng\rh\ti"`},
		{"surrogate pair", `"smile \ud83d\ude00!"`},
		{"surrogate pair upper case hex", `"\uD83D\uDE00"`},
		{"emoji raw", `"😀 ok"`},
		{"lone high surrogate", `"a\ud83db"`},
		{"lone low surrogate", `"\ude00"`},
		{"high surrogate before a letter escape", `"\ud83d\u0041"`},
		{"two high surrogates", `"\ud83d\ud83d\ude00"`},
		{"surrogate at the end", `"x\ud83d"`},
		{"invalid utf-8", "\"a\xffb\xc3\""},
		{"invalid utf-8 with escape", "\"\xe2\x82\\n\""},
		{"escaped control", `"\u0000\u001f"`},
		{"template braces", `"{{ field(\"Total\") }}"`},
		{"empty", `""`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want string
			if err := json.Unmarshal([]byte(tt.json), &want); err != nil {
				t.Fatalf("encoding/json: %v", err)
			}
			w, warns := mustDecode(t, `{"event":`+tt.json+`,"task":{"text":`+tt.json+`}}`)
			if w.Event != want || w.Task.Text != want {
				t.Errorf("got %q and %q, want %q", w.Event, w.Task.Text, want)
			}
			if len(warns) > 0 {
				t.Errorf("warnings: %q", warns)
			}
		})
	}
}

func FuzzDecodeString(f *testing.F) {
	for _, s := range []string{"abc", `\u0410`, `\ud83d\ude00`, `\ud83d`, "\xff", `\n\t`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for i := range len(s) {
			if s[i] == '"' {
				return // would end the string early
			}
		}
		body := []byte(`{"event":"` + s + `"}`)
		var want struct{ Event string }
		errStd := json.Unmarshal(body, &want)
		w, _, err := DecodeWebhook(body, DecodeOptions{})
		if (err == nil) != (errStd == nil) {
			t.Fatalf("DecodeWebhook error %v, encoding/json error %v", err, errStd)
		}
		if err == nil && w.Event != want.Event {
			t.Errorf("event = %q, want %q", w.Event, want.Event)
		}
	})
}
