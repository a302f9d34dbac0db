package engine

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/expr-lang/expr/vm"

	"github.com/rulebot/rulebot/pyrus"
)

// Input is what one evaluation reads.
type Input struct {
	// Webhook holds the task and the bot's context; Webhook.Task must be set.
	Webhook *pyrus.Webhook
	// Now pins the clock of now(); the zero time means the real clock.
	Now time.Time
}

// Result is the decision for one task.
type Result struct {
	// Response is the answer; empty when no rule matched or every matching
	// rule's actions came to nothing.
	Response pyrus.CommentRequest
	// Matched names the rules that matched, in order.
	Matched []string
	// Errors are the rules that failed at run time; they did not match.
	Errors []RuleError
	// Overridden are values of single-valued actions that lost to an
	// earlier rule's different value.
	Overridden []Override
	// OwnComment is set when the loop guard kept the bot from answering its
	// own comment; nothing was evaluated.
	OwnComment bool
}

// RuleError is a rule that failed at run time, with the place in the rules
// file of the expression that failed.
type RuleError struct {
	Rule   string
	File   string
	Line   int
	Column int
	Err    error
}

// Error gives the one-line form FILE:LINE:COL: rule "name": message.
func (e RuleError) Error() string {
	return fmt.Sprintf("%s:%d:%d: rule %q: %v", e.File, e.Line, e.Column, e.Rule, e.Err)
}

// Override is a single-valued action of Rule that did not take effect
// because KeptBy, an earlier rule, had set Kept.
type Override struct {
	Action string
	Rule   string
	Value  any
	KeptBy string
	Kept   any
}

// Body is the webhook answer: the response as JSON with a final newline,
// or nil when it is empty.
func (r *Result) Body() ([]byte, error) {
	if r.Response.IsEmpty() {
		return nil, nil
	}
	b, err := json.Marshal(&r.Response)
	if err != nil {
		return nil, fmt.Errorf("encode response: %w", err)
	}
	return append(b, '\n'), nil
}

// evaluation is the state of one Evaluate call.
type evaluation struct {
	rules  *RuleSet
	env    Env
	fields fieldIndex
	clock  time.Time
	vm     *vm.VM

	// lookup and clockFunc are Env's field() and now(), bound to this
	// evaluation once rather than for every task.
	lookup    func(key any) any
	clockFunc func() time.Time

	// draft is the answer being built, and setBy the rule that set each
	// single-valued action; their memory is kept for the next task.
	draft draft
	setBy []string
}

// evaluations are reused across tasks: each keeps its expr VM (which
// must not be shared by goroutines running at once), the memory of its
// field index and its bound functions. Back in the pool, an evaluation
// holds no pointer into a task (see release), but for what the VM keeps
// out of reach in its predicate scopes until its next run; sync.Pool
// drops idle evaluations within two garbage collections.
var evaluations = sync.Pool{New: func() any {
	ev := &evaluation{vm: new(vm.VM), setBy: make([]string, len(actionKinds))}
	ev.lookup, ev.clockFunc = ev.fields.lookup, ev.now
	return ev
}}

// getEvaluation returns an evaluation of rs, to release when done.
func getEvaluation(rs *RuleSet) *evaluation {
	ev := evaluations.Get().(*evaluation)
	ev.rules = rs
	return ev
}

// release forgets the task and puts ev back in the pool, unless its field
// index grew too large to keep.
func (ev *evaluation) release() {
	keep := ev.fields.release()
	ev.env, ev.rules = Env{}, nil
	clear(ev.draft.comments)
	ev.draft = draft{comments: ev.draft.comments[:0]}
	clear(ev.setBy)
	clear(ev.vm.Stack[:cap(ev.vm.Stack)])
	clear(ev.vm.Variables) // let values
	if keep {
		evaluations.Put(ev)
	}
}

func (ev *evaluation) run(p *program) (any, error) {
	out, err := ev.vm.Run(p.Program, &ev.env)
	if err != nil {
		return nil, p.located(err)
	}
	return out, nil
}

// Evaluate runs the rules in file order against the task of in and
// combines the actions of those that match (SPEC 2.3). When the newest
// comment was written by the bot itself, nothing is evaluated and the
// answer is empty, unless the file says answer_own_comments.
func (rs *RuleSet) Evaluate(in Input) *Result {
	res := &Result{}
	if in.Webhook == nil || in.Webhook.Task == nil {
		return res
	}
	ev := getEvaluation(rs)
	defer ev.release()
	ev.newEnv(in)

	if !rs.AnswerOwnComments && ev.ownComment() {
		res.OwnComment = true
		return res
	}

	d, setBy := &ev.draft, ev.setBy
	for _, r := range rs.Rules {
		if !r.Enabled {
			continue
		}
		values, err := ev.rule(r)
		if err != nil {
			res.Errors = append(res.Errors, rs.ruleError(r, err))
			continue
		}
		if values == nil {
			continue
		}
		res.Matched = append(res.Matched, r.Name)
		res.combine(d, r, values, setBy)
		if r.Stop {
			break
		}
	}
	res.Response = d.response()
	return res
}

// ownComment reports whether the bot wrote the task's newest comment.
func (ev *evaluation) ownComment() bool {
	author := ev.env.Comment.Author
	return ev.env.BotID != 0 && author != nil && author.ID == ev.env.BotID
}

// rule evaluates one rule: nil values when it does not match. Every action
// is computed before any is applied, so a rule that fails half way
// contributes nothing.
func (ev *evaluation) rule(r *Rule) ([]any, error) {
	out, err := ev.run(r.when)
	if err != nil {
		return nil, err
	}
	matched, ok := out.(bool)
	if !ok {
		return nil, r.when.located(fmt.Errorf("the condition gave %s, not true or false",
			plainType(fmt.Sprintf("%T", out))))
	}
	if !matched {
		return nil, nil
	}

	values := make([]any, len(r.actions))
	for i, a := range r.actions {
		if values[i], err = a.value(ev); err != nil {
			return nil, err
		}
	}
	return values, nil
}

// combine adds a matching rule's action values to the draft response.
func (res *Result) combine(d *draft, r *Rule, values []any, setBy []string) {
	for i, a := range r.actions {
		kept, overridden := a.kind.combine(d, values[i])
		k := a.kind.index
		switch {
		case overridden:
			res.Overridden = append(res.Overridden, Override{
				Action: a.kind.key, Rule: r.Name, Value: values[i],
				KeptBy: setBy[k], Kept: kept,
			})
		case setBy[k] == "":
			setBy[k] = r.Name
		}
	}
}

// ruleError places a run-time error of rule r in the file.
func (rs *RuleSet) ruleError(r *Rule, err error) RuleError {
	e := RuleError{Rule: r.Name, File: rs.File, Line: r.Line, Column: 1, Err: err}
	var re *runError
	if errors.As(err, &re) {
		e.Line, e.Column = re.line, re.col
	}
	return e
}
