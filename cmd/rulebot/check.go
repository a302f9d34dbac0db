package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/rulebot/rulebot/engine"
)

func (a *app) check(_ context.Context, args []string) error {
	fs := a.flags("check", "[--rules FILE]",
		"Loads and compiles a rules file and prints every mistake in it as\n"+
			"FILE:LINE:COL: message. Exit status 0 when the file is valid, 1 when not.\n")
	rules := fs.String("rules", "rules.yaml", "the rules `file`")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageError{fmt.Sprintf("check: unexpected argument %q", rest[0])}
	}

	rs, err := engine.Load(*rules)
	if err != nil {
		a.printLoadError(a.stdout, err)
		return failed
	}
	fmt.Fprintf(a.stdout, "%s: %s (%d enabled), OK\n", *rules, count(len(rs.Rules), "rule"), rs.Enabled())
	return nil
}

// printLoadError prints each mistake of a rules or test file on a line of
// its own: both kinds of file list their mistakes one per line.
func (a *app) printLoadError(w io.Writer, err error) {
	for line := range strings.SplitSeq(err.Error(), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			fmt.Fprintln(w, line)
		}
	}
}

// count writes n and a noun, in the plural unless n is 1.
func count(n int, noun string) string { return fmt.Sprintf("%d %s", n, plural(n, noun)) }
