package pyrus

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// fixtureGlob finds the task fixtures that another part of the project
// keeps; tests that need them skip when there are none.
const fixtureGlob = "../testdata/tasks/*.json"

// readFixtures returns the fixtures by file name.
func readFixtures(tb testing.TB) map[string][]byte {
	tb.Helper()
	paths, _ := filepath.Glob(fixtureGlob)
	if len(paths) == 0 {
		tb.Skip("no fixtures in " + fixtureGlob)
	}
	out := make(map[string][]byte)
	for _, p := range paths {
		body, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		out[filepath.Base(p)] = body
	}
	return out
}

func TestFixtures(t *testing.T) {
	for name, body := range readFixtures(t) {
		t.Run(name, func(t *testing.T) {
			w, warns, err := DecodeWebhook(body, DecodeOptions{})
			if err != nil {
				t.Fatalf("DecodeWebhook: %v", err)
			}
			for _, w := range warns {
				t.Logf("warning: %s", w)
			}
			checkAgainstFile(t, body, w)
		})
	}
}

// checkAgainstFile compares a few values of w with the same values read
// from body by encoding/json.
func checkAgainstFile(t *testing.T, body []byte, w *Webhook) {
	t.Helper()
	file := genericJSON(t, body).(map[string]any)
	checkInt(t, "task_id", lookup(file, "task_id"), w.TaskID)
	task, _ := lookup(file, "task").(map[string]any)
	if task == nil {
		if w.Task != nil {
			t.Errorf("the file has no task; decoded %+v", w.Task)
		}
		return
	}
	checkInt(t, "task.id", lookup(task, "id"), w.Task.ID)
	checkInt(t, "task.form_id", lookup(task, "form_id"), w.Task.FormID)
	checkFields(t, lookup(task, "fields"), w.Task.Fields)
	comments, _ := lookup(task, "comments").([]any)
	if len(comments) != len(w.Task.Comments) {
		t.Fatalf("%d comments in the file, %d decoded", len(comments), len(w.Task.Comments))
	}
	for i, c := range comments {
		c := c.(map[string]any)
		checkInt(t, "comment id", lookup(c, "id"), w.Task.Comments[i].ID)
		if text, ok := lookup(c, "text").(string); ok && text != w.Task.Comments[i].Text {
			t.Errorf("comment %d text = %q, file has %q", i, w.Task.Comments[i].Text, text)
		}
	}
}

// checkFields compares the fields of a file with the decoded ones.
func checkFields(t *testing.T, file any, fields []FormField) {
	t.Helper()
	list, _ := file.([]any)
	if len(list) != len(fields) {
		t.Fatalf("%d fields in the file, %d decoded", len(list), len(fields))
	}
	for i, f := range list {
		f := f.(map[string]any)
		got := fields[i]
		checkInt(t, "field id", lookup(f, "id"), got.ID)
		if name, _ := lookup(f, "name").(string); name != got.Name {
			t.Errorf("field %d name = %q, file has %q", i, got.Name, name)
		}
		checkValue(t, got, lookup(f, "value"))
	}
}

// checkValue compares a decoded text, money or number value with the file.
func checkValue(t *testing.T, got FormField, file any) {
	t.Helper()
	switch got.Type {
	case TypeText, TypeEmail, TypePhone, TypeNote:
		if s, ok := file.(string); ok && got.Value != s {
			t.Errorf("field %q = %#v, file has %q", got.Name, got.Value, s)
		}
	case TypeMoney, TypeNumber:
		n, ok := file.(json.Number)
		if !ok {
			return
		}
		if got.Value == nil || strconv.FormatFloat(got.Value.(float64), 'f', -1, 64) != n.String() {
			t.Errorf("field %q = %#v, file has %s", got.Name, got.Value, n)
		}
	}
}

// checkInt compares a decoded integer with a number, or a string of a
// number, read from the file.
func checkInt(t *testing.T, what string, file any, got int64) {
	t.Helper()
	var text string
	switch v := file.(type) {
	case json.Number:
		text = v.String()
	case string:
		text = v
	default:
		return
	}
	if want, err := strconv.ParseInt(text, 10, 64); err == nil && want != got {
		t.Errorf("%s = %d, file has %d", what, got, want)
	}
}

