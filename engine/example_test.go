package engine_test

import (
	"fmt"
	"log"
	"time"

	"github.com/rulebot/rulebot/engine"
	"github.com/rulebot/rulebot/pyrus"
)

func Example() {
	rules := `
timezone: Europe/Moscow
rules:
  - name: big-purchase-to-cfo
    when: task.form_id == 52210 && field("Total amount") > settings.limit
    then:
      comment: 'Total {{ field("Total amount") }} is over {{ settings.limit }}, sent to the CFO.'
      reassign: cfo@example.com
  - name: delivery-date
    when: field("Delivery date") != nil
    then:
      comment: 'Delivery by {{ field("Delivery date") }}.'
`
	rs, err := engine.Parse("rules.yaml", []byte(rules))
	if err != nil {
		log.Fatal(err)
	}

	// The decoder marks date-only values with the rules' DateLocation.
	delivery := time.Date(2025, 3, 14, 0, 0, 0, 0, rs.DateLocation())
	task := &pyrus.Task{
		ID:     11839954,
		FormID: 52210,
		Fields: []pyrus.FormField{
			{ID: 1, Type: pyrus.TypeMoney, Name: "Total amount", Value: 18450.76},
			{ID: 6, Type: pyrus.TypeDate, Name: "Delivery date", Value: delivery},
		},
	}
	res := rs.Evaluate(engine.Input{Webhook: &pyrus.Webhook{
		Event:       "comment",
		BotSettings: `{"limit": 10000}`,
		Task:        task,
	}})

	body, err := res.Body()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s", body)
	fmt.Println(res.Matched)
	// Output:
	// {"text":"Total 18450.76 is over 10000, sent to the CFO.\n\nDelivery by 2025-03-14.","reassign_to":{"email":"cfo@example.com"}}
	// [big-purchase-to-cfo delivery-date]
}

func ExampleErrorList() {
	rules := `
rules:
  - name: big-purchase-to-cfo
    when: task.form == 52210
    then:
      approval: aproved
`
	_, err := engine.Parse("rules.yaml", []byte(rules))
	fmt.Println(err)
	// Output:
	// rules.yaml:4:16: rule "big-purchase-to-cfo": unknown field "form" on task
	// rules.yaml:6:17: rule "big-purchase-to-cfo": approval "aproved" must be one of approved, rejected, acknowledged, revoked
}
