// Package webhook is rulebot's HTTP face: it verifies a Pyrus webhook,
// evaluates the rules in service against its task, and answers with the
// comment the rules call for.
package webhook

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rulebot/rulebot/engine"
	"github.com/rulebot/rulebot/pyrus"
	"github.com/rulebot/rulebot/reload"
)

// DefaultMaxBody is the default limit on a webhook body.
const DefaultMaxBody = 10 << 20

// drainLimit bounds how much of an oversized body is read and thrown away
// so that the client, still sending, gets to read the 413.
const drainLimit = 64 << 20

// Config sets up a Handler.
type Config struct {
	// Store gives the rules in service.
	Store *reload.Store
	// Verifier checks X-Pyrus-Sig against the bot's security keys.
	Verifier *pyrus.Verifier
	// Path is where Pyrus POSTs; "/" when empty.
	Path string
	// MaxBody limits a webhook body in bytes; DefaultMaxBody when zero.
	MaxBody int64
	// Logger receives one line per webhook; slog.Default() when nil.
	Logger *slog.Logger
	// Recorder, when set, is handed each verified JSON body once it is
	// answered. It must return at once and copy what it keeps: the body's
	// buffer is reused.
	Recorder interface {
		Record(body []byte, hook *pyrus.Webhook)
	}
}

// Handler serves the bot's path and /healthz.
type Handler struct {
	cfg Config
	log *slog.Logger
	mux *http.ServeMux

	// badSignatures counts signature failures since the last good webhook.
	badSignatures atomic.Int64
}

// NewHandler builds the HTTP handler of the bot.
func NewHandler(cfg Config) (*Handler, error) {
	if cfg.Path == "" {
		cfg.Path = "/"
	}
	if !strings.HasPrefix(cfg.Path, "/") || cfg.Path == "/healthz" {
		return nil, fmt.Errorf("bot path %q must start with / and not be /healthz", cfg.Path)
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	h := &Handler{cfg: cfg, log: cfg.Logger, mux: http.NewServeMux()}
	if h.log == nil {
		h.log = slog.Default()
	}

	pattern := cfg.Path
	if pattern == "/" {
		pattern = "/{$}"
	}
	h.mux.HandleFunc("POST "+pattern, h.serveWebhook)
	h.mux.HandleFunc("GET /healthz", h.serveHealth)
	return h, nil
}

// ServeHTTP routes a request; other methods on the bot's path get 405.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mux.ServeHTTP(w, r)
}

func (h *Handler) serveHealth(w http.ResponseWriter, _ *http.Request) {
	status := health{State: "ok", Status: h.cfg.Store.Status()}
	if status.LastError != nil {
		status.State = "reload_failed"
	}
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(status)
}

// health is the body of /healthz.
type health struct {
	State string `json:"status"`
	reload.Status
}

// bodies recycles the buffers webhook bodies are read into. The decoder
// copies what it keeps, so a buffer is free again once a webhook is done.
var bodies = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// serveWebhook answers one webhook. The body is verified before anything
// reads it: an unsigned body is never parsed, however it looks.
func (h *Handler) serveWebhook(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	buf := bodies.Get().(*bytes.Buffer)
	defer bodies.Put(buf)
	buf.Reset()

	if !h.readBody(w, r, buf) {
		return
	}
	body := buf.Bytes()
	if !h.cfg.Verifier.Verify(body, r.Header.Get("X-Pyrus-Sig")) {
		h.badSignature(w, r)
		return
	}
	h.badSignatures.Store(0)

	rules := h.cfg.Store.Rules()
	hook, warnings, err := pyrus.DecodeWebhook(body, rules.DecodeOptions())
	switch {
	case errors.Is(err, pyrus.ErrNotObject):
		// JSON, but no task in it: answered like a body without a task,
		// since any other status only makes Pyrus send it again.
		send(w, nil)
		h.log.Warn("webhook body holds no task; answered empty", "err", err, "user_agent", r.UserAgent())
		return
	case err != nil:
		h.log.Warn("webhook body is not JSON", "err", err, "user_agent", r.UserAgent())
		http.Error(w, "body is not JSON", http.StatusBadRequest)
		return
	}
	h.answer(w, r, rules, hook, warnings, start)
	if h.cfg.Recorder != nil {
		h.cfg.Recorder.Record(body, hook)
	}
	// Take turns with the other connections; the answer is already sent
	// (see send). Without this yield, a runtime trace under load showed
	// goroutines waiting up to 42 ms in the run queue while both Ps were
	// busy, and wrk measured a p99 latency of 25 ms against a p50 of
	// 0.5 ms. Yielding lets the goroutines of other connections run before
	// this one reads its connection's next request (bench/README.md).
	runtime.Gosched()
}

