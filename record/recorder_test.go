package record

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/rulebot/rulebot/internal/logbuf"
	"github.com/rulebot/rulebot/pyrus"
)

const peopleFixture = "../testdata/record/people.json"

var testKey = []byte("EXAMPLE-redaction-key-0123456789")

// start is the time of the first recording in these tests.
var start = time.Date(2025, 3, 5, 10, 0, 0, 0, time.UTC)

// clock is a clock that the tests move; both the caller of Record and the
// writing goroutine read it.
type clock struct{ ns atomic.Int64 }

func newClock() *clock {
	c := &clock{}
	c.ns.Store(start.UnixNano())
	return c
}

func (c *clock) now() time.Time          { return time.Unix(0, c.ns.Load()).UTC() }
func (c *clock) add(d time.Duration)     { c.ns.Add(int64(d)) }
func (c *clock) set(cfg *Config) *Config { cfg.now = c.now; return cfg }

// logged are the JSON log lines in logs whose message starts with msg.
func logged(t *testing.T, logs *logbuf.Buffer, msg string) []map[string]any {
	t.Helper()
	all, err := logs.Records()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for _, rec := range all {
		if text, _ := rec["msg"].(string); strings.HasPrefix(text, msg) {
			out = append(out, rec)
		}
	}
	return out
}

// newRecorder starts a recorder on cfg, with a log the test reads, and
// closes it when the test ends.
func newRecorder(t *testing.T, cfg *Config) (*Recorder, *logbuf.Buffer) {
	t.Helper()
	logs := &logbuf.Buffer{}
	cfg.Logger = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	r, err := New(*cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close(context.Background()) })
	return r, logs
}

func closeRecorder(t *testing.T, r *Recorder) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := r.Close(ctx); err != nil {
		t.Fatal(err)
	}
}

func testRedactor(t *testing.T) *Redactor {
	t.Helper()
	red, err := NewRedactor(testKey)
	if err != nil {
		t.Fatal(err)
	}
	return red
}

func readBody(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// hook is what the handler hands over with a body.
func hook(t *testing.T, body []byte) *pyrus.Webhook {
	t.Helper()
	h, _, err := pyrus.DecodeWebhook(body, pyrus.DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// dirFiles lists the names in dir.
func dirFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestRecorderWrites records a body twice in one second, redacted and
// raw: names follow the task and the time, redacted files are what
// Redact gives, raw ones only lose the token and are private.
func TestRecorderWrites(t *testing.T) {
	body := readBody(t, peopleFixture)
	redacted, _ := testRedactor(t).Redact(body)
	raw, _ := StripToken(body)
	tests := []struct {
		name     string
		redactor *Redactor
		want     []byte
		wantMode os.FileMode
	}{
		{"redacted", testRedactor(t), redacted, 0o644},
		{"raw", nil, raw, 0o600},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			r, logs := newRecorder(t, newClock().set(&Config{Dir: dir, Redactor: tt.redactor}))
			r.Record(body, hook(t, body))
			r.Record(body, hook(t, body))
			closeRecorder(t, r)

			names := dirFiles(t, dir)
			want := []string{"task-11842001-20250305T100000Z-1.json",
				"task-11842001-20250305T100000Z-2.json"}
			if strings.Join(names, " ") != strings.Join(want, " ") {
				t.Fatalf("files %q, want %q", names, want)
			}
			for _, name := range names {
				path := filepath.Join(dir, name)
				if got := readBody(t, path); !bytes.Equal(got, tt.want) {
					t.Errorf("%s:\n%s", name, got)
				}
				if info, _ := os.Stat(path); info.Mode().Perm() != tt.wantMode {
					t.Errorf("%s: mode %v, want %v", name, info.Mode().Perm(), tt.wantMode)
				}
			}
			if strings.Contains(logs.String(), "fake-access-token") {
				t.Errorf("the log holds the access token:\n%s", logs)
			}
		})
	}
}

// TestRecorderCaps stops recording at the caps, counting what the folder
// held before, logs that once, and resumes once the folder has room.
func TestRecorderCaps(t *testing.T) {
	body := readBody(t, peopleFixture)
	size := int64(len(mustStrip(t, body)))
	tests := []struct {
		name      string
		before    int // recordings already in the folder
		maxFiles  int
		maxBytes  int64
		wantFiles int
	}{
		{"files", 0, 2, 0, 2},
		{"files already there count", 2, 3, 0, 3},
		{"bytes", 0, 0, 3*size + 10, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for i := range tt.before {
				name := FileName(1, start.Add(-time.Hour), i+1)
				err := os.WriteFile(filepath.Join(dir, name), mustStrip(t, body), 0o600)
				if err != nil {
					t.Fatal(err)
				}
			}
			c := newClock()
			r, logs := newRecorder(t, c.set(&Config{Dir: dir, MaxFiles: tt.maxFiles,
				MaxBytes: tt.maxBytes}))
			for range 6 {
				r.Record(body, hook(t, body))
			}
			waitHandled(t, r, 6)
			if got := len(dirFiles(t, dir)); got != tt.wantFiles {
				t.Errorf("%d files, want %d", got, tt.wantFiles)
			}
			if full := logged(t, logs, "record folder is full"); len(full) != 1 {
				t.Errorf("%d lines say the folder is full, want 1:\n%s", len(full), logs)
			}

			// Someone makes room; within a minute recording resumes.
			for _, name := range dirFiles(t, dir)[:2] {
				_ = os.Remove(filepath.Join(dir, name))
			}
			r.Record(body, hook(t, body))
			waitHandled(t, r, 7)
			if got := len(dirFiles(t, dir)); got != tt.wantFiles-2 {
				t.Errorf("recorded before the folder was counted again: %d files", got)
			}
			c.add(rescanEvery)
			r.Record(body, hook(t, body))
			closeRecorder(t, r)
			if got := len(dirFiles(t, dir)); got != tt.wantFiles-1 {
				t.Errorf("%d files after making room, want %d", got, tt.wantFiles-1)
			}
			if len(logged(t, logs, "recording resumed")) != 1 {
				t.Errorf("no line says recording resumed:\n%s", logs)
			}
		})
	}
}

