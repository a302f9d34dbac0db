package webhook

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/rulebot/rulebot/engine"
	"github.com/rulebot/rulebot/internal/benchrules"
	"github.com/rulebot/rulebot/pyrus"
	"github.com/rulebot/rulebot/reload"
)

// largestFixture is the benchmark task: every field type, many comments.
var largestFixture = filepath.Join("..", "testdata", "tasks", "all-field-types.json")

func readFixture(b testing.TB) []byte {
	b.Helper()
	body, err := os.ReadFile(largestFixture)
	if err != nil {
		b.Fatal(err)
	}
	return body
}

// BenchmarkFloor is the fixed reference the handler is measured against:
// the signature check plus encoding/json decoding of the body into
// map[string]any, the least a bot written by hand does.
func BenchmarkFloor(b *testing.B) {
	body := readFixture(b)
	sig := pyrus.Sign(body, testKey)
	v := pyrus.NewVerifier([]string{testKey})
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if !v.Verify(body, sig) {
			b.Fatal("signature")
		}
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHandler is one whole webhook on the largest fixture with 100
// rules: read, verify, decode, evaluate, answer and log.
func BenchmarkHandler(b *testing.B) {
	body := readFixture(b)
	rs, err := engine.Parse("bench.yaml", []byte(benchrules.Generate(100)))
	if err != nil {
		b.Fatal(err)
	}
	h, err := NewHandler(Config{
		Store:    reload.NewStore(rs),
		Verifier: pyrus.NewVerifier([]string{testKey}),
		Logger:   slog.New(slog.NewJSONHandler(discardWriter{}, nil)),
	})
	if err != nil {
		b.Fatal(err)
	}
	sig := pyrus.Sign(body, testKey)
	rec := httptest.NewRecorder()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		req.Header.Set("X-Pyrus-Sig", sig)
		rec.Body.Reset()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

type discardWriter struct{}

func (discardWriter) Write(p []byte) (int, error) { return len(p), nil }
