package ruletest_test

import (
	"fmt"
	"log"

	"github.com/rulebot/rulebot/engine"
	"github.com/rulebot/rulebot/ruletest"
)

func Example() {
	rs, err := engine.Load("../testdata/ruletest/rules.yaml")
	if err != nil {
		log.Fatal(err)
	}
	// Fixture paths are relative to the test file.
	suite, err := ruletest.Parse("../testdata/ruletest/example_test.yaml", []byte(`
tests:
  - name: a big amount goes to the CFO
    task: tasks/big.json
    now: 2025-02-26
    expect:
      matched: [big]
      response:
        reassign_to: {email: cfo@example.com}
  - name: a big amount is due soon
    task: tasks/big.json
    now: 2025-03-05
    expect:
      matched: [big]
`))
	if err != nil {
		log.Fatal(err)
	}

	for _, r := range suite.Run(rs) {
		fmt.Printf("--- %s: %s\n%s", r.Status, r.Case.Name, r.Details())
	}
	// Output:
	// --- PASS: a big amount goes to the CFO
	// --- FAIL: a big amount is due soon
	//     matched:
	//         want: [big]
	//         got:  [big, due-soon]
}