func mustStrip(t *testing.T, body []byte) []byte {
	t.Helper()
	out, err := StripToken(body)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// waitHandled waits until the recorder is done with n bodies.
func waitHandled(t *testing.T, r *Recorder, n int64) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		if r.handled.Load() >= n {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatalf("the recorder is done with %d bodies, want %d", r.handled.Load(), n)
}

// TestRecorderWriteFailures breaks the record folder after start-up: the
// recordings fail, the failure is logged once at Error (then at most once
// a minute), Record still returns at once, and nothing is left behind.
func TestRecorderWriteFailures(t *testing.T) {
	tests := []struct {
		name string
		// setUp changes the recorder's config before it starts; breakIt
		// breaks its folder after, and gives the error to expect.
		setUp   func(cfg *Config)
		breakIt func(t *testing.T, dir string) (wantErr string)
	}{
		{"read-only folder", nil, readOnly},
		{"full disk", fullDisk, func(*testing.T, string) string {
			return "no space left on device"
		}},
		{"folder gone", nil, func(t *testing.T, dir string) string {
			if err := os.Remove(dir); err != nil {
				t.Fatal(err)
			}
			return "no such file or directory"
		}},
	}
	body := readBody(t, peopleFixture)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "rec")
			c := newClock()
			cfg := c.set(&Config{Dir: dir})
			if tt.setUp != nil {
				tt.setUp(cfg)
			}
			r, logs := newRecorder(t, cfg)
			wantErr := tt.breakIt(t, dir)

			for range 3 {
				began := time.Now()
				r.Record(body, hook(t, body))
				if d := time.Since(began); d > 100*time.Millisecond {
					t.Errorf("Record took %v", d)
				}
			}
			waitHandled(t, r, 3)
			c.add(logEvery)
			r.Record(body, hook(t, body))
			closeRecorder(t, r)

			lines := logged(t, logs, "cannot write a recording")
			if len(lines) != 2 {
				t.Fatalf("%d error lines, want 2 (one, and one a minute later):\n%s",
					len(lines), logs)
			}
			first, second := lines[0], lines[1]
			if first["level"] != "ERROR" || !strings.Contains(first["err"].(string), wantErr) ||
				first["task_id"] != 11842001.0 || second["failures_since_last_report"] != 2.0 {
				t.Errorf("log lines:\n%v\n%v", first, second)
			}
			if info, err := os.Stat(dir); err == nil && info.IsDir() {
				if names := dirFiles(t, dir); len(names) != 0 {
					t.Errorf("left behind: %q", names)
				}
			}
		})
	}
}

// fullDisk makes every write stop half-way with ENOSPC, as on a full disk.
func fullDisk(cfg *Config) {
	cfg.write = func(f *os.File, data []byte) (int, error) {
		n, _ := f.Write(data[:len(data)/2])
		return n, &os.PathError{Op: "write", Path: f.Name(), Err: syscall.ENOSPC}
	}
}

