// Package engine loads a rules file, compiles every condition and template
// in it, and evaluates the rules against a Pyrus task to decide the bot's
// answer. It neither logs nor knows HTTP: it returns errors and results, and
// its callers decide what to print.
package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"time"

	"github.com/rulebot/rulebot/pyrus"
)

// RuleSet is a loaded, fully compiled rules file. It is never changed after
// Load returns, so any number of goroutines may evaluate it at once.
type RuleSet struct {
	// File is the path the rules were read from, as given to Load.
	File string
	// Hash is the SHA-256 of the file's content, in hex.
	Hash string
	// Rules are the rules in file order, switched-off ones included.
	Rules []*Rule
	// AnswerOwnComments switches off the loop guard (see Evaluate).
	AnswerOwnComments bool

	location     *time.Location // the rules' timezone
	dateLocation *time.Location // the same zone, marking date-only values
	// olderComments is set when an expression may read other comments
	// than the newest.
	olderComments bool
	// fields names the only form fields the expressions read; nil when
	// they may read any.
	fields   *pyrus.FieldSet
	settings settingsCache
}

// Rule is one compiled rule.
type Rule struct {
	Name        string
	Description string
	// Line is where the rule starts in the file.
	Line    int
	Stop    bool
	Enabled bool

	when    *program
	actions []action
}

// Load reads and compiles the rules file at path. A file with mistakes
// gives an ErrorList naming every one of them.
func Load(path string) (*RuleSet, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read rules: %w", err)
	}
	return Parse(path, src)
}

// Parse compiles the rules in src; file names the source in errors.
func Parse(file string, src []byte) (*RuleSet, error) {
	l := newLoader(file, src)
	rs := l.load()
	if len(l.errs) > 0 {
		l.errs.Sort()
		return nil, l.errs
	}
	sum := sha256.Sum256(src)
	rs.Hash = hex.EncodeToString(sum[:])
	return rs, nil
}

// Location is the rules' timezone, used by now(), date() and date-only
// values.
func (rs *RuleSet) Location() *time.Location { return rs.location }

// DateLocation is the location that marks date-only values for these
// rules: midnight in the rules' timezone. Give it to the Pyrus decoder.
func (rs *RuleSet) DateLocation() *time.Location { return rs.dateLocation }

// DecodeOptions are the options to decode a webhook with for these rules:
// dates in their timezone, only the newest comment when no expression may
// read the others, and only the form fields that field() is asked for by
// a constant name, code or id when nothing else reads the fields.
func (rs *RuleSet) DecodeOptions() pyrus.DecodeOptions {
	return pyrus.DecodeOptions{
		DateLocation:      rs.dateLocation,
		NewestCommentOnly: !rs.olderComments,
		Fields:            rs.fields,
	}
}

// Enabled counts the rules that run.
func (rs *RuleSet) Enabled() int {
	n := 0
	for _, r := range rs.Rules {
		if r.Enabled {
			n++
		}
	}
	return n
}
