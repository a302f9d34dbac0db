package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rulebot/rulebot/internal/logbuf"
)

var update = flag.Bool("update", false, "rewrite the golden answers in testdata/eval")

const (
	exampleRules = "../../rules.example.yaml"
	fixtures     = "../../testdata/tasks"
	goldens      = "../../testdata/eval"
	// testNow pins the clock of every eval, so the golden answers hold on any day.
	testNow = "2025-03-05T10:00:00Z"
	testKey = "EXAMPLE-security-key-0123456789abcdef"
)

// result is what one run of the program printed and returned.
type result struct {
	code           int
	stdout, stderr string
}

func runCmd(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr, func(k string) string { return env[k] })
	return result{code, stdout.String(), stderr.String()}
}

// TestEvalGolden answers every fixture with the example rules and compares
// with the golden answers; go test -update rewrites them.
func TestEvalGolden(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join(fixtures, "*.json"))
	if err != nil || len(paths) < 8 {
		t.Fatalf("want at least 8 fixtures, found %d (%v)", len(paths), err)
	}
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), ".json")
		t.Run(name, func(t *testing.T) {
			r := runCmd(t, nil, "eval", "--rules", exampleRules, "--now", testNow, path)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			got := "# stdout\n" + r.stdout + "# stderr\n" + r.stderr
			golden := filepath.Join(goldens, name+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to write it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("eval %s (-want +got):\n%s", name, diff)
			}
		})
	}
}

func TestEvalAnswersAreJSON(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join(fixtures, "*.json"))
	answered := 0
	for _, path := range paths {
		r := runCmd(t, nil, "eval", "--rules", exampleRules, "--now", testNow, path)
		if r.stdout == "" {
			continue
		}
		answered++
		if !json.Valid([]byte(r.stdout)) || !strings.HasSuffix(r.stdout, "}\n") {
			t.Errorf("%s: the answer is not one JSON object: %q", path, r.stdout)
		}
	}
	if answered < len(paths)/2 {
		t.Errorf("only %d of %d fixtures got an answer", answered, len(paths))
	}
}

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "rules.yaml")
	writeFile(t, bad, "rules:\n  - name: a\n    when: task.form == 1\n    then:\n      approval: maybe\n")

	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string
	}{
		{"example is valid", []string{"check", "--rules", exampleRules}, 0,
			exampleRules + ": 12 rules (11 enabled), OK\n"},
		{"every mistake", []string{"check", "--rules", bad}, 1,
			bad + `:3:16: rule "a": unknown field "form" on task` + "\n" +
				bad + `:5:17: rule "a": approval "maybe" must be one of approved, rejected, acknowledged, revoked` + "\n"},
		{"missing file", []string{"check", "--rules", filepath.Join(dir, "none.yaml")}, 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCmd(t, nil, tt.args...)
			if r.code != tt.wantCode {
				t.Fatalf("exit %d, want %d; stdout %q stderr %q", r.code, tt.wantCode, r.stdout, r.stderr)
			}
			if tt.wantStdout != "" && r.stdout != tt.wantStdout {
				t.Errorf("stdout:\n%s", cmp.Diff(tt.wantStdout, r.stdout))
			}
		})
	}
}

func TestUsage(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantCode int
	}{
		{"no command", nil, 2},
		{"unknown command", []string{"frobnicate"}, 2},
		{"unknown flag", []string{"check", "--nope"}, 2},
		{"eval without a task", []string{"eval", "--rules", exampleRules}, 2},
		{"bad --now", []string{"eval", "--rules", exampleRules, "--now", "soon", "x.json"}, 2},
		{"tls cert without key", []string{"serve", "--tls-cert", "c.pem"}, 2},
		{"bad max body", []string{"serve", "--max-body", "lots"}, 2},
		{"help", []string{"--help"}, 0},
		{"serve help", []string{"serve", "--help"}, 0},
		{"check help", []string{"check", "-h"}, 0},
		{"eval help", []string{"eval", "--help"}, 0},
		{"version", []string{"--version"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCmd(t, nil, tt.args...)
			if r.code != tt.wantCode {
				t.Fatalf("exit %d, want %d (stderr %q)", r.code, tt.wantCode, r.stderr)
			}
			if tt.wantCode == 2 && r.stdout != "" {
				t.Errorf("a usage error printed on stdout: %q", r.stdout)
			}
			if tt.wantCode == 2 && strings.Count(r.stderr, "\n") != 1 && tt.args != nil {
				t.Errorf("a usage error must be one line, got %q", r.stderr)
			}
			if tt.wantCode == 0 && (r.stdout == "" || strings.Count(r.stdout, "Usage") > 1) {
				t.Errorf("want the text once, got %q", r.stdout)
			}
		})
	}
}

