package engine

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"

	"github.com/rulebot/rulebot/pyrus"
)

// Status is what became of one rule in an explained evaluation.
type Status string

// The statuses of a rule, in the words of the JSON form of an Explanation.
const (
	StatusMatched      Status = "matched"
	StatusNotMatched   Status = "not_matched"
	StatusFailed       Status = "failed"
	StatusDisabled     Status = "disabled"
	StatusNotEvaluated Status = "not_evaluated"
)

// Explanation is an evaluation with its reasons: what became of each rule
// and why. Its Result is exactly what Evaluate gives for the same input.
type Explanation struct {
	File   string    `json:"file"`
	TaskID int64     `json:"task_id"`
	Now    time.Time `json:"now"` // the clock of now(), in the rules' timezone
	// OwnComment is set when the bot wrote the newest comment, so that no
	// rule ran.
	OwnComment bool                 `json:"own_comment,omitempty"`
	Rules      []RuleExplanation    `json:"rules"`
	Matched    []string             `json:"matched"`
	Response   pyrus.CommentRequest `json:"response"`

	Result *Result `json:"-"`
	rules  *RuleSet
}

// RuleExplanation is what became of one rule, in file order.
type RuleExplanation struct {
	Rule   string `json:"rule"`
	Line   int    `json:"line"`
	Status Status `json:"status"`
	// Stop is the rule's stop: true, which ends the evaluation when it
	// matches.
	Stop bool `json:"stop,omitempty"`
	// Error is why a failed rule failed: FILE:LINE:COL: message.
	Error string `json:"error,omitempty"`
	// StoppedBy names the matching rule with stop: true that kept this
	// one from being evaluated.
	StoppedBy string `json:"stopped_by,omitempty"`
	// Parts are the parts of the condition with their values.
	Parts []Part `json:"parts,omitempty"`
	// Actions are the values a matching rule's actions gave.
	Actions []ActionValue `json:"actions,omitempty"`
	// Overridden are this rule's single-valued actions that an earlier
	// matching rule had already set to something else.
	Overridden []OverriddenAction `json:"overridden,omitempty"`
	// MissingFields are the field() keys that found no field in the task.
	MissingFields []MissingField `json:"missing_fields,omitempty"`
}

// Part is one operand of a chain of && or || in a condition, or the whole
// condition when it is no such chain.
type Part struct {
	// Source is the part as an expression, in expr's own spelling.
	Source string `json:"source"`
	// Values is a comparison with each side replaced by its value, such as
	// 18450.76 > 10000; empty for other parts.
	Values string `json:"values,omitempty"`
	// Result is true or false; any other value is given as text, and nil
	// stands for nil as well as for an error or a skipped part.
	Result any    `json:"result"`
	Error  string `json:"error,omitempty"`
	// Skipped is set when the parts before decided the chain, so that the
	// condition did not evaluate this one.
	Skipped bool `json:"skipped,omitempty"`
	// Parts are the operands of a nested chain, such as a || b inside
	// a && (a || b).
	Parts []Part `json:"parts,omitempty"`
}

// ActionValue is the value one action of a matching rule gave.
type ActionValue struct {
	Action string `json:"action"`
	Value  any    `json:"value"`
}

// OverriddenAction is a single-valued action whose Value lost to Kept, set
// by the earlier rule KeptBy.
type OverriddenAction struct {
	Action string `json:"action"`
	Value  any    `json:"value"`
	KeptBy string `json:"kept_by"`
	Kept   any    `json:"kept"`
}

// MissingField is a field() key, a name, code or id, that matched no field
// of the task: a typo, or a field that Pyrus left out because it is empty.
type MissingField struct {
	Key any `json:"key"`
	// DidYouMean is the name or code of the task's field closest to Key.
	DidYouMean string `json:"did_you_mean,omitempty"`
}

