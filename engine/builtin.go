package engine

import (
	"fmt"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm/runtime"
)

// maxText bounds the text that one call of repeat() or replace() may
// make. Both can multiply the size of task data (repeat(task.text, n)),
// and expr's memory budget counts their calls, not their bytes: without a
// bound, one rule could take the bot's memory.
const maxText = 1 << 20

// boundedBuiltins replaces expr's repeat() and replace() with versions
// that fail the rule instead of making text over maxText.
func boundedBuiltins() []expr.Option {
	return []expr.Option{
		expr.DisableBuiltin("repeat"),
		expr.Function("repeat", repeat, new(func(string, int) string)),
		expr.DisableBuiltin("replace"),
		expr.Function("replace", replace, new(func(string, string, string) string)),
	}
}

func repeat(args ...any) (any, error) {
	s, n := args[0].(string), runtime.ToInt(args[1])
	if n < 0 {
		return nil, fmt.Errorf("repeat: want a count of 0 or more, got %d", n)
	}
	if n > 0 && len(s) > maxText/n {
		return nil, fmt.Errorf("repeat: the text would be over %d bytes", maxText)
	}
	return strings.Repeat(s, n), nil
}

func replace(args ...any) (any, error) {
	s, old, with := args[0].(string), args[1].(string), args[2].(string)
	n := strings.Count(s, old)
	if n > 0 && len(with) > len(old) && len(with)-len(old) > (maxText-len(s))/n {
		return nil, fmt.Errorf("replace: the text would be over %d bytes", maxText)
	}
	return strings.ReplaceAll(s, old, with), nil
}
