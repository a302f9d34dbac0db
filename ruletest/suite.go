// Package ruletest runs the tests of a rules file: cases that each name a
// task fixture and what the rules must answer it (SPEC section 5). It
// loads test files as strictly as the engine loads rules files, runs the
// cases, and gives back results, coverage, JUnit XML and updated test
// files; printing them is left to its callers.
package ruletest

import (
	"fmt"
	"os"

	"go.yaml.in/yaml/v3"

	"github.com/rulebot/rulebot/internal/yamldoc"
)

// Suite is one loaded test file.
type Suite struct {
	// File is the path the tests were read from, as given to Load.
	File  string
	Cases []*Case

	lines []string   // the source, for --update
	tests *yaml.Node // the list of cases
}

// Case is one test case.
type Case struct {
	Name string
	// Task is the fixture's path as written: relative to the test file.
	Task string
	// Now is the clock of now() as written (RFC 3339 or a date); empty
	// means the real clock.
	Now string
	// Line is where the case starts in the test file.
	Line   int
	Expect Expect

	node *yaml.Node // the case's mapping
}

// Expect is what a case checks. A nil field is not checked, except Errors:
// a rule that fails at run time fails the case unless Errors names it.
type Expect struct {
	// Matched are exactly the rules that must match, in order.
	Matched []string
	// Response holds the keys the answer must have, with their values in
	// JSON form (float64 numbers, map[string]any objects); a nil value
	// means the key must be absent. Other keys are not compared.
	Response map[string]any
	// Empty says whether the answer must be empty.
	Empty *bool
	// Errors are exactly the rules that must fail at run time, in order.
	Errors []string
}

// checks reports whether the case has any expectation at all.
func (e *Expect) checks() bool {
	return e.Matched != nil || e.Response != nil || e.Empty != nil || e.Errors != nil
}

// Error is one mistake in a test file, at the line and column where a
// person should look; Within names the case it is in.
type Error = yamldoc.Error

// ErrorList is every mistake found in one test file, in file order.
type ErrorList = yamldoc.ErrorList

// Load reads the test file at path. A file with mistakes gives an
// ErrorList naming every one of them.
func Load(path string) (*Suite, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read tests: %w", err)
	}
	return Parse(path, src)
}

// Parse reads the tests in src; file names the source in errors and is
// the directory that fixture paths are relative to.
func Parse(file string, src []byte) (*Suite, error) {
	l := &loader{file: file}
	s := l.load(src)
	if len(l.errs) > 0 {
		l.errs.Sort()
		return nil, l.errs
	}
	return s, nil
}