// Explain evaluates the rules like Evaluate and records why each rule did
// or did not match. It runs parts of conditions again to show their
// values, so it is slower than Evaluate, which it leaves untouched: use it
// to show rules to a person, never to answer webhooks.
func (rs *RuleSet) Explain(in Input) *Explanation {
	x := &Explanation{File: rs.File, Result: &Result{}, rules: rs}
	if in.Webhook == nil || in.Webhook.Task == nil {
		return x
	}
	ev := getEvaluation(rs)
	defer ev.release()
	ev.newEnv(in)
	t := &tracer{ev: ev, comp: newCompiler(rs), programs: map[string]*vm.Program{}}
	ev.env.Field = t.field
	x.TaskID, x.Now = in.Webhook.Task.ID, ev.clock

	x.OwnComment = !rs.AnswerOwnComments && ev.ownComment()
	x.Result.OwnComment = x.OwnComment
	d, setBy := &ev.draft, ev.setBy
	stoppedBy := ""
	for _, r := range rs.Rules {
		re := RuleExplanation{Rule: r.Name, Line: r.Line, Stop: r.Stop}
		switch {
		case !r.Enabled:
			re.Status = StatusDisabled
		case x.OwnComment:
			re.Status = StatusNotEvaluated
		case stoppedBy != "":
			re.Status, re.StoppedBy = StatusNotEvaluated, stoppedBy
		default:
			t.rule(r, &re, x.Result, d, setBy)
			if re.Status == StatusMatched && r.Stop {
				stoppedBy = r.Name
			}
		}
		x.Rules = append(x.Rules, re)
	}
	x.finish(d)
	return x
}

// finish completes the response and gives each override to its rule.
func (x *Explanation) finish(d *draft) {
	res := x.Result
	if !x.OwnComment {
		res.Response = d.response()
	}
	x.Matched, x.Response = res.Matched, res.Response
	for _, o := range res.Overridden {
		i := slices.IndexFunc(x.Rules, func(re RuleExplanation) bool { return re.Rule == o.Rule })
		x.Rules[i].Overridden = append(x.Rules[i].Overridden, OverriddenAction{
			Action: o.Action, Value: o.Value, KeptBy: o.KeptBy, Kept: o.Kept,
		})
	}
}

// tracer runs the rules of one Explain call and notes on the way what the
// explanation needs.
type tracer struct {
	ev       *evaluation
	comp     *compiler
	programs map[string]*vm.Program // parts compiled so far, by source
	missing  []MissingField         // of the rule being explained
}

// rule evaluates r exactly as Evaluate does, then explains its condition.
func (t *tracer) rule(r *Rule, re *RuleExplanation, res *Result, d *draft, setBy []string) {
	t.missing = nil
	values, err := t.ev.rule(r)
	re.Parts = t.condition(r)

	switch {
	case err != nil:
		e := t.ev.rules.ruleError(r, err)
		res.Errors = append(res.Errors, e)
		re.Status = StatusFailed
		re.Error = fmt.Sprintf("%s:%d:%d: %v", e.File, e.Line, e.Column, e.Err)
	case values == nil:
		re.Status = StatusNotMatched
	default:
		re.Status = StatusMatched
		res.Matched = append(res.Matched, r.Name)
		res.combine(d, r, values, setBy)
		for i, a := range r.actions {
			re.Actions = append(re.Actions, ActionValue{Action: a.kind.key, Value: values[i]})
		}
	}
	re.MissingFields = t.missing
}

// field is field(key) that also notes a key which found no field.
func (t *tracer) field(key any) any {
	v := t.ev.fields.lookup(key)
	switch key.(type) {
	case string, int, int64, float64: // the keys field() can find
	default:
		return v
	}
	if t.ev.fields.find(key) >= 0 {
		return v
	}
	for _, m := range t.missing {
		if m.Key == key {
			return v
		}
	}
	t.missing = append(t.missing, MissingField{Key: key, DidYouMean: t.closest(key)})
	return v
}

// closest is the name or code of the task's field nearest to key, when
// one is near enough to be what key meant.
func (t *tracer) closest(key any) string {
	k, ok := key.(string)
	if !ok {
		return ""
	}
	best, bestDist := "", max(2, len([]rune(k))/4)+1
	for _, f := range t.ev.fields.flat {
		for _, name := range []string{f.Name, f.Code} {
			if d := distance(k, name); name != "" && d < bestDist {
				best, bestDist = name, d
			}
		}
	}
	return best
}

