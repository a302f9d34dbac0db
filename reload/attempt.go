package reload

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"

	"github.com/rulebot/rulebot/engine"
)

// Attempt is the outcome of one reload attempt.
type Attempt struct {
	// Trigger is what caused it: "start", "event", "poll", "watch_error"
	// or "reload" (a call to Reload).
	Trigger string
	// Forced is set for a call to Reload, which loads even unchanged content.
	Forced bool
	// Hash is the SHA-256 of the content read, in hex; "" when the file
	// could not be read.
	Hash string
	// Skipped is set when the content was the same as at the last attempt,
	// so nothing was loaded.
	Skipped bool
	// Err is why the rules were kept; nil after a good reload or a skip.
	Err error
}

// attempt reads the rules file once and, unless its content is the one
// last attempted, compiles those same bytes and puts them in service. The
// comparison is with the last attempt, not with the rules in service, so
// that reverting a broken edit to the rules in service clears the failure.
func (w *Watcher) attempt(trigger string, forced bool) {
	src, err := os.ReadFile(w.path)
	a := Attempt{Trigger: trigger, Forced: forced, Hash: contentHash(src, err)}
	if !forced && stateOf(src, err) == w.last {
		a.Skipped = true
		w.report(a)
		return
	}
	w.last = stateOf(src, err)

	if err != nil {
		a.Err = fmt.Errorf("read rules: %w", err)
	} else {
		a.Err = w.load(src, trigger)
	}
	if a.Err != nil {
		w.store.Fail(w.path, a.Err)
		w.log.Error("rules reload failed; keeping the rules in service",
			"file", w.path, "trigger", trigger, "errors", messages(a.Err))
	}
	w.report(a)
}

// load compiles src and, when it compiled whole, puts it in service.
func (w *Watcher) load(src []byte, trigger string) error {
	rs, err := parse(w.path, src)
	if err != nil {
		return err
	}
	w.store.Replace(rs)
	w.log.Info("rules reloaded", "file", w.path, "rules", len(rs.Rules),
		"enabled", rs.Enabled(), "hash", rs.Hash, "trigger", trigger)
	return nil
}

// parse compiles src. The loader has panicked on odd input before; here a
// panic would take the whole bot down for one bad edit, so it becomes an
// error.
func parse(file string, src []byte) (rs *engine.RuleSet, err error) {
	defer func() {
		if r := recover(); r != nil {
			rs, err = nil, fmt.Errorf("%s: cannot load the rules: %v", file, r)
		}
	}()
	return engine.Parse(file, src)
}

// changed reports whether the content of the rules file differs from the
// one last attempted.
func (w *Watcher) changed() bool {
	src, err := os.ReadFile(w.path)
	return stateOf(src, err) != w.last
}

// stateOf is what an attempt compares with the last one: the content's
// hash, or the read error, so that a file that becomes unreadable in a new
// way (a folder, then a dangling link) is reported anew.
func stateOf(src []byte, readErr error) string {
	if readErr != nil {
		return "unreadable: " + readErr.Error()
	}
	return contentHash(src, nil)
}

func (w *Watcher) report(a Attempt) {
	if w.onAttempt != nil {
		w.onAttempt(a)
	}
}

// contentHash is the SHA-256 of src in hex, as in engine.RuleSet.Hash, or
// "" when the file could not be read.
func contentHash(src []byte, readErr error) string {
	if readErr != nil {
		return ""
	}
	sum := sha256.Sum256(src)
	return hex.EncodeToString(sum[:])
}