// readOnly makes dir read-only. A process with the power to write anywhere
// (root) still writes there: the folder is then replaced with a file,
// which fails the same way for everyone.
func readOnly(t *testing.T, dir string) string {
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(dir, 0o755) })
	probe, err := os.CreateTemp(dir, "probe")
	if err != nil {
		return "permission denied"
	}
	probe.Close()
	_ = os.Remove(probe.Name())
	t.Logf("%s stays writable for this user (root?): replacing it with a file", dir)
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir, []byte("not a folder"), 0o444); err != nil {
		t.Fatal(err)
	}
	return "not a directory"
}

// TestRecorderStartUp refuses a record folder that cannot be made.
func TestRecorderStartUp(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := New(Config{Dir: filepath.Join(file, "rec")})
	if err == nil || !strings.HasPrefix(err.Error(), "record folder: ") {
		t.Errorf("New: %v", err)
	}
}

// blockWrites makes the recorder's writes wait for the returned function;
// entered tells when a write has started.
func blockWrites(cfg *Config) (entered <-chan struct{}, release func()) {
	in, gate := make(chan struct{}, 1), make(chan struct{})
	cfg.write = func(f *os.File, data []byte) (int, error) {
		select {
		case in <- struct{}{}:
		default:
		}
		<-gate
		return f.Write(data)
	}
	var once sync.Once
	return in, func() { once.Do(func() { close(gate) }) }
}

// TestRecorderQueueFull drops, counts and logs (once a minute) the bodies
// that find the queue full while the disk is slow, without waiting.
func TestRecorderQueueFull(t *testing.T) {
	body := readBody(t, peopleFixture)
	tests := []struct {
		name        string
		queueBytes  int64
		n           int
		wantDropped int64
	}{
		{"by count", 0, queueLen + 10, 10},
		{"by bytes", 5*int64(len(body)) + 1, 8, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := newClock().set(&Config{Dir: dir, queueBytes: tt.queueBytes})
			entered, release := blockWrites(cfg)
			r, logs := newRecorder(t, cfg)
			defer release()

			r.Record(body, hook(t, body))
			<-entered // the writer holds the first body
			began := time.Now()
			for range tt.n {
				r.Record(body, hook(t, body))
			}
			if d := time.Since(began); d > time.Second {
				t.Errorf("%d calls of Record took %v", tt.n, d)
			}
			if got := r.Dropped(); got != tt.wantDropped {
				t.Errorf("dropped %d, want %d", got, tt.wantDropped)
			}
			lines := logged(t, logs, "webhook not recorded: the record queue is full")
			if len(lines) != 1 {
				t.Errorf("%d lines about the full queue, want 1", len(lines))
			}

			release()
			closeRecorder(t, r)
			if got, want := len(dirFiles(t, dir)), 1+tt.n-int(tt.wantDropped); got != want {
				t.Errorf("%d files after Close, want %d", got, want)
			}
		})
	}
}

// TestRecorderClose writes what is queued, records nothing after, and
// gives up when its context ends first.
func TestRecorderClose(t *testing.T) {
	body := readBody(t, peopleFixture)
	dir := t.TempDir()
	cfg := newClock().set(&Config{Dir: dir})
	entered, release := blockWrites(cfg)
	r, _ := newRecorder(t, cfg)
	defer release()

	for range 3 {
		r.Record(body, hook(t, body))
	}
	<-entered
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := r.Close(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Close with a stuck disk: %v", err)
	}

	release()
	closeRecorder(t, r)
	r.Record(body, hook(t, body)) // after Close: nothing, and no panic
	if got := len(dirFiles(t, dir)); got != 3 {
		t.Errorf("%d files, want the 3 queued before Close", got)
	}
	var nilRecorder *Recorder
	nilRecorder.Record(body, nil)
	if err := nilRecorder.Close(context.Background()); err != nil {
		t.Error(err)
	}
}

// TestRecorderUnreadableBody logs a body that is not a JSON object, and
// writes nothing for it.
func TestRecorderUnreadableBody(t *testing.T) {
	dir := t.TempDir()
	r, logs := newRecorder(t, newClock().set(&Config{Dir: dir, Redactor: testRedactor(t)}))
	r.Record([]byte(`[1, 2]`), nil)
	closeRecorder(t, r)
	if names := dirFiles(t, dir); len(names) != 0 {
		t.Errorf("files %q", names)
	}
	lines := logged(t, logs, "webhook not recorded: its body cannot be read")
	if len(lines) != 1 || lines[0]["err"] != "not a JSON object" || lines[0]["task_id"] != 0.0 {
		t.Errorf("log:\n%s", logs)
	}
}
