package pyrus

import (
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// decodeFields decodes fields, given as the JSON text of an array's
// elements, in a webhook's task.
func decodeFields(t *testing.T, fields string, opts DecodeOptions) ([]FormField, []string) {
	t.Helper()
	body := `{"task":{"fields":[` + fields + `]}}`
	w, warns, err := DecodeWebhook([]byte(body), opts)
	if err != nil {
		t.Fatalf("DecodeWebhook(%s): %v", body, err)
	}
	return w.Task.Fields, warningStrings(warns)
}

// dateOnly is midnight of a "YYYY-MM-DD" date in loc.
func dateOnly(s string, loc *time.Location) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc)
}

// instant parses an RFC 3339 time into UTC.
func instant(s string) time.Time {
	d, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return d.UTC()
}

func TestFieldValues(t *testing.T) {
	tests := []struct {
		name  string
		field string
		want  FormField
	}{
		{"text", `{"id":1,"type":"text","name":"Item","code":"item","value":"Pallet jack"}`,
			FormField{ID: 1, Type: TypeText, Name: "Item", Code: "item", Value: "Pallet jack"}},
		{"empty text", `{"id":1,"type":"text","value":""}`,
			FormField{ID: 1, Type: TypeText, Value: ""}},
		{"no value", `{"id":1,"type":"text"}`, FormField{ID: 1, Type: TypeText}},
		{"null value", `{"id":1,"type":"money","value":null}`, FormField{ID: 1, Type: TypeMoney}},
		{"email", `{"type":"email","value":"a@example.com"}`,
			FormField{Type: TypeEmail, Value: "a@example.com"}},
		{"phone", `{"type":"phone","value":"79000000000,12345"}`,
			FormField{Type: TypePhone, Value: "79000000000,12345"}},
		{"note", `{"type":"note","value":"Read me"}`, FormField{Type: TypeNote, Value: "Read me"}},
		{"time", `{"type":"time","value":"14:30"}`, FormField{Type: TypeTime, Value: "14:30"}},
		{"checkmark", `{"type":"checkmark","value":"checked"}`,
			FormField{Type: TypeCheckmark, Value: "checked"}},
		{"flag", `{"type":"flag","value":"none"}`, FormField{Type: TypeFlag, Value: "none"}},
		{"status", `{"type":"status","value":"closed"}`,
			FormField{Type: TypeStatus, Value: "closed"}},
		{"money", `{"type":"money","value":18450.76}`,
			FormField{Type: TypeMoney, Value: 18450.76}},
		{"number", `{"type":"number","value":-3}`, FormField{Type: TypeNumber, Value: -3.0}},
		{"number with exponent", `{"type":"number","value":1.5e3}`,
			FormField{Type: TypeNumber, Value: 1500.0}},
		{"step", `{"type":"step","value":2}`, FormField{Type: TypeStep, Value: int64(2)}},
		{"date", `{"type":"date","value":"2025-03-12"}`,
			FormField{Type: TypeDate, Value: dateOnly("2025-03-12", dateOnlyUTC)}},
		{"due date with duration", `{"type":"due_date","value":"2025-03-14","duration":480}`,
			FormField{Type: TypeDueDate, Value: dateOnly("2025-03-14", dateOnlyUTC), Duration: 480}},
		{"due date time", `{"type":"due_date_time","duration":60,"value":"2025-03-06T08:30:00Z"}`,
			FormField{Type: TypeDueDateTime, Value: instant("2025-03-06T08:30:00Z"), Duration: 60}},
		{"due date time with offset and fraction",
			`{"type":"due_date_time","value":"2025-03-06T11:30:00.25+03:00"}`,
			FormField{Type: TypeDueDateTime, Value: instant("2025-03-06T08:30:00.25Z")}},
		{"creation date as a date", `{"type":"creation_date","value":"2021-07-31"}`,
			FormField{Type: TypeCreationDate, Value: dateOnly("2021-07-31", dateOnlyUTC)}},
		{"creation date as a datetime", `{"type":"creation_date","value":"2021-07-31T09:00:00Z"}`,
			FormField{Type: TypeCreationDate, Value: instant("2021-07-31T09:00:00Z")}},
		{"multiple choice", `{"id":4,"type":"multiple_choice","value":{"choice_id":1,
			"choice_ids":[1,3],"choice_names":["Hardware","Services"],"fields":[
			{"id":41,"type":"number","value":36,"parent_id":4},
			{"id":42,"type":"multiple_choice","value":{"choice_ids":[7],"fields":[
				{"id":421,"type":"text","value":"deep","parent_id":42}]}}]}}`,
			FormField{ID: 4, Type: TypeMultiple, Value: &MultipleChoice{
				ChoiceID: 1, ChoiceIDs: []int64{1, 3}, ChoiceNames: []string{"Hardware", "Services"},
				Fields: []FormField{
					{ID: 41, Type: TypeNumber, Value: 36.0, ParentID: 4},
					{ID: 42, Type: TypeMultiple, Value: &MultipleChoice{ChoiceIDs: []int64{7},
						Fields: []FormField{{ID: 421, Type: TypeText, Value: "deep", ParentID: 42}}}},
				}}}},
		{"catalog", `{"type":"catalog","value":{"item_id":7005,"item_ids":[7005],
			"headers":["Supplier","City"],"values":["Kama",null],"rows":[["Kama","Kazan"],[]]}}`,
			FormField{Type: TypeCatalog, Value: &Catalog{ItemID: 7005, ItemIDs: []int64{7005},
				Headers: []string{"Supplier", "City"}, Values: []string{"Kama", ""},
				Rows: [][]string{{"Kama", "Kazan"}, nil}}}},
		{"person", `{"type":"person","value":{"id":1,"first_name":"Anna","email":"a@x"}}`,
			FormField{Type: TypePerson, Value: &Person{ID: 1, FirstName: "Anna", Email: "a@x"}}},
		{"author", `{"type":"author","value":{"id":2,"type":"user"}}`,
			FormField{Type: TypeAuthor, Value: &Person{ID: 2, Type: "user"}}},
		{"file", `{"type":"file","value":[{"id":9,"name":"c.pdf","size":184320,
			"md5":"47DA94F9","url":"https://files.example.com/9","version":1}]}`,
			FormField{Type: TypeFile, Value: []File{{ID: 9, Name: "c.pdf", Size: 184320,
				MD5: "47DA94F9", URL: "https://files.example.com/9", Version: 1}}}},
		{"empty file list", `{"type":"file","value":[]}`, FormField{Type: TypeFile}},
		{"title", `{"id":11,"type":"title","value":{"checkmark":"checked","fields":[
			{"id":111,"type":"text","value":"Why","parent_id":11},
			{"id":112,"type":"title","parent_id":11,"value":{"fields":[
				{"id":1121,"type":"money","value":0.1,"parent_id":112}]}}]}}`,
			FormField{ID: 11, Type: TypeTitle, Value: &Title{Checkmark: "checked",
				Fields: []FormField{
					{ID: 111, Type: TypeText, Value: "Why", ParentID: 11},
					{ID: 112, Type: TypeTitle, ParentID: 11, Value: &Title{Fields: []FormField{
						{ID: 1121, Type: TypeMoney, Value: 0.1, ParentID: 112}}}},
				}}}},
		{"table", `{"id":3,"type":"table","value":[
			{"row_id":0,"cells":[{"id":31,"type":"text","value":"Chair","parent_id":3,"row_id":0},
				{"id":33,"type":"money","value":1497.88,"parent_id":3,"row_id":0}]},
			{"row_id":3,"position":1,"deleted":true,"cells":[
				{"id":34,"type":"table","value":[{"row_id":0,"cells":[
					{"id":341,"type":"number","value":2}]}]}]}]}`,
			FormField{ID: 3, Type: TypeTable, Value: []TableRow{
				{RowID: 0, Cells: []FormField{
					{ID: 31, Type: TypeText, Value: "Chair", ParentID: 3},
					{ID: 33, Type: TypeMoney, Value: 1497.88, ParentID: 3},
				}},
				{RowID: 3, Position: 1, Deleted: true, Cells: []FormField{
					{ID: 34, Type: TypeTable, Value: []TableRow{{Cells: []FormField{
						{ID: 341, Type: TypeNumber, Value: 2.0}}}}}}},
			}}},
		{"form link", `{"type":"form_link","value":{"task_id":5,"task_ids":[5,6],"subject":"S"}}`,
			FormField{Type: TypeFormLink, Value: &FormLink{TaskID: 5, TaskIDs: []int64{5, 6},
				Subject: "S"}}},
		{"project", `{"type":"project","value":{"projects":[{"id":5501,"name":"Upgrade",
			"parent":{"id":5500,"name":"Ops","parent":{"id":1}}}]}}`,
			FormField{Type: TypeProject, Value: &ProjectList{Projects: []Project{{ID: 5501,
				Name: "Upgrade", Parent: &Project{ID: 5500, Name: "Ops", Parent: &Project{ID: 1}}}}}}},
		{"unknown type keeps raw JSON", `{"type":"signature","value":{"signed_by": 1,
			"at":"2025-03-05T12:00:00Z","s":"\u0410"}}`,
			FormField{Type: "signature",
				Value: json.RawMessage(`{"signed_by":1,"at":"2025-03-05T12:00:00Z","s":"\u0410"}`)}},
		{"unknown type with escaped keys", `{"type":"sig","value":{"\u0001":1,"a\"b":"\ud83d"}}`,
			FormField{Type: "sig", Value: json.RawMessage(`{"\u0001":1,"a\"b":"\ud83d"}`)}},
		{"unknown type string", `{"type":"barcode","value":"A-1"}`,
			FormField{Type: "barcode", Value: json.RawMessage(`"A-1"`)}},
		{"no type keeps raw JSON", `{"id":5,"value":[1, 2]}`,
			FormField{ID: 5, Value: json.RawMessage(`[1,2]`)}},
		{"type after value", `{"value":"2025-03-12","id":5,"type":"date"}`,
			FormField{ID: 5, Type: TypeDate, Value: dateOnly("2025-03-12", dateOnlyUTC)}},
		{"type in another spelling", `{"type":"DueDateTime","value":"2025-03-06T08:30:00Z"}`,
			FormField{Type: TypeDueDateTime, Value: instant("2025-03-06T08:30:00Z")}},
		{"type upper case", `{"type":"MULTIPLE_CHOICE","value":{"choice_ids":[1]}}`,
			FormField{Type: TypeMultiple, Value: &MultipleChoice{ChoiceIDs: []int64{1}}}},
		{"info", `{"id":1,"type":"multiple_choice","info":{"required_step":1,"immutable_step":2,
			"options":[{"choice_id":1,"choice_value":"A","deleted":true,"fields":[{"id":2}]}],
			"catalog_id":3,"columns":[{"id":4,"type":"text"}],"fields":[{"id":5}],"form_id":6,
			"code":"c","decimal_places":2,"multiple_choice":true,"multiline":true}}`,
			FormField{ID: 1, Type: TypeMultiple, Info: &FieldInfo{RequiredStep: 1,
				ImmutableStep: 2, Options: []ChoiceOption{{ChoiceID: 1, ChoiceValue: "A",
					Deleted: true, Fields: []FormField{{ID: 2}}}},
				CatalogID: 3, Columns: []FormField{{ID: 4, Type: TypeText}},
				Fields: []FormField{{ID: 5}}, FormID: 6, Code: "c", DecimalPlaces: 2,
				MultipleChoice: true, Multiline: true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fields, warns := decodeFields(t, tt.field, DecodeOptions{})
			if diff := cmp.Diff([]FormField{tt.want}, fields); diff != "" {
				t.Errorf("field (-want +got):\n%s", diff)
			}
			if len(warns) > 0 {
				t.Errorf("warnings: %q", warns)
			}
		})
	}
}

func TestNumbersPrintBack(t *testing.T) {
	for _, text := range []string{"1497.88", "18450.76", "1500000", "0.1", "96500", "7200.5",
		"1440.1", "-0.3", "123456789.12", "0.000001"} {
		t.Run(text, func(t *testing.T) {
			fields, _ := decodeFields(t, `{"type":"money","value":`+text+`}`, DecodeOptions{})
			f, ok := fields[0].Value.(float64)
			if !ok {
				t.Fatalf("value %#v is not a float64", fields[0].Value)
			}
			if got := strconv.FormatFloat(f, 'f', -1, 64); got != text {
				t.Errorf("printed back as %s, want %s", got, text)
			}
		})
	}
}

func TestDateLocation(t *testing.T) {
	moscow := time.FixedZone("Europe/Moscow", 3*60*60)
	tests := []struct {
		name string
		opts DecodeOptions
		loc  *time.Location
	}{
		{"default", DecodeOptions{}, dateOnlyUTC},
		{"given", DecodeOptions{DateLocation: moscow}, moscow},
	}
	body := `{"task":{"create_date":"2025-03-05T10:00:00+03:00","due_date":"2025-03-14",
		"scheduled_date":"2025-03-10","due":"2025-03-14T12:00:00Z",
		"fields":[{"type":"date","value":"2025-03-12"},{"type":"due_date","value":"2025-03-13"},
		{"type":"creation_date","value":"2021-07-31"},{"type":"due_date_time",
		"value":"2025-03-06T08:30:00Z"}],"comments":[{"due_date":"2025-03-15"}]}}`
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, _, err := DecodeWebhook([]byte(body), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := tt.opts.DateOnlyLocation(); got != tt.loc {
				t.Errorf("DateOnlyLocation() = %v", got)
			}
			task := w.Task
			dates := []time.Time{*task.DueDate, *task.ScheduledDate, *task.Comments[0].DueDate,
				task.Fields[0].Value.(time.Time), task.Fields[1].Value.(time.Time),
				task.Fields[2].Value.(time.Time)}
			for i, d := range dates {
				if d.Location() != tt.loc || d.Hour() != 0 || d.Minute() != 0 {
					t.Errorf("date %d = %v in %p, want midnight in %p", i, d, d.Location(), tt.loc)
				}
			}
			if !dates[0].Equal(dateOnly("2025-03-14", tt.loc)) {
				t.Errorf("due_date = %v", dates[0])
			}
			times := []time.Time{*task.CreateDate, *task.Due, task.Fields[3].Value.(time.Time)}
			for i, d := range times {
				if d.Location() != time.UTC {
					t.Errorf("datetime %d = %v, want UTC", i, d)
				}
			}
			if want := instant("2025-03-05T07:00:00Z"); !task.CreateDate.Equal(want) {
				t.Errorf("create_date = %v, want %v", task.CreateDate, want)
			}
		})
	}
	if dateOnlyUTC == time.UTC || dateOnlyUTC.String() != "UTC" {
		t.Errorf("the default date-only location must be its own UTC zone")
	}
}
