package pyrus

import (
	"slices"
	"strings"
)

// knownTypes maps a field type normalized like a key ("duedatetime") to
// its constant, so that "DueDateTime" and "due_date_time" are one type.
var knownTypes = func() map[string]FieldType {
	m := make(map[string]FieldType)
	for _, t := range []FieldType{
		TypeText, TypeMoney, TypeNumber, TypeDate, TypeTime, TypeCheckmark,
		TypeFlag, TypeDueDate, TypeDueDateTime, TypeEmail, TypePhone,
		TypeMultiple, TypeCatalog, TypePerson, TypeAuthor, TypeFile,
		TypeTitle, TypeTable, TypeFormLink, TypeProject, TypeStep,
		TypeStatus, TypeNote, TypeCreationDate,
	} {
		m[strings.ReplaceAll(t, "_", "")] = t
	}
	return m
}()

// fields decodes an array of form fields. While a field set filters it,
// the fields kept are gathered first, since most are usually left out:
// the list then takes the memory of those alone.
func (d *decoder) fields(v *node) []FormField {
	if d.only == nil {
		return list(d, v, d.field)
	}
	base := len(d.t.kept)
	list(d, v, func(e *node) (FormField, bool) {
		if f, ok := d.field(e); ok {
			d.t.kept = append(d.t.kept, f)
		}
		return FormField{}, false
	})
	kept := d.t.kept[base:]
	if len(kept) == 0 {
		return nil
	}
	out := slices.Clone(kept)
	clear(kept)
	d.t.kept = d.t.kept[:base]
	return out
}

// field decodes one form field. Its value is decoded last, by its type,
// since "type" may come after "value" in the object.
//
// While a field set filters the list (d.only), a field it does not name
// is left out, warnings and all, unless it is a title or a multiple
// choice: those are kept for the fields nested in them, which the set
// filters in turn. A field it names is decoded whole.
func (d *decoder) field(v *node) (FormField, bool) {
	only := d.only
	d.only = nil // a field's own members (its info) are never filtered
	defer func() { d.only = only }()
	warns, dropped := len(d.warns), d.dropped

	var f FormField
	o := d.object(v)
	if o == nil {
		return f, false
	}
	var value *node
	for v := d.t.child(o, o.self+1); v != nil; v = d.t.child(o, v.next) {
		key := d.normKey(d.t.memberKey(v))
		if string(key) == "value" {
			value = v
			continue
		}
		n := len(d.warns)
		d.fieldMember(&f, key, v)
		if len(d.warns) > n {
			d.prefixKey(n, d.t.memberKey(v))
		}
	}
	if only != nil && !only.Has(&f) {
		if f.Type != TypeTitle && f.Type != TypeMultiple {
			d.warns, d.dropped = d.warns[:warns], dropped
			return f, false
		}
		d.only = only
	}
	if value != nil {
		n := len(d.warns)
		f.Value = d.fieldValue(f.Type, value)
		if len(d.warns) > n {
			d.prefixKey(n, d.t.memberKey(value))
		}
	}
	return f, true
}

// fieldMember decodes a member of a field object other than its value; it
// reports whether it knew the key.
func (d *decoder) fieldMember(f *FormField, key []byte, v *node) bool {
	switch string(key) {
	case "id":
		f.ID = d.int(v)
	case "type":
		f.Type = d.fieldType(v)
	case "name":
		f.Name = d.str(v)
	case "code":
		f.Code = d.str(v)
	case "info":
		f.Info = d.fieldInfo(v)
	case "parentid":
		f.ParentID = d.int(v)
	case "rowid":
		f.RowID = d.int(v)
	case "duration":
		f.Duration = d.int(v)
	default:
		return false
	}
	return true
}

// fieldType reads a field's type; a known type in another spelling
// ("DueDateTime") becomes its constant, an unknown one is kept as sent.
func (d *decoder) fieldType(v *node) FieldType {
	if v.kind != kindString {
		if v.kind != kindNull {
			d.wrongType("a string", v.kind)
		}
		return ""
	}
	text := d.textOf(v)
	if t, ok := knownTypes[string(d.normKey(text))]; ok {
		return t
	}
	return d.copy(text)
}

// fieldValue decodes a field's value into the Go type that FormField.Value
// documents for typ; nil when it is absent or of the wrong shape.
func (d *decoder) fieldValue(typ FieldType, v *node) any {
	switch typ {
	case TypeText, TypeEmail, TypePhone, TypeNote, TypeTime, TypeFlag,
		TypeStatus, TypeCheckmark:
		return some(d.strOK(v))
	case TypeMoney, TypeNumber:
		return some(d.float(v))
	case TypeDate, TypeDueDate:
		return some(d.timeValue(v, wantDate))
	case TypeDueDateTime:
		return some(d.timeValue(v, wantDatetime))
	case TypeCreationDate:
		return some(d.timeValue(v, wantEither))
	case TypeStep:
		return some(d.intOK(v))
	}
	return d.compositeValue(typ, v)
}

