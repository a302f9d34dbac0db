package reload

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/rulebot/rulebot/engine"
	"github.com/rulebot/rulebot/internal/logbuf"
)

// waitLimit bounds every wait for a reload: generous, so that a loaded
// machine slows the tests down without failing them.
const waitLimit = 15 * time.Second

// testDebounce is short so that the tests run fast; correctness does not
// depend on it.
const testDebounce = 20 * time.Millisecond

func goodRules(comment string) string {
	return "rules:\n  - name: answer\n    when: task.id > 0\n    then:\n" +
		"      comment: '" + comment + "'\n"
}

// badRules fails to compile at line 3, column 16.
const badRules = "rules:\n  - name: answer\n    when: task.nope > 0\n    then:\n" +
	"      comment: 'x'\n"

func hashOf(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// harness runs a Watcher on a real file and records what it does.
type harness struct {
	t     *testing.T
	path  string
	store *Store
	w     *Watcher
	logs  *logbuf.Buffer

	mu       sync.Mutex
	attempts []Attempt
}

// start runs a Watcher on the rules file at path, which must load. Polling
// is off in effect unless opts say otherwise, so that what the tests see
// comes from file events. setup, when not nil, adjusts the Watcher before
// it runs. start returns once the Watcher has made its first check.
func start(t *testing.T, path string, setup func(*Watcher), opts ...Option) *harness {
	t.Helper()
	rs, err := engine.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, path: path, store: NewStore(rs), logs: &logbuf.Buffer{}}
	log := slog.New(slog.NewJSONHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	opts = append([]Option{
		WithDebounce(testDebounce),
		WithPollInterval(time.Hour),
		WithOnAttempt(h.record),
	}, opts...)
	h.w = NewWatcher(path, h.store, log, opts...)
	if setup != nil {
		setup(h.w)
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		h.w.Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(waitLimit):
			t.Error("Run did not return after its context was cancelled")
		}
	})
	h.waitAttempt("the first check", func(a Attempt) bool { return a.Trigger == "start" })
	return h
}

func (h *harness) record(a Attempt) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.attempts = append(h.attempts, a)
}

// recorded is a copy of the attempts so far.
func (h *harness) recorded() []Attempt {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.attempts)
}

// waitFor fails the test when cond stays false for waitLimit.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s", waitLimit, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// waitAttempt waits for an attempt that ok accepts and returns it.
func (h *harness) waitAttempt(what string, ok func(Attempt) bool) Attempt {
	h.t.Helper()
	var found Attempt
	waitFor(h.t, what, func() bool {
		for _, a := range h.recorded() {
			if ok(a) {
				found = a
				return true
			}
		}
		return false
	})
	return found
}

// waitRules waits until the rules of content are in service and no failure
// shows.
func (h *harness) waitRules(content string) {
	h.t.Helper()
	want := hashOf(content)
	waitFor(h.t, "the rules "+want[:8]+" in service", func() bool {
		st := h.store.Status()
		return st.Hash == want && st.LastError == nil
	})
}

// waitFailure waits until a failed reload shows with an error that holds
// want, and returns the failure.
func (h *harness) waitFailure(want string) *Failure {
	h.t.Helper()
	var f *Failure
	waitFor(h.t, "a failure with "+want, func() bool {
		f = h.store.Status().LastError
		return f != nil && strings.Contains(strings.Join(f.Errors, "\n"), want)
	})
	return f
}

// records are the JSON log lines in logs with message msg.
func records(t *testing.T, logs *logbuf.Buffer, msg string) []map[string]any {
	t.Helper()
	all, err := logs.Records()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for _, rec := range all {
		if rec["msg"] == msg {
			out = append(out, rec)
		}
	}
	return out
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// saveByRename saves as most editors do: a new file renamed over the old.
func saveByRename(t *testing.T, path, content string) {
	t.Helper()
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".swp")
	writeFile(t, tmp, content)
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// saveInPlace truncates the file and writes it in two steps, as VS Code
// does by default.
func saveInPlace(t *testing.T, path, content string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		t.Fatal(err)
	}
	half := len(content) / 2
	_, err1 := f.WriteString(content[:half])
	_, err2 := f.WriteString(content[half:])
	if err := errors.Join(err1, err2, f.Close()); err != nil {
		t.Fatal(err)
	}
}

// saveByRecreate deletes the file and creates it again.
func saveByRecreate(t *testing.T, path, content string) {
	t.Helper()
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	writeFile(t, path, content)
}

func TestSaveStyles(t *testing.T) {
	tests := []struct {
		name string
		save func(t *testing.T, path, content string)
	}{
		{"rename over the old file", saveByRename},
		{"truncate and write in place", saveInPlace},
		{"delete and create again", saveByRecreate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "rules.yaml")
			writeFile(t, path, goodRules("v1"))
			h := start(t, path, nil)

			// A second save shows that the watch outlives the first one.
			for _, v := range []string{"v2", "v3"} {
				tt.save(t, path, goodRules(v))
				h.waitRules(goodRules(v))
			}
		})
	}
}

