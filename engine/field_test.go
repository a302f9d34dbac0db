package engine_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/rulebot/rulebot/engine"
	"github.com/rulebot/rulebot/pyrus"
)

// purchaseTask is a purchase request with a field of every type, built as
// the decoder builds it: date-only values at midnight in the rules'
// DateLocation, numbers as float64.
func purchaseTask(rs *engine.RuleSet) *pyrus.Task {
	day := func(y int, m time.Month, d int) time.Time {
		return time.Date(y, m, d, 0, 0, 0, 0, rs.DateLocation())
	}
	created := time.Date(2025, 3, 1, 8, 0, 12, 0, time.UTC)
	dueDate := day(2025, 3, 14)
	anna := &pyrus.Person{ID: 100101, FirstName: "Anna", LastName: "Petrova",
		Email: "anna.petrova@example.com"}

	return &pyrus.Task{
		ID:         11839954,
		FormID:     52210,
		Text:       "Purchase request: pallet jacks",
		CreateDate: &created,
		DueDate:    &dueDate,
		Author:     anna,
		Participants: []*pyrus.Person{anna,
			{ID: 100210, FirstName: "Oleg", LastName: "Smirnov", Email: "cfo@example.com"}},
		CurrentStep: 2,
		ListIDs:     []int64{7, 9},
		Fields:      purchaseFields(day, anna),
		Comments: []*pyrus.Comment{
			{ID: 1, Text: "Please approve", Author: anna},
			{ID: 2, Text: "Any news? This is URGENT", Author: anna},
		},
	}
}

