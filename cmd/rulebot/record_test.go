package main

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rulebot/rulebot/record"
)

const (
	recordData = "../../testdata/record"
	// plainRules read no personal data: a redacted recording gets the
	// answer the live webhook got.
	plainRules = recordData + "/rules.yaml"
)

// recording is one webhook posted to a recording bot, and its answer.
type recording struct {
	fixture string
	answer  string
}

// serveAndRecord runs rulebot serve with args added, posts each fixture to
// it signed, stops it, and returns the answers and the serve log.
func serveAndRecord(t *testing.T, args []string, fixtures ...string) ([]recording, string) {
	t.Helper()
	b := startServe(t, args...)
	var out []recording
	for _, fixture := range fixtures {
		body, err := os.ReadFile(fixture)
		if err != nil {
			t.Fatal(err)
		}
		status, answer := postSigned(t, http.DefaultClient, "http://"+b.addr+"/", body)
		if status != http.StatusOK {
			t.Fatalf("%s: status %d %s", fixture, status, answer)
		}
		out = append(out, recording{fixture, string(answer)})
	}
	b.stop(t)
	return out, b.log.String()
}

// recordings lists the recordings in dir, in name order.
func recordings(t *testing.T, dir string) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "task-*.json"))
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(paths)
	return paths
}

// TestServeRecordReplays records live webhooks, redacted and raw, and
// replays each recording with eval, its clock pinned to the time in its
// name: eval prints exactly what the live webhook answered.
func TestServeRecordReplays(t *testing.T) {
	tests := []struct {
		name     string
		rules    string
		raw      bool
		wantMode os.FileMode
	}{
		// Redacted recordings replay exactly with rules that read no
		// personal data; raw recordings with any rules.
		{"redacted", plainRules, false, 0o644},
		{"raw", exampleRules, true, 0o600},
	}
	fixtures := []string{filepath.Join(fixtures, "purchase-big.json"),
		filepath.Join(fixtures, "simple-task.json"), recordData + "/people.json"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "recorded")
			args := []string{"--rules", tt.rules, "--record", dir}
			if tt.raw {
				args = append(args, "--record-raw")
			}
			live, log := serveAndRecord(t, args, fixtures...)

			paths := recordings(t, dir)
			if len(paths) != len(live) {
				t.Fatalf("%d recordings for %d webhooks: %q", len(paths), len(live), paths)
			}
			for _, path := range paths {
				checkReplay(t, path, tt.rules, live, tt.wantMode)
			}
			if _, err := os.Stat(record.KeyPath(dir)); (err == nil) == tt.raw {
				t.Errorf("key file: %v, raw %v", err, tt.raw)
			}
			if warned := strings.Contains(log, "--record-raw: recordings keep"); warned != tt.raw {
				t.Errorf("start-up warning about raw recordings: %v, want %v", warned, tt.raw)
			}
			if strings.Contains(log, "fake-access-token") {
				t.Errorf("the log holds an access token:\n%s", log)
			}
		})
	}
}

// checkReplay evals one recording and compares with the live answer of
// the webhook it records.
func checkReplay(t *testing.T, path, rules string, live []recording, mode os.FileMode) {
	t.Helper()
	id, at, ok := record.ParseName(path)
	if !ok {
		t.Fatalf("%s: not a recording's name", path)
	}
	i := slices.IndexFunc(live, func(r recording) bool {
		data, _ := os.ReadFile(r.fixture)
		return bytes.Contains(data, []byte(`"id": `+strconv.FormatInt(id, 10)+","))
	})
	if i < 0 {
		t.Fatalf("%s: no webhook of task %d", path, id)
	}
	r := runCmd(t, nil, "eval", "--rules", rules, "--now", at.Format(time.RFC3339), path)
	if r.code != 0 || r.stdout != live[i].answer {
		t.Errorf("%s: eval exit %d, printed\n%s\nthe live webhook answered\n%s\n(stderr %s)",
			path, r.code, r.stdout, live[i].answer, r.stderr)
	}
	data, _ := os.ReadFile(path)
	if bytes.Contains(data, []byte("access_token")) || bytes.Contains(data, []byte("fake-ac")) {
		t.Errorf("%s keeps the access token", path)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != mode {
		t.Errorf("%s: mode %v (%v), want %v", path, info.Mode().Perm(), err, mode)
	}
}

func TestServeRecordStartUp(t *testing.T) {
	file := writeFile(t, filepath.Join(t.TempDir(), "file"), "")
	env := map[string]string{"PYRUS_SECURITY_KEY": testKey}
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStderr string
	}{
		{"raw without a folder", []string{"--record-raw"}, 2,
			"rulebot: serve: --record-raw goes with --record DIR\n"},
		{"no files allowed", []string{"--record", "x", "--record-max-files", "0"}, 2,
			"rulebot: serve: --record-max-files must be 1 or more\n"},
		{"a bad size", []string{"--record", "x", "--record-max-bytes", "lots"}, 2,
			"rulebot: serve: invalid value \"lots\" for flag -record-max-bytes: want a size" +
				" such as 10MiB, 512KiB or 1048576 (run rulebot serve --help)\n"},
		{"a folder that cannot be made", []string{"--record", filepath.Join(file, "rec")}, 1,
			"rulebot: record folder: mkdir " + file + ": not a directory\n"},
		{"raw, a folder that cannot be made", []string{"--record", filepath.Join(file, "rec"),
			"--record-raw"}, 1, "rulebot: record folder: mkdir " + file + ": not a directory\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"serve", "--rules", exampleRules, "--log-format", "json",
				"--addr", "127.0.0.1:0"}, tt.args...)
			r := runCmd(t, env, args...)
			if r.code != tt.wantCode || r.stderr != tt.wantStderr {
				t.Errorf("exit %d, stderr %q; want %d, %q", r.code, r.stderr, tt.wantCode,
					tt.wantStderr)
			}
		})
	}
}

