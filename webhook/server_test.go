package webhook

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/rulebot/rulebot/pyrus"
)

// TestOversizedBodyOverASocket checks that a client still sending a body
// over the limit reads the 413, rather than having its connection reset.
func TestOversizedBodyOverASocket(t *testing.T) {
	h, _ := newTestHandler(t, 64<<10)
	srv := httptest.NewServer(h) // listens on 127.0.0.1
	defer srv.Close()
	body := bytes.Repeat([]byte("x"), 8<<20)

	for _, expect := range []bool{false, true} {
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("X-Pyrus-Sig", pyrus.Sign(body, testKey))
		client := srv.Client()
		if expect {
			req.Header.Set("Expect", "100-continue")
			client.Transport.(*http.Transport).ExpectContinueTimeout = 5 * time.Second
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("expect 100-continue %v: %v", expect, err)
		}
		discard(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("expect 100-continue %v: status %d, want 413", expect, resp.StatusCode)
		}
	}
}

// TestAnswerOverASocket sends a signed webhook through a real connection.
func TestAnswerOverASocket(t *testing.T) {
	h, _ := newTestHandler(t, 0)
	srv := httptest.NewServer(h)
	defer srv.Close()
	body := webhookBody("18450.76")

	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/", bytes.NewReader(body))
	req.Header.Set("X-Pyrus-Sig", pyrus.Sign(body, testKey))
	req.Header.Set("X-Pyrus-Retry", "2/3")
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got bytes.Buffer
	_, _ = got.ReadFrom(resp.Body)
	if resp.StatusCode != 200 || !bytes.Contains(got.Bytes(), []byte(`"approval_choice":"approved"`)) {
		t.Errorf("got %d %s", resp.StatusCode, got.Bytes())
	}
}

// TestAnswersHaveALength checks, on the wire, that answers are sent with
// their length: the handler flushes them before it returns, and a flush
// without a length would make them chunked.
func TestAnswersHaveALength(t *testing.T) {
	h, _ := newTestHandler(t, 0)
	srv := httptest.NewServer(h)
	defer srv.Close()
	for name, body := range map[string][]byte{
		"a comment":       webhookBody("18450.76"),
		"no rule matches": []byte(`{"task":{"id":0}}`),
		"no task":         []byte(`{"task_id":7}`),
	} {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/", bytes.NewReader(body))
		req.Header.Set("X-Pyrus-Sig", pyrus.Sign(body, testKey))
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.ContentLength != int64(len(got)) || len(resp.TransferEncoding) > 0 {
			t.Errorf("%s: got %d, Content-Length %d for %d bytes, Transfer-Encoding %q",
				name, resp.StatusCode, resp.ContentLength, len(got), resp.TransferEncoding)
		}
	}
}
