package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/rulebot/rulebot/engine"
	"github.com/rulebot/rulebot/ruletest"
)

// testFlags are the options of rulebot test.
type testFlags struct {
	rules    string
	verbose  bool
	junit    string
	update   bool
	coverage bool
	// recordExpect adds a case for each FIXTURE.json argument.
	recordExpect bool
}

// testHelp is the help text of rulebot test.
const testHelp = `Runs rule tests: each case of a test file names a task fixture and what the
rules must answer it. Without TESTS it runs the test file beside the rules
file (rules_test.yaml for rules.yaml). Prints each failing case with what was
expected and what came out, and last "N passed, N failed". Exit status 0 when
every case passed, 1 when not.

With --record-expect, the FIXTURE.json arguments (recorded with serve
--record, or any task fixture) each become a new case of the test file (the
one beside the rules, or the one TESTS file given), expecting what the rules
answer now, with the clock pinned to when the fixture was recorded; then the
file runs.
`

func (a *app) test(_ context.Context, args []string) error {
	fs := a.flags("test",
		"[--rules FILE] [-v] [--junit FILE] [--update] [--coverage] [TESTS...]\n"+
			"       rulebot test [--rules FILE] --record-expect [TESTS] FIXTURE.json...",
		testHelp)
	var f testFlags
	fs.StringVar(&f.rules, "rules", "rules.yaml", "the rules `file`")
	fs.BoolVar(&f.verbose, "v", false, "list every case, not only those that fail")
	fs.StringVar(&f.junit, "junit", "", "also write the results as JUnit XML to `FILE`")
	fs.BoolVar(&f.update, "update", false,
		"write what came out as the expectations of failing and new cases")
	fs.BoolVar(&f.coverage, "coverage", false, "list the rules that no case matched")
	fs.BoolVar(&f.recordExpect, "record-expect", false,
		"add a case for each FIXTURE.json, expecting what the rules answer now")
	files, err := parse(fs, args)
	if err != nil {
		return err
	}
	if f.recordExpect {
		return a.recordExpect(files, &f)
	}
	if len(files) == 0 {
		files = []string{testsFile(f.rules)}
	}
	return a.runTests(files, &f)
}

// runTests runs the test files against the rules and prints the results,
// with the summary line last.
func (a *app) runTests(files []string, f *testFlags) error {
	rs, err := engine.Load(f.rules)
	if err != nil {
		a.printLoadError(a.stdout, err)
		rs = nil // every case errors
	}
	var t tally
	reports := make([]ruletest.Report, 0, len(files))
	for _, file := range files {
		reports = append(reports, a.testFile(file, rs, f, &t))
	}
	if f.coverage && rs != nil {
		a.printCoverage(ruletest.CoverageOf(rs, results(reports)...))
	}
	if f.junit != "" {
		if err := writeJUnit(f.junit, reports); err != nil {
			return err
		}
	}
	fmt.Fprintf(a.stdout, "%d passed, %d failed\n", t.passed, t.failed)
	if t.failed > 0 {
		return failed
	}
	if t.passed == 0 {
		// A test file without cases proves nothing; CI should not go green on it.
		fmt.Fprintln(a.stderr, "rulebot: test: no test cases ran")
		return failed
	}
	return nil
}

// tally counts the cases of every test file.
type tally struct{ passed, failed int }

// testsFile is the test file beside a rules file: rules_test.yaml for
// rules.yaml.
func testsFile(rules string) string {
	ext := filepath.Ext(rules)
	if ext != ".yaml" && ext != ".yml" {
		return rules + "_test.yaml"
	}
	return strings.TrimSuffix(rules, ext) + "_test" + ext
}

// testFile runs one test file and prints its cases. A file that does not
// load counts as one failed case.
func (a *app) testFile(file string, rs *engine.RuleSet, f *testFlags, t *tally) ruletest.Report {
	suite, err := ruletest.Load(file)
	if err != nil {
		a.printLoadError(a.stdout, err)
		fmt.Fprintf(a.stdout, "--- ERROR: %s: the test file does not load\n", file)
		t.failed++
		return ruletest.Report{File: file, Err: err}
	}

	results := suite.Run(rs)
	updated := 0
	if f.update {
		if updated, err = suite.Update(results); err != nil {
			fmt.Fprintf(a.stdout, "rulebot: %s\n", oneLine(err.Error()))
		}
	}
	for _, r := range results {
		a.printResult(suite, r, f.verbose, updated > 0)
		if r.Status == ruletest.Passed || updated > 0 && r.Got.Ran {
			t.passed++
		} else {
			t.failed++
		}
	}
	if updated > 0 {
		fmt.Fprintf(a.stdout, "%s: updated %d %s\n", file, updated, plural(updated, "case"))
	}
	return ruletest.Report{File: file, Results: results}
}

// printResult prints a case the way go test does: a line for each case
// that did not pass (for each case with -v), and below it what differed.
// With --update, a case that ran and did not pass was just rewritten.
func (a *app) printResult(s *ruletest.Suite, r *ruletest.Result, verbose, updated bool) {
	status := r.Status.String()
	if updated && r.Got.Ran && r.Status != ruletest.Passed {
		status = "UPDATED"
	}
	if r.Status == ruletest.Passed && !verbose {
		return
	}
	if r.Status == ruletest.Passed {
		fmt.Fprintf(a.stdout, "--- %s: %s\n", status, r.Case.Name)
	} else {
		fmt.Fprintf(a.stdout, "--- %s: %s (%s:%d)\n", status, r.Case.Name, s.File, r.Case.Line)
	}
	fmt.Fprint(a.stdout, r.Details())
	if verbose {
		for _, w := range r.Got.Warnings {
			fmt.Fprintf(a.stdout, "    warning: %s: %s\n", s.Fixture(r.Case), w)
		}
	}
}

// printCoverage lists the rules that no case matched. Switched-off rules
// never run, so no case can match them: they are listed apart and do not
// count as uncovered.
func (a *app) printCoverage(c ruletest.Coverage) {
	fmt.Fprintf(a.stdout, "coverage: %d of %d enabled rules matched by some case\n",
		c.Covered, c.Enabled)
	for _, r := range c.Uncovered {
		fmt.Fprintf(a.stdout, "    not matched: %s (line %d)\n", r.Name, r.Line)
	}
	for _, r := range c.Off {
		fmt.Fprintf(a.stdout, "    switched off: %s (line %d)\n", r.Name, r.Line)
	}
}

func results(reports []ruletest.Report) [][]*ruletest.Result {
	runs := make([][]*ruletest.Result, len(reports))
	for i, r := range reports {
		runs[i] = r.Results
	}
	return runs
}

func writeJUnit(path string, reports []ruletest.Report) error {
	var b bytes.Buffer
	if err := ruletest.WriteJUnit(&b, reports); err != nil {
		return err
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write JUnit XML: %w", err)
	}
	return nil
}

func plural(n int, noun string) string {
	if n == 1 {
		return noun
	}
	return noun + "s"
}
