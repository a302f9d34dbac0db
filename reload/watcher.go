package reload

import (
	"context"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Defaults of a Watcher.
const (
	// DefaultDebounce is how long file events must pause before the rules
	// file is read, so that a burst of events from one save reloads once.
	DefaultDebounce = 150 * time.Millisecond
	// DefaultPollInterval is how often the content of the rules file is
	// compared with the last one read, whether or not events came.
	DefaultPollInterval = 3 * time.Second
)

// Watcher reloads the rules in a Store when their file changes and when
// asked to. It watches, with fsnotify, the folder of the file and the
// folders its symlinks lead through, so that saves by rename, saves in
// place and a swapped Kubernetes ConfigMap are all seen; and it compares
// the file's content every poll interval, for mounts that send no events.
type Watcher struct {
	path      string // as given: read, and named in messages
	abs       string // absolute: resolved to find the folders to watch
	store     *Store
	log       *slog.Logger
	poll      time.Duration
	onAttempt func(Attempt)
	newFS     func() (*fsnotify.Watcher, error)
	force     chan struct{}

	// The fields below belong to the goroutine running Run.
	last    string // what the last attempt read: see stateOf
	pending debounce
	notify  notify
}

// Option adjusts a Watcher.
type Option func(*Watcher)

// WithDebounce sets how long file events must pause before the rules file
// is read; DefaultDebounce when not positive.
func WithDebounce(d time.Duration) Option {
	return func(w *Watcher) {
		if d > 0 {
			w.pending.quiet = d
		}
	}
}

// WithPollInterval sets how often the content of the rules file is
// compared, events or not; DefaultPollInterval when not positive.
func WithPollInterval(d time.Duration) Option {
	return func(w *Watcher) {
		if d > 0 {
			w.poll = d
		}
	}
}

// WithOnAttempt has f called after every reload attempt, from the
// goroutine running Run, for metrics and tests. f must return quickly.
func WithOnAttempt(f func(Attempt)) Option {
	return func(w *Watcher) { w.onAttempt = f }
}

// NewWatcher makes a Watcher that keeps store up to date with the rules
// file at path and logs to log (slog.Default() when nil). Nothing happens
// until Run.
func NewWatcher(path string, store *Store, log *slog.Logger, opts ...Option) *Watcher {
	if log == nil {
		log = slog.Default()
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	w := &Watcher{
		path:    path,
		abs:     abs,
		store:   store,
		log:     log.With("component", "reload"),
		poll:    DefaultPollInterval,
		newFS:   fsnotify.NewWatcher,
		force:   make(chan struct{}, 1),
		pending: newDebounce(DefaultDebounce),
	}
	for _, opt := range opts {
		opt(w)
	}
	return w
}

// Reload asks Run to load the rules file now, even when its content is the
// same as last time: what SIGHUP does. It does not wait for the reload;
// calls made while one is still pending are merged into it.
func (w *Watcher) Reload() {
	select {
	case w.force <- struct{}{}:
	default:
	}
}

// Run watches the rules file until ctx is done. Nothing else ends it: a
// watch that cannot be set up or that fails is logged, the periodic check
// of the content goes on, and the watch is set up again at every check.
// Call Run once.
func (w *Watcher) Run(ctx context.Context) {
	w.log.Info("watching the rules file for changes", "file", w.path,
		"poll_interval", w.poll.String())
	w.last = w.store.Rules().Hash
	w.rewatch()
	defer w.closeWatch()

	// An edit made before the watch was set up is found here.
	w.pending.add("start")
	defer w.pending.stop()
	tick := time.NewTicker(w.poll)
	defer tick.Stop()

	for {
		select {
		case <-ctx.Done():
			return
		case <-w.force:
			w.attempt("reload", true)
		case <-w.pending.timer.C:
			w.attempt(w.pending.fired(), false)
		case <-tick.C:
			w.rewatch()
			if w.changed() {
				w.pending.add("poll")
			}
		case ev, ok := <-w.fsEvents():
			w.onEvent(ev, ok)
		case err, ok := <-w.fsErrors():
			w.onError(err, ok)
		}
	}
}
