package engine

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// rules reads every rule of the list, compiling what it can even after a
// mistake so that one pass finds them all.
func (l *loader) rules(list *yaml.Node) []*Rule {
	rules := make([]*Rule, 0, len(list.Content))
	names := make(map[string]int)
	for i, n := range list.Content {
		n = resolve(n)
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
	if name := present(lookup(n, "name")); name == nil {
		l.errorf(n, "missing %q", "name")
	} else {
		r.Name = l.ruleName(name, names)
	}
	keys := l.mapping(n, ruleKeys, "key", " in a rule")
	if d := present(keys["description"]); d != nil {
		r.Description, _ = l.scalar(d, "description")
	}
	r.Stop = l.flag(keys["stop"], "stop", false)
	r.Enabled = l.flag(keys["enabled"], "enabled", true)

	switch when := keys["when"]; {
	case when == nil:
		l.errorf(n, "missing %q: a rule needs a condition", "when")
	case present(when) == nil:
		l.errorf(when, "%q is empty: a rule needs a condition", "when")
	default:
		if src, ok := l.scalar(when, "when"); ok {
			r.when = l.comp.condition(l, when, src)
		}
	}

	switch then := keys["then"]; {
	case then == nil:
		l.errorf(n, "missing %q: a rule needs at least one action", "then")
	case present(then) == nil:
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

// present returns n unless it is missing or an empty (null) value.
func present(n *yaml.Node) *yaml.Node {
	if n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null") {
		return nil
	}
	return n
}

// lookup returns the value of the first key of a mapping node, or nil.
func lookup(n *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return resolve(n.Content[i+1])
		}
	}
	return nil
}
