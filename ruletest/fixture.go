package ruletest

import (
	"fmt"
	"os"

	"github.com/rulebot/rulebot/engine"
	"github.com/rulebot/rulebot/pyrus"
)

// ReadFixture reads a task fixture: a whole webhook body, or a bare task
// object, decoded for the rules rs (whose timezone date-only values take).
// The warnings name values that were read leniently or counted absent.
func ReadFixture(path string, rs *engine.RuleSet) (*pyrus.Webhook, []pyrus.Warning, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	opts := pyrus.DecodeOptions{DateLocation: rs.DateLocation()}
	hook, warnings, err := pyrus.DecodeWebhook(data, opts)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if hook.Task != nil {
		return hook, warnings, nil
	}
	task, warnings, err := pyrus.DecodeTask(data, opts)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	hook.Task = task
	return hook, warnings, nil
}
