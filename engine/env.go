package engine

import (
	"encoding/json"
	"strings"
	"sync/atomic"
	"time"

	"github.com/rulebot/rulebot/pyrus"
)

// Env is what a rule's expressions can read: the names of the rules
// language. It is built once per task and never changed while rules run.
type Env struct {
	Task     *pyrus.Task    `expr:"task"`
	Comment  *pyrus.Comment `expr:"comment"`
	Event    string         `expr:"event"`
	BotID    int64          `expr:"bot_id"`
	Settings any            `expr:"settings"`

	// Field is field(key): the value of the form field named key.
	Field func(key any) any `expr:"field"`
	// Now is now(), in the rules' timezone.
	Now func() time.Time `expr:"now"`
}

// noComment stands in for the newest comment of a task without comments.
var noComment = &pyrus.Comment{}

// newEnv builds the environment of one evaluation.
func (ev *evaluation) newEnv(in Input) {
	w, task := in.Webhook, in.Webhook.Task
	ev.fields.task, ev.fields.rules = task, ev.rules
	ev.env = Env{
		Task:     task,
		Comment:  noComment,
		Event:    w.Event,
		BotID:    w.UserID,
		Settings: ev.rules.settings.parse(w.BotSettings),
		Field:    ev.lookup,
		Now:      ev.clockFunc,
	}
	if n := len(task.Comments); n > 0 && task.Comments[n-1] != nil {
		ev.env.Comment = task.Comments[n-1]
	}
	ev.clock = in.Now
	if ev.clock.IsZero() {
		ev.clock = time.Now()
	}
	ev.clock = ev.clock.In(ev.rules.location)
}

func (ev *evaluation) now() time.Time { return ev.clock }

// settingsCache keeps the parsed bot settings of the last webhook: a bot's
// settings change rarely, and parsing them is the costliest part of Env.
type settingsCache struct {
	last atomic.Pointer[parsedSettings]
}

type parsedSettings struct {
	text  string
	value any
}

// parse gives the settings text as a JSON object when it is one, an empty
// object for empty text, and the text itself otherwise. The value is shared
// between evaluations, which only read it.
func (c *settingsCache) parse(text string) any {
	if last := c.last.Load(); last != nil && last.text == text {
		return last.value
	}

	var value any = text
	trimmed := strings.TrimSpace(text)
	switch {
	case trimmed == "":
		value = map[string]any{}
	case trimmed[0] == '{':
		var m map[string]any
		if json.Unmarshal([]byte(trimmed), &m) == nil {
			value = m
		}
	}
	c.last.Store(&parsedSettings{text: text, value: value})
	return value
}
