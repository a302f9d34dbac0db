package ruletest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/rulebot/rulebot/engine"
	"github.com/rulebot/rulebot/pyrus"
)

// ReadFixture reads a task fixture: a whole webhook body, or a bare task
// object, decoded for the rules rs as serve decodes webhooks for them
// (see engine.RuleSet.DecodeOptions), but with every form field: eval
// --explain suggests the field a mistyped field() key meant, from all of
// them, and a fixture is decoded once, not thousands of times a second.
// The warnings name values that were read leniently or counted absent.
func ReadFixture(path string, rs *engine.RuleSet) (*pyrus.Webhook, []pyrus.Warning, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff")) // editors on Windows add a BOM
	opts := rs.DecodeOptions()
	opts.Fields = nil
	hook, warnings, err := pyrus.DecodeWebhook(data, opts)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if hook.Task != nil || isWebhook(data) {
		// A webhook without a task is answered empty, as serve answers it.
		return hook, warnings, nil
	}
	task, warnings, err := pyrus.DecodeTask(data, opts)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	hook.Task = task
	return hook, warnings, nil
}

// webhookKeys are the top-level keys of a webhook body, lower-case and
// without underscores, as the decoder matches them.
var webhookKeys = []string{"event", "accesstoken", "taskid", "userid", "botsettings", "task"}

// isWebhook reports whether data is a JSON object with a key that only a
// webhook body has; a bare task has none of them.
func isWebhook(data []byte) bool {
	var top map[string]json.RawMessage
	if json.Unmarshal(data, &top) != nil {
		return false
	}
	for k := range top {
		k = strings.ToLower(strings.ReplaceAll(k, "_", ""))
		if slices.Contains(webhookKeys, k) {
			return true
		}
	}
	return false
}
