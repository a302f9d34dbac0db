package engine

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Error is one mistake in a rules file, at the line and column (both
// 1-based, columns in characters) where a person should look.
type Error struct {
	File   string
	Line   int
	Column int
	Rule   string // the rule's name, "" outside a rule
	Msg    string
}

// Error gives the one-line form FILE:LINE:COL: rule "name": message.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d:%d: ", e.File, e.Line, e.Column)
	if e.Rule != "" {
		fmt.Fprintf(&b, "rule %q: ", e.Rule)
	}
	b.WriteString(e.Msg)
	return b.String()
}

// ErrorList is every mistake found in one rules file, in file order.
type ErrorList []*Error

// Error gives one line per mistake.
func (l ErrorList) Error() string {
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// sort puts the mistakes in file order, keeping the order of those found at
// the same place.
func (l ErrorList) sort() {
	slices.SortStableFunc(l, func(a, b *Error) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
}