// distance is the number of single-character edits between a and b.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := range ra {
		cur := make([]int, len(rb)+1)
		cur[0] = i + 1
		for j := range rb {
			cost := 1
			if ra[i] == rb[j] {
				cost = 0
			}
			cur[j+1] = min(prev[j+1]+1, cur[j]+1, prev[j]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}

// condition explains the condition of r part by part.
func (t *tracer) condition(r *Rule) []Part {
	tree, err := parser.Parse(r.when.Source().String())
	if err != nil {
		// It compiled when the file was loaded, so this does not happen.
		return nil
	}
	return t.chain(tree.Node)
}

// chain explains the operands of a chain of && or || one by one, as far
// as the condition evaluates them; any other node is a single part.
func (t *tracer) chain(n ast.Node) []Part {
	op, operands := flatten(n)
	if op == "" {
		return []Part{t.part(n)}
	}
	parts := make([]Part, 0, len(operands))
	decided := false
	for _, o := range operands {
		if decided {
			parts = append(parts, Part{Source: o.String(), Skipped: true})
			continue
		}
		p := t.part(o)
		if inner, _ := flatten(o); inner != "" {
			p.Parts = t.chain(o)
		}
		parts = append(parts, p)
		decided = p.Error != "" || p.Result == (op == "||")
	}
	return parts
}

// flatten gives the operator of a chain of && or || and its operands, as
// a && b && c reads; "" for any other node.
func flatten(n ast.Node) (string, []ast.Node) {
	b, ok := n.(*ast.BinaryNode)
	if !ok {
		return "", nil
	}
	op := logical(b.Operator)
	if op == "" {
		return "", nil
	}
	var operands []ast.Node
	for _, side := range []ast.Node{b.Left, b.Right} {
		if inner, more := flatten(side); inner == op {
			operands = append(operands, more...)
		} else {
			operands = append(operands, side)
		}
	}
	return op, operands
}

// logical spells the operators and, or as && and ||; "" for the others.
func logical(op string) string {
	switch op {
	case "&&", "and":
		return "&&"
	case "||", "or":
		return "||"
	}
	return ""
}

// comparisons are the operators whose sides a part shows the values of.
var comparisons = []string{
	"==", "!=", "<", ">", "<=", ">=", "in", "matches", "contains", "startsWith", "endsWith",
}

// part evaluates one part of a condition and, for a comparison, each side.
func (t *tracer) part(n ast.Node) Part {
	p := Part{Source: n.String()}
	v, err := t.eval(p.Source)
	p.Result, p.Error = t.result(v), err

	if b, ok := n.(*ast.BinaryNode); ok && slices.Contains(comparisons, b.Operator) {
		p.Values = t.side(b.Left) + " " + b.Operator + " " + t.side(b.Right)
	}
	return p
}

// result keeps true, false and nil, and gives any other value as text.
func (t *tracer) result(v any) any {
	switch v.(type) {
	case nil, bool:
		return v
	}
	return t.ev.rules.showValue(v)
}

// side is the value of one side of a comparison, as text; ? when it fails.
func (t *tracer) side(n ast.Node) string {
	v, err := t.eval(n.String())
	if err != "" {
		return "?"
	}
	return t.ev.rules.showValue(v)
}

// eval compiles src as the rules are compiled and runs it on the task.
func (t *tracer) eval(src string) (any, string) {
	p, ok := t.programs[src]
	if !ok {
		var err error
		if p, err = t.comp.compile(src); err != nil {
			return nil, "cannot show this part: " + errorMessage(err)
		}
		t.programs[src] = p
	}
	out, err := t.ev.vm.Run(p, &t.ev.env)
	if err != nil {
		return nil, errorMessage(err)
	}
	return out, ""
}

// errorMessage is an expr error without the place, which a part of a
// condition does not keep.
func errorMessage(err error) string {
	var fe *file.Error
	if errors.As(err, &fe) {
		return runMessage(fe.Message)
	}
	return runMessage(err.Error())
}

// maxShown is how many characters of a text, and how many elements of a
// list, an explanation shows.
const maxShown = 80

// showValue prints v for an explanation: as templates print it, but with
// text in quotes, nil as nil, lists in brackets, and long values cut.
func (rs *RuleSet) showValue(v any) string {
	switch v := v.(type) {
	case nil:
		return "nil"
	case string:
		return strconv.Quote(cut(v, maxShown))
	case pyrus.PersonIdentity:
		if v.Email != "" {
			return v.Email
		}
		return "person " + strconv.FormatInt(v.ID, 10)
	case map[string]any:
		return rs.showMap(v)
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Slice || rv.Kind() == reflect.Array {
		return rs.showList(rv)
	}
	var b strings.Builder
	writeValue(&b, v, rs)
	return cut(b.String(), maxShown)
}

func (rs *RuleSet) showList(rv reflect.Value) string {
	items := make([]string, 0, rv.Len())
	for i := range rv.Len() {
		items = append(items, rs.showValue(rv.Index(i).Interface()))
	}
	return "[" + cut(strings.Join(items, ", "), maxShown) + "]"
}

func (rs *RuleSet) showMap(m map[string]any) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	items := make([]string, len(keys))
	for i, k := range keys {
		items[i] = k + ": " + rs.showValue(m[k])
	}
	return "{" + cut(strings.Join(items, ", "), maxShown) + "}"
}

// cut shortens s to n characters, ending it with "..." when it was longer.
func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-3]) + "..."
}

