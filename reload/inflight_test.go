package reload_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rulebot/rulebot/engine"
	"github.com/rulebot/rulebot/pyrus"
	"github.com/rulebot/rulebot/reload"
	"github.com/rulebot/rulebot/webhook"
)

const testKey = "EXAMPLE-security-key-0123456789abcdef"

// version is a rules file of three rules whose comments all carry tag, so
// that an answer made of two versions would show.
func version(tag string) string {
	var b strings.Builder
	b.WriteString("rules:\n")
	for i := 1; i <= 3; i++ {
		fmt.Fprintf(&b, "  - name: rule%d\n    when: task.id > 0\n", i)
		fmt.Fprintf(&b, "    then:\n      comment: '%s%d'\n", tag, i)
	}
	return b.String()
}

// answer is the comment text of version(tag).
func answer(tag string) string {
	return tag + "1\n\n" + tag + "2\n\n" + tag + "3"
}

// TestRequestsInFlightDuringReloads serves webhooks without pause while
// the rules file is saved 100 times: every answer is all of one version.
func TestRequestsInFlightDuringReloads(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rules.yaml")
	writeRename(t, path, version("A"))
	store := startWatcher(t, path)
	srv := startServer(t, store)

	var served atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() { postUntil(t, srv, stop, &served) })
	}
	// Before the server closes, even when a wait below fails.
	defer func() {
		close(stop)
		wg.Wait()
	}()

	for i := range 100 {
		tag := []string{"A", "B"}[(i+1)%2]
		before := served.Load()
		writeRename(t, path, version(tag))
		waitUntil(t, "reload "+tag, func() bool {
			return store.Status().Hash == hash(version(tag))
		})
		// Requests keep coming between reloads, whatever the load.
		waitUntil(t, "a request", func() bool { return served.Load() > before })
	}
	t.Logf("%d webhooks answered during 100 reloads", served.Load())
}

// postUntil posts a signed webhook until stop closes, checking each answer.
func postUntil(t *testing.T, srv *httptest.Server, stop <-chan struct{}, served *atomic.Int64) {
	body := []byte(`{"event":"comment","task_id":7,"task":{"id":7,"form_id":1,"fields":[]}}`)
	sig := pyrus.Sign(body, testKey)
	for {
		select {
		case <-stop:
			return
		default:
		}
		text, err := post(srv, body, sig)
		if err != nil {
			t.Error(err)
			return
		}
		if text != answer("A") && text != answer("B") {
			t.Errorf("answer %q is neither version", text)
			return
		}
		served.Add(1)
	}
}

// post sends one webhook and returns the text of the answer.
func post(srv *httptest.Server, body []byte, sig string) (string, error) {
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("X-Pyrus-Sig", sig)
	resp, err := srv.Client().Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", &statusError{resp.StatusCode, string(data)}
	}
	var got struct{ Text string }
	if err := json.Unmarshal(data, &got); err != nil {
		return "", err
	}
	return got.Text, nil
}

type statusError struct {
	code int
	body string
}

func (e *statusError) Error() string { return http.StatusText(e.code) + ": " + e.body }

// startWatcher runs a Watcher on path until the test ends.
func startWatcher(t *testing.T, path string) *reload.Store {
	t.Helper()
	rs, err := engine.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	store := reload.NewStore(rs)
	w := reload.NewWatcher(path, store, discard(), reload.WithDebounce(5*time.Millisecond))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return store
}

// startServer serves store's rules on 127.0.0.1 until the test ends.
func startServer(t *testing.T, store *reload.Store) *httptest.Server {
	t.Helper()
	h, err := webhook.NewHandler(webhook.Config{
		Store:    store,
		Verifier: pyrus.NewVerifier([]string{testKey}),
		Logger:   discard(),
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	// Keep a connection per worker, rather than a new one per request.
	srv.Client().Transport.(*http.Transport).MaxIdleConnsPerHost = 8
	return srv
}

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

// writeRename saves content as most editors do, so no reload reads half a
// file.
func writeRename(t *testing.T, path, content string) {
	t.Helper()
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

func hash(content string) string {
	sum := sha256.Sum256([]byte(content))
	return hex.EncodeToString(sum[:])
}

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 15s for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}