func purchaseFields(day func(int, time.Month, int) time.Time, anna *pyrus.Person) []pyrus.FormField {
	return []pyrus.FormField{
		{ID: 1, Type: pyrus.TypeMoney, Name: "Total amount", Code: "total", Value: 18450.76},
		{ID: 2, Type: pyrus.TypeCatalog, Name: "Supplier", Value: &pyrus.Catalog{
			ItemID: 7005, ItemIDs: []int64{7005, 7006},
			Headers: []string{"Supplier", "City"},
			Values:  []string{"Kama Logistics", "Kazan"},
			Rows:    [][]string{{"Kama Logistics", "Kazan"}, {"Volga Tools", "Samara"}},
		}},
		{ID: 3, Type: pyrus.TypeTable, Name: "Items", Value: []pyrus.TableRow{
			itemRow(0, "Pallet jack", 4, 18250, false),
			itemRow(1, "Gold-plated jack", 1, 99999, true),
			itemRow(3, "Stretch film", 10, 350.5, false),
		}},
		{ID: 4, Type: pyrus.TypeMultiple, Name: "Category", Value: &pyrus.MultipleChoice{
			ChoiceID: 1, ChoiceIDs: []int64{1, 3}, ChoiceNames: []string{"Hardware", "Services"},
			Fields: []pyrus.FormField{
				{ID: 41, Type: pyrus.TypeNumber, Name: "Warranty months", Code: "warranty", Value: 36.0, ParentID: 4},
				{ID: 42, Type: pyrus.TypeText, Name: "Note", Value: "from the option", ParentID: 4},
			},
		}},
		{ID: 5, Type: pyrus.TypePerson, Name: "Requester", Value: anna},
		{ID: 6, Type: pyrus.TypeDate, Name: "Delivery date", Value: day(2025, 3, 14)},
		{ID: 7, Type: pyrus.TypeDueDate, Name: "Deadline", Value: day(2025, 3, 20)},
		{ID: 8, Type: pyrus.TypeDueDateTime, Name: "Pickup",
			Value: time.Date(2025, 3, 12, 9, 30, 0, 0, time.UTC)},
		{ID: 9, Type: pyrus.TypeCreationDate, Name: "Created", Value: day(2025, 3, 1)},
		{ID: 10, Type: pyrus.TypeCheckmark, Name: "Urgent", Value: "checked"},
		{ID: 11, Type: pyrus.TypeCheckmark, Name: "Insured"},
		{ID: 12, Type: pyrus.TypeCheckmark, Name: "Returned", Value: "unchecked"},
		{ID: 13, Type: pyrus.TypeFlag, Name: "Budget approved", Value: "checked"},
		{ID: 14, Type: pyrus.TypeText, Name: "Justification", Value: "The old ones broke"},
		{ID: 15, Type: pyrus.TypeText, Name: "Cost center", Code: "cost_center", Value: ""},
		{ID: 16, Type: pyrus.TypeEmail, Name: "Contact email", Value: "anna.petrova@example.com"},
		{ID: 17, Type: pyrus.TypePhone, Name: "Contact phone", Value: "+7 900 000-00-00"},
		{ID: 18, Type: pyrus.TypeTime, Name: "Pickup time", Value: "14:30"},
		{ID: 19, Type: pyrus.TypeNumber, Name: "Quantity", Value: 14.0},
		{ID: 20, Type: pyrus.TypeTitle, Name: "Delivery", Value: &pyrus.Title{
			Fields: []pyrus.FormField{
				{ID: 201, Type: pyrus.TypeText, Name: "Address", Value: "Kazan, Lenina 1", ParentID: 20},
				{ID: 202, Type: pyrus.TypeNumber, Name: "Floor", Code: "floor", Value: 3.0, ParentID: 20},
				{ID: 203, Type: pyrus.TypeText, Name: "Note", Value: "from the title", ParentID: 20},
				{ID: 204, Type: pyrus.TypeText, Name: "Gate", ParentID: 20},
			},
		}},
		{ID: 21, Type: pyrus.TypeFile, Name: "Quotes", Value: []pyrus.File{
			{ID: 501, Name: "quote-1.pdf", Size: 52311}, {ID: 502, Name: "quote-2.pdf", Size: 1200},
		}},
		{ID: 22, Type: pyrus.TypeStep, Name: "Stage", Value: int64(2)},
		{ID: 23, Type: pyrus.TypeFormLink, Name: "Contract", Value: &pyrus.FormLink{
			TaskID: 900, TaskIDs: []int64{900}, Subject: "Contract 17"}},
		{ID: 24, Type: pyrus.TypeProject, Name: "Project", Value: &pyrus.ProjectList{
			Projects: []pyrus.Project{{ID: 77, Name: "Warehouse", Parent: &pyrus.Project{ID: 7, Name: "Ops"}}}}},
		{ID: 25, Type: pyrus.TypeStatus, Name: "Status", Value: "open"},
		{ID: 26, Type: "signature", Name: "Signed", Value: json.RawMessage(`{"by":"Anna","pages":[1,2]}`)},
		{ID: 27, Type: pyrus.TypeAuthor, Name: "Author", Value: anna},
		{ID: 28, Type: pyrus.TypeNote, Name: "Note", Value: "top-level note"},
		{ID: 29, Type: pyrus.TypeText, Name: "Комментарий", Value: "Срочно, склад стоит"},
		{ID: 30, Type: pyrus.TypeFile, Name: "Photos"},
	}
}

func itemRow(id int64, item string, qty, price float64, deleted bool) pyrus.TableRow {
	return pyrus.TableRow{RowID: id, Deleted: deleted, Cells: []pyrus.FormField{
		{ID: 31, Type: pyrus.TypeText, Name: "Item", Value: item, ParentID: 3, RowID: id},
		{ID: 32, Type: pyrus.TypeNumber, Name: "Quantity", Value: qty, ParentID: 3, RowID: id},
		{ID: 33, Type: pyrus.TypeMoney, Name: "Unit price", Value: price, ParentID: 3, RowID: id},
	}}
}

