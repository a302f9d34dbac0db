package ruletest_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rulebot/rulebot/ruletest"
)

// The JUnit XML as a CI system reads it, declared apart from the writer's
// types so that the test checks the format, not the code.
type (
	parsedSuites struct {
		XMLName  xml.Name      `xml:"testsuites"`
		Tests    int           `xml:"tests,attr"`
		Failures int           `xml:"failures,attr"`
		Errors   int           `xml:"errors,attr"`
		Suites   []parsedSuite `xml:"testsuite"`
	}
	parsedSuite struct {
		Name     string       `xml:"name,attr"`
		Tests    int          `xml:"tests,attr"`
		Failures int          `xml:"failures,attr"`
		Errors   int          `xml:"errors,attr"`
		Cases    []parsedCase `xml:"testcase"`
	}
	parsedCase struct {
		Name      string         `xml:"name,attr"`
		Classname string         `xml:"classname,attr"`
		Failure   *parsedProblem `xml:"failure"`
		Error     *parsedProblem `xml:"error"`
	}
	parsedProblem struct {
		Message string `xml:"message,attr"`
		Text    string `xml:",chardata"`
	}
)

func TestWriteJUnit(t *testing.T) {
	rs := loadRules(t)
	s := parseSuite(t, "tests:\n"+
		"  - {name: passes, task: tasks/big.json, now: 2025-02-26, expect: {matched: [big]}}\n"+
		"  - {name: fails <&>, task: tasks/big.json, now: 2025-02-26, expect: {empty: true}}\n"+
		"  - {name: errors, task: tasks/none.json, expect: {empty: true}}\n")
	reports := []ruletest.Report{
		{File: testFile, Results: s.Run(rs)},
		{File: "broken_test.yaml", Err: errors.New("broken_test.yaml:1:1: empty file")},
	}

	var b bytes.Buffer
	if err := ruletest.WriteJUnit(&b, reports); err != nil {
		t.Fatal(err)
	}
	var got parsedSuites
	if err := xml.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatalf("the JUnit XML does not parse: %v\n%s", err, b.String())
	}

	want := parsedSuites{Tests: 4, Failures: 1, Errors: 2, Suites: []parsedSuite{
		{Name: testFile, Tests: 3, Failures: 1, Errors: 1, Cases: []parsedCase{
			{Name: "passes", Classname: testFile},
			{Name: "fails <&>", Classname: testFile, Failure: &parsedProblem{
				Message: "not as expected: empty",
				Text: "empty:\n    want: true\n    got:  false\n" +
					`    the answer is {"text":"Amount 5000 is big.",` +
					`"reassign_to":{"email":"cfo@example.com"}}` + "\n",
			}},
			{Name: "errors", Classname: testFile, Error: &parsedProblem{
				Message: "read fixture: open ../testdata/ruletest/tasks/none.json:" +
					" no such file or directory",
				Text: "read fixture: open ../testdata/ruletest/tasks/none.json:" +
					" no such file or directory\n",
			}},
		}},
		{Name: "broken_test.yaml", Tests: 1, Errors: 1, Cases: []parsedCase{
			{Name: "load", Classname: "broken_test.yaml", Error: &parsedProblem{
				Message: "the test file does not load",
				Text:    "broken_test.yaml:1:1: empty file",
			}},
		}},
	}}
	if diff := cmp.Diff(want, got, cmp.FilterPath(isXMLName, cmp.Ignore())); diff != "" {
		t.Errorf("JUnit XML (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(b.String(), xml.Header) {
		t.Errorf("no XML header:\n%s", b.String())
	}
}

func isXMLName(p cmp.Path) bool {
	return p.Last().String() == ".XMLName"
}
