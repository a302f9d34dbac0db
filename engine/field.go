package engine

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/rulebot/rulebot/pyrus"
)

// fieldIndex answers field(key) for one task. It is built on the first
// call, since many rules never call field(), and it converts each field's
// value once, however many rules read it.
type fieldIndex struct {
	task  *pyrus.Task
	rules *RuleSet

	built  bool
	flat   []*pyrus.FormField // top-level fields first, then nested ones
	byName map[string]int     // names and codes; the first field wins
	values []any
	done   []bool
}

// lookup is field(key): key is a name or code (a string) or an id (a
// number). It is nil when no such field has a value.
func (x *fieldIndex) lookup(key any) any {
	if !x.built {
		x.build()
	}
	i := x.find(key)
	if i < 0 {
		return nil
	}
	if !x.done[i] {
		x.values[i] = x.rules.fieldValue(x.flat[i])
		x.done[i] = true
	}
	return x.values[i]
}

func (x *fieldIndex) find(key any) int {
	switch k := key.(type) {
	case string:
		if i, ok := x.byName[k]; ok {
			return i
		}
	case int:
		return x.findID(int64(k))
	case int64:
		return x.findID(k)
	case float64:
		if k == float64(int64(k)) {
			return x.findID(int64(k))
		}
	}
	return -1
}

func (x *fieldIndex) findID(id int64) int {
	for i, f := range x.flat {
		if f.ID == id {
			return i
		}
	}
	return -1
}

// build lists the task's fields: top-level ones first, then the children
// of titles and chosen options, in document order. Table cells are left
// out: they are read through their table.
func (x *fieldIndex) build() {
	x.built = true
	if x.task == nil {
		return
	}
	for i := range x.task.Fields {
		x.flat = append(x.flat, &x.task.Fields[i])
	}
	for i := range x.task.Fields {
		x.flat = appendNested(x.flat, &x.task.Fields[i])
	}

	if x.byName == nil {
		x.byName = make(map[string]int, 2*len(x.flat))
	}
	for i := len(x.flat) - 1; i >= 0; i-- {
		f := x.flat[i]
		if f.Code != "" {
			x.byName[f.Code] = i
		}
		if f.Name != "" {
			x.byName[f.Name] = i
		}
	}
	if n := len(x.flat); cap(x.values) >= n {
		x.values, x.done = x.values[:n], x.done[:n] // zeroed by release
	} else {
		x.values, x.done = make([]any, n), make([]bool, n)
	}
}

// maxKeptFields bounds the fields whose index memory is kept for the next
// task, so that one huge form does not keep its memory alive in the pool.
const maxKeptFields = 1024

// release forgets the task, so that nothing of it stays reachable, and
// reports whether the memory is small enough to keep for the next one.
func (x *fieldIndex) release() bool {
	keep := len(x.flat) <= maxKeptFields
	clear(x.flat)
	clear(x.values)
	clear(x.done)
	clear(x.byName)
	*x = fieldIndex{flat: x.flat[:0], byName: x.byName, values: x.values[:0], done: x.done[:0]}
	return keep
}

// appendNested appends the fields nested in f, depth first.
func appendNested(flat []*pyrus.FormField, f *pyrus.FormField) []*pyrus.FormField {
	var children []pyrus.FormField
	switch v := f.Value.(type) {
	case *pyrus.Title:
		children = v.Fields
	case *pyrus.MultipleChoice:
		children = v.Fields
	default:
		return flat
	}
	for i := range children {
		flat = append(flat, &children[i])
		flat = appendNested(flat, &children[i])
	}
	return flat
}

// fieldValue converts a field's value to what rules see (SPEC 2.1): nil for
// an empty value, numbers as float64, a checkmark as a bool, a multiple
// choice as its chosen names, a table as rows of column name to value.
func (rs *RuleSet) fieldValue(f *pyrus.FormField) any {
	switch v := f.Value.(type) {
	case nil:
		if f.Type == pyrus.TypeCheckmark {
			return false
		}
		return nil
	case string:
		return rs.stringValue(f.Type, v)
	case time.Time:
		if v.Location() == rs.dateLocation {
			return v
		}
		return v.In(rs.location)
	case *pyrus.MultipleChoice:
		return emptyAsNil(v.ChoiceNames)
	case []pyrus.TableRow:
		return rs.tableValue(v)
	case *pyrus.Title:
		return rs.titleValue(v)
	case []pyrus.File:
		return emptyAsNil(v)
	case *pyrus.Person:
		return nilIfNil(v)
	case *pyrus.Catalog:
		if v == nil || len(v.ItemIDs) == 0 && len(v.Rows) == 0 && len(v.Values) == 0 {
			return nil
		}
		return v
	case *pyrus.FormLink:
		return nilIfNil(v)
	case *pyrus.ProjectList:
		return nilIfNil(v)
	case json.RawMessage:
		var out any
		if json.Unmarshal(v, &out) != nil {
			return nil
		}
		return out
	default:
		return v
	}
}

func (rs *RuleSet) stringValue(typ pyrus.FieldType, v string) any {
	if typ == pyrus.TypeCheckmark {
		return strings.EqualFold(v, "checked")
	}
	if v == "" {
		return nil
	}
	return v
}

func emptyAsNil[T any](list []T) any {
	if len(list) == 0 {
		return nil
	}
	return list
}

// tableValue gives the rows that were not deleted, each a map from column
// name to cell value.
func (rs *RuleSet) tableValue(rows []pyrus.TableRow) any {
	out := make([]any, 0, len(rows))
	for _, row := range rows {
		if row.Deleted {
			continue
		}
		m := make(map[string]any, len(row.Cells))
		for i := range row.Cells {
			m[row.Cells[i].Name] = rs.fieldValue(&row.Cells[i])
		}
		out = append(out, m)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// titleValue maps each child's name to its value.
func (rs *RuleSet) titleValue(t *pyrus.Title) any {
	m := make(map[string]any, len(t.Fields))
	for i := range t.Fields {
		m[t.Fields[i].Name] = rs.fieldValue(&t.Fields[i])
	}
	return m
}

// nilIfNil keeps a nil pointer from becoming a non-nil interface value,
// which rules could not test with == nil.
func nilIfNil[T any](p *T) any {
	if p == nil {
		return nil
	}
	return p
}
