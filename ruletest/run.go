package ruletest

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/rulebot/rulebot/engine"
	"github.com/rulebot/rulebot/pyrus"
)

// Status is how a case ended.
type Status int

const (
	// Passed means every expectation held.
	Passed Status = iota
	// Failed means an expectation did not hold.
	Failed
	// Errored means the case could not run (its fixture or the rules did
	// not load), or a rule failed at run time that the case did not list
	// under expect: errors.
	Errored
)

// String gives the status the way go test prints it: PASS, FAIL, ERROR.
func (s Status) String() string {
	switch s {
	case Passed:
		return "PASS"
	case Failed:
		return "FAIL"
	}
	return "ERROR"
}

// Result is what came of one case.
type Result struct {
	Case   *Case
	Status Status
	// Err is why an errored case errored.
	Err error
	// Diffs are the expectations that did not hold.
	Diffs []Diff
	// Got is what the rules gave; Ran is false when the case could not run.
	Got      Got
	Duration time.Duration
}

// Got is what the rules gave a case's task.
type Got struct {
	Ran      bool
	Matched  []string
	Response pyrus.CommentRequest
	Errors   []engine.RuleError
	// Warnings name values of the fixture that were read leniently.
	Warnings []pyrus.Warning
}

// RuleErrors is rules that failed at run time when the case did not
// expect them to.
type RuleErrors []engine.RuleError

// Error gives one line per failed rule.
func (e RuleErrors) Error() string {
	lines := make([]string, len(e))
	for i, re := range e {
		lines[i] = strings.Join(strings.Fields(re.Error()), " ")
	}
	return strings.Join(lines, "\n")
}

// errNoRules is the error of every case when the rules file does not load.
var errNoRules = errors.New("the rules file does not load")

// Run runs every case of s against rs, in file order. A nil rs stands for
// a rules file that did not load: every case then errors.
func (s *Suite) Run(rs *engine.RuleSet) []*Result {
	results := make([]*Result, len(s.Cases))
	for i, c := range s.Cases {
		start := time.Now()
		results[i] = s.run(c, rs)
		results[i].Duration = time.Since(start)
	}
	return results
}

func (s *Suite) run(c *Case, rs *engine.RuleSet) *Result {
	r := &Result{Case: c, Status: Errored}
	if rs == nil {
		r.Err = errNoRules
		return r
	}
	hook, warnings, err := ReadFixture(s.Fixture(c), rs)
	if err != nil {
		r.Err = fmt.Errorf("read fixture: %w", err)
		return r
	}

	res := rs.Evaluate(engine.Input{Webhook: hook, Now: clock(c.Now, rs.Location())})
	r.Got = Got{
		Ran: true, Matched: res.Matched, Response: res.Response,
		Errors: res.Errors, Warnings: warnings,
	}
	r.Diffs = compare(&c.Expect, &r.Got, rs)
	switch {
	case c.Expect.Errors == nil && len(res.Errors) > 0:
		r.Err = RuleErrors(res.Errors)
	case len(r.Diffs) > 0:
		r.Status = Failed
	default:
		r.Status = Passed
	}
	return r
}

// Fixture is the path of a case's task fixture: its task, relative to the
// test file.
func (s *Suite) Fixture(c *Case) string {
	if filepath.IsAbs(c.Task) {
		return c.Task
	}
	return filepath.Join(filepath.Dir(s.File), c.Task)
}

// clock reads a case's now, which the loader checked: RFC 3339, or a date
// meaning its midnight in the rules' timezone. Empty is the real clock.
func clock(s string, loc *time.Location) time.Time {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t
	}
	t, _ := time.ParseInLocation(time.DateOnly, s, loc)
	return t
}
