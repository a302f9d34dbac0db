package ruletest_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rulebot/rulebot/ruletest"
)

// tempSuite writes src as a test file into a new folder that holds the
// fixtures of testdata/ruletest, and gives its path.
func tempSuite(t *testing.T, src []byte, mode os.FileMode) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "tasks"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"big.json", "small.json"} {
		data, err := os.ReadFile(filepath.Join(testdata, "tasks", name))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, "tasks", name), data, 0o644)
	}
	path := filepath.Join(dir, "t_test.yaml")
	writeFile(t, path, src, mode)
	return path
}

func writeFile(t *testing.T, path string, data []byte, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, data, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // past the umask
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// runFile loads and runs the test file at path, and updates it.
func runFile(t *testing.T, path string) ([]*ruletest.Result, int, error) {
	t.Helper()
	s, err := ruletest.Load(path)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	results := s.Run(loadRules(t))
	n, err := s.Update(results)
	return results, n, err
}

// Update rewrites the expect blocks of failing and new cases and keeps
// every comment, blank line and quote of the file.
func TestUpdateKeepsComments(t *testing.T) {
	before := readFile(t, filepath.Join(testdata, "update", "before_test.yaml"))
	want := readFile(t, filepath.Join(testdata, "update", "after_test.yaml"))
	path := tempSuite(t, []byte(before), 0o640)

	_, n, err := runFile(t, path)
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	if n != 4 {
		t.Errorf("Update changed %d cases, want 4", n)
	}
	if diff := cmp.Diff(want, readFile(t, path)); diff != "" {
		t.Errorf("updated file (-want +got):\n%s", diff)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o640 {
		t.Errorf("mode after update: %v (%v), want 0640", info.Mode().Perm(), err)
	}

	// Now every case that can run passes, and a second update is a no-op.
	results, n, err := runFile(t, path)
	if err != nil || n != 0 {
		t.Errorf("second Update: %d cases, %v; want 0, nil", n, err)
	}
	for _, r := range results {
		if r.Status != ruletest.Passed && r.Case.Name != "missing fixture" {
			t.Errorf("case %q: %v after the update:\n%s", r.Case.Name, r.Status, r.Details())
		}
	}
	if diff := cmp.Diff(want, readFile(t, path)); diff != "" {
		t.Errorf("file after the second update (-want +got):\n%s", diff)
	}
}

func TestUpdateRefuses(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		wantErr string
	}{
		{"a case on one line",
			"tests:\n  - {name: a, task: tasks/big.json, expect: {empty: true}}\n",
			`t_test.yaml:2: case "a" is written in {} or [] style:` +
				` write it as a block so that --update can change it`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := tempSuite(t, []byte(tt.src), 0o644)
			_, n, err := runFile(t, path)
			if err == nil || err.Error() != filepath.Join(filepath.Dir(path), tt.wantErr) {
				t.Errorf("Update: %d cases, error %v; want %q", n, err, tt.wantErr)
			}
			if got := readFile(t, path); got != tt.src {
				t.Errorf("the file changed:\n%s", got)
			}
		})
	}
}

// A file with CRLF line ends keeps them in the lines that Update writes.
func TestUpdateCRLF(t *testing.T) {
	src := "# Windows\r\ntests:\r\n  - name: a\r\n    task: tasks/big.json\r\n" +
		"    now: 2025-02-26\r\n    expect: {empty: true}\r\n"
	path := tempSuite(t, []byte(src), 0o644)

	if _, n, err := runFile(t, path); n != 1 || err != nil {
		t.Fatalf("Update: %d cases, %v; want 1, nil", n, err)
	}
	want := "# Windows\r\ntests:\r\n  - name: a\r\n    task: tasks/big.json\r\n" +
		"    now: 2025-02-26\r\n    expect: {empty: false}\r\n"
	if got := readFile(t, path); got != want {
		t.Errorf("updated file:\n%q\nwant:\n%q", got, want)
	}
}
