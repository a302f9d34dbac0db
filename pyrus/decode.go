package pyrus

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// DecodeOptions tune DecodeWebhook and DecodeTask.
type DecodeOptions struct {
	// DateLocation is the location of date-only values (a field of type
	// date, a due_date, ...): they become midnight there. Nil means a
	// date-only UTC zone of this package, distinct from time.UTC.
	//
	// Callers tell date-only values apart by this pointer, and datetimes
	// are decoded in time.UTC: so do not pass time.UTC itself (which
	// time.LoadLocation("UTC") returns) unless that difference is not
	// needed.
	DateLocation *time.Location

	// NewestCommentOnly decodes only the newest comment of a task (the
	// last one in its list that is an object): Task.Comments then holds
	// that one alone. It is for callers that never read the older ones,
	// such as rules that do not mention task.comments; a webhook's
	// comments are often most of it. Warnings about values inside the
	// older comments are then not given.
	NewestCommentOnly bool

	// Fields, when not nil, names the only form fields of the task that
	// the caller reads: Task.Fields then holds just the fields it names,
	// each whole (a table with all its cells), and every title and
	// multiple choice, holding only the nested fields it names (none
	// when it names none), in their order. A lookup by name, code or id
	// finds the same field in them as in the whole list. Warnings about
	// the fields left out are not given. The fields of comments are
	// always decoded.
	Fields *FieldSet
}

// DateOnlyLocation returns the location that date-only values get:
// DateLocation, or the package's date-only UTC when that is nil.
func (o DecodeOptions) DateOnlyLocation() *time.Location {
	if o.DateLocation == nil {
		return dateOnlyUTC
	}
	return o.DateLocation
}

// ErrNotObject is the error, wrapped, for a body that is JSON but not a
// JSON object: an array, a string, a number, true, false or null.
var ErrNotObject = errors.New("body is not a JSON object")

// DecodeWebhook decodes the body Pyrus POSTs to a bot. It fails only when
// the body is not JSON or not a JSON object. Keys match ignoring ASCII case
// and underscores (protocol 3 sends "Task" and "TaskId", protocol 4 "task"
// and "task_id"); unknown keys are ignored, and a value of an unexpected
// type is read leniently where its meaning is clear, else counted absent,
// with a Warning either way. Webhook.Task is nil when the body holds none.
func DecodeWebhook(body []byte, opts DecodeOptions) (*Webhook, []Warning, error) {
	w := new(Webhook)
	warns, err := decodeBody(body, opts, func(d *decoder, o *node) {
		d.webhook(o, w)
	})
	if err != nil {
		return nil, nil, err
	}
	return w, warns, nil
}

// DecodeTask decodes a bare task object (TaskWithNotes), such as the "task"
// of a webhook or of GET /tasks/{id}, by the rules of DecodeWebhook.
func DecodeTask(body []byte, opts DecodeOptions) (*Task, []Warning, error) {
	t := new(Task)
	warns, err := decodeBody(body, opts, func(d *decoder, o *node) {
		d.taskObject(o, t)
	})
	if err != nil {
		return nil, nil, err
	}
	return t, warns, nil
}

// decodeBody parses body, hands its object to walk, and returns the
// warnings, or an error when body is not a JSON object.
func decodeBody(body []byte, opts DecodeOptions, walk func(*decoder, *node)) ([]Warning, error) {
	t := trees.Get().(*tree)
	defer t.release()
	if err := t.parse(body); err != nil {
		return unparsed(body)
	}
	o := &t.nodes[0]
	if o.kind != kindObject {
		return nil, fmt.Errorf("%w: got %s", ErrNotObject, o.kind)
	}
	d := newDecoder(t, opts)
	walk(d, o)
	t.lastBody, t.lastStrings = len(body), d.strBytes
	return d.warnings(), nil
}

// unparsed explains a body that did not parse: it is not JSON, or it is
// JSON nested deeper than maxDepth, which is read as an empty object with a
// warning.
func unparsed(body []byte) ([]Warning, error) {
	if err := syntaxError(body); err != nil {
		return nil, err
	}
	if k := firstKind(body); k != kindObject {
		return nil, fmt.Errorf("%w: got %s", ErrNotObject, k)
	}
	problem := fmt.Sprintf("body nests more than %d levels deep; not read", maxDepth)
	return []Warning{{Problem: problem}}, nil
}

// decoder walks one parsed body into the typed structs, collecting
// warnings. It lives for one call.
type decoder struct {
	// The slabs hand out the objects a task has many of, a few per
	// allocation.
	people   slab[Person]
	times    slab[time.Time]
	comments slab[Comment]

	t      *tree
	loc    *time.Location
	newest bool      // DecodeOptions.NewestCommentOnly
	wanted *FieldSet // DecodeOptions.Fields
	// only is the field set while the list being decoded is filtered by
	// it: the task's fields, and those nested in a title or multiple
	// choice that the set does not name itself.
	only    *FieldSet
	warns   []Warning
	dropped int
	key     [keyLen]byte
	text    []byte // the unescaped text of a string
	// strMem holds the text of the strings decoded, so that they share a
	// few allocations of strChunk bytes. A Builder only ever appends, and
	// String gives its bytes without a copy, so substrings of it stay
	// valid; a full Builder is replaced, never grown.
	strMem   strings.Builder
	strChunk int
	strBytes int // the text of all strings decoded, for tree.strChunk
	textBuf  [64]byte
}