func TestServeStartupErrors(t *testing.T) {
	dir := t.TempDir()
	broken := filepath.Join(dir, "rules.yaml")
	writeFile(t, broken, "rules:\n  - name: a\n    when: nope\n    then: {comment: x}\n")
	withKey := map[string]string{"PYRUS_SECURITY_KEY": testKey}

	tests := []struct {
		name       string
		env        map[string]string
		args       []string
		wantStderr string
	}{
		{"no key", nil, []string{"serve", "--rules", exampleRules},
			"rulebot: no security key: set PYRUS_SECURITY_KEY or pass --key-file FILE\n"},
		{"empty key file", nil, []string{"serve", "--rules", exampleRules,
			"--key-file", writeFile(t, filepath.Join(dir, "key"), " \n")}, ""},
		{"broken rules", withKey, []string{"serve", "--rules", broken},
			broken + `:3:11: rule "a": unknown name "nope"` + "\n"},
		{"address in use or bad", withKey, []string{"serve", "--rules", exampleRules,
			"--addr", "127.0.0.1:bad"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCmd(t, tt.env, tt.args...)
			if r.code != 1 {
				t.Fatalf("exit %d, want 1 (stderr %q)", r.code, r.stderr)
			}
			if tt.wantStderr != "" && !strings.HasSuffix(r.stderr, tt.wantStderr) {
				t.Errorf("stderr %q, want it to end in %q", r.stderr, tt.wantStderr)
			}
			if strings.Contains(r.stderr, "goroutine") || strings.Contains(r.stderr, testKey) {
				t.Errorf("stderr shows a panic or the key: %q", r.stderr)
			}
		})
	}
}

// TestServe runs the whole program on a loopback port, sends it a signed
// fixture, and stops it as SIGTERM would.
func TestServe(t *testing.T) {
	b := startServe(t, "--rules", exampleRules)
	body, err := os.ReadFile(filepath.Join(fixtures, "purchase-big.json"))
	if err != nil {
		t.Fatal(err)
	}
	status, answer := postSigned(t, http.DefaultClient, "http://"+b.addr+"/", body)
	if status != 200 || !bytes.Contains(answer, []byte(`"reassign_to":{"email":"cfo@example.com"}`)) {
		t.Errorf("got %d %s", status, answer)
	}

	b.stop(t)
	stderr := b.log
	if log := stderr.String(); strings.Contains(log, testKey) || strings.Contains(log, "fake-access-token") {
		t.Errorf("the log holds a secret:\n%s", log)
	}
}

var listening = regexp.MustCompile(`"addr":"(127\.0\.0\.1:\d+)"`)

func waitForAddr(t *testing.T, log *logbuf.Buffer) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if m := listening.FindStringSubmatch(log.String()); m != nil {
			return m[1]
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("serve did not start; log:\n%s", log)
	return ""
}

func writeFile(t *testing.T, path, content string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestByteSize(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"10MiB", "10MiB"}, {"512KiB", "512KiB"}, {"1048576", "1MiB"}, {"1MB", "1000000"}, {"2GiB", "2GiB"},
	} {
		var s byteSize
		if err := s.Set(tt.in); err != nil || s.String() != tt.want {
			t.Errorf("%q: got %q, %v; want %q", tt.in, s.String(), err, tt.want)
		}
	}
}
