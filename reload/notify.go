package reload

import (
	"errors"
	"fmt"

	"github.com/fsnotify/fsnotify"
)

// notify is the fsnotify side of a Watcher.
type notify struct {
	fs      *fsnotify.Watcher // nil while nothing is watched
	targets targets
	err     error // why watching does not work; nil while it does
}

var errEventsClosed = errors.New("fsnotify stopped sending events")

// fsEvents are the file events; nil, which never sends, while nothing is
// watched.
func (w *Watcher) fsEvents() <-chan fsnotify.Event {
	if w.notify.fs == nil {
		return nil
	}
	return w.notify.fs.Events
}

// fsErrors are the watch errors; nil while nothing is watched.
func (w *Watcher) fsErrors() <-chan error {
	if w.notify.fs == nil {
		return nil
	}
	return w.notify.fs.Errors
}

// onEvent schedules a reload for an event that may change the rules file.
// A symlink may have moved, so the folders to watch are found again first.
func (w *Watcher) onEvent(ev fsnotify.Event, ok bool) {
	if !ok {
		w.dropWatch(errEventsClosed)
		w.pending.add("watch_error")
		return
	}
	if !w.notify.targets.matches(ev.Name) {
		return
	}
	w.log.Debug("rules file event", "event", ev.Op.String(), "path", ev.Name)
	w.rewatch()
	w.pending.add("event")
}

// onError re-reads the rules file after a watch error, since events may
// have been lost. After an overflow the watch goes on; after any other
// error it is set up anew at the next periodic check.
func (w *Watcher) onError(err error, ok bool) {
	if !ok {
		err = errEventsClosed
	}
	if errors.Is(err, fsnotify.ErrEventOverflow) {
		w.log.Warn("file events were lost; re-reading the rules file",
			"file", w.path, "err", err)
		w.rewatch()
	} else {
		w.dropWatch(err)
	}
	w.pending.add("watch_error")
}

// rewatch starts fsnotify when it is not running, finds the folders to
// watch again, and watches exactly those.
func (w *Watcher) rewatch() {
	n := &w.notify
	if n.fs == nil {
		fs, err := w.newFS()
		if err != nil {
			w.setWatchErr(fmt.Errorf("start watching: %w", err))
			return
		}
		n.fs = fs
	}

	n.targets = resolveTargets(w.abs)
	stale := map[string]bool{}
	for _, dir := range n.fs.WatchList() {
		stale[dir] = true
	}
	var errs []error
	for dir := range n.targets {
		if stale[dir] {
			delete(stale, dir)
			continue
		}
		if err := n.fs.Add(dir); err != nil {
			errs = append(errs, fmt.Errorf("watch %q: %w", dir, err))
		}
	}
	// A folder a symlink no longer leads to; it may be gone already.
	for dir := range stale {
		_ = n.fs.Remove(dir)
	}
	w.setWatchErr(errors.Join(errs...))
}

// setWatchErr logs when watching stops working and when it works again,
// not at every periodic check in between.
func (w *Watcher) setWatchErr(err error) {
	switch {
	case err != nil && w.notify.err == nil:
		w.log.Warn("cannot watch the rules file; relying on the periodic check",
			"file", w.path, "poll_interval", w.poll, "err", err)
	case err == nil && w.notify.err != nil:
		w.log.Info("watching the rules file again", "file", w.path)
	}
	w.notify.err = err
}

// dropWatch closes a failed watch; the next periodic check sets it up
// again.
func (w *Watcher) dropWatch(err error) {
	w.closeWatch()
	w.log.Warn("the file watch failed; relying on the periodic check until it is back",
		"file", w.path, "poll_interval", w.poll, "err", err)
	w.notify.err = err
}

func (w *Watcher) closeWatch() {
	if w.notify.fs != nil {
		_ = w.notify.fs.Close()
		w.notify.fs = nil
	}
}