// newDecoder returns a decoder for the parsed body t.
func newDecoder(t *tree, opts DecodeOptions) *decoder {
	d := &decoder{
		t: t, loc: opts.DateOnlyLocation(), newest: opts.NewestCommentOnly, wanted: opts.Fields,
		strChunk: t.strChunk(),
	}
	d.text = d.textBuf[:0]
	return d
}

// slab hands out pointers to zeroed values of T, allocated a chunk at a
// time, each chunk twice the last (up to maxSlabChunk), so that little is
// wasted on a small task. A chunk stays in memory while any of its values
// is used; all of them belong to the same body.
type slab[T any] struct {
	free  []T
	chunk int
}

// maxSlabChunk bounds the values a slab allocates at a time.
const maxSlabChunk = 16

// new returns a pointer to a zeroed T.
func (s *slab[T]) new() *T {
	if len(s.free) == 0 {
		s.chunk = min(max(2*s.chunk, 2), maxSlabChunk)
		s.free = make([]T, s.chunk)
	}
	p := &s.free[0]
	s.free = s.free[1:]
	return p
}

// member decodes a member of an object: it is given the normalized key
// and the value, and reports whether it knew the key.
type member func(key []byte, v *node) bool

// visit calls f for each member of the object o. A member that f does not
// know needs nothing more: the parser has checked it.
func (d *decoder) visit(o *node, f member) {
	for v := d.t.child(o, o.self+1); v != nil; v = d.t.child(o, v.next) {
		n := len(d.warns)
		f(d.normKey(d.t.memberKey(v)), v)
		if len(d.warns) > n {
			d.prefixKey(n, d.t.memberKey(v))
		}
	}
}

// object returns v when it is an object, else nil (with a warning unless v
// is null).
func (d *decoder) object(v *node) *node {
	if v.kind == kindObject {
		return v
	}
	if v.kind != kindNull {
		d.wrongType("an object", v.kind)
	}
	return nil
}

// array returns v when it is an array, else nil (with a warning unless v
// is null).
func (d *decoder) array(v *node) *node {
	if v.kind == kindArray {
		return v
	}
	if v.kind != kindNull {
		d.wrongType("an array", v.kind)
	}
	return nil
}

// list decodes each element of the array v with one and keeps those that
// one reports as present; an empty or absent list is nil.
func list[T any](d *decoder, v *node, one func(*node) (T, bool)) []T {
	a := d.array(v)
	if a == nil || a.count == 0 {
		return nil
	}
	var out []T // made at the first element kept
	i := 0
	for e := d.t.child(a, a.self+1); e != nil; e = d.t.child(a, e.next) {
		n := len(d.warns)
		if x, ok := one(e); ok {
			if out == nil {
				out = make([]T, 0, a.count-int32(i))
			}
			out = append(out, x)
		}
		if len(d.warns) > n {
			d.prefixIndex(n, i)
		}
		i++
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// ints reads an array of integers.
func (d *decoder) ints(v *node) []int64 { return list(d, v, d.intOK) }

// strs reads an array of strings, keeping every position: an element that
// is not a string is "".
func (d *decoder) strs(v *node) []string {
	return list(d, v, func(e *node) (string, bool) {
		return d.str(e), true
	})
}

// webhook decodes the top level of a webhook body.
func (d *decoder) webhook(o *node, w *Webhook) {
	d.visit(o, func(key []byte, v *node) bool {
		switch string(key) {
		case "event":
			w.Event = d.str(v)
		case "accesstoken":
			w.AccessToken = Token(d.str(v))
		case "taskid":
			w.TaskID = d.int(v)
		case "userid":
			w.UserID = d.int(v)
		case "botsettings":
			w.BotSettings = d.settings(v)
		case "task":
			w.Task = d.task(v)
		default:
			return false
		}
		return true
	})
}

// settings reads bot_settings, a string; an object or array sent instead
// is kept as its JSON text.
func (d *decoder) settings(v *node) string {
	if v.kind != kindObject && v.kind != kindArray {
		return d.str(v)
	}
	d.warnf("want a string, got %s; kept its JSON text", v.kind)
	d.text = appendCompact(d.text[:0], d.t.text(v))
	return d.copy(d.text)
}

// rawJSON returns a copy of v's JSON text, compacted.
func (d *decoder) rawJSON(v *node) json.RawMessage {
	return appendCompact(nil, d.t.text(v))
}