func TestBrokenEditThenFix(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rules.yaml")
	writeFile(t, path, goodRules("v1"))
	h := start(t, path, nil)

	saveByRename(t, path, badRules)
	want := path + `:3:16: rule "answer": unknown field "nope" on task`
	f := h.waitFailure(want)
	if f.File != path || f.At.IsZero() {
		t.Errorf("failure = %+v, want file %q and a time", f, path)
	}
	if got := h.store.Rules().Hash; got != hashOf(goodRules("v1")) {
		t.Errorf("rules in service changed to %s after a broken edit", got)
	}
	failed := records(t, h.logs, "rules reload failed; keeping the rules in service")
	if len(failed) != 1 {
		t.Fatalf("got %d failure log lines, want 1", len(failed))
	}
	rec := failed[0]
	if rec["level"] != "ERROR" || rec["component"] != "reload" || rec["file"] != path {
		t.Errorf("failure log line = %v", rec)
	}
	if errs, _ := rec["errors"].([]any); len(errs) != 1 || errs[0] != want {
		t.Errorf("logged errors = %v, want [%s]", rec["errors"], want)
	}

	saveByRename(t, path, goodRules("v2"))
	h.waitRules(goodRules("v2"))
	checkReloadLogged(t, h, goodRules("v2"))
}

// checkReloadLogged checks the Info line of the good reload of content.
func checkReloadLogged(t *testing.T, h *harness, content string) {
	t.Helper()
	for _, rec := range records(t, h.logs, "rules reloaded") {
		if rec["hash"] != hashOf(content) {
			continue
		}
		if rec["level"] != "INFO" || rec["rules"] != 1.0 || rec["component"] != "reload" {
			t.Errorf("reload log line = %v", rec)
		}
		return
	}
	t.Errorf("no reload logged with hash %s", hashOf(content))
}

func TestRevertToRulesInServiceClearsFailure(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rules.yaml")
	writeFile(t, path, goodRules("v1"))
	h := start(t, path, nil)

	saveInPlace(t, path, badRules)
	h.waitFailure("unknown field")
	saveInPlace(t, path, goodRules("v1"))
	h.waitRules(goodRules("v1"))
}

func TestEmptyFileKeepsRules(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rules.yaml")
	writeFile(t, path, goodRules("v1"))
	h := start(t, path, nil)

	saveInPlace(t, path, "")
	h.waitFailure(path + ":1:1: empty file")
	if got := h.store.Status().Hash; got != hashOf(goodRules("v1")) {
		t.Errorf("rules in service changed to %s after emptying the file", got)
	}
	saveInPlace(t, path, goodRules("v2"))
	h.waitRules(goodRules("v2"))
}

func TestMissingFileKeepsRules(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rules.yaml")
	writeFile(t, path, goodRules("v1"))
	h := start(t, path, nil)

	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	h.waitFailure("no such file or directory")
	if got := h.store.Status().Hash; got != hashOf(goodRules("v1")) {
		t.Errorf("rules in service changed to %s after removing the file", got)
	}
	writeFile(t, path, goodRules("v2"))
	h.waitRules(goodRules("v2"))
}

// TestUnreadableInANewWay reports a file that stays unreadable, but for a
// new reason, anew: a folder where the file was, then nothing.
func TestUnreadableInANewWay(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rules.yaml")
	writeFile(t, path, goodRules("v1"))
	h := start(t, path, nil)

	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(path, 0o755); err != nil {
		t.Fatal(err)
	}
	h.waitFailure("is a directory")
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	h.waitFailure("no such file or directory")
}

func TestUnchangedContentIsSkipped(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rules.yaml")
	writeFile(t, path, goodRules("v1"))
	h := start(t, path, nil)
	loadedAt := h.store.Status().LoadedAt

	saveByRename(t, path, goodRules("v1"))
	h.waitAttempt("an attempt after an event", func(a Attempt) bool {
		return a.Trigger == "event"
	})
	for _, a := range h.recorded() {
		if !a.Skipped {
			t.Errorf("attempt %+v loaded unchanged content", a)
		}
	}
	if got := h.store.Status().LoadedAt; !got.Equal(loadedAt) {
		t.Errorf("loaded_at moved from %v to %v for unchanged content", loadedAt, got)
	}
}

func TestDebounceGathersABurst(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rules.yaml")
	writeFile(t, path, goodRules("v0"))
	h := start(t, path, nil, WithDebounce(300*time.Millisecond))

	last := ""
	for i := range 20 {
		last = goodRules("burst " + string(rune('a'+i)))
		saveInPlace(t, path, last)
	}
	h.waitRules(last)

	loads := 0
	for _, a := range h.recorded() {
		if !a.Skipped {
			loads++
		}
	}
	// One is expected; a second only if the machine stalls mid-burst.
	if loads > 2 {
		t.Errorf("20 quick saves gave %d loads, want 1 (2 at most)", loads)
	}
}

func TestReloadLoadsUnchangedContent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rules.yaml")
	writeFile(t, path, goodRules("v1"))
	h := start(t, path, nil)
	loadedAt := h.store.Status().LoadedAt

	h.w.Reload()
	a := h.waitAttempt("the forced reload", func(a Attempt) bool { return a.Forced })
	if a.Skipped || a.Err != nil || a.Trigger != "reload" {
		t.Errorf("forced attempt = %+v, want a load", a)
	}
	if got := h.store.Status().LoadedAt; !got.After(loadedAt) {
		t.Errorf("loaded_at = %v, want after %v", got, loadedAt)
	}
	checkReloadLogged(t, h, goodRules("v1"))
}

func TestReloadWithoutEvents(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rules.yaml")
	writeFile(t, path, goodRules("v1"))
	h := start(t, path, noWatch)

	saveInPlace(t, path, badRules)
	h.w.Reload()
	h.waitFailure("unknown field")
	saveInPlace(t, path, goodRules("v2"))
	h.w.Reload()
	h.waitRules(goodRules("v2"))
}

// noWatch makes fsnotify fail to start, as when the host is out of
// inotify instances.
func noWatch(w *Watcher) {
	w.newFS = func() (*fsnotify.Watcher, error) {
		return nil, errors.New("too many open files")
	}
}