// Every condition here must hold for purchaseTask, without a run-time error.
func TestFieldValues(t *testing.T) {
	tests := []struct {
		name string
		when string
	}{
		// text, email, phone, note, time: text
		{"text", `field("Justification") == "The old ones broke" && type(field("Justification")) == "string"`},
		{"email", `field("Contact email") == "anna.petrova@example.com"`},
		{"phone", `field("Contact phone") == "+7 900 000-00-00"`},
		{"note", `field(28) == "top-level note"`},
		{"time", `field("Pickup time") == "14:30"`},
		{"Cyrillic name", `field("Комментарий") contains "склад"`},

		// money, number: numbers, comparable with whole and decimal literals
		{"money", `field("Total amount") == 18450.76 && type(field("Total amount")) == "float"`},
		{"money compares with an integer", `field("Total amount") > 10000`},
		{"number", `field("Quantity") == 14 && field("Quantity") + 1 == 15`},

		// checkmark: bool; flag: text
		{"checkmark checked", `field("Urgent") == true`},
		{"checkmark unchecked", `field("Returned") == false`},
		{"checkmark without a value", `field("Insured") == false && type(field("Insured")) == "bool"`},
		{"flag", `field("Budget approved") == "checked"`},

		// dates and times
		{"date", `field("Delivery date") == date("2025-03-14")`},
		{"date is a time", `field("Delivery date") < date("2025-03-15") && field("Delivery date").Day() == 14`},
		{"due date", `field("Deadline") - field("Delivery date") == duration("144h")`},
		{"due date time", `field("Pickup") == date("2025-03-12T09:30:00Z")`},
		{"creation date", `field("Created") == date("2025-03-01")`},
		{"task due date", `task.due_date == date("2025-03-14")`},

		// multiple choice: the chosen names
		{"multiple choice", `"Hardware" in field("Category") && !("Software" in field("Category"))`},
		{"multiple choice list", `field("Category") == ["Hardware", "Services"]`},

		// person and author
		{"person", `field("Requester").email == "anna.petrova@example.com"`},
		{"person id", `field("Requester").id == task.author.id`},
		{"author", `field("Author").first_name == "Anna"`},

		// catalog
		{"catalog item ids", `field("Supplier").item_ids == [7005, 7006]`},
		{"catalog headers", `field("Supplier").headers[1] == "City"`},
		{"catalog values", `field("Supplier").values[1] == "Kazan"`},
		{"catalog rows", `field("Supplier").rows[1][0] == "Volga Tools"`},

		// table: rows of column name to typed value, deleted rows skipped
		{"table any", `any(field("Items"), #["Unit price"] > 1500)`},
		{"table skips deleted rows", `len(field("Items")) == 2 && none(field("Items"), #["Unit price"] > 20000)`},
		{"table cells typed", `sum(map(field("Items"), #["Quantity"] * #["Unit price"])) == 76505`},
		{"table cell text", `field("Items")[1]["Item"] == "Stretch film"`},
		{"table cells are not fields", `field("Unit price") == nil && field(33) == nil`},

		// title: a map of its children, each also a field of its own
		{"title", `field("Delivery")["Address"] == "Kazan, Lenina 1" && field("Delivery").Floor == 3`},
		{"title empty child", `field("Delivery")["Gate"] == nil`},
		{"title child by name", `field("Address") == "Kazan, Lenina 1"`},
		{"title child by code", `field("floor") == 3`},
		{"title child by id", `field(202) == 3`},

		// nested under a chosen option
		{"option child by name", `field("Warranty months") == 36`},
		{"option child by code", `field("warranty") == 36`},
		{"option child by id", `field(41) == 36`},

		// top-level first: two nested "Note" fields come earlier in the document
		{"top level wins over nested", `field("Note") == "top-level note"`},

		// file: a list of files
		{"file", `len(field("Quotes")) == 2 && field("Quotes")[0].name == "quote-1.pdf"`},
		{"file size", `sum(map(field("Quotes"), .size)) == 53511`},
		{"file without files", `field("Photos") == nil`},

		// step, form_link, project, status, and a type rulebot does not know
		{"step", `field("Stage") == 2`},
		{"form link", `field("Contract").task_ids == [900] && field("Contract").subject == "Contract 17"`},
		{"project", `field("Project").projects[0].name == "Warehouse"`},
		{"project parent", `field("Project").projects[0].parent.name == "Ops"`},
		{"status", `field("Status") == "open"`},
		{"unknown type", `field("Signed").by == "Anna" && field("Signed").pages == [1, 2]`},

		// keys: name, code (text), id (number)
		{"by code", `field("total") == 18450.76`},
		{"by id", `field(1) == 18450.76`},
		{"by float id", `field(1.0) == 18450.76`},
		{"id as text is a name", `field("1") == nil`},
		{"names are exact", `field("total amount") == nil && field("Total amount ") == nil`},

		// absent and empty
		{"absent", `field("Nope") == nil && field(999) == nil`},
		{"empty text", `field("Cost center") == nil && field("cost_center") == nil`},
		{"empty with ??", `(field("cost_center") ?? "none") == "none"`},
	}
	rs := mustParse(t, "timezone: Europe/Moscow\nrules: []\n")
	task := purchaseTask(rs)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := mustParse(t, "timezone: Europe/Moscow\nrules:\n"+ruleSrc("r", tt.when, "comment: x"))
			res := rs.Evaluate(engine.Input{Webhook: &pyrus.Webhook{Task: task}})
			if len(res.Errors) > 0 {
				t.Fatalf("when: %s\nrun-time error: %v", tt.when, res.Errors[0].Err)
			}
			if len(res.Matched) != 1 {
				t.Errorf("when: %s\nis false, want true", tt.when)
			}
		})
	}
}

