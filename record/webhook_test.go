package record_test

import (
	"bytes"
	"context"
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

	"github.com/rulebot/rulebot/pyrus"
	"github.com/rulebot/rulebot/record"
	"github.com/rulebot/rulebot/reload"
	"github.com/rulebot/rulebot/webhook"
)

const securityKey = "EXAMPLE-security-key-0123456789abcdef"

// serveRecording serves the bot with plainRules and a recorder into dir.
func serveRecording(t *testing.T, dir string) (*httptest.Server, *record.Recorder) {
	t.Helper()
	rec, err := record.New(record.Config{Dir: dir, Redactor: newRedactor(t),
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	h, err := webhook.NewHandler(webhook.Config{
		Store:    reload.NewStore(loadRules(t, plainRules)),
		Verifier: pyrus.NewVerifier([]string{securityKey}),
		Logger:   slog.New(slog.DiscardHandler),
		Recorder: rec,
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, rec
}

// TestConcurrentWebhooksAreRecordedWhole sends many webhooks at once while
// a reader keeps reading the record folder: the reader never finds part of
// a file, every webhook is answered and recorded once, and no temporary
// file is left.
func TestConcurrentWebhooksAreRecordedWhole(t *testing.T) {
	dir := t.TempDir()
	srv, rec := serveRecording(t, dir)
	base := readFile(t, peopleFixture)
	const n = 48

	stop := make(chan struct{})
	var reads atomic.Int64
	readerDone := make(chan struct{})
	go func() {
		defer close(readerDone)
		readWhileWritten(t, dir, stop, &reads)
	}()

	var wg sync.WaitGroup
	for i := range n {
		// Eight tasks, six webhooks each: recordings of one task in the
		// same second get numbered names.
		body := bytes.ReplaceAll(base, []byte("11842001"), fmt.Appendf(nil, "1184%04d", i%8))
		wg.Go(func() { postSigned(t, srv.URL, body) })
	}
	wg.Wait()
	if err := rec.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	close(stop)
	<-readerDone

	names, err := filepath.Glob(filepath.Join(dir, "task-*.json"))
	if err != nil || len(names) != n || rec.Dropped() != 0 {
		t.Fatalf("%d recordings (%v), %d dropped; want %d, 0", len(names), err, rec.Dropped(), n)
	}
	for _, name := range names {
		hook := decode(t, readFile(t, name))
		if id, _, _ := record.ParseName(name); hook.Task == nil || hook.Task.ID != id {
			t.Errorf("%s holds task %+v", name, hook.Task)
		}
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, ".task-*")); len(leftovers) != 0 {
		t.Errorf("temporary files left: %q", leftovers)
	}
	if reads.Load() == 0 {
		t.Error("the reader read no recording")
	}
}

// postSigned posts a signed body and checks that it was answered.
func postSigned(t *testing.T, url string, body []byte) {
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("X-Pyrus-Sig", pyrus.Sign(body, securityKey))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(answer), "Delivery") {
		t.Errorf("answer %d %s", resp.StatusCode, answer)
	}
}

// readWhileWritten reads every recording in dir over and over until stop,
// and reports any that is not whole JSON.
func readWhileWritten(t *testing.T, dir string, stop <-chan struct{}, reads *atomic.Int64) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		names, _ := filepath.Glob(filepath.Join(dir, "task-*.json"))
		for _, name := range names {
			data, err := os.ReadFile(name)
			if err != nil {
				t.Errorf("read %s: %v", name, err)
				continue
			}
			if !json.Valid(data) {
				t.Errorf("%s is not whole: %d bytes", name, len(data))
			}
			reads.Add(1)
		}
		time.Sleep(time.Millisecond)
	}
}
