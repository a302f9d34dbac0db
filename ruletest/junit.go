package ruletest

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
)

// Report is the results of one test file, for JUnit XML: Err is set when
// the file did not load, and then there are no results.
type Report struct {
	File    string
	Results []*Result
	Err     error
}

// The JUnit XML that CI systems read: a testsuites element with a
// testsuite per test file and a testcase per case.
type (
	junitSuites struct {
		XMLName  xml.Name     `xml:"testsuites"`
		Tests    int          `xml:"tests,attr"`
		Failures int          `xml:"failures,attr"`
		Errors   int          `xml:"errors,attr"`
		Suites   []junitSuite `xml:"testsuite"`
	}
	junitSuite struct {
		Name     string      `xml:"name,attr"`
		Tests    int         `xml:"tests,attr"`
		Failures int         `xml:"failures,attr"`
		Errors   int         `xml:"errors,attr"`
		Time     string      `xml:"time,attr"`
		Cases    []junitCase `xml:"testcase"`
	}
	junitCase struct {
		Name      string        `xml:"name,attr"`
		Classname string        `xml:"classname,attr"`
		Time      string        `xml:"time,attr"`
		Failure   *junitProblem `xml:"failure,omitempty"`
		Error     *junitProblem `xml:"error,omitempty"`
	}
	junitProblem struct {
		Message string `xml:"message,attr"`
		Text    string `xml:",cdata"`
	}
)

// WriteJUnit writes the reports as JUnit XML.
func WriteJUnit(w io.Writer, reports []Report) error {
	var all junitSuites
	for _, r := range reports {
		s := junitSuiteOf(r)
		all.Tests += s.Tests
		all.Failures += s.Failures
		all.Errors += s.Errors
		all.Suites = append(all.Suites, s)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(all); err != nil {
		return fmt.Errorf("write JUnit XML: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func junitSuiteOf(r Report) junitSuite {
	s := junitSuite{Name: r.File}
	if r.Err != nil {
		// A file that does not load is one erroring case, as go test
		// reports a package that does not build.
		s.Tests, s.Errors, s.Time = 1, 1, seconds(0)
		s.Cases = []junitCase{{Name: "load", Classname: r.File, Time: seconds(0),
			Error: &junitProblem{Message: "the test file does not load", Text: r.Err.Error()}}}
		return s
	}

	var total time.Duration
	for _, res := range r.Results {
		c := junitCase{Name: res.Case.Name, Classname: r.File, Time: seconds(res.Duration)}
		problem := &junitProblem{Message: summary(res), Text: dedent(res.Details())}
		switch res.Status {
		case Failed:
			c.Failure = problem
			s.Failures++
		case Errored:
			c.Error = problem
			s.Errors++
		}
		total += res.Duration
		s.Tests++
		s.Cases = append(s.Cases, c)
	}
	s.Time = seconds(total)
	return s
}

// summary is the one-line message of a failing or erroring case.
func summary(r *Result) string {
	if r.Err != nil {
		first, _, _ := strings.Cut(r.Err.Error(), "\n")
		return first
	}
	if len(r.Diffs) == 1 && r.Diffs[0].What == "expect" {
		return r.Diffs[0].Note
	}
	what := make([]string, len(r.Diffs))
	for i, d := range r.Diffs {
		what[i] = d.What
	}
	return "not as expected: " + strings.Join(what, ", ")
}

// dedent takes the indentation of the text output off the details.
func dedent(details string) string {
	lines := strings.Split(details, "\n")
	for i, line := range lines {
		lines[i] = strings.TrimPrefix(line, "    ")
	}
	return strings.Join(lines, "\n")
}

func seconds(d time.Duration) string {
	return fmt.Sprintf("%.3f", d.Seconds())
}
