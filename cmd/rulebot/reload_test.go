package main

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rulebot/rulebot/internal/logbuf"
)

// TestServeReloads edits the rules file under a running bot: a good edit
// is picked up, a broken one is reported in /healthz while the good rules
// keep serving, and SIGHUP reloads on demand.
func TestServeReloads(t *testing.T) {
	rules := filepath.Join(t.TempDir(), "rules.yaml")
	writeFile(t, rules, "rules:\n  - name: first\n    when: 'true'\n    then: {comment: one}\n")

	b := startServe(t, "--rules", rules)
	defer b.stop(t)
	addr, stderr := b.addr, b.log

	writeFile(t, rules, "rules:\n  - name: second\n    when: 'true'\n    then: {comment: two}\n"+
		"  - name: third\n    when: 'true'\n    then: {comment: three}\n")
	waitFor(t, stderr, func(h health) bool { return h.Rules == 2 && h.LastError == nil }, addr)

	writeFile(t, rules, "rules:\n  - name: broken\n    when: task.nope\n    then: {comment: x}\n")
	h := waitFor(t, stderr, func(h health) bool { return h.LastError != nil }, addr)
	if h.Rules != 2 || !strings.Contains(strings.Join(h.LastError.Errors, "\n"),
		`rules.yaml:3:16: rule "broken": unknown field "nope" on task`) {
		t.Errorf("after a broken edit: %+v", h)
	}

	if err := syscall.Kill(syscall.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	waitForLog(t, stderr, `"trigger":"reload"`)
}

type health struct {
	Status    string `json:"status"`
	Rules     int    `json:"rules"`
	LastError *struct {
		Errors []string `json:"errors"`
	} `json:"last_error"`
}

// waitFor polls /healthz until ok holds, for up to ten seconds.
func waitFor(t *testing.T, log *logbuf.Buffer, ok func(health) bool, addr string) health {
	t.Helper()
	var h health
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		h = health{}
		err = json.NewDecoder(resp.Body).Decode(&h)
		resp.Body.Close()
		if err == nil && ok(h) {
			return h
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("/healthz never showed the change; last %+v; log:\n%s", h, log)
	return h
}

func waitForLog(t *testing.T, log *logbuf.Buffer, text string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		if strings.Contains(log.String(), text) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("the log never said %q:\n%s", text, log)
}
