// Package record turns real webhooks into task fixtures: a Recorder saves
// the bodies that the bot verified into a folder, and a Redactor replaces
// the personal data in them (names, emails, phone numbers) by stable
// placeholders, so that fixtures can be shared and committed.
package record

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rulebot/rulebot/pyrus"
)

// Default caps of a record folder.
const (
	DefaultMaxFiles = 1000
	DefaultMaxBytes = 100 << 20
)

const (
	// queueLen and maxQueued bound the bodies waiting to be written: a
	// webhook whose body does not fit is answered and not recorded.
	queueLen  = 64
	maxQueued = 32 << 20
	// logEvery is how often a repeating problem is logged at most.
	logEvery = time.Minute
	// rescanEvery is how often a full folder is counted again, so that
	// recording resumes once someone has made room.
	rescanEvery = time.Minute
)

// Config sets up a Recorder.
type Config struct {
	// Dir is the folder recordings go to; it is made when missing.
	Dir string
	// Redactor scrubs each body before it is written. Nil writes bodies
	// with their personal data (--record-raw); the access token is
	// removed either way.
	Redactor *Redactor
	// MaxFiles and MaxBytes cap the recordings in Dir, those already there
	// included; zero means DefaultMaxFiles and DefaultMaxBytes.
	MaxFiles int
	MaxBytes int64
	// Logger receives the recorder's problems; slog.Default() when nil.
	Logger *slog.Logger

	now        func() time.Time                    // time.Now when nil
	write      func(*os.File, []byte) (int, error) // (*os.File).Write when nil
	queueBytes int64                               // maxQueued when zero
}

// Recorder saves webhook bodies into a folder, one file each, named after
// the task and the time. Record hands a body over and returns at once; one
// goroutine scrubs and writes the bodies in turn, so that neither a slow
// disk nor a full one holds up a webhook.
type Recorder struct {
	cfg   Config
	log   *slog.Logger
	queue chan item
	quit  chan struct{}
	done  chan struct{}
	stop  sync.Once

	queued  atomic.Int64 // bytes of the bodies in the queue
	dropped atomic.Int64 // bodies not recorded because the queue was full
	handled atomic.Int64 // bodies taken from the queue and done with
	drops   throttle

	// The rest belongs to the writing goroutine.
	files    int
	bytes    int64
	full     bool
	scanned  time.Time
	failures throttle
}

// item is a body waiting to be written.
type item struct {
	task int64
	at   time.Time
	body []byte
}

// New makes the record folder when missing, checks that it can be written,
// counts the recordings already in it, and starts the writing goroutine;
// Close stops it.
func New(cfg Config) (*Recorder, error) {
	if cfg.MaxFiles <= 0 {
		cfg.MaxFiles = DefaultMaxFiles
	}
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = DefaultMaxBytes
	}
	if cfg.now == nil {
		cfg.now = time.Now
	}
	if cfg.write == nil {
		cfg.write = (*os.File).Write
	}
	if cfg.queueBytes <= 0 {
		cfg.queueBytes = maxQueued
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if err := checkDir(cfg.Dir); err != nil {
		return nil, err
	}
	r := &Recorder{
		cfg: cfg, log: cfg.Logger.With("component", "record"),
		queue: make(chan item, queueLen), quit: make(chan struct{}), done: make(chan struct{}),
	}
	if err := r.scan(); err != nil {
		return nil, fmt.Errorf("record folder %q: %w", cfg.Dir, err)
	}
	go r.run()
	r.log.Info("recording webhooks", "dir", cfg.Dir, "redacted", cfg.Redactor != nil,
		"files", r.files, "bytes", r.bytes, "max_files", cfg.MaxFiles, "max_bytes", cfg.MaxBytes)
	return r, nil
}

// checkDir makes the record folder when missing and writes a file in it,
// so that a folder that cannot be written is a start-up error.
func checkDir(dir string) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("record folder: %w", err)
	}
	f, err := os.CreateTemp(dir, ".rulebot-check-*")
	if err != nil {
		return fmt.Errorf("record folder %q cannot be written: %w", dir, err)
	}
	f.Close()
	return os.Remove(f.Name())
}

// Record hands a verified webhook body over to be recorded, and returns at
// once. It copies body, which the caller may reuse. A body that finds the
// queue full is not recorded; that is logged now and then. A nil Recorder
// records nothing.
func (r *Recorder) Record(body []byte, hook *pyrus.Webhook) {
	if r == nil {
		return
	}
	select {
	case <-r.quit:
		return
	default:
	}
	task := taskID(hook)
	n := int64(len(body))
	if r.queued.Add(n) > r.cfg.queueBytes {
		r.queued.Add(-n)
		r.drop(task)
		return
	}
	select {
	case r.queue <- item{task: task, at: r.cfg.now(), body: bytes.Clone(body)}:
	default:
		r.queued.Add(-n)
		r.drop(task)
	}
}

// Dropped is how many bodies were not recorded because the queue was full.
func (r *Recorder) Dropped() int64 { return r.dropped.Load() }

