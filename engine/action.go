package engine

import (
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/rulebot/rulebot/pyrus"

	"github.com/rulebot/rulebot/internal/yamldoc"
)

// actionKind is one key that a rule's then may hold. The actions and the
// way each combines across matching rules are this table: a new action is
// a new row.
type actionKind struct {
	key   string
	index int // in actionKinds
	// compile reads the action's YAML value; nil after reporting a mistake.
	compile func(c *compiler, l *loader, n *yaml.Node) valueFunc
	// combine adds the value of a matching rule to the response. When an
	// earlier rule already set a different value, that one is kept and
	// returned with overridden true.
	combine func(d *draft, v any) (kept any, overridden bool)
}

// draft is the response while the matching rules add to it. Comments are
// kept apart and joined once at the end, however many rules match.
type draft struct {
	pyrus.CommentRequest
	comments []string
}

// response finishes the draft.
func (d *draft) response() pyrus.CommentRequest {
	d.Text = strings.Join(d.comments, "\n\n")
	return d.CommentRequest
}

// valueFunc gives an action's value for one task.
type valueFunc func(ev *evaluation) (any, error)

// action is one compiled entry of a rule's then.
type action struct {
	kind  *actionKind
	value valueFunc
}

var actionKinds = []*actionKind{
	{key: "comment", compile: compileComment, combine: joinComments},
	{key: "approval", compile: compileApproval, combine: earliestWins(
		func(r *draft) any { return nonEmpty(r.ApprovalChoice) },
		func(r *draft, v any) { r.ApprovalChoice = v.(string) },
	)},
	{key: "reassign", compile: compileReassign, combine: earliestWins(
		func(r *draft) any {
			if r.ReassignTo == nil {
				return nil
			}
			return *r.ReassignTo
		},
		func(r *draft, v any) {
			p := v.(pyrus.PersonIdentity)
			r.ReassignTo = &p
		},
	)},
}

func init() {
	for i, k := range actionKinds {
		k.index = i
	}
}

func actionKeys() []string {
	keys := make([]string, len(actionKinds))
	for i, k := range actionKinds {
		keys[i] = k.key
	}
	return keys
}

func kindOf(key string) *actionKind {
	i := slices.IndexFunc(actionKinds, func(k *actionKind) bool { return k.key == key })
	if i < 0 {
		return nil
	}
	return actionKinds[i]
}

// actions reads a rule's then, in file order.
func (l *loader) actions(then *yaml.Node) []action {
	if then.Kind != yaml.MappingNode {
		l.errorf(then, "%q must be a mapping of actions, such as comment: or approval:", "then")
		return nil
	}
	if len(then.Content) == 0 {
		l.errorf(then, "%q is empty: a rule needs at least one action", "then")
		return nil
	}

	values := l.mapping(then, actionKeys(), "action", "")
	var out []action
	for i := 0; i+1 < len(then.Content); i += 2 {
		key := then.Content[i].Value
		n, ok := values[key]
		if !ok || n != yamldoc.Resolve(then.Content[i+1]) {
			continue // unknown or duplicate: reported by mapping
		}
		if yamldoc.Present(n) == nil {
			l.errorf(then.Content[i], "action %q has no value (write text in quotes"+
				" if you mean the word %q)", key, n.Value)
			continue
		}
		kind := kindOf(key)
		if value := kind.compile(l.comp, l, n); value != nil {
			out = append(out, action{kind: kind, value: value})
		}
	}
	return out
}

func constant(v any) valueFunc {
	return func(*evaluation) (any, error) { return v, nil }
}

func nonEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func compileComment(c *compiler, l *loader, n *yaml.Node) valueFunc {
	src, ok := l.scalar(n, "comment")
	if !ok {
		return nil
	}
	t := c.template(l, n, src)
	if t == nil {
		return nil
	}
	return func(ev *evaluation) (any, error) { return t.render(ev) }
}

// joinComments collects the comments of all matching rules, in order; a
// comment that rendered empty is left out.
func joinComments(d *draft, v any) (any, bool) {
	if text := v.(string); text != "" {
		d.comments = append(d.comments, text)
	}
	return nil, false
}

// earliestWins combines a single-valued action: the first matching rule's
// value stands.
func earliestWins(
	get func(*draft) any,
	set func(*draft, any),
) func(*draft, any) (any, bool) {
	return func(r *draft, v any) (any, bool) {
		kept := get(r)
		if kept == nil {
			set(r, v)
			return nil, false
		}
		return kept, kept != v
	}
}

var approvalChoices = []string{"approved", "rejected", "acknowledged", "revoked"}

func compileApproval(_ *compiler, l *loader, n *yaml.Node) valueFunc {
	v, ok := l.scalar(n, "approval")
	if !ok {
		return nil
	}
	if !slices.Contains(approvalChoices, v) {
		l.errorf(n, "approval %q must be one of %s", v, strings.Join(approvalChoices, ", "))
		return nil
	}
	return constant(v)
}

func compileReassign(_ *compiler, l *loader, n *yaml.Node) valueFunc {
	v, ok := l.scalar(n, "reassign")
	if !ok {
		return nil
	}
	if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 {
		return constant(pyrus.PersonIdentity{ID: id})
	}
	if at := strings.IndexByte(v, '@'); at > 0 && at < len(v)-1 && !strings.ContainsAny(v, " \t,;") {
		return constant(pyrus.PersonIdentity{Email: v})
	}
	l.errorf(n, "reassign %q must be an email or a person id", v)
	return nil
}
