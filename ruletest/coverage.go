package ruletest

import "github.com/rulebot/rulebot/engine"

// Coverage is which rules of a rules file the cases matched.
type Coverage struct {
	// Enabled counts the rules that run; Covered those of them that some
	// case matched.
	Enabled, Covered int
	// Uncovered are the enabled rules that no case matched, in file order.
	Uncovered []*engine.Rule
	// Off are the switched-off rules, which no case can match; they are
	// listed apart and do not count as uncovered.
	Off []*engine.Rule
}

// CoverageOf gives the coverage of rs by the results of any number of
// runs. A rule counts as covered when it matched in a case that ran,
// whether that case passed or not.
func CoverageOf(rs *engine.RuleSet, runs ...[]*Result) Coverage {
	matched := map[string]bool{}
	for _, results := range runs {
		for _, r := range results {
			for _, name := range r.Got.Matched {
				matched[name] = true
			}
		}
	}

	var c Coverage
	for _, rule := range rs.Rules {
		switch {
		case !rule.Enabled:
			c.Off = append(c.Off, rule)
		case matched[rule.Name]:
			c.Enabled++
			c.Covered++
		default:
			c.Enabled++
			c.Uncovered = append(c.Uncovered, rule)
		}
	}
	return c
}

// Complete reports whether every enabled rule was matched by some case.
func (c Coverage) Complete() bool { return len(c.Uncovered) == 0 }
