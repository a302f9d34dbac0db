package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/rulebot/rulebot/engine"
	"github.com/rulebot/rulebot/pyrus"
	"github.com/rulebot/rulebot/record"
	"github.com/rulebot/rulebot/ruletest"
)

// recordFlush bounds how long the recordings still queued at shutdown may
// take to be written.
const recordFlush = 10 * time.Second

// checkRecordFlags checks the --record flags of serve.
func (f *serveFlags) checkRecordFlags() error {
	switch {
	case f.record == "" && f.recordRaw:
		return usageError{"serve: --record-raw goes with --record DIR"}
	case f.recordMaxFiles < 1:
		return usageError{"serve: --record-max-files must be 1 or more"}
	}
	return nil
}

// recorder starts recording webhooks into the --record folder; nil when
// there is none. Recordings are redacted with the folder's key, made on
// first use, unless --record-raw says to keep the personal data.
func (a *app) recorder(f serveFlags, log *slog.Logger) (*record.Recorder, error) {
	if f.record == "" {
		return nil, nil
	}
	cfg := record.Config{Dir: f.record, MaxFiles: f.recordMaxFiles,
		MaxBytes: int64(f.recordMaxBytes), Logger: log}
	if f.recordRaw {
		rec, err := record.New(cfg)
		if err == nil {
			log.Warn("--record-raw: recordings keep people's names, emails and phone numbers;"+
				" keep the folder private, and run rulebot redact on a fixture before sharing it",
				"dir", f.record)
		}
		return rec, err
	}
	if err := os.MkdirAll(f.record, 0o750); err != nil {
		return nil, fmt.Errorf("record folder: %w", err)
	}
	key, err := record.LoadKey(record.KeyPath(f.record))
	if err != nil {
		return nil, err
	}
	if cfg.Redactor, err = record.NewRedactor(key); err != nil {
		return nil, err
	}
	return record.New(cfg)
}

// closeRecorder writes the recordings still queued; it runs once the
// server has stopped, so that no webhook comes after.
func (b *bot) closeRecorder() {
	ctx, cancel := context.WithTimeout(context.Background(), recordFlush)
	defer cancel()
	if err := b.rec.Close(ctx); err != nil {
		b.log.Error("shutting down", "err", err)
	}
}

// recordExpect adds a case for each fixture among args to the test file
// (the one beside the rules, or the one test file among args) with what
// the rules answer now as its expectations, and then runs that file.
func (a *app) recordExpect(args []string, f *testFlags) error {
	var fixtures, tests []string
	for _, arg := range args {
		if strings.EqualFold(filepath.Ext(arg), ".json") {
			fixtures = append(fixtures, arg)
		} else {
			tests = append(tests, arg)
		}
	}
	switch {
	case len(fixtures) == 0:
		return usageError{"test: --record-expect wants FIXTURE.json files" +
			" (run rulebot test --help)"}
	case len(tests) > 1:
		return usageError{"test: --record-expect adds cases to one test file, not " +
			fmt.Sprint(len(tests))}
	case len(tests) == 0:
		tests = []string{testsFile(f.rules)}
	}

	rs, err := engine.Load(f.rules)
	if err != nil {
		a.printLoadError(a.stdout, err)
		return failed
	}
	if err := a.addCases(tests[0], fixtures, rs); err != nil {
		return err
	}
	return a.runTests(tests, f)
}

// addCases adds the cases of fixtures to the test file, and says so.
func (a *app) addCases(file string, fixtures []string, rs *engine.RuleSet) error {
	cases := make([]ruletest.NewCase, 0, len(fixtures))
	for _, fixture := range fixtures {
		c, err := a.newCase(file, fixture, rs)
		if err != nil {
			return err
		}
		cases = append(cases, c)
	}
	added, skipped, err := ruletest.AddCases(file, cases, rs)
	if err != nil {
		return err
	}
	for _, c := range skipped {
		fmt.Fprintf(a.stdout, "%s: already has a case for %s; not added again\n", file, c.Task)
	}
	fmt.Fprintf(a.stdout, "%s: added %d %s\n", file, len(added), plural(len(added), "case"))
	return nil
}

// newCase is the case of a fixture: named after its file, its task path
// relative to the test file, and its clock pinned to when it was recorded.
func (a *app) newCase(testFile, fixture string, rs *engine.RuleSet) (ruletest.NewCase, error) {
	hook, _, err := ruletest.ReadFixture(fixture, rs)
	if err != nil {
		return ruletest.NewCase{}, err
	}
	task, err := relativeTo(filepath.Dir(testFile), fixture)
	if err != nil {
		return ruletest.NewCase{}, err
	}
	return ruletest.NewCase{
		Name: strings.TrimSuffix(filepath.Base(fixture), filepath.Ext(fixture)),
		Task: task,
		Now:  recordedAt(fixture, hook).UTC().Format(time.RFC3339),
	}, nil
}

// relativeTo is the path of file relative to dir, with forward slashes,
// so that a test file works on every system.
func relativeTo(dir, file string) (string, error) {
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	absFile, err := filepath.Abs(file)
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(absDir, absFile)
	if err != nil {
		return "", err
	}
	return filepath.ToSlash(rel), nil
}

// recordedAt is when the webhook of a fixture was answered, as near as it
// can tell: the time in the name of a recording; else the time of the
// newest comment, which woke the bot; else when the task last changed or
// was made; else now.
func recordedAt(fixture string, hook *pyrus.Webhook) time.Time {
	if _, at, ok := record.ParseName(fixture); ok {
		return at
	}
	task := hook.Task
	if n := len(task.Comments); n > 0 && task.Comments[n-1] != nil &&
		task.Comments[n-1].CreateDate != nil {
		return *task.Comments[n-1].CreateDate
	}
	for _, t := range []*time.Time{task.LastModifiedDate, task.CreateDate} {
		if t != nil {
			return *t
		}
	}
	return time.Now().Truncate(time.Second)
}
