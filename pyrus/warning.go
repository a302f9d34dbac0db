package pyrus

import (
	"fmt"
	"strconv"
)

// Warning reports a value that the decoder read leniently or counted
// absent, such as an id sent as a string or a date that does not parse.
type Warning struct {
	// Path locates the value with the JSON names as sent, for example
	// "task.fields[3].value"; it is empty for the body as a whole.
	Path string
	// Problem says what was wrong and what the decoder did about it.
	Problem string
}

// String gives the warning as one line, "path: problem".
func (w Warning) String() string {
	if w.Path == "" {
		return w.Problem
	}
	return w.Path + ": " + w.Problem
}

// maxWarnings bounds the warnings of one body, so that a large body full of
// odd values cannot flood the log.
const maxWarnings = 100

// warn records a problem with the value being decoded. Its path starts
// empty: each enclosing object member and array element prefixes its key
// or index as the walk returns through it, so that the walk keeps no path
// of its own (see prefixKey).
func (d *decoder) warn(problem string) {
	if len(d.warns) == maxWarnings {
		d.dropped++
		return
	}
	d.warns = append(d.warns, Warning{Problem: problem})
}

// warnf is warn with a format.
func (d *decoder) warnf(format string, args ...any) {
	d.warn(fmt.Sprintf(format, args...))
}

// wrongType records a value of the wrong JSON type, which counts as absent.
func (d *decoder) wrongType(want string, got kind) {
	d.warnf("want %s, got %s; counted absent", want, got)
}

// warnings returns the warnings recorded, with a last one counting those
// left out.
func (d *decoder) warnings() []Warning {
	if d.dropped > 0 {
		problem := fmt.Sprintf("%d more warnings left out", d.dropped)
		return append(d.warns, Warning{Problem: problem})
	}
	return d.warns
}

// prefixKey puts the object key k (as sent) in front of the paths of the
// warnings from index n on: "value" and "[3]" become "fields.value" and
// "fields[3]". A key that is not a plain name is quoted: `["odd key"]`.
func (d *decoder) prefixKey(n int, k []byte) {
	key := string(k)
	if !plainKey(k) {
		key = "[" + strconv.Quote(key) + "]"
	}
	d.prefix(n, key)
}

// prefixIndex puts the array index i in front of the paths of the warnings
// from index n on.
func (d *decoder) prefixIndex(n, i int) {
	d.prefix(n, "["+strconv.Itoa(i)+"]")
}

// prefix puts step in front of the paths of the warnings from index n on,
// with a dot before a plain key.
func (d *decoder) prefix(n int, step string) {
	for i := n; i < len(d.warns); i++ {
		w := &d.warns[i]
		if w.Path == "" || w.Path[0] == '[' {
			w.Path = step + w.Path
		} else {
			w.Path = step + "." + w.Path
		}
	}
}

// plainKey reports whether k can be printed in a path without quotes.
func plainKey(k []byte) bool {
	if len(k) == 0 {
		return false
	}
	for _, c := range k {
		letter := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
		if !letter && c != '_' && !('0' <= c && c <= '9') {
			return false
		}
	}
	return true
}
