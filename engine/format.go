package engine

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rulebot/rulebot/pyrus"
)

// writeValue prints v the way a person writes it, for templates: numbers
// without exponents or binary noise, date-only times as dates, nil as
// nothing, lists joined with ", ", a person by name, a file by its name, a
// form link by its subject, a project by its name.
func writeValue(b *strings.Builder, v any, rs *RuleSet) {
	switch v := v.(type) {
	case nil:
	case string:
		b.WriteString(v)
	case bool:
		b.WriteString(strconv.FormatBool(v))
	case int:
		b.WriteString(strconv.Itoa(v))
	case int64:
		b.WriteString(strconv.FormatInt(v, 10))
	case float64:
		b.WriteString(formatNumber(v))
	case time.Time:
		b.WriteString(rs.formatTime(v))
	case *time.Time:
		if v != nil {
			b.WriteString(rs.formatTime(*v))
		}
	case time.Duration:
		b.WriteString(v.String())
	case *pyrus.Person:
		b.WriteString(personName(v))
	case *pyrus.Catalog:
		writeCatalog(b, v)
	case pyrus.File:
		b.WriteString(v.Name)
	case *pyrus.FormLink:
		writeFormLink(b, v)
	case *pyrus.ProjectList:
		if v != nil {
			writeOther(b, v.Projects, rs)
		}
	case pyrus.Project:
		b.WriteString(v.Name)
	case []string:
		b.WriteString(strings.Join(v, ", "))
	case map[string]any:
		writeMap(b, v, rs)
	default:
		writeOther(b, v, rs)
	}
}

// formatNumber prints f in plain decimal with at most 15 significant
// digits, so that sums such as 0.1+0.2 print as 0.3.
func formatNumber(f float64) string {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	rounded, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'g', 15, 64), 64)
	return strconv.FormatFloat(rounded, 'f', -1, 64)
}

// formatTime prints a date-only value as a date and any other time in
// RFC 3339 in the rules' timezone.
func (rs *RuleSet) formatTime(t time.Time) string {
	if t.Location() == rs.dateLocation {
		return t.Format(time.DateOnly)
	}
	return t.In(rs.location).Format(time.RFC3339)
}

// personName is "First Last", or the email for a person without a name.
func personName(p *pyrus.Person) string {
	if p == nil {
		return ""
	}
	name := strings.TrimSpace(p.FirstName + " " + p.LastName)
	if name == "" {
		return p.Email
	}
	return name
}

// writeCatalog prints the first column of each chosen row.
func writeCatalog(b *strings.Builder, c *pyrus.Catalog) {
	if c == nil {
		return
	}
	first := true
	for _, row := range c.Rows {
		if len(row) == 0 {
			continue
		}
		if !first {
			b.WriteString(", ")
		}
		b.WriteString(row[0])
		first = false
	}
	if first && len(c.Values) > 0 {
		b.WriteString(c.Values[0])
	}
}

// writeFormLink prints the linked task's subject, or the linked task ids
// when Pyrus sent no subject.
func writeFormLink(b *strings.Builder, l *pyrus.FormLink) {
	switch {
	case l == nil:
	case l.Subject != "":
		b.WriteString(l.Subject)
	default:
		for i, id := range l.TaskIDs {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(strconv.FormatInt(id, 10))
		}
	}
}

// writeMap prints a title's children or a table row as "key: value" pairs
// in key order.
func writeMap(b *strings.Builder, m map[string]any, rs *RuleSet) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(k)
		b.WriteString(": ")
		writeValue(b, m[k], rs)
	}
}

// writeOther prints lists element by element and anything else with fmt.
func writeOther(b *strings.Builder, v any, rs *RuleSet) {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		for i := range rv.Len() {
			if i > 0 {
				b.WriteString(", ")
			}
			writeValue(b, rv.Index(i).Interface(), rs)
		}
	case reflect.Pointer:
		if !rv.IsNil() {
			fmt.Fprint(b, rv.Elem().Interface())
		}
	default:
		fmt.Fprint(b, v)
	}
}
