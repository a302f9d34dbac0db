package engine

import (
	"fmt"
	"sync"
	"testing"

	"github.com/rulebot/rulebot/pyrus"
)

func amountTask(id int64, name string, amount float64) *pyrus.Webhook {
	return &pyrus.Webhook{Task: &pyrus.Task{ID: id, Fields: []pyrus.FormField{
		{ID: 1, Type: pyrus.TypeMoney, Name: name, Value: amount},
	}}}
}

// TestEvaluationReuseForgetsTheTask runs one evaluation for two tasks in
// turn, as the pool does, and checks that the second sees nothing of the
// first, and that a released evaluation holds nothing of either.
func TestEvaluationReuseForgetsTheTask(t *testing.T) {
	rs, err := Parse("rules.yaml", []byte("rules:\n  - name: r\n    when: 'true'\n    then: {comment: x}\n"))
	if err != nil {
		t.Fatal(err)
	}
	ev := getEvaluation(rs)
	ev.newEnv(Input{Webhook: amountTask(1, "Amount", 5)})
	if got := ev.env.Field("Amount"); got != 5.0 {
		t.Fatalf("first task: field(Amount) = %v, want 5", got)
	}
	ev.fields.release()
	ev.newEnv(Input{Webhook: amountTask(2, "Total", 7)})
	if got := ev.env.Field("Amount"); got != nil {
		t.Errorf("second task: field(Amount) = %v, left over from the first", got)
	}
	if got := ev.env.Field("Total"); got != 7.0 {
		t.Errorf("second task: field(Total) = %v, want 7", got)
	}

	x := &ev.fields
	if !x.release() || x.task != nil || x.built {
		t.Errorf("after release: keep %v, task %v, built %v", x.release(), x.task, x.built)
	}
	for _, f := range x.flat[:cap(x.flat)] {
		if f != nil {
			t.Fatal("a released field index still points at a field")
		}
	}
	for _, v := range x.values[:cap(x.values)] {
		if v != nil {
			t.Fatal("a released field index still holds a value")
		}
	}
	if len(x.byName) != 0 {
		t.Errorf("a released field index still maps %d names", len(x.byName))
	}
}

// TestConcurrentEvaluations runs tasks with different values on many
// goroutines at once; each must get its own answer (and -race must stay
// quiet about the pooled evaluations).
func TestConcurrentEvaluations(t *testing.T) {
	rs, err := Parse("rules.yaml", []byte(
		"rules:\n  - name: r\n    when: field(\"Amount\") > 0\n    then: {comment: '{{ field(\"Amount\") }}'}\n"))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				amount := float64(g*1000 + i + 1)
				res := rs.Evaluate(Input{Webhook: amountTask(int64(i), "Amount", amount)})
				if want := fmt.Sprint(amount); res.Response.Text != want {
					t.Errorf("goroutine %d: answer %q, want %q", g, res.Response.Text, want)
					return
				}
			}
		})
	}
	wg.Wait()
}

// TestDraftReuseForgetsTheAnswer evaluates a task that gets a comment, an
// approval and a reassignment, then one that gets a comment only, on one
// goroutine (so the pool most likely hands back the same evaluation): the
// second answer must hold nothing of the first, and a released evaluation
// no part of an answer.
func TestDraftReuseForgetsTheAnswer(t *testing.T) {
	rs, err := Parse("rules.yaml", []byte(`rules:
  - name: big
    when: field("Amount") > 5
    then: {comment: big, approval: approved, reassign: cfo@example.com}
  - name: always
    when: 'true'
    then: {comment: always}
`))
	if err != nil {
		t.Fatal(err)
	}
	first := rs.Evaluate(Input{Webhook: amountTask(1, "Amount", 10)})
	if first.Response.Text != "big\n\nalways" || first.Response.ApprovalChoice != "approved" ||
		first.Response.ReassignTo == nil {
		t.Fatalf("first task: %+v", first.Response)
	}
	for range 3 {
		second := rs.Evaluate(Input{Webhook: amountTask(2, "Amount", 1)})
		if second.Response.Text != "always" || second.Response.ApprovalChoice != "" ||
			second.Response.ReassignTo != nil {
			t.Fatalf("second task: %+v, left over from the first", second.Response)
		}
	}

	ev := getEvaluation(rs)
	ev.newEnv(Input{Webhook: amountTask(3, "Amount", 10)})
	values, err := ev.rule(rs.Rules[0])
	if err != nil {
		t.Fatal(err)
	}
	var res Result
	res.combine(&ev.draft, rs.Rules[0], values, ev.setBy)
	ev.release()
	if len(ev.draft.comments) != 0 || !ev.draft.CommentRequest.IsEmpty() {
		t.Errorf("a released evaluation still holds an answer: %+v", ev.draft)
	}
	for _, c := range ev.draft.comments[:cap(ev.draft.comments)] {
		if c != "" {
			t.Fatal("a released evaluation still holds a comment")
		}
	}
	for _, s := range ev.setBy {
		if s != "" {
			t.Fatalf("a released evaluation still names %q as setting an action", s)
		}
	}
}
