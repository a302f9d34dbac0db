// Command rulebot is a Pyrus bot driven by a rules file: it answers
// verified webhooks with the comment, approval or reassignment that the
// rules call for, and checks and tries out rules files for the analysts
// who write them.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	// Timezones of rules files must load on hosts without zoneinfo, such
	// as a scratch container.
	_ "time/tzdata"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = ""

const usage = `rulebot answers Pyrus bot webhooks from a file of rules.

Usage:
  rulebot serve [flags]           run the bot
  rulebot check [--rules FILE]    check a rules file
  rulebot eval [flags] TASK.json  show the answer the rules give a task
  rulebot test [flags] [TESTS...] run the rule tests against task fixtures
  rulebot redact [flags] FILE...  replace personal data in task fixtures
  rulebot --version               print the version

Run "rulebot COMMAND --help" for the flags of a command.
`

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}

// app is one run of the program, with its outputs and environment, so that
// tests can drive it whole.
type app struct {
	stdout, stderr io.Writer
	getenv         func(string) string
}

// command runs one subcommand; its error decides the exit status.
type command func(a *app, ctx context.Context, args []string) error

var commands = map[string]command{
	"serve":  (*app).serve,
	"check":  (*app).check,
	"eval":   (*app).eval,
	"test":   (*app).test,
	"redact": (*app).redact,
}

// run runs the program with args (without the program name) and returns
// its exit status: 0 success, 1 failure, 2 usage error.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	a := &app{stdout: stdout, stderr: stderr, getenv: getenv}
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	case "-version", "--version", "version":
		fmt.Fprintf(stdout, "rulebot %s\n", versionString())
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "rulebot: unknown command %q (run rulebot --help)\n", args[0])
		return 2
	}
	return a.exitCode(cmd(a, ctx, args[1:]))
}

// usageError is a mistake in the command line.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// failed is an error whose message was already printed.
var failed = errors.New("failed")

func (a *app) exitCode(err error) int {
	var usage usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &usage):
		fmt.Fprintf(a.stderr, "rulebot: %s\n", usage.msg)
		return 2
	case errors.Is(err, failed):
		return 1
	default:
		fmt.Fprintf(a.stderr, "rulebot: %s\n", oneLine(err.Error()))
		return 1
	}
}

// oneLine keeps a message on one line, as every start-up error must be.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// flags makes the flag set of a command. Its help goes to stdout; a flag
// mistake becomes one line and exit status 2.
func (a *app) flags(name, args, help string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fmt.Fprintf(a.stdout, "Usage: rulebot %s %s\n\n%s\nFlags:\n", name, args, help)
		fs.SetOutput(a.stdout)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	return fs
}

// parse parses a command's flags, which may stand before or after its
// other arguments; it returns those arguments.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	// The flag package prints the usage on every mistake; rulebot prints
	// it only when asked, and a mistake as one line on stderr.
	help := fs.Usage
	fs.Usage = func() {}
	defer func() { fs.Usage = help }()

	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				help()
				return nil, err
			}
			return nil, usageError{fmt.Sprintf("%s: %v (run rulebot %s --help)",
				fs.Name(), err, fs.Name())}
		}
		args = fs.Args()
		if len(args) == 0 {
			return rest, nil
		}
		rest = append(rest, args[0])
		args = args[1:]
	}
}

func versionString() string {
	if version != "" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" {
		return info.Main.Version
	}
	return "(devel)"
}