// field() values as templates print them.
func TestFieldPrinting(t *testing.T) {
	tests := []struct {
		name     string
		template string
		want     string
	}{
		{"money", `{{ field("Total amount") }}`, "18450.76"},
		{"number", `{{ field("Quantity") }}`, "14"},
		{"date", `{{ field("Delivery date") }}`, "2025-03-14"},
		{"due date", `{{ field("Deadline") }}`, "2025-03-20"},
		{"due date time", `{{ field("Pickup") }}`, "2025-03-12T12:30:00+03:00"},
		{"creation date sent as a date", `{{ field("Created") }}`, "2025-03-01"},
		{"task due date", `{{ task.due_date }}`, "2025-03-14"},
		{"task create date", `{{ task.create_date }}`, "2025-03-01T11:00:12+03:00"},
		{"checkmark", `{{ field("Urgent") }} {{ field("Insured") }}`, "true false"},
		{"multiple choice", `{{ field("Category") }}`, "Hardware, Services"},
		{"person", `{{ field("Requester") }}`, "Anna Petrova"},
		{"catalog", `{{ field("Supplier") }}`, "Kama Logistics, Volga Tools"},
		{"table column", `{{ map(field("Items"), #.Item) }}`, "Pallet jack, Stretch film"},
		{"file names", `{{ map(field("Quotes"), .name) }}`, "quote-1.pdf, quote-2.pdf"},
		{"step", `{{ field("Stage") }}`, "2"},
		{"absent", `[{{ field("Nope") }}]`, "[]"},
		{"title child", `{{ field("Address") }}, floor {{ field("floor") }}`, "Kazan, Lenina 1, floor 3"},
	}
	rs := mustParse(t, "timezone: Europe/Moscow\nrules: []\n")
	task := purchaseTask(rs)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "timezone: Europe/Moscow\nrules:\n" + ruleSrc("r", "true", "comment: "+quote(tt.template))
			res := mustParse(t, src).Evaluate(engine.Input{Webhook: &pyrus.Webhook{Task: task}})
			if len(res.Errors) > 0 {
				t.Fatalf("run-time error: %v", res.Errors[0].Err)
			}
			if got := res.Response.Text; got != tt.want {
				t.Errorf("%s printed %q, want %q", tt.template, got, tt.want)
			}
		})
	}
}

// ruleSrc gives one rule of a rules file; then holds the actions, one per
// line.
func ruleSrc(name, when, then string) string {
	return fmt.Sprintf("  - name: %s\n    when: %s\n    then:\n      %s\n", name, quote(when), then)
}

// quote writes s as a single-quoted YAML scalar.
func quote(s string) string {
	out := []rune{'\''}
	for _, r := range s {
		if r == '\'' {
			out = append(out, '\'')
		}
		out = append(out, r)
	}
	return string(append(out, '\''))
}
