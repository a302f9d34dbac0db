// Package reload keeps the rules in service and replaces them only with a
// rules file that loaded whole, so that a broken edit never reaches a
// webhook.
package reload

import (
	"errors"
	"sync/atomic"
	"time"

	"github.com/rulebot/rulebot/engine"
)

// Store holds the rules in service. Reads never block, and a reader sees
// either the old rules or the new ones, never a mix: the whole state is one
// immutable value behind an atomic pointer.
type Store struct {
	state atomic.Pointer[state]
}

type state struct {
	rules    *engine.RuleSet
	loadedAt time.Time
	failure  *Failure
}

// Failure describes the last reload that did not replace the rules.
type Failure struct {
	File   string    `json:"file"`
	Errors []string  `json:"errors"`
	At     time.Time `json:"at"`
}

// Status describes the rules in service, for /healthz.
type Status struct {
	File     string    `json:"file"`
	Hash     string    `json:"hash"`
	Rules    int       `json:"rules"`
	Enabled  int       `json:"enabled"`
	LoadedAt time.Time `json:"loaded_at"`
	// LastError is the last failed reload, until a good one clears it.
	LastError *Failure `json:"last_error,omitempty"`
}

// NewStore puts rs in service.
func NewStore(rs *engine.RuleSet) *Store {
	s := &Store{}
	s.state.Store(&state{rules: rs, loadedAt: time.Now()})
	return s
}

// Rules are the rules in service.
func (s *Store) Rules() *engine.RuleSet { return s.state.Load().rules }

// Status describes the rules in service and the last failed reload.
func (s *Store) Status() Status {
	st := s.state.Load()
	return Status{
		File:      st.rules.File,
		Hash:      st.rules.Hash,
		Rules:     len(st.rules.Rules),
		Enabled:   st.rules.Enabled(),
		LoadedAt:  st.loadedAt,
		LastError: st.failure,
	}
}

// Replace puts rs in service and clears any failure.
func (s *Store) Replace(rs *engine.RuleSet) {
	s.state.Store(&state{rules: rs, loadedAt: time.Now()})
}

// Fail records a reload of file that failed with err; the rules in service
// stay.
func (s *Store) Fail(file string, err error) {
	f := &Failure{File: file, Errors: messages(err), At: time.Now()}
	for {
		old := s.state.Load()
		next := *old
		next.failure = f
		if s.state.CompareAndSwap(old, &next) {
			return
		}
	}
}

// messages lists the one-line messages of a load error.
func messages(err error) []string {
	var list engine.ErrorList
	if errors.As(err, &list) {
		out := make([]string, len(list))
		for i, e := range list {
			out[i] = e.Error()
		}
		return out
	}
	return []string{err.Error()}
}
