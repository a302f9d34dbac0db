package webhook

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rulebot/rulebot/engine"
	"github.com/rulebot/rulebot/pyrus"
	"github.com/rulebot/rulebot/reload"
)

const (
	testKey   = "EXAMPLE-security-key-0123456789abcdef"
	secondKey = "EXAMPLE-rotated-key-fedcba9876543210"
	testToken = "fake-access-token-do-not-log"
)

const testRules = `
rules:
  - name: big
    when: (field("Total amount") ?? 0) > 10000
    then:
      comment: 'Total {{ field("Total amount") }} goes to the CFO.'
      approval: approved
      reassign: cfo@example.com
  - name: everyone
    when: task.id > 0
    then:
      comment: 'Task {{ task.id }} seen.'
`

// sign gives X-Pyrus-Sig for body, in upper-case hex as Pyrus's own
// samples write it.

// newTestHandler serves testRules and logs as JSON into the returned buffer.
func newTestHandler(t *testing.T, maxBody int64) (*Handler, *bytes.Buffer) {
	t.Helper()
	rs, err := engine.Parse("rules.yaml", []byte(testRules))
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	h, err := NewHandler(Config{
		Store:    reload.NewStore(rs),
		Verifier: pyrus.NewVerifier([]string{testKey, secondKey}),
		MaxBody:  maxBody,
		Logger:   slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
	if err != nil {
		t.Fatal(err)
	}
	return h, &logs
}

func webhookBody(total string) []byte {
	return []byte(`{"event":"comment","access_token":"` + testToken + `","task_id":7,"user_id":100500,` +
		`"task":{"id":7,"form_id":52210,"fields":[{"id":1,"type":"money","name":"Total amount","value":` +
		total + `}]}}`)
}

func post(h http.Handler, body []byte, sig string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	if sig != "" {
		req.Header.Set("X-Pyrus-Sig", sig)
	}
	req.Header.Set("User-Agent", "Pyrus-Bot-4")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestStatuses(t *testing.T) {
	big := webhookBody("18450.76")
	notJSON := []byte("task=7")
	noTask := []byte(`{"event":"comment","task_id":7}`)
	tests := []struct {
		name, method, path string
		body               []byte
		sig                string
		wantStatus         int
		wantBody           string
	}{
		{"answer", "POST", "/", big, pyrus.Sign(big, testKey), 200,
			`{"text":"Total 18450.76 goes to the CFO.\n\nTask 7 seen.","approval_choice":"approved",` +
				`"reassign_to":{"email":"cfo@example.com"}}` + "\n"},
		{"lower-case signature", "POST", "/", big, strings.ToLower(pyrus.Sign(big, testKey)), 200, ""},
		{"second key of a rotation", "POST", "/", big, pyrus.Sign(big, secondKey), 200, ""},
		{"missing signature", "POST", "/", big, "", 401, "signature does not match\n"},
		{"wrong key", "POST", "/", big, pyrus.Sign(big, "other"), 401, "signature does not match\n"},
		{"signature of other bytes", "POST", "/", big, pyrus.Sign(append(big, ' '), testKey), 401, ""},
		{"not JSON", "POST", "/", notJSON, pyrus.Sign(notJSON, testKey), 400, "body is not JSON\n"},
		{"no task", "POST", "/", noTask, pyrus.Sign(noTask, testKey), 200, ""},
		{"GET on the bot path", "GET", "/", nil, "", 405, ""},
		{"other path", "POST", "/other", big, pyrus.Sign(big, testKey), 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, _ := newTestHandler(t, 0)
			req := httptest.NewRequest(tt.method, tt.path, bytes.NewReader(tt.body))
			if tt.sig != "" {
				req.Header.Set("X-Pyrus-Sig", tt.sig)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)

			if rec.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d (body %q)", rec.Code, tt.wantStatus, rec.Body)
			}
			if tt.wantBody != "" && rec.Body.String() != tt.wantBody {
				t.Errorf("body:\n%s", cmp.Diff(tt.wantBody, rec.Body.String()))
			}
		})
	}
}

func TestEmptyAnswerHasNoBody(t *testing.T) {
	h, logs := newTestHandler(t, 0)
	body := []byte(`{"task":{"id":0}}`)
	rec := post(h, body, pyrus.Sign(body, testKey))
	if rec.Code != 200 || rec.Body.Len() != 0 || rec.Header().Get("Content-Type") != "" {
		t.Fatalf("got %d %q content-type %q, want 200 and nothing",
			rec.Code, rec.Body, rec.Header().Get("Content-Type"))
	}
	if !strings.Contains(logs.String(), `"matched":[]`) {
		t.Errorf("the log does not say that no rule matched:\n%s", logs)
	}
}

// TestJSONThatIsNotAnObject answers JSON without a task in it as SPEC
// answers a body without a task: 200, empty, and a warning.
func TestJSONThatIsNotAnObject(t *testing.T) {
	for _, body := range []string{`[{"task":{"id":7}}]`, `null`, `"task"`, `7`, `true`} {
		h, logs := newTestHandler(t, 0)
		rec := post(h, []byte(body), pyrus.Sign([]byte(body), testKey))
		if rec.Code != 200 || rec.Body.Len() != 0 {
			t.Errorf("%s: got %d %q, want 200 and nothing", body, rec.Code, rec.Body)
		}
		if !strings.Contains(logs.String(), `"level":"WARN","msg":"webhook body holds no task; answered empty"`) {
			t.Errorf("%s: no warning in the log:\n%s", body, logs)
		}
	}
}

func TestAnswerIsJSON(t *testing.T) {
	h, _ := newTestHandler(t, 0)
	body := webhookBody("5")
	rec := post(h, body, pyrus.Sign(body, testKey))
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q, want application/json", ct)
	}
	var got pyrus.CommentRequest
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Text != "Task 7 seen." {
		t.Errorf("text %q", got.Text)
	}
}