// Text is the explanation as an analyst reads it: a block per rule, with
// the value of each part of its condition, then the answer.
func (x *Explanation) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s, task %d, now() %s\n", x.File, x.TaskID, x.Now.Format(time.RFC3339))
	for i := range x.Rules {
		// Rules that did not run take a line each, without blank lines.
		if i == 0 || x.Rules[i].ran() || x.Rules[i-1].ran() {
			b.WriteByte('\n')
		}
		x.writeRule(&b, &x.Rules[i])
	}
	b.WriteByte('\n')
	x.writeAnswer(&b)
	return b.String()
}

func (x *Explanation) writeRule(b *strings.Builder, re *RuleExplanation) {
	fmt.Fprintf(b, "%s (line %d): %s\n", re.Rule, re.Line, x.statusText(re))
	if re.Error != "" {
		fmt.Fprintf(b, "    error: %s\n", re.Error)
	}
	x.writeParts(b, re.Parts, "    ")
	for _, a := range re.Actions {
		fmt.Fprintf(b, "    then %s: %s\n", a.Action, x.rules.showValue(a.Value))
	}
	for _, o := range re.Overridden {
		fmt.Fprintf(b, "    %s %s is overridden: the earlier rule %s set %s\n",
			o.Action, x.rules.showValue(o.Value), o.KeptBy, x.rules.showValue(o.Kept))
	}
	for _, m := range re.MissingFields {
		fmt.Fprintf(b, "    field(%s) found no field in this task: %s\n",
			x.rules.showValue(m.Key), missingHint(m))
	}
}

// ran reports whether the rule was evaluated.
func (re *RuleExplanation) ran() bool {
	return re.Status != StatusDisabled && re.Status != StatusNotEvaluated
}

func (x *Explanation) statusText(re *RuleExplanation) string {
	switch re.Status {
	case StatusMatched:
		if re.Stop {
			return "matched, and stop: true ends the evaluation here"
		}
	case StatusNotMatched:
		return "not matched"
	case StatusDisabled:
		return "switched off (enabled: false)"
	case StatusNotEvaluated:
		if re.StoppedBy != "" {
			return "not evaluated: stopped by " + re.StoppedBy
		}
		return "not evaluated: the newest comment is the bot's own"
	}
	return string(re.Status)
}

// writeParts writes a line per part: its result, its source and, below,
// the values of a comparison's sides and an error.
func (x *Explanation) writeParts(b *strings.Builder, parts []Part, indent string) {
	for _, p := range parts {
		fmt.Fprintf(b, "%s%-6s %s\n", indent, partLabel(p), p.Source)
		if p.Values != "" && !p.Skipped {
			fmt.Fprintf(b, "%s         %s\n", indent, p.Values)
		}
		if p.Error != "" {
			fmt.Fprintf(b, "%s         %s\n", indent, p.Error)
		}
		x.writeParts(b, p.Parts, indent+"  ")
	}
}

func partLabel(p Part) string {
	switch {
	case p.Skipped:
		return "skip"
	case p.Error != "":
		return "error"
	case p.Result == nil:
		return "nil"
	}
	return fmt.Sprint(p.Result)
}

func missingHint(m MissingField) string {
	if m.DidYouMean != "" {
		return fmt.Sprintf("did you mean %q?", m.DidYouMean)
	}
	return "a typo, or a field that Pyrus left out because it is empty"
}

func (x *Explanation) writeAnswer(b *strings.Builder) {
	body, err := x.Result.Body()
	switch {
	case err != nil:
		fmt.Fprintf(b, "Answer: %v\n", err)
	case body != nil:
		fmt.Fprintf(b, "Answer: %s", body)
	case x.OwnComment:
		b.WriteString("Answer: empty: the bot does not answer its own comment\n")
	case len(x.Matched) == 0 && len(x.Result.Errors) > 0:
		fmt.Fprintf(b, "Answer: empty: no rule matched, and %s failed\n",
			plural(len(x.Result.Errors), "rule"))
	case len(x.Matched) == 0:
		b.WriteString("Answer: empty: no rule matched\n")
	default:
		b.WriteString("Answer: empty: the actions of the matching rules came to nothing\n")
	}
}

// plural writes n and a noun, in the plural unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