// answer evaluates the rules for a verified webhook and writes the answer.
func (h *Handler) answer(
	w http.ResponseWriter, r *http.Request,
	rules *engine.RuleSet, hook *pyrus.Webhook, warnings []pyrus.Warning, start time.Time,
) {
	// Most webhooks log one line: a logger that carries the task is made
	// only for the warnings and errors that need one too.
	id, attempt := taskID(hook), retry(r)
	withTask := func() *slog.Logger { return h.log.With("task_id", id, "retry", attempt) }
	if len(warnings) > 0 {
		withTask().Warn("webhook values of unexpected types", "problems", warningList(warnings))
	}
	if hook.Task == nil {
		send(w, nil)
		withTask().Warn("webhook holds no task; answered empty", "user_agent", r.UserAgent())
		return
	}

	res := rules.Evaluate(engine.Input{Webhook: hook})
	if len(res.Errors) > 0 || len(res.Overridden) > 0 {
		logResult(withTask(), res)
	}
	body, err := res.Body()
	if err != nil {
		withTask().Error("cannot encode the answer", "err", err)
		http.Error(w, "cannot encode the answer", http.StatusInternalServerError)
		return
	}
	send(w, body)

	matched := res.Matched
	if matched == nil {
		matched = []string{} // logs as [], not null
	}
	h.log.Info("webhook",
		"task_id", id,
		"retry", attempt,
		"matched", matched,
		"own_comment", res.OwnComment,
		"duration_ms", float64(time.Since(start).Microseconds())/1000,
		"user_agent", r.UserAgent(),
	)
}

// send answers 200 with body, a JSON object or nothing, and sends it at
// once: the client has its answer while the log line is written. The
// length is set, so that the early flush does not turn the answer into a
// chunked one.
func send(w http.ResponseWriter, body []byte) {
	if body != nil {
		w.Header().Set("Content-Type", "application/json")
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
	_ = http.NewResponseController(w).Flush()
}

// readBody reads the body into buf, answering 413 when it is over the
// limit. The rest of an oversized body is read and dropped first, up to a
// bound, so that the client finishes sending and reads the 413 instead of
// a reset connection.
func (h *Handler) readBody(w http.ResponseWriter, r *http.Request, buf *bytes.Buffer) bool {
	limit := h.cfg.MaxBody
	tooLarge := r.ContentLength > limit
	if !tooLarge {
		n, err := buf.ReadFrom(io.LimitReader(r.Body, limit+1))
		if err != nil {
			h.log.Warn("cannot read webhook body", "err", err)
			http.Error(w, "cannot read body", http.StatusBadRequest)
			return false
		}
		tooLarge = n > limit
	}
	if !tooLarge {
		return true
	}

	// A client waiting for 100 Continue has sent nothing yet: answer now.
	if !strings.EqualFold(r.Header.Get("Expect"), "100-continue") {
		_, _ = io.CopyN(io.Discard, r.Body, drainLimit)
	}
	w.Header().Set("Connection", "close")
	h.log.Warn("webhook body over the size limit", "limit_bytes", limit,
		"content_length", r.ContentLength)
	http.Error(w, fmt.Sprintf("body over %d bytes", limit), http.StatusRequestEntityTooLarge)
	return false
}

// badSignature answers 401. A run of failures most likely means that the
// bot's Security Key was reset in Pyrus, so it is raised to Error.
func (h *Handler) badSignature(w http.ResponseWriter, r *http.Request) {
	n := h.badSignatures.Add(1)
	attrs := []any{"remote_addr", r.RemoteAddr, "user_agent", r.UserAgent(),
		"signature_present", r.Header.Get("X-Pyrus-Sig") != "", "failures_in_a_row", n}
	if n == 3 || n%100 == 0 {
		h.log.Error("webhook signatures keep failing: if the bot's Security Key was "+
			"reset in Pyrus, give rulebot the new key", attrs...)
	} else {
		h.log.Warn("webhook signature does not match", attrs...)
	}
	http.Error(w, "signature does not match", http.StatusUnauthorized)
}

// logResult logs the rules that failed and the values that lost to an
// earlier rule, each once, for the people who own the rules.
func logResult(log *slog.Logger, res *engine.Result) {
	for _, e := range res.Errors {
		log.Error("rule failed", "rule", e.Rule, "err", e.Error())
	}
	for _, o := range res.Overridden {
		log.Warn("an earlier rule's action wins", "action", o.Action, "rule", o.Rule,
			"value", fmt.Sprint(o.Value), "kept_from", o.KeptBy, "kept", fmt.Sprint(o.Kept))
	}
}

func taskID(hook *pyrus.Webhook) int64 {
	if hook.Task != nil && hook.Task.ID != 0 {
		return hook.Task.ID
	}
	return hook.TaskID
}

// retry is the X-Pyrus-Retry attempt, "1/3" when absent.
func retry(r *http.Request) string {
	if v := r.Header.Get("X-Pyrus-Retry"); v != "" {
		return v
	}
	return "1/3"
}

func warningList(ws []pyrus.Warning) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.String()
	}
	return out
}
