package pyrus

import (
	"strconv"
	"time"
	"unicode/utf8"
)

// dateOnlyUTC is the location of date-only values when DecodeOptions names
// none. It is a zone of its own, not time.UTC, so that a date-only value
// can be told apart from a datetime, which is kept in time.UTC.
var dateOnlyUTC = time.FixedZone("UTC", 0)

// timeWant is the form of time a key is documented to hold. Either form is
// read for every time key; the other one is read with a warning.
type timeWant uint8

const (
	wantDatetime timeWant = iota
	wantDate
	wantEither // creation_date: a datetime, or a date only
)

// String names the wanted form as warnings print it.
func (w timeWant) String() string {
	if w == wantDate {
		return "a date"
	}
	return "a datetime"
}

// timeValue reads a datetime ("2025-03-05T10:00:00Z", any RFC 3339) as its
// instant in UTC, or a date only ("2025-03-05") as midnight in the
// date-only location, and reports whether there was one.
func (d *decoder) timeValue(v *node, want timeWant) (time.Time, bool) {
	k := v.kind
	if k != kindString {
		if k != kindNull {
			d.wrongType(want.String(), k)
		}
		return time.Time{}, false
	}
	text := d.textOf(v)
	if len(text) == len(time.DateOnly) {
		return d.date(text, want)
	}
	t, err := time.Parse(time.RFC3339, string(text))
	if err != nil {
		d.warnf("want %s, got %s; counted absent", want, quoteShort(text))
		return time.Time{}, false
	}
	if want == wantDate {
		d.warn("want a date, got a datetime; read as a datetime")
	}
	return t.UTC(), true
}

// date reads a date-only value.
func (d *decoder) date(text []byte, want timeWant) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, string(text))
	if err != nil {
		d.warnf("want %s, got %s; counted absent", want, quoteShort(text))
		return time.Time{}, false
	}
	if want == wantDatetime {
		d.warn("want a datetime, got a date; read as a date")
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, d.loc), true
}

// timePtr reads a time like timeValue, nil when there is none.
func (d *decoder) timePtr(v *node, want timeWant) *time.Time {
	t, ok := d.timeValue(v, want)
	if !ok {
		return nil
	}
	p := d.times.new()
	*p = t
	return p
}

// quoteShort quotes text for a warning, cut to a few dozen bytes.
func quoteShort(text []byte) string {
	const max = 40
	if len(text) <= max {
		return strconv.Quote(string(text))
	}
	n := max
	for n > 0 && !utf8.RuneStart(text[n]) {
		n--
	}
	return strconv.Quote(string(text[:n])) + "..."
}
