// Package gobench measures one webhook of the load comparison in process:
// the whole HTTP handler with bench/rules.yaml, and each of its stages, with
// allocations. Run it with bench/profile.sh, or:
//
//	go test -run '^$' -bench . -benchmem ./bench/gobench
//	go test -run '^$' -bench 'Webhook/rules=bench$' -cpuprofile cpu.out -memprofile mem.out ./bench/gobench
package gobench

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/rulebot/rulebot/engine"
	"github.com/rulebot/rulebot/pyrus"
	"github.com/rulebot/rulebot/reload"
	"github.com/rulebot/rulebot/webhook"
)

const (
	key      = "bench-security-key-0123456789abcdef"
	largest  = "../../testdata/tasks/all-field-types.json"
	rules    = "../rules.yaml"
	taskID   = "11839954"
	variants = 10
)

// signed is one webhook body with its X-Pyrus-Sig.
type signed struct {
	body []byte
	sig  string
}

// bodies gives the largest fixture under ten task ids: ten different
// bodies and signatures of the same size, as the load sends.
func bodies(b *testing.B) []signed {
	b.Helper()
	body, err := os.ReadFile(largest)
	if err != nil {
		b.Fatal(err)
	}
	out := make([]signed, variants)
	for i := range out {
		v := bytes.ReplaceAll(body, []byte(taskID), fmt.Appendf(nil, "%d", 11839954+i))
		out[i] = signed{body: v, sig: pyrus.Sign(v, key)}
	}
	return out
}

// ruleSet loads bench/rules.yaml, or those rules repeated to n rules.
func ruleSet(b *testing.B, n int) *engine.RuleSet {
	b.Helper()
	src, err := os.ReadFile(rules)
	if err != nil {
		b.Fatal(err)
	}
	if n > 0 {
		src = []byte(repeat(string(src), n))
	}
	rs, err := engine.Parse("rules.yaml", src)
	if err != nil {
		b.Fatal(err)
	}
	return rs
}

// repeat makes n rules out of the rules in src, renamed, without stop.
func repeat(src string, n int) string {
	_, body, _ := strings.Cut(src, "\nrules:\n")
	list := strings.Split(body, "\n  - name: ")[1:]
	var out strings.Builder
	out.WriteString("rules:\n")
	for i := range n {
		rule := strings.ReplaceAll(list[i%len(list)], "\n    stop: true", "")
		name, rest, _ := strings.Cut(rule, "\n")
		fmt.Fprintf(&out, "  - name: %s-%d\n%s\n", name, i, strings.TrimRight(rest, "\n"))
	}
	return out.String()
}

func handler(b *testing.B, rs *engine.RuleSet) http.Handler {
	b.Helper()
	h, err := webhook.NewHandler(webhook.Config{
		Store:    reload.NewStore(rs),
		Verifier: pyrus.NewVerifier([]string{key}),
		Logger:   slog.New(slog.NewJSONHandler(io.Discard, nil)),
	})
	if err != nil {
		b.Fatal(err)
	}
	return h
}

// serve runs one webhook through h; the request and recorder are part of
// the measurement (see BenchmarkHarness for their share).
func serve(b *testing.B, h http.Handler, s signed, rec *httptest.ResponseRecorder) {
	req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(s.body))
	req.Header.Set("X-Pyrus-Sig", s.sig)
	rec.Body.Reset()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("status %d", rec.Code)
	}
}

// ruleSetName names a sub-benchmark by the rules of ruleSet(b, n).
func ruleSetName(n int) string {
	if n == 0 {
		return "rules=bench"
	}
	return fmt.Sprintf("rules=%d", n)
}

// BenchmarkWebhook is one whole webhook with bench/rules.yaml, as the load
// comparison sends it: verify, decode, evaluate, answer, log.
func BenchmarkWebhook(b *testing.B) {
	for _, n := range []int{0, 1000} {
		b.Run(ruleSetName(n), func(b *testing.B) {
			in := bodies(b)
			b.SetBytes(int64(len(in[0].body)))
			serveInTurn(b, handler(b, ruleSet(b, n)), in)
		})
	}
}

// BenchmarkWebhookParallel is BenchmarkWebhook on every core at once, for
// contention on the pools and the logger.
func BenchmarkWebhookParallel(b *testing.B) {
	h, in := handler(b, ruleSet(b, 0)), bodies(b)
	b.SetBytes(int64(len(in[0].body)))
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		rec := httptest.NewRecorder()
		for i := 0; pb.Next(); i++ {
			serve(b, h, in[i%len(in)], rec)
		}
	})
}

// BenchmarkHarness is what BenchmarkWebhook spends outside rulebot: the
// test request and recorder around a handler that does nothing.
func BenchmarkHarness(b *testing.B) {
	in := bodies(b)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
	})
	serveInTurn(b, h, in)
}

// serveInTurn has h serve the bodies of in, one after another, for the
// whole benchmark.
func serveInTurn(b *testing.B, h http.Handler, in []signed) {
	rec := httptest.NewRecorder()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		serve(b, h, in[i%len(in)], rec)
		i++
	}
}

// BenchmarkStage is each stage of a webhook on its own.
func BenchmarkStage(b *testing.B) {
	rs, in := ruleSet(b, 0), bodies(b)
	opts := rs.DecodeOptions()
	v := pyrus.NewVerifier([]string{key})
	hook, _, err := pyrus.DecodeWebhook(in[0].body, opts)
	if err != nil {
		b.Fatal(err)
	}
	res := rs.Evaluate(engine.Input{Webhook: hook})

	b.Run("verify", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			v.Verify(in[0].body, in[0].sig)
		}
	})
	b.Run("decode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _, _ = pyrus.DecodeWebhook(in[0].body, opts)
		}
	})
	b.Run("evaluate", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			rs.Evaluate(engine.Input{Webhook: hook})
		}
	})
	b.Run("answer", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = res.Body()
		}
	})
	b.Run("log", func(b *testing.B) {
		log := slog.New(slog.NewJSONHandler(io.Discard, nil))
		b.ReportAllocs()
		for b.Loop() {
			log.Info("webhook", "task_id", hook.Task.ID, "retry", "1/3",
				"matched", res.Matched, "own_comment", false, "duration_ms", 0.123,
				"user_agent", "Pyrus-Bot-4") // as webhook.Handler logs it
		}
	})
}

// BenchmarkRules loads the rules file, and reports the heap that the loaded
// rules keep alive: the floor of rulebot's resident memory.
func BenchmarkRules(b *testing.B) {
	for _, n := range []int{0, 1000} {
		b.Run(ruleSetName(n), func(b *testing.B) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			rs := ruleSet(b, n)
			runtime.GC()
			runtime.ReadMemStats(&after)
			runtime.KeepAlive(rs)

			b.ReportAllocs()
			for b.Loop() {
				ruleSet(b, n)
			}
			b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "live-MB")
		})
	}
}
