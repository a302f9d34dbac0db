package engine

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/rulebot/rulebot/internal/yamldoc"
)

// rules reads every rule of the list, compiling what it can even after a
// mistake so that one pass finds them all.
func (l *loader) rules(list *yaml.Node) []*Rule {
	rules := make([]*Rule, 0, len(list.Content))
	names := make(map[string]int)
	for i, n := range list.Content {
		n = yamldoc.Resolve(n)
		l.rule = fmt.Sprintf("#%d", i+1)
		if n.Kind != yaml.MappingNode {
			l.errorf(n, "a rule must be a mapping with name, when and then")
			continue
		}
		r := l.ruleAt(n, names)
		if r != nil {
			rules = append(rules, r)
		}
	}
	l.rule = ""
	return rules
}

// ruleAt reads one rule; nil when it has a mistake.
func (l *loader) ruleAt(n *yaml.Node, names map[string]int) *Rule {
	errs := len(l.errs)
	r := &Rule{Line: n.Line}

	// The name comes first so that every other message can carry it.
	if name := yamldoc.Present(yamldoc.Lookup(n, "name")); name == nil {
		l.errorf(n, "missing %q", "name")
	} else {
		r.Name = l.ruleName(name, names)
	}
	keys := l.mapping(n, ruleKeys, "key", " in a rule")
	if d := yamldoc.Present(keys["description"]); d != nil {
		r.Description, _ = l.scalar(d, "description")
	}
	r.Stop = l.flag(keys["stop"], "stop", false)
	r.Enabled = l.flag(keys["enabled"], "enabled", true)

	switch when := keys["when"]; {
	case when == nil:
		l.errorf(n, "missing %q: a rule needs a condition", "when")
	case yamldoc.Present(when) == nil:
		l.errorf(when, "%q is empty: a rule needs a condition", "when")
	default:
		if src, ok := l.scalar(when, "when"); ok {
			r.when = l.comp.condition(l, when, src)
		}
	}

	switch then := keys["then"]; {
	case then == nil:
		l.errorf(n, "missing %q: a rule needs at least one action", "then")
	case yamldoc.Present(then) == nil:
		l.errorf(then, "%q is empty: a rule needs at least one action", "then")
	default:
		r.actions = l.actions(then)
	}

	if len(l.errs) > errs {
		return nil
	}
	return r
}

// ruleName reads a rule's name, which must be unique in the file; names
// maps each name seen so far to its line.
func (l *loader) ruleName(n *yaml.Node, names map[string]int) string {
	name, ok := l.scalar(n, "name")
	switch {
	case !ok:
		return ""
	case strings.TrimSpace(name) == "":
		l.errorf(n, "%q is empty: a rule needs a unique name", "name")
		return ""
	}
	l.rule = name
	if first, dup := names[name]; dup {
		l.errorf(n, "duplicate rule name (first at line %d)", first)
	} else {
		names[name] = n.Line
	}
	return name
}