// compositeValue decodes the values that are objects or arrays, and keeps
// the value of an unknown type as its raw JSON.
func (d *decoder) compositeValue(typ FieldType, v *node) any {
	switch typ {
	case TypeMultiple:
		return some(d.multipleChoice(v))
	case TypeCatalog:
		return some(d.catalog(v))
	case TypePerson, TypeAuthor:
		return some(d.personOK(v))
	case TypeFile:
		files := d.files(v)
		return some(files, files != nil)
	case TypeTitle:
		return some(d.title(v))
	case TypeTable:
		rows := list(d, v, d.tableRow)
		return some(rows, rows != nil)
	case TypeFormLink:
		return some(d.formLink(v))
	case TypeProject:
		return some(d.projectList(v))
	}
	if raw := d.rawJSON(v); string(raw) != "null" {
		return raw
	}
	return nil
}

// some boxes x when ok, and gives an untyped nil otherwise: a nil *Person
// in an interface would not be nil.
func some[T any](x T, ok bool) any {
	if !ok {
		return nil
	}
	return x
}

// multipleChoice decodes the chosen options and their child fields.
func (d *decoder) multipleChoice(v *node) (*MultipleChoice, bool) {
	o := d.object(v)
	if o == nil {
		return nil, false
	}
	m := new(MultipleChoice)
	d.visit(o, func(key []byte, v *node) bool {
		switch string(key) {
		case "choiceid":
			m.ChoiceID = d.int(v)
		case "choiceids":
			m.ChoiceIDs = d.ints(v)
		case "choicenames":
			m.ChoiceNames = d.strs(v)
		case "fields":
			m.Fields = d.fields(v)
		default:
			return false
		}
		return true
	})
	return m, true
}

// catalog decodes the chosen catalog items and their rows.
func (d *decoder) catalog(v *node) (*Catalog, bool) {
	o := d.object(v)
	if o == nil {
		return nil, false
	}
	c := new(Catalog)
	d.visit(o, func(key []byte, v *node) bool {
		switch string(key) {
		case "itemid":
			c.ItemID = d.int(v)
		case "itemids":
			c.ItemIDs = d.ints(v)
		case "headers":
			c.Headers = d.strs(v)
		case "values":
			c.Values = d.strs(v)
		case "rows":
			c.Rows = list(d, v, func(row *node) ([]string, bool) {
				return d.strs(row), true
			})
		default:
			return false
		}
		return true
	})
	return c, true
}

// title decodes a title's checkmark and child fields.
func (d *decoder) title(v *node) (*Title, bool) {
	o := d.object(v)
	if o == nil {
		return nil, false
	}
	t := new(Title)
	d.visit(o, func(key []byte, v *node) bool {
		switch string(key) {
		case "checkmark":
			t.Checkmark = d.str(v)
		case "fields":
			t.Fields = d.fields(v)
		default:
			return false
		}
		return true
	})
	return t, true
}

// tableRow decodes one row of a table and its cells.
func (d *decoder) tableRow(v *node) (TableRow, bool) {
	var r TableRow
	o := d.object(v)
	if o == nil {
		return r, false
	}
	d.visit(o, func(key []byte, v *node) bool {
		switch string(key) {
		case "rowid":
			r.RowID = d.int(v)
		case "cells":
			r.Cells = d.fields(v)
		case "deleted":
			r.Deleted = d.bool(v)
		case "position":
			r.Position = d.int(v)
		default:
			return false
		}
		return true
	})
	return r, true
}

// formLink decodes the tasks a form_link field links to.
func (d *decoder) formLink(v *node) (*FormLink, bool) {
	o := d.object(v)
	if o == nil {
		return nil, false
	}
	l := new(FormLink)
	d.visit(o, func(key []byte, v *node) bool {
		switch string(key) {
		case "taskid":
			l.TaskID = d.int(v)
		case "taskids":
			l.TaskIDs = d.ints(v)
		case "subject":
			l.Subject = d.str(v)
		default:
			return false
		}
		return true
	})
	return l, true
}

// projectList decodes the value of a project field.
func (d *decoder) projectList(v *node) (*ProjectList, bool) {
	o := d.object(v)
	if o == nil {
		return nil, false
	}
	l := new(ProjectList)
	d.visit(o, func(key []byte, v *node) bool {
		if string(key) != "projects" {
			return false
		}
		l.Projects = list(d, v, d.project)
		return true
	})
	return l, true
}

// project decodes one project and, recursively, its parents.
func (d *decoder) project(v *node) (Project, bool) {
	var p Project
	o := d.object(v)
	if o == nil {
		return p, false
	}
	d.visit(o, func(key []byte, v *node) bool {
		switch string(key) {
		case "id":
			p.ID = d.int(v)
		case "name":
			p.Name = d.str(v)
		case "parent":
			if parent, ok := d.project(v); ok {
				p.Parent = &parent
			}
		default:
			return false
		}
		return true
	})
	return p, true
}
