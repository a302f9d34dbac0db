package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/rulebot/rulebot/engine"
	"github.com/rulebot/rulebot/pyrus"
	"github.com/rulebot/rulebot/ruletest"
)

// evalHelp is the help text of rulebot eval.
const evalHelp = `Prints exactly the body the webhook would answer for the task in TASK.json
(nothing when no rule applies). TASK.json is a whole webhook body or a bare
task object. Rules that fail and values of unexpected types are reported
on stderr.

With --explain it prints instead, for each rule in order, whether it matched
and why: the value of each part of its condition, its error, the field()
names that found no field, and the actions an earlier rule overrode; then
the answer. --json prints the same as one JSON object.
`

func (a *app) eval(_ context.Context, args []string) error {
	fs := a.flags("eval", "[--rules FILE] [--now TIME] [--explain [--json]] TASK.json", evalHelp)
	rules := fs.String("rules", "rules.yaml", "the rules `file`")
	nowFlag := fs.String("now", "", "pin the clock of now() to `TIME` (RFC 3339, or a date)")
	explain := fs.Bool("explain", false, "show why each rule did or did not match")
	asJSON := fs.Bool("json", false, "with --explain: print the explanation as JSON")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageError{"eval: want exactly one TASK.json (run rulebot eval --help)"}
	}

	rs, err := engine.Load(*rules)
	if err != nil {
		a.printLoadError(a.stderr, err)
		return failed
	}
	now, err := parseNow(*nowFlag, rs.Location())
	if err != nil {
		return usageError{"eval: " + err.Error()}
	}
	hook, err := a.readTask(rest[0], rs)
	if err != nil {
		return err
	}

	in := engine.Input{Webhook: hook, Now: now}
	if *explain || *asJSON {
		return a.explain(rs.Explain(in), *asJSON)
	}
	res := rs.Evaluate(in)
	for _, e := range res.Errors {
		fmt.Fprintf(a.stderr, "rulebot: %s\n", oneLine(e.Error()))
	}
	body, err := res.Body()
	if err != nil {
		return err
	}
	_, err = a.stdout.Write(body)
	return err
}

// explain prints an explanation: as text for a person, or as JSON.
func (a *app) explain(x *engine.Explanation, asJSON bool) error {
	if !asJSON {
		_, err := io.WriteString(a.stdout, x.Text())
		return err
	}
	enc := json.NewEncoder(a.stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(x)
}

// readTask reads a fixture: a whole webhook body, or a bare task.
func (a *app) readTask(path string, rs *engine.RuleSet) (*pyrus.Webhook, error) {
	hook, warnings, err := ruletest.ReadFixture(path, rs)
	if err != nil {
		return nil, err
	}
	for _, w := range warnings {
		fmt.Fprintf(a.stderr, "rulebot: %s: warning: %s\n", path, w)
	}
	if hook.Task == nil {
		fmt.Fprintf(a.stderr, "rulebot: %s: warning: the webhook holds no task;"+
			" it is answered empty\n", path)
	}
	return hook, nil
}

// parseNow reads --now: RFC 3339, or a date meaning its midnight in the
// rules' timezone. Empty means the real clock.
func parseNow(s string, loc *time.Location) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, s, loc); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("--now %q is neither RFC 3339 (2025-03-05T10:00:00Z) nor a date", s)
}
