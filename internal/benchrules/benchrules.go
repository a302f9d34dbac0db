// Package benchrules writes rules files of any size for benchmarks, with
// rules of the kinds analysts write: amounts, a table, a multiple choice,
// a date, the newest comment and the bot settings, each with a comment
// template. Against testdata/tasks/all-field-types.json about a quarter of
// them match.
package benchrules

import (
	"fmt"
	"strings"
)

var kinds = []struct{ when, comment string }{
	{`task.form_id == 52210 && (field("total") ?? 0) > 90000 + %d * 1000`,
		`Total {{ field("total") }} is over the limit %d.`},
	{`any(field("Items") ?? [], #["Unit price"] > 15000 + %d * 500)`,
		`Dear items ({{ map(filter(field("Items"), #["Unit price"] > 1500), #["Item"]) }}), limit %d.`},
	{`"Hardware" in (field("Category") ?? []) && (field("Warranty months") ?? 0) > 30 + %d`,
		`Hardware from {{ field("Supplier") }}, warranty over {{ 30 + %d }} months.`},
	{`field("Delivery date") != nil && field("Delivery date") > now() + duration("%dh")`,
		`Delivery on {{ field("Delivery date") }}, more than %d hours away.`},
	{`lower(comment.text) contains "urgent" && task.current_step == %d`,
		`{{ task.author.first_name }} asks to hurry at step %d.`},
	{`(field("total") ?? 0) > settings.limit * (5 + %d)`,
		`Over {{ settings.limit }} times %d: {{ settings.cfo_email }}.`},
}

// Generate writes a rules file of n rules.
func Generate(n int) string {
	var b strings.Builder
	b.WriteString("timezone: Europe/Moscow\nrules:\n")
	for i := range n {
		kind := i % len(kinds)
		v := i/len(kinds)%50 + 1
		if kind == 3 {
			v += 150 // hours: the delivery date is 156 hours after the pinned clock
		}
		fmt.Fprintf(&b, "  - name: rule-%d\n    when: %s\n    then:\n      comment: %s\n",
			i, quote(fmt.Sprintf(kinds[kind].when, v)), quote(fmt.Sprintf(kinds[kind].comment, v)))
	}
	return b.String()
}

// quote writes s as a single-quoted YAML scalar.
func quote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
