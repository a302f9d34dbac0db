package ruletest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/rulebot/rulebot/engine"
)

// Diff is one expectation that did not hold.
type Diff struct {
	// What names the expectation: matched, response.KEY, empty, errors,
	// or expect for a case that checks nothing.
	What string
	// Want and Got are the expected value and what came out, as text.
	Want, Got string
	// Note helps to read the difference; it may be empty.
	Note string
}

// absent stands for a key that the answer does not have.
const absent = "(absent)"

// compare checks what came out against what the case expects.
func compare(e *Expect, g *Got, rs *engine.RuleSet) []Diff {
	if !e.checks() {
		return []Diff{{What: "expect", Note: "the case checks nothing: add expect, or run" +
			" rulebot test --update to write what came out as its expectation"}}
	}
	var diffs []Diff
	if e.Matched != nil && !slices.Equal(e.Matched, g.Matched) {
		diffs = append(diffs, Diff{What: "matched", Want: nameList(e.Matched),
			Got: nameList(g.Matched), Note: unknownRules(e.Matched, rs)})
	}
	if e.Response != nil {
		diffs = append(diffs, compareResponse(e.Response, responseJSON(g))...)
	}
	if e.Empty != nil && *e.Empty != g.Response.IsEmpty() {
		d := Diff{What: "empty", Want: fmt.Sprint(*e.Empty), Got: fmt.Sprint(!*e.Empty)}
		if *e.Empty {
			d.Note = "the answer is " + jsonText(&g.Response)
		}
		diffs = append(diffs, d)
	}
	if got := failedRules(g); e.Errors != nil && !slices.Equal(e.Errors, got) {
		diffs = append(diffs, Diff{What: "errors", Want: nameList(e.Errors),
			Got: nameList(got), Note: unknownRules(e.Errors, rs)})
	}
	return diffs
}

// compareResponse compares the expected keys of the answer, in key order.
func compareResponse(want, got map[string]any) []Diff {
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	slices.Sort(keys)

	var diffs []Diff
	for _, k := range keys {
		w, g := want[k], got[k]
		if reflect.DeepEqual(w, g) {
			continue
		}
		d := Diff{What: "response." + k, Want: jsonText(w), Got: jsonText(g)}
		if w == nil {
			d.Want = absent
		}
		if _, ok := got[k]; !ok {
			d.Got = absent
		}
		d.Note = firstDifference(w, g)
		diffs = append(diffs, d)
	}
	return diffs
}

// firstDifference points at the first character where two long texts
// differ after a common start, which in a long comment is hard to see.
func firstDifference(want, got any) string {
	w, ok1 := want.(string)
	g, ok2 := got.(string)
	if !ok1 || !ok2 {
		return ""
	}
	rw, rg := []rune(w), []rune(g)
	i := 0
	for i < len(rw) && i < len(rg) && rw[i] == rg[i] {
		i++
	}
	if i < 20 {
		return ""
	}
	return fmt.Sprintf("the texts are the same up to character %d", i)
}

// responseJSON is the answer as its JSON holds it.
func responseJSON(g *Got) map[string]any {
	m := map[string]any{}
	if b, err := json.Marshal(&g.Response); err == nil {
		_ = json.Unmarshal(b, &m)
	}
	return m
}

func failedRules(g *Got) []string {
	names := make([]string, len(g.Errors))
	for i, e := range g.Errors {
		names[i] = e.Rule
	}
	return names
}

// unknownRules notes the names in want that no rule of rs has: a typo.
func unknownRules(want []string, rs *engine.RuleSet) string {
	var unknown []string
	for _, name := range want {
		known := slices.ContainsFunc(rs.Rules, func(r *engine.Rule) bool { return r.Name == name })
		if !known {
			unknown = append(unknown, fmt.Sprintf("%q", name))
		}
	}
	if len(unknown) == 0 {
		return ""
	}
	return fmt.Sprintf("%s has no rule named %s", rs.File, strings.Join(unknown, ", "))
}

// nameList prints rule names as a test file lists them.
func nameList(names []string) string {
	return "[" + strings.Join(names, ", ") + "]"
}

// jsonText prints a value as JSON on one line, leaving <, > and & be.
func jsonText(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// Details is the difference between what a failing or erroring case
// expected and what came out, as indented lines for a person to read;
// empty for a case that passed.
func (r *Result) Details() string {
	var b strings.Builder
	if r.Err != nil {
		for line := range strings.SplitSeq(r.Err.Error(), "\n") {
			fmt.Fprintf(&b, "    %s\n", line)
		}
		if _, ok := r.Err.(RuleErrors); ok {
			b.WriteString("    (list the rules that may fail under expect: errors)\n")
		}
	}
	for _, d := range r.Diffs {
		d.write(&b)
	}
	return b.String()
}

func (d Diff) write(b *strings.Builder) {
	fmt.Fprintf(b, "    %s:\n", d.What)
	if d.Want != "" || d.Got != "" {
		fmt.Fprintf(b, "        want: %s\n        got:  %s\n", d.Want, d.Got)
	}
	if d.Note != "" {
		fmt.Fprintf(b, "        %s\n", d.Note)
	}
}