func TestOversizedBody(t *testing.T) {
	h, logs := newTestHandler(t, 1024)
	body := bytes.Repeat([]byte("x"), 4096)
	rec := post(h, body, pyrus.Sign(body, testKey))
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413", rec.Code)
	}
	if !strings.Contains(logs.String(), "over the size limit") {
		t.Errorf("no log line for the oversized body:\n%s", logs)
	}
}

func TestHealth(t *testing.T) {
	h, _ := newTestHandler(t, 0)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
	var got struct {
		Status  string `json:"status"`
		Rules   int    `json:"rules"`
		Hash    string `json:"hash"`
		Enabled int    `json:"enabled"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatalf("%v in %s", err, rec.Body)
	}
	if rec.Code != 200 || got.Status != "ok" || got.Rules != 2 || got.Enabled != 2 || len(got.Hash) != 64 {
		t.Errorf("got %d %+v", rec.Code, got)
	}
}

// TestSecretsStayOutOfTheLog sends good and bad webhooks and reads every
// log line for the keys and the access token.
func TestSecretsStayOutOfTheLog(t *testing.T) {
	h, logs := newTestHandler(t, 0)
	body := webhookBody("18450.76")
	post(h, body, pyrus.Sign(body, testKey))
	for range 4 {
		post(h, body, pyrus.Sign(body, "wrong"))
	}
	bad := []byte(`{"access_token":"` + testToken + `","task":{"id":"x","fields":{}}}`)
	post(h, bad, pyrus.Sign(bad, testKey))

	out := logs.String()
	for _, secret := range []string{testKey, secondKey, testToken} {
		if strings.Contains(out, secret) {
			t.Errorf("the log holds %q:\n%s", secret, out)
		}
	}
	for _, want := range []string{`"task_id":7`, `"matched":["big","everyone"]`, `"duration_ms":`,
		`"level":"ERROR"`, "Security Key"} {
		if !strings.Contains(out, want) {
			t.Errorf("the log lacks %s:\n%s", want, out)
		}
	}
}

// TestProtocol3 answers a protocol-3 body (PascalCase keys) exactly as the
// same body with today's snake_case keys.
func TestProtocol3(t *testing.T) {
	pascal, err := os.ReadFile(filepath.Join("..", "testdata", "tasks", "protocol3.json"))
	if err != nil {
		t.Fatal(err)
	}
	snake := snakeKeys(t, pascal)
	if bytes.Equal(pascal, snake) || !bytes.Contains(snake, []byte(`"task_id"`)) {
		t.Fatalf("the fixture is not in PascalCase:\n%s", snake)
	}

	h, _ := newTestHandler(t, 0)
	got := post(h, pascal, pyrus.Sign(pascal, testKey))
	want := post(h, snake, pyrus.Sign(snake, testKey))
	if got.Code != 200 || got.Body.Len() == 0 {
		t.Fatalf("protocol 3: %d %q", got.Code, got.Body)
	}
	if diff := cmp.Diff(want.Body.String(), got.Body.String()); diff != "" {
		t.Errorf("protocol 3 answered otherwise (-snake +pascal):\n%s", diff)
	}
}

// snakeKeys rewrites every object key of a JSON document from PascalCase
// to snake_case.
func snakeKeys(t *testing.T, doc []byte) []byte {
	t.Helper()
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatal(err)
	}
	var walk func(any) any
	walk = func(v any) any {
		switch v := v.(type) {
		case map[string]any:
			out := make(map[string]any, len(v))
			for k, x := range v {
				out[snake(k)] = walk(x)
			}
			return out
		case []any:
			for i := range v {
				v[i] = walk(v[i])
			}
		}
		return v
	}
	out, err := json.Marshal(walk(v))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b.WriteByte('_')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

func TestNewHandlerRejectsBadPaths(t *testing.T) {
	for _, path := range []string{"bot", "/healthz"} {
		if _, err := NewHandler(Config{Path: path}); err == nil {
			t.Errorf("path %q accepted", path)
		}
	}
}

// discard reads a response body to the end.
func discard(r io.Reader) { _, _ = io.Copy(io.Discard, r) }

// TestSignatureFailuresRaiseAnError logs a run of bad signatures at Error
// on the third and then every hundredth, and a good webhook ends the run.
func TestSignatureFailuresRaiseAnError(t *testing.T) {
	h, logs := newTestHandler(t, 0)
	body := webhookBody("5")
	for range 200 {
		post(h, body, pyrus.Sign(body, "reset-key"))
	}
	if n := strings.Count(logs.String(), `"level":"ERROR"`); n != 3 {
		t.Errorf("%d Error lines for 200 failures in a row, want 3 (the 3rd, 100th and 200th)", n)
	}

	logs.Reset()
	post(h, body, pyrus.Sign(body, testKey))
	post(h, body, pyrus.Sign(body, "reset-key"))
	if !strings.Contains(logs.String(), `"failures_in_a_row":1`) {
		t.Errorf("a good webhook did not end the run:\n%s", logs)
	}
}
