package reload

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rulebot/rulebot/engine"
)

func mustParse(t *testing.T, content string) *engine.RuleSet {
	t.Helper()
	rs, err := engine.Parse("rules.yaml", []byte(content))
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func TestStoreStatus(t *testing.T) {
	before := time.Now()
	s := NewStore(mustParse(t, goodRules("v1")))
	st := s.Status()
	want := Status{File: "rules.yaml", Hash: hashOf(goodRules("v1")), Rules: 1, Enabled: 1}
	if diff := cmp.Diff(want, st, cmp.FilterPath(func(p cmp.Path) bool {
		return p.Last().String() == ".LoadedAt"
	}, cmp.Ignore())); diff != "" {
		t.Errorf("status (-want +got):\n%s", diff)
	}
	if st.LoadedAt.Before(before) {
		t.Errorf("loaded_at = %v, want at or after %v", st.LoadedAt, before)
	}
}

func TestStoreFailKeepsRules(t *testing.T) {
	rs := mustParse(t, goodRules("v1"))
	s := NewStore(rs)
	loadedAt := s.Status().LoadedAt

	_, err := engine.Parse("rules.yaml", []byte(badRules+"    stop: maybe\n"))
	if err == nil {
		t.Fatal("bad rules loaded")
	}
	s.Fail("rules.yaml", err)
	if s.Rules() != rs {
		t.Error("Fail replaced the rules")
	}
	st := s.Status()
	if st.LastError == nil {
		t.Fatal("no failure shown")
	}
	want := []string{
		`rules.yaml:3:16: rule "answer": unknown field "nope" on task`,
		`rules.yaml:6:11: rule "answer": "stop" must be true or false, not "maybe"`,
	}
	if diff := cmp.Diff(want, st.LastError.Errors); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	if st.LastError.File != "rules.yaml" || st.LastError.At.IsZero() {
		t.Errorf("failure = %+v", st.LastError)
	}
	if !st.LoadedAt.Equal(loadedAt) || st.Hash != rs.Hash {
		t.Errorf("a failure changed the rules in service: %+v", st)
	}
}

func TestStoreFailOtherError(t *testing.T) {
	s := NewStore(mustParse(t, goodRules("v1")))
	s.Fail("rules.yaml", errors.New("read rules: open rules.yaml: permission denied"))
	got := s.Status().LastError.Errors
	if diff := cmp.Diff([]string{"read rules: open rules.yaml: permission denied"}, got); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func TestStoreReplaceClearsFailure(t *testing.T) {
	s := NewStore(mustParse(t, goodRules("v1")))
	loadedAt := s.Status().LoadedAt
	s.Fail("rules.yaml", errors.New("empty file"))

	next := mustParse(t, goodRules("v2"))
	s.Replace(next)
	st := s.Status()
	if s.Rules() != next || st.Hash != next.Hash || st.LastError != nil {
		t.Errorf("after Replace: %+v", st)
	}
	if st.LoadedAt.Before(loadedAt) {
		t.Errorf("loaded_at went back from %v to %v", loadedAt, st.LoadedAt)
	}
}

// TestStoreConcurrent is for the race detector: readers see whole states
// while reloads and failures come in.
func TestStoreConcurrent(t *testing.T) {
	a, b := mustParse(t, goodRules("a")), mustParse(t, goodRules("b"))
	s := NewStore(a)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if st := s.Status(); st.Hash != a.Hash && st.Hash != b.Hash {
					t.Errorf("status of unknown rules %s", st.Hash)
					return
				}
			}
		})
	}
	for i := range 1000 {
		if i%2 == 0 {
			s.Replace(b)
		} else {
			s.Replace(a)
		}
		s.Fail("rules.yaml", errors.New("broken"))
	}
	close(stop)
	wg.Wait()
	if s.Status().LastError == nil {
		t.Error("the last failure was lost")
	}
}
