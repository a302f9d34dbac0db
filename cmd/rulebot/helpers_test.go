package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/rulebot/rulebot/internal/logbuf"
	"github.com/rulebot/rulebot/pyrus"
)

// testBot is a rulebot serve started by a test on a loopback port.
type testBot struct {
	addr   string
	log    *logbuf.Buffer
	cancel context.CancelFunc
	done   chan int
}

// startServe runs rulebot serve with args on 127.0.0.1, with a retired key
// and testKey (a key rotation), and waits until it listens.
func startServe(t *testing.T, args ...string) *testBot {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	b := &testBot{log: &logbuf.Buffer{}, cancel: cancel, done: make(chan int, 1)}
	env := func(k string) string { return map[string]string{"PYRUS_SECURITY_KEY": "old-key, " + testKey}[k] }
	go func() {
		b.done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...),
			io.Discard, b.log, env)
	}()
	b.addr = waitForAddr(t, b.log)
	return b
}

// stop stops the bot as SIGTERM would and checks that it exits with 0.
func (b *testBot) stop(t *testing.T) {
	t.Helper()
	b.cancel()
	select {
	case code := <-b.done:
		if code != 0 {
			t.Errorf("serve exit %d; log:\n%s", code, b.log)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
}

// postSigned posts body to url, signed with testKey, and returns the
// status and the answer.
func postSigned(t *testing.T, client *http.Client, url string, body []byte) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Pyrus-Sig", pyrus.Sign(body, testKey))
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, answer
}