// TestRecordExpect turns recordings into regression tests in one step:
// each becomes a case that passes, a second run adds nothing, and a change
// of the rules that changes an answer fails the case.
func TestRecordExpect(t *testing.T) {
	dir := t.TempDir()
	rules := writeFile(t, filepath.Join(dir, "rules.yaml"), readText(t, plainRules))
	recorded := filepath.Join(dir, "recorded")
	serveAndRecord(t, []string{"--rules", rules, "--record", recorded},
		filepath.Join(fixtures, "purchase-big.json"), recordData+"/people.json")
	paths := recordings(t, recorded)
	tests := filepath.Join(dir, "rules_test.yaml")

	r := runCmd(t, nil, append([]string{"test", "--rules", rules, "--record-expect"}, paths...)...)
	want := tests + ": added 2 cases\n2 passed, 0 failed\n"
	if r.code != 0 || r.stdout != want {
		t.Fatalf("exit %d, stdout:\n%s\nwant:\n%s\nstderr: %s", r.code, r.stdout, want, r.stderr)
	}
	src := readText(t, tests)
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), ".json")
		_, at, _ := record.ParseName(path)
		head := "  - name: " + name + "\n    task: recorded/" + name + ".json\n" +
			"    now: " + at.Format(time.RFC3339) + "\n    expect:\n      matched: ["
		if !strings.Contains(src, head) {
			t.Errorf("no case starts with\n%s\nin:\n%s", head, src)
		}
	}

	r = runCmd(t, nil, "test", "--record-expect", "--rules", rules, tests, paths[0])
	want = tests + ": already has a case for recorded/" + filepath.Base(paths[0]) +
		"; not added again\n" + tests + ": added 0 cases\n2 passed, 0 failed\n"
	if r.code != 0 || r.stdout != want || readText(t, tests) != src {
		t.Errorf("second run: exit %d, stdout:\n%s\nwant:\n%s", r.code, r.stdout, want)
	}

	changed := strings.Replace(readText(t, rules), "Delivery is near.", "Delivery soon.", 1)
	writeFile(t, rules, changed)
	r = runCmd(t, nil, "test", "--rules", rules)
	if r.code != 1 || !strings.HasSuffix(r.stdout, "0 passed, 2 failed\n") {
		t.Errorf("after a change of the rules: exit %d, stdout:\n%s", r.code, r.stdout)
	}
}

// TestRecordExpectClock pins the clock of a fixture that is not a
// recording to its newest comment.
func TestRecordExpectClock(t *testing.T) {
	dir := t.TempDir()
	fixture := copyFixture(t, filepath.Join(fixtures, "purchase-small.json"), dir, 0o644)
	tests := filepath.Join(dir, "cases", "small_test.yaml")
	if err := os.Mkdir(filepath.Dir(tests), 0o755); err != nil {
		t.Fatal(err)
	}

	r := runCmd(t, nil, "test", "--rules", exampleRules, "--record-expect", fixture, tests)
	if r.code != 0 {
		t.Fatalf("exit %d: %s%s", r.code, r.stdout, r.stderr)
	}
	head := "tests:\n  - name: purchase-small\n    task: ../purchase-small.json\n" +
		"    now: 2025-03-04T11:20:05Z\n    expect:\n"
	if src := readText(t, tests); !strings.HasPrefix(src, head) {
		t.Errorf("test file:\n%s\nwant it to start with:\n%s", src, head)
	}
}

func TestRecordExpectUsage(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStderr string
	}{
		{"no fixture", []string{"a_test.yaml"}, 2,
			"rulebot: test: --record-expect wants FIXTURE.json files (run rulebot test --help)\n"},
		{"two test files", []string{"a_test.yaml", "b_test.yaml", "t.json"}, 2,
			"rulebot: test: --record-expect adds cases to one test file, not 2\n"},
		{"a missing fixture", []string{"--rules", exampleRules, "none.json"}, 1,
			"rulebot: open none.json: no such file or directory\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCmd(t, nil, append([]string{"test", "--record-expect"}, tt.args...)...)
			if r.code != tt.wantCode || r.stderr != tt.wantStderr {
				t.Errorf("exit %d, stderr %q; want %d, %q",
					r.code, r.stderr, tt.wantCode, tt.wantStderr)
			}
		})
	}
}
