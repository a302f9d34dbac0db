package pyrus

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/valyala/fastjson"
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
}

// DateOnlyLocation returns the location that date-only values get:
// DateLocation, or the package's date-only UTC when that is nil.
func (o DecodeOptions) DateOnlyLocation() *time.Location {
	if o.DateLocation == nil {
		return dateOnlyUTC
	}
	return o.DateLocation
}

// DecodeWebhook decodes the body Pyrus POSTs to a bot. It fails only when
// the body is not JSON or not a JSON object. Keys match ignoring ASCII case
// and underscores (protocol 3 sends "Task" and "TaskId", protocol 4 "task"
// and "task_id"); unknown keys are ignored, and a value of an unexpected
// type is read leniently where its meaning is clear, else counted absent,
// with a Warning either way. Webhook.Task is nil when the body holds none.
func DecodeWebhook(body []byte, opts DecodeOptions) (*Webhook, []Warning, error) {
	w := new(Webhook)
	warns, err := decodeBody(body, opts, func(d *decoder, o *fastjson.Object) {
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
	warns, err := decodeBody(body, opts, func(d *decoder, o *fastjson.Object) {
		d.taskObject(o, t)
	})
	if err != nil {
		return nil, nil, err
	}
	return t, warns, nil
}

// parsers are reused across requests. Nothing the decoder returns points
// into a parser's memory: every string is copied out before the parser goes
// back to the pool.
var parsers fastjson.ParserPool

// maxPooledBody is the largest body whose parser goes back to the pool, so
// that one huge body does not keep its memory alive in the pool.
const maxPooledBody = 1 << 20

// decodeBody parses body, hands its object to walk, and returns the
// warnings, or an error when body is not a JSON object.
func decodeBody(
	body []byte,
	opts DecodeOptions,
	walk func(*decoder, *fastjson.Object),
) ([]Warning, error) {
	p := parsers.Get()
	if len(body) <= maxPooledBody {
		defer parsers.Put(p)
	}
	v, err := p.ParseBytes(body)
	if err != nil {
		return unparsed(body)
	}
	o := v.GetObject()
	if o == nil {
		return nil, notObject(body)
	}
	d := newDecoder(opts, len(body))
	walk(d, o)
	if d.recheck {
		if err := syntaxError(body); err != nil {
			return nil, err
		}
	}
	return d.warnings(), nil
}

// unparsed explains a body that fastjson could not parse: it is not JSON,
// or it is JSON nested deeper than fastjson allows, which is read as an
// empty object with a warning.
func unparsed(body []byte) ([]Warning, error) {
	if err := syntaxError(body); err != nil {
		return nil, err
	}
	if k := firstKind(body); k != kindObject {
		return nil, fmt.Errorf("body is not a JSON object: got %s", k)
	}
	problem := fmt.Sprintf("body nests more than %d levels deep; not read", fastjson.MaxDepth)
	return []Warning{{Problem: problem}}, nil
}

// notObject returns the error for a body that parsed but is not an object.
func notObject(body []byte) error {
	if err := syntaxError(body); err != nil {
		return err
	}
	return fmt.Errorf("body is not a JSON object: got %s", firstKind(body))
}

// decoder walks one parsed body into the typed structs, collecting
// warnings. It lives for one call.
type decoder struct {
	// The slabs hand out the objects a task has many of, a few per
	// allocation.
	people   slab[Person]
	times    slab[time.Time]
	comments slab[Comment]

	loc     *time.Location
	warns   []Warning
	dropped int
	key     [keyLen]byte
	raw     []byte // the JSON text of the scalar being read
	text    []byte // the unescaped text of a string
	// strMem holds the text of the strings decoded, so that they share a
	// few allocations of strChunk bytes. A Builder only ever appends, and
	// String gives its bytes without a copy, so substrings of it stay
	// valid; a full Builder is replaced, never grown.
	strMem   strings.Builder
	strChunk int
	// recheck is set when a token breaks the JSON grammar, or a key is
	// one whose text as sent cannot be told from fastjson's unescaping of
	// it (see visit): encoding/json then judges the whole body.
	recheck bool
	rawBuf  [64]byte
	textBuf [64]byte
}

// newDecoder returns a decoder for a body of n bytes.
func newDecoder(opts DecodeOptions, n int) *decoder {
	d := &decoder{loc: opts.DateOnlyLocation(), strChunk: max(n/4, 256)}
	d.raw, d.text = d.rawBuf[:0], d.textBuf[:0]
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
type member func(key []byte, v *fastjson.Value) bool

// visit calls f for each member of o; the value of a member that f does not
// know is only checked.
func (d *decoder) visit(o *fastjson.Object, f member) {
	o.Visit(func(k []byte, v *fastjson.Value) {
		n := len(d.warns)
		if !f(d.normKey(k), v) {
			d.skip(v)
		}
		if len(d.warns) > n {
			d.prefixKey(n, k)
		}
	})
}

// skip checks the tokens of a value that is not decoded.
func (d *decoder) skip(v *fastjson.Value) {
	if o := v.GetObject(); o != nil {
		o.Visit(func(k []byte, v *fastjson.Value) {
			d.checkKey(k)
			d.skip(v)
		})
		return
	}
	for _, e := range v.GetArray() {
		d.skip(e)
	}
	switch k, raw := d.peek(v); k {
	case kindString:
		d.unquote(raw)
	case kindNumber:
		d.checkNumber(raw)
	}
}

// absent warns that v has the wrong type and so counts as absent, and
// checks its tokens.
func (d *decoder) absent(v *fastjson.Value, want string, got kind) {
	d.wrongType(want, got)
	d.skip(v)
}

// object returns v's object, or nil (with a warning unless v is null).
func (d *decoder) object(v *fastjson.Value) *fastjson.Object {
	if o := v.GetObject(); o != nil {
		return o
	}
	if k, _ := d.peek(v); k != kindNull {
		d.absent(v, "an object", k)
	}
	return nil
}

// array returns v's elements, or nil (with a warning unless v is null).
func (d *decoder) array(v *fastjson.Value) []*fastjson.Value {
	if a := v.GetArray(); a != nil {
		return a
	}
	if k, _ := d.peek(v); k != kindNull && k != kindArray {
		d.absent(v, "an array", k)
	}
	return nil
}

// list decodes each element of the array v with one and keeps those that
// one reports as present; an empty or absent list is nil.
func list[T any](d *decoder, v *fastjson.Value, one func(*fastjson.Value) (T, bool)) []T {
	a := d.array(v)
	if len(a) == 0 {
		return nil
	}
	out := make([]T, 0, len(a))
	for i, e := range a {
		n := len(d.warns)
		if x, ok := one(e); ok {
			out = append(out, x)
		}
		if len(d.warns) > n {
			d.prefixIndex(n, i)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// ints reads an array of integers.
func (d *decoder) ints(v *fastjson.Value) []int64 { return list(d, v, d.intOK) }

// strs reads an array of strings, keeping every position: an element that
// is not a string is "".
func (d *decoder) strs(v *fastjson.Value) []string {
	return list(d, v, func(e *fastjson.Value) (string, bool) {
		return d.str(e), true
	})
}

// webhook decodes the top level of a webhook body.
func (d *decoder) webhook(o *fastjson.Object, w *Webhook) {
	d.visit(o, func(key []byte, v *fastjson.Value) bool {
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
func (d *decoder) settings(v *fastjson.Value) string {
	k, _ := d.peek(v)
	if k != kindObject && k != kindArray {
		return d.str(v)
	}
	d.warnf("want a string, got %s; kept its JSON text", k)
	text := d.copy(v.MarshalTo(d.raw[:0]))
	d.skip(v)
	return text
}

// rawJSON returns a copy of v's JSON text, compacted.
func (d *decoder) rawJSON(v *fastjson.Value) json.RawMessage {
	// Take the text before skip visits the value: fastjson unescapes the
	// keys of a visited object in place and would then write them with Go
	// escapes, which are not JSON.
	text := v.MarshalTo(nil)
	d.skip(v)
	return text
}
