package engine_test

import (
	"testing"
	"time"

	"github.com/rulebot/rulebot/engine"
	"github.com/rulebot/rulebot/pyrus"
)

// How values print in a template (SPEC 2.2).
func TestFormat(t *testing.T) {
	tests := []struct {
		name string
		expr string // inside {{ }}
		want string
	}{
		// numbers as a person writes them
		{"decimal", `18450.76`, "18450.76"},
		{"decimal field", `field("total")`, "18450.76"},
		{"whole", `12`, "12"},
		{"whole float", `12.0`, "12"},
		{"million", `1500000`, "1500000"},
		{"million float", `1500000.0`, "1500000"},
		{"large float", `1e21`, "1000000000000000000000"},
		{"small float", `0.0000001`, "0.0000001"},
		{"negative", `-3.5`, "-3.5"},
		{"sum without binary noise", `0.1 + 0.2`, "0.3"},
		{"product without binary noise", `field("total") * 3`, "55352.28"},
		{"division", `10 / 4`, "2.5"},
		{"third", `1 / 3`, "0.333333333333333"},
		{"money from a table", `field("Items")[1]["Unit price"]`, "350.5"},
		{"settings number", `settings.limit`, "10000"},
		{"int64", `task.id`, "11839954"},

		// times
		{"date field", `field("Delivery date")`, "2025-03-14"},
		{"date field plus days", `field("Delivery date") + duration("72h")`, "2025-03-17"},
		{"time field in the rules' timezone", `field("Pickup")`, "2025-03-12T12:30:00+03:00"},
		{"now", `now()`, "2025-03-05T13:00:00+03:00"},
		{"absent time", `task.close_date`, ""},

		// nil, lists, people, catalogs
		{"nil", `nil`, ""},
		{"absent field", `field("Nope")`, ""},
		{"list of text", `field("Category")`, "Hardware, Services"},
		{"list of numbers", `task.list_ids`, "7, 9"},
		{"list built in the expression", `[1, 2.5, "three"]`, "1, 2.5, three"},
		{"empty list", `[]`, ""},
		{"person", `task.author`, "Anna Petrova"},
		{"person without a last name", `task.responsible`, "Oleg"},
		{"person without a name", `comment.author`, "robot@example.com"},
		{"absent person", `comment.reassigned_to`, ""},
		{"people", `task.participants`, "Anna Petrova, Oleg"},
		{"catalog", `field("Supplier")`, "Kama Logistics, Volga Tools"},
		{"catalog without rows", `field("Warehouse")`, "Main"},
		{"files", `field("Quotes")`, "quote-1.pdf, quote-2.pdf"},
		{"form link", `field("Contract")`, "Contract 17"},
		{"form link without a subject", `field("Linked")`, "900, 901"},
		{"project", `field("Project")`, "Warehouse"},
		{"text", `"a" + "b"`, "ab"},
		{"bool", `field("Urgent")`, "true"},
	}

	rs := mustParse(t, "timezone: Europe/Moscow\nrules: []\n")
	task := purchaseTask(rs)
	task.Responsible = &pyrus.Person{ID: 100210, FirstName: "Oleg"}
	task.Participants = []*pyrus.Person{task.Author, task.Responsible}
	task.Comments = append(task.Comments, &pyrus.Comment{Author: &pyrus.Person{Email: "robot@example.com"}})
	task.Fields = append(task.Fields, pyrus.FormField{
		ID: 99, Type: pyrus.TypeCatalog, Name: "Warehouse",
		Value: &pyrus.Catalog{ItemIDs: []int64{1}, Values: []string{"Main", "Kazan"}},
	}, pyrus.FormField{
		ID: 100, Type: pyrus.TypeFormLink, Name: "Linked",
		Value: &pyrus.FormLink{TaskIDs: []int64{900, 901}},
	})
	in := engine.Input{
		Webhook: &pyrus.Webhook{Task: task, BotSettings: `{"limit": 10000}`},
		Now:     time.Date(2025, 3, 5, 10, 0, 0, 0, time.UTC),
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "timezone: Europe/Moscow\nrules:\n" +
				ruleSrc("r", "true", "comment: "+quote("["+"{{ "+tt.expr+" }}"+"]"))
			res := mustParse(t, src).Evaluate(in)
			if len(res.Errors) > 0 {
				t.Fatalf("run-time error: %v", res.Errors[0].Err)
			}
			if got, want := res.Response.Text, "["+tt.want+"]"; got != want {
				t.Errorf("{{ %s }} printed %q, want %q", tt.expr, got, want)
			}
		})
	}
}

// Times print in the rules' timezone, whatever zone they came in.
func TestFormatTimeZones(t *testing.T) {
	created := time.Date(2025, 3, 1, 23, 30, 0, 0, time.UTC)
	task := &pyrus.Task{ID: 1, CreateDate: &created}
	tests := []struct {
		zone, want string
	}{
		{"UTC", "2025-03-01T23:30:00Z"},
		{"Europe/Moscow", "2025-03-02T02:30:00+03:00"},
		{"America/New_York", "2025-03-01T18:30:00-05:00"},
	}
	for _, tt := range tests {
		t.Run(tt.zone, func(t *testing.T) {
			src := "timezone: " + tt.zone + "\nrules:\n" +
				ruleSrc("r", "true", "comment: '{{ task.create_date }}'")
			res := mustParse(t, src).Evaluate(engine.Input{Webhook: &pyrus.Webhook{Task: task}})
			if got := res.Response.Text; got != tt.want {
				t.Errorf("printed %q, want %q", got, tt.want)
			}
		})
	}
}
