package pyrus

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestNewestCommentOnly holds the option to what a full decode gives: the
// same webhook but for the comments, which are only the newest one.
func TestNewestCommentOnly(t *testing.T) {
	bodies := readFixtures(t)
	for name, body := range map[string]string{
		"null last":       `{"task":{"id":1,"comments":[{"id":1,"text":"a"},{"id":2,"text":"b"},null]}}`,
		"string between":  `{"task":{"id":1,"comments":[{"id":1},"x",{"id":3,"text":"c"}]}}`,
		"bad newest":      `{"task":{"id":1,"comments":[{"id":"one"},{"id":2,"create_date":"soon"}]}}`,
		"bad older":       `{"task":{"id":1,"comments":[{"id":"one"},{"id":2}]}}`,
		"none an object":  `{"task":{"id":1,"comments":[null,7]}}`,
		"empty":           `{"task":{"id":1,"comments":[]}}`,
		"not a list":      `{"task":{"id":1,"comments":{"id":1}}}`,
		"no comments key": `{"task":{"id":1}}`,
	} {
		bodies[name] = []byte(body)
	}
	for name, body := range bodies {
		full, fullWarns, err := DecodeWebhook(body, DecodeOptions{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		lazy, lazyWarns, err := DecodeWebhook(body, DecodeOptions{NewestCommentOnly: true})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if n := len(full.Task.Comments); n > 0 {
			full.Task.Comments = full.Task.Comments[n-1:]
		}
		if diff := cmp.Diff(full, lazy); diff != "" {
			t.Errorf("%s: webhook (-full, newest comment kept +newest only):\n%s", name, diff)
		}
		for _, w := range lazyWarns {
			if !slices.Contains(fullWarns, w) {
				t.Errorf("%s: warning %q is not one of a full decode's %q", name, w, fullWarns)
			}
		}
	}
}