// genericJSON decodes body with encoding/json, keeping numbers as text.
func genericJSON(t *testing.T, body []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// lookup finds key in m ignoring case and underscores, as the decoder does.
func lookup(m map[string]any, key string) any {
	norm := func(s string) string { return strings.ToLower(strings.ReplaceAll(s, "_", "")) }
	for k, v := range m {
		if norm(k) == norm(key) {
			return v
		}
	}
	return nil
}

func TestKeySpellings(t *testing.T) {
	body := readFixtures(t)["all-field-types.json"]
	if body == nil {
		t.Skip("no all-field-types.json")
	}
	want, _, err := DecodeWebhook(body, DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	spellings := map[string]func(string) string{
		"PascalCase": pascalCase,
		"UPPER_CASE": strings.ToUpper,
		"lowercase":  func(k string) string { return strings.ReplaceAll(k, "_", "") },
	}
	// A raw JSON value changes with its keys, so those are not compared.
	ignoreRaw := cmpopts.IgnoreTypes(json.RawMessage(nil))
	for name, spell := range spellings {
		t.Run(name, func(t *testing.T) {
			respelled, err := json.Marshal(renameKeys(genericJSON(t, body), spell))
			if err != nil {
				t.Fatal(err)
			}
			got, warns, err := DecodeWebhook(respelled, DecodeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got, ignoreRaw); diff != "" {
				t.Errorf("%s body decodes differently (-snake +%s):\n%s", name, name, diff)
			}
			if len(warns) > 0 {
				t.Errorf("warnings: %q", warningStrings(warns))
			}
		})
	}
}

// pascalCase turns "task_id" into "TaskId".
func pascalCase(k string) string {
	parts := strings.Split(k, "_")
	for i, p := range parts {
		if p != "" {
			parts[i] = strings.ToUpper(p[:1]) + p[1:]
		}
	}
	return strings.Join(parts, "")
}

// renameKeys renames every object key in v with spell.
func renameKeys(v any, spell func(string) string) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[spell(k)] = renameKeys(e, spell)
		}
		return out
	case []any:
		for i, e := range v {
			v[i] = renameKeys(e, spell)
		}
	}
	return v
}

func TestDecodeConcurrently(t *testing.T) {
	fixtures := readFixtures(t)
	want := make(map[string]*Webhook)
	for name, body := range fixtures {
		want[name], _, _ = DecodeWebhook(body, DecodeOptions{})
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 20 {
				for name, body := range fixtures {
					got, _, err := DecodeWebhook(body, DecodeOptions{})
					if err != nil || !reflect.DeepEqual(got, want[name]) {
						t.Errorf("%s decodes differently: %v\n%s", name, err, cmp.Diff(want[name], got))
						return
					}
				}
			}
		})
	}
	wg.Wait()
}

// TestNothingPointsIntoTheParser decodes a body, then reuses the pooled
// parsers on other bodies: the first result must not change.
func TestNothingPointsIntoTheParser(t *testing.T) {
	fixtures := readFixtures(t)
	body := []byte(`{"event":"comment","access_token":"tok","bot_settings":{"a":"\u0410"},
		"task":{"text":"Привет","subject":"a\nb","fields":[{"type":"x","value":{"k":"v"}},
		{"type":"text","value":12.5},{"type":"money","value":"3.5"}]},"x":{"id":"y"}}`)
	w, _, err := DecodeWebhook(body, DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	before, _ := json.Marshal(w)
	clear(body)
	for range 50 {
		for _, other := range fixtures {
			if _, _, err := DecodeWebhook(other, DecodeOptions{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	after, _ := json.Marshal(w)
	if !bytes.Equal(before, after) {
		t.Errorf("result changed after the parsers were reused:\n%s\n%s", before, after)
	}
}

// checkRawValues reports a raw JSON field value, at any depth, that is not
// valid JSON.
func checkRawValues(t *testing.T, fields []FormField) {
	t.Helper()
	for _, f := range fields {
		switch v := f.Value.(type) {
		case json.RawMessage:
			if !json.Valid(v) {
				t.Errorf("field %d: raw value %q is not JSON", f.ID, v)
			}
		case *Title:
			checkRawValues(t, v.Fields)
		case *MultipleChoice:
			checkRawValues(t, v.Fields)
		case []TableRow:
			for _, r := range v {
				checkRawValues(t, r.Cells)
			}
		}
	}
}

func FuzzDecodeWebhook(f *testing.F) {
	paths, _ := filepath.Glob(fixtureGlob)
	for _, p := range paths {
		if body, err := os.ReadFile(p); err == nil {
			f.Add(body)
		}
	}
	for _, s := range []string{`{}`, `[]`, `{"task":{"fields":[{"type":"table","value":[]}]}}`,
		`{"a":01}`, `{"\u0041":"\ud800"}`, `{"task":{"id":"1","due_date":"x"}}`,
		`{"task":{"fields":[{"type":"x","value":{"\u0001":[1.5e3,"\\"]}}]}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		want := json.Valid(body) && firstKind(body) == kindObject
		w, warns, err := DecodeWebhook(body, DecodeOptions{})
		if (err == nil) != want {
			t.Fatalf("DecodeWebhook(%q) error = %v; valid JSON object: %v", body, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("error has more than one line: %q", err)
		}
		if err == nil && w == nil {
			t.Fatalf("no webhook and no error")
		}
		if err == nil && w.Task != nil {
			checkRawValues(t, w.Task.Fields)
		}
		for _, w := range warns {
			if strings.ContainsAny(w.String(), "\n\r") {
				t.Errorf("warning has more than one line: %q", w)
			}
		}
		if _, _, err := DecodeTask(body, DecodeOptions{}); (err == nil) != want {
			t.Errorf("DecodeTask(%q) error = %v; valid JSON object: %v", body, err, want)
		}
	})
}
