package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/rulebot/rulebot/engine"
	"github.com/rulebot/rulebot/pyrus"
)

func (a *app) eval(_ context.Context, args []string) error {
	fs := a.flags("eval", "[--rules FILE] [--now TIME] TASK.json",
		"Prints exactly the body the webhook would answer for the task in TASK.json\n"+
			"(nothing when no rule applies). TASK.json is a whole webhook body or a bare\n"+
			"task object. Rules that fail and values of unexpected types are reported\n"+
			"on stderr.\n")
	rules := fs.String("rules", "rules.yaml", "the rules `file`")
	nowFlag := fs.String("now", "", "pin the clock of now() to `TIME` (RFC 3339, or a date)")
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

	res := rs.Evaluate(engine.Input{Webhook: hook, Now: now})
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

// readTask reads a fixture: a whole webhook body, or a bare task.
func (a *app) readTask(path string, rs *engine.RuleSet) (*pyrus.Webhook, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	opts := pyrus.DecodeOptions{DateLocation: rs.DateLocation()}
	hook, warnings, err := pyrus.DecodeWebhook(data, opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if hook.Task == nil {
		task, taskWarnings, err := pyrus.DecodeTask(data, opts)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		hook.Task, warnings = task, taskWarnings
	}
	for _, w := range warnings {
		fmt.Fprintf(a.stderr, "rulebot: %s: warning: %s\n", path, w)
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
