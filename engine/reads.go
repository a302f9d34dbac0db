package engine

import (
	"slices"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"

	"github.com/rulebot/rulebot/pyrus"
)

// reads is what the expressions of a rules file may read of a task, so
// that webhooks are decoded no further than that (RuleSet.DecodeOptions).
//
// It is worked out from each expression's tree as parsed, before expr's
// optimizer folds calls such as map(filter(...)) into nodes that ast.Walk
// does not enter. Whatever it cannot tell counts as reading everything.
type reads struct {
	// comments is set when an expression may read the older comments: it
	// names task.comments, uses $env, uses the task as a whole
	// (toJSON(task)), or picks a member of the task by a computed name.
	comments bool
	// allFields is set on the same grounds for the form fields (a member
	// named "fields"), and when field() is given anything but a constant.
	allFields bool
	// keys and ids are the constant arguments of field().
	keys []string
	ids  []int64
}

// add takes in what the expression src may read.
func (r *reads) add(src string) {
	if r.comments && r.allFields {
		return
	}
	var w readsWalker
	if !w.walk(src) {
		r.comments, r.allFields = true, true
		return
	}
	r.comments = r.comments || w.comments || w.env || w.tasks > w.members
	r.allFields = r.allFields || w.fields || w.env || w.tasks > w.members || w.fieldNames > w.fieldCalls
	r.keys = append(r.keys, w.keys...)
	r.ids = append(r.ids, w.ids...)
}

// fieldSet is the set of the fields the expressions read; nil when they
// may read any.
func (r *reads) fieldSet() *pyrus.FieldSet {
	if r.allFields {
		return nil
	}
	return pyrus.NewFieldSet(slices.Compact(slices.Sorted(slices.Values(r.keys))), r.ids)
}

// readsWalker counts, over one expression, what reads needs.
type readsWalker struct {
	comments bool // a member named "comments"
	fields   bool // a member named "fields"
	env      bool // the identifier $env
	tasks    int  // the identifier task
	members  int  // members of task picked by a constant name

	fieldNames int // the identifier field
	fieldCalls int // calls of field with a constant argument
	keys       []string
	ids        []int64
}

// walk parses src and visits its tree; false when src does not parse or
// the walk fails.
func (w *readsWalker) walk(src string) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	tree, err := parser.Parse(src)
	if err != nil {
		return false
	}
	ast.Walk(&tree.Node, w)
	return true
}

func (w *readsWalker) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.IdentifierNode:
		switch n.Value {
		case "task":
			w.tasks++
		case "$env":
			w.env = true
		case "field":
			w.fieldNames++
		}
	case *ast.MemberNode:
		name, constant := n.Property.(*ast.StringNode)
		if constant && name.Value == "comments" {
			w.comments = true
		}
		if constant && name.Value == "fields" {
			w.fields = true
		}
		if id, ok := n.Node.(*ast.IdentifierNode); ok && constant && id.Value == "task" {
			w.members++
		}
	case *ast.CallNode:
		w.fieldCall(n)
	}
}

// fieldCall notes the key of field("Total"), field(123) or field(123.0).
// A constant float that is not integral finds no field, so it adds no key
// but counts; an argument that is not a constant leaves the call
// uncounted, so that the identifier field outnumbers the constant calls
// and every field is decoded.
func (w *readsWalker) fieldCall(n *ast.CallNode) {
	callee, ok := n.Callee.(*ast.IdentifierNode)
	if !ok || callee.Value != "field" || len(n.Arguments) != 1 {
		return
	}
	switch arg := n.Arguments[0].(type) {
	case *ast.StringNode:
		w.keys = append(w.keys, arg.Value)
	case *ast.IntegerNode:
		w.ids = append(w.ids, int64(arg.Value))
	case *ast.FloatNode:
		// As fieldIndex.find reads a float: an id when it is integral.
		if arg.Value == float64(int64(arg.Value)) {
			w.ids = append(w.ids, int64(arg.Value))
		}
	default:
		return
	}
	w.fieldCalls++
}
