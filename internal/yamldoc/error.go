package yamldoc

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Error is one mistake in a file, at the line and column (both 1-based,
// columns in characters) where a person should look.
type Error struct {
	File   string
	Line   int
	Column int
	// Within names what the mistake is in, such as `rule "big"`; "" when
	// it is in no one part of the file.
	Within string
	Msg    string
}

// Error gives the one-line form FILE:LINE:COL: within: message.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d:%d: ", e.File, e.Line, e.Column)
	if e.Within != "" {
		b.WriteString(e.Within + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// ErrorList is every mistake found in one file.
type ErrorList []*Error

// Error gives one line per mistake.
func (l ErrorList) Error() string {
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Sort puts the mistakes in file order, keeping the order of those found
// at the same place.
func (l ErrorList) Sort() {
	slices.SortStableFunc(l, func(a, b *Error) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
}