func (r *Recorder) drop(task int64) {
	r.dropped.Add(1)
	if missed, ok := r.drops.allow(r.cfg.now()); ok {
		r.log.Warn("webhook not recorded: the record queue is full", "task_id", task,
			"dropped_since_last_report", missed)
	}
}

func taskID(hook *pyrus.Webhook) int64 {
	switch {
	case hook == nil:
		return 0
	case hook.Task != nil && hook.Task.ID != 0:
		return hook.Task.ID
	}
	return hook.TaskID
}

// Close writes the bodies still queued and stops the writing goroutine;
// Record records nothing after it. It returns early, with an error, when
// ctx ends first.
func (r *Recorder) Close(ctx context.Context) error {
	if r == nil {
		return nil
	}
	r.stop.Do(func() { close(r.quit) })
	select {
	case <-r.done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("recordings not all written: %w", ctx.Err())
	}
}

// run writes the queued bodies until Close, then those left in the queue.
func (r *Recorder) run() {
	defer close(r.done)
	for {
		select {
		case it := <-r.queue:
			r.write(it)
		case <-r.quit:
			for {
				select {
				case it := <-r.queue:
					r.write(it)
				default:
					return
				}
			}
		}
	}
}

// write scrubs one body and writes it, if the folder has room for it.
func (r *Recorder) write(it item) {
	r.queued.Add(-int64(len(it.body)))
	defer r.handled.Add(1)
	data, err := r.scrub(it.body)
	if err != nil {
		r.log.Warn("webhook not recorded: its body cannot be read", "task_id", it.task,
			"err", err)
		return
	}
	if !r.room(int64(len(data))) {
		return
	}
	name, err := r.save(it, data)
	if err != nil {
		if missed, ok := r.failures.allow(r.cfg.now()); ok {
			r.log.Error("cannot write a recording; the webhook was answered all the same",
				"task_id", it.task, "dir", r.cfg.Dir, "err", err,
				"failures_since_last_report", missed)
		}
		return
	}
	r.files++
	r.bytes += int64(len(data))
	r.log.Debug("webhook recorded", "task_id", it.task, "file", name)
}

// scrub redacts a body, or only drops its access token when recording
// raw.
func (r *Recorder) scrub(body []byte) ([]byte, error) {
	if r.cfg.Redactor == nil {
		return StripToken(body)
	}
	return r.cfg.Redactor.Redact(body)
}

// save writes a recording under the first free name. Raw recordings hold
// personal data, so only their owner may read them.
func (r *Recorder) save(it item, data []byte) (string, error) {
	perm := os.FileMode(0o644)
	if r.cfg.Redactor == nil {
		perm = 0o600
	}
	for n := 1; ; n++ {
		name := FileName(it.task, it.at, n)
		path := filepath.Join(r.cfg.Dir, name)
		if _, err := os.Lstat(path); err == nil {
			continue
		}
		return name, writeFile(path, data, perm, r.cfg.write)
	}
}

// room reports whether a recording of n bytes stays within the caps. Once
// the folder is full, recording stops, which is logged once; the folder is
// counted again now and then, and recording resumes when it has room.
func (r *Recorder) room(n int64) bool {
	fits := func() bool {
		return r.files < r.cfg.MaxFiles && r.bytes+n <= r.cfg.MaxBytes
	}
	if fits() {
		return true
	}
	if now := r.cfg.now(); !r.full || now.Sub(r.scanned) >= rescanEvery {
		r.scanned = now
		if r.scan() == nil && fits() {
			if r.full {
				r.log.Info("recording resumed: the record folder has room again",
					"dir", r.cfg.Dir, "files", r.files, "bytes", r.bytes)
			}
			r.full = false
			return true
		}
	}
	if !r.full {
		r.full = true
		r.log.Warn("record folder is full: recording stopped", "dir", r.cfg.Dir,
			"files", r.files, "bytes", r.bytes,
			"max_files", r.cfg.MaxFiles, "max_bytes", r.cfg.MaxBytes)
	}
	return false
}

// scan counts the recordings in the folder and their bytes.
func (r *Recorder) scan() error {
	entries, err := os.ReadDir(r.cfg.Dir)
	if err != nil {
		return err
	}
	r.files, r.bytes = 0, 0
	for _, e := range entries {
		if !e.Type().IsRegular() || !fileName.MatchString(e.Name()) {
			continue
		}
		if info, err := e.Info(); err == nil {
			r.files++
			r.bytes += info.Size()
		}
	}
	return nil
}

// throttle lets a repeating problem be logged at most once per logEvery,
// and counts the times it held back in between.
type throttle struct {
	mu     sync.Mutex
	last   time.Time
	missed int
}

// allow reports whether to log now, and how many times it said no since
// it last said yes.
func (t *throttle) allow(now time.Time) (missed int, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.last.IsZero() && now.Sub(t.last) < logEvery {
		t.missed++
		return 0, false
	}
	missed, t.missed, t.last = t.missed, 0, now
	return missed, true
}
