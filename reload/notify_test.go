package reload

import (
	"errors"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/rulebot/rulebot/engine"
	"github.com/rulebot/rulebot/internal/logbuf"
)

const watchFailedMsg = "cannot watch the rules file; relying on the periodic check"

func TestPollWhenWatchCannotStart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rules.yaml")
	writeFile(t, path, goodRules("v1"))
	h := start(t, path, noWatch, WithPollInterval(50*time.Millisecond))

	saveInPlace(t, path, goodRules("v2"))
	h.waitRules(goodRules("v2"))
	saveInPlace(t, path, badRules)
	h.waitFailure("unknown field")

	// Said once, not at every periodic check.
	if got := len(records(t, h.logs, watchFailedMsg)); got != 1 {
		t.Errorf("got %d lines %q, want 1", got, watchFailedMsg)
	}
	for _, a := range h.recorded() {
		if a.Trigger == "event" {
			t.Errorf("attempt %+v from an event, with no watch", a)
		}
	}
}

func TestWatchIsSetUpAgain(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rules.yaml")
	writeFile(t, path, goodRules("v1"))
	failures := 3 // the first set-up and two periodic checks fail
	setup := func(w *Watcher) {
		w.newFS = func() (*fsnotify.Watcher, error) {
			if failures > 0 {
				failures--
				return nil, errors.New("too many open files")
			}
			return fsnotify.NewWatcher()
		}
	}
	h := start(t, path, setup, WithPollInterval(20*time.Millisecond))

	waitFor(t, "the watch to be set up again", func() bool {
		return len(records(t, h.logs, "watching the rules file again")) == 1
	})
	if got := len(records(t, h.logs, watchFailedMsg)); got != 1 {
		t.Errorf("got %d lines %q, want 1", got, watchFailedMsg)
	}
	saveByRename(t, path, goodRules("v2"))
	h.waitRules(goodRules("v2"))
}

// TestWatchErrors drives the error handling directly: an overflow cannot
// be caused on demand.
func TestWatchErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rules.yaml")
	writeFile(t, path, goodRules("v1"))
	rs, err := engine.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	logs := &logbuf.Buffer{}
	w := NewWatcher(path, NewStore(rs), slog.New(slog.NewJSONHandler(logs, nil)))
	w.rewatch()
	t.Cleanup(w.closeWatch)
	if w.notify.fs == nil || w.notify.err != nil {
		t.Fatalf("no watch: %v", w.notify.err)
	}

	w.onError(fsnotify.ErrEventOverflow, true)
	checkRereadScheduled(t, w)
	if w.notify.fs == nil {
		t.Error("an overflow stopped the watch")
	}
	if got := len(records(t, logs, "file events were lost; re-reading the rules file")); got != 1 {
		t.Errorf("overflow logged %d times, want 1", got)
	}

	w.onError(errors.New("read inotify: input/output error"), true)
	checkRereadScheduled(t, w)
	if w.notify.fs != nil || w.notify.err == nil {
		t.Error("the failed watch was kept")
	}

	// The next periodic check sets the watch up again.
	w.rewatch()
	if w.notify.fs == nil || w.notify.err != nil {
		t.Errorf("watch not set up again: %v", w.notify.err)
	}

	w.onEvent(fsnotify.Event{}, false)
	checkRereadScheduled(t, w)
	if w.notify.fs != nil {
		t.Error("a closed event channel was kept")
	}
}

// checkRereadScheduled checks that a re-read is pending, and clears it.
func checkRereadScheduled(t *testing.T, w *Watcher) {
	t.Helper()
	if w.pending.first.IsZero() {
		t.Fatal("no re-read scheduled")
	}
	if got := w.pending.fired(); got != "watch_error" {
		t.Errorf("trigger = %q, want watch_error", got)
	}
	w.pending.stop()
}
