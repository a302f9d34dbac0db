package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rulebot/rulebot/record"
)

// copyFixture copies a fixture into dir with mode, and gives its path.
func copyFixture(t *testing.T, from, dir string, mode os.FileMode) string {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, filepath.Base(from))
	if err := os.WriteFile(path, data, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // past the umask
		t.Fatal(err)
	}
	return path
}

// redacted is what the key in keyFile makes of the fixture at path.
func redacted(t *testing.T, keyFile, path string) string {
	t.Helper()
	key, err := record.LoadKey(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	r, err := record.NewRedactor(key)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out, err := r.Redact(data)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// TestRedactInPlace rewrites fixtures in place, keeping their mode, with
// the key of a record folder, made on first use.
func TestRedactInPlace(t *testing.T) {
	dir, keyDir := t.TempDir(), t.TempDir()
	people := copyFixture(t, recordData+"/people.json", dir, 0o640)
	big := copyFixture(t, filepath.Join(fixtures, "purchase-big.json"), dir, 0o644)
	wantPeople := redacted(t, filepath.Join(t.TempDir(), "k"), people) // another key

	r := runCmd(t, nil, "redact", "--key-dir", keyDir, people, big)
	if r.code != 0 || r.stdout != people+"\n"+big+"\n" || r.stderr != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	got := readText(t, people)
	if got == wantPeople {
		t.Error("two keys gave the same placeholders")
	}
	if want := redacted(t, record.KeyPath(keyDir), recordData+"/people.json"); got != want {
		t.Errorf("redacted file (-want +got):\n%s", cmp.Diff(want, got))
	}
	if info, _ := os.Stat(people); info.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640", info.Mode().Perm())
	}

	// A second run changes nothing.
	before := readText(t, big)
	r = runCmd(t, nil, "redact", "--key-dir", keyDir, big)
	if r.code != 0 || readText(t, big) != before {
		t.Errorf("second run: exit %d, stderr %q, or the file changed", r.code, r.stderr)
	}
}

func readText(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestRedactOut writes into a folder, leaves the originals, and goes on
// past a file that fails.
func TestRedactOut(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	keyFile := filepath.Join(dir, "redact.key")
	notJSON := writeFile(t, filepath.Join(dir, "notes.json"), "not json")
	other := filepath.Join(t.TempDir(), "purchase-big.json")
	writeFile(t, other, "{}")
	big := filepath.Join(fixtures, "purchase-big.json")
	before := readText(t, big)

	r := runCmd(t, nil, "redact", "--key-file", keyFile, "--out", out, notJSON, big, other)
	wantOut := filepath.Join(out, "purchase-big.json") + "\n"
	wantErr := "rulebot: " + notJSON + ": not JSON: invalid character 'o' in literal null" +
		" (expecting 'u')\n" +
		"rulebot: " + other + ": not written to " + filepath.Join(out, "purchase-big.json") +
		", which holds " + big + "\n"
	if r.code != 1 || r.stdout != wantOut || r.stderr != wantErr {
		t.Errorf("exit %d\nstdout %q\nstderr %q\nwant 1\n%q\n%q", r.code, r.stdout, r.stderr,
			wantOut, wantErr)
	}
	if got, want := readText(t, filepath.Join(out, "purchase-big.json")),
		redacted(t, keyFile, big); got != want {
		t.Errorf("written file (-want +got):\n%s", cmp.Diff(want, got))
	}
	if readText(t, big) != before {
		t.Error("the original changed")
	}
}

// TestRedactMatchesRecording redacts a raw recording with the key of a
// redacting record folder: the result is the redacted recording, byte for
// byte.
func TestRedactMatchesRecording(t *testing.T) {
	raw, red := filepath.Join(t.TempDir(), "raw"), filepath.Join(t.TempDir(), "red")
	fixture := recordData + "/people.json"
	serveAndRecord(t, []string{"--rules", plainRules, "--record", raw, "--record-raw"}, fixture)
	serveAndRecord(t, []string{"--rules", plainRules, "--record", red}, fixture)
	rawFile, redFile := recordings(t, raw), recordings(t, red)
	if len(rawFile) != 1 || len(redFile) != 1 {
		t.Fatalf("recordings %q and %q", rawFile, redFile)
	}

	r := runCmd(t, nil, "redact", "--key-dir", red, rawFile[0])
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if got, want := readText(t, rawFile[0]), readText(t, redFile[0]); got != want {
		t.Errorf("(-recorded +redacted):\n%s", cmp.Diff(want, got))
	}
}

func TestRedactUsage(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStderr string
	}{
		{"no file", []string{"--key-dir", "."}, 2,
			"rulebot: redact: want at least one FILE (run rulebot redact --help)\n"},
		{"no key", []string{"a.json"}, 2,
			"rulebot: redact: give one of --key-dir DIR and --key-file FILE" +
				" (run rulebot redact --help)\n"},
		{"both keys", []string{"--key-dir", ".", "--key-file", "k", "a.json"}, 2,
			"rulebot: redact: give one of --key-dir DIR and --key-file FILE" +
				" (run rulebot redact --help)\n"},
		{"a bad key", []string{"--key-file", "redact_test.go", "a.json"}, 1,
			`rulebot: redaction key "redact_test.go": want at least 16 bytes as hex` + "\n"},
		{"help", []string{"--help"}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCmd(t, nil, append([]string{"redact"}, tt.args...)...)
			if r.code != tt.wantCode || r.stderr != tt.wantStderr {
				t.Errorf("exit %d, stderr %q; want %d, %q",
					r.code, r.stderr, tt.wantCode, tt.wantStderr)
			}
			if tt.name == "help" && !strings.Contains(r.stdout, "--key-dir DIR") {
				t.Errorf("help:\n%s", r.stdout)
			}
		})
	}
}
