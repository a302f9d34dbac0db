package reload

import "time"

// maxDelayFactor bounds the wait of a debounce to this many quiet
// intervals after its first trigger, so a file written without a pause is
// still read now and then.
const maxDelayFactor = 5

// debounce gathers a burst of triggers into one reload: its timer fires
// once the triggers pause for the quiet interval.
type debounce struct {
	timer   *time.Timer
	quiet   time.Duration
	first   time.Time // of the pending burst; zero when none is pending
	trigger string    // what started the pending burst
}

func newDebounce(quiet time.Duration) debounce {
	t := time.NewTimer(time.Hour)
	t.Stop()
	return debounce{timer: t, quiet: quiet}
}

// add starts a burst, or extends the pending one.
func (d *debounce) add(trigger string) {
	d.timer.Reset(d.delay(trigger, time.Now()))
}

// delay notes a trigger at now and gives how long to wait before the
// reload: the quiet interval, but never past maxDelayFactor intervals
// after the burst's first trigger.
func (d *debounce) delay(trigger string, now time.Time) time.Duration {
	if d.first.IsZero() {
		d.first, d.trigger = now, trigger
	}
	latest := d.first.Add(maxDelayFactor * d.quiet)
	return max(min(d.quiet, latest.Sub(now)), 0)
}

// fired ends the pending burst and says what started it.
func (d *debounce) fired() string {
	d.first = time.Time{}
	return d.trigger
}

func (d *debounce) stop() { d.timer.Stop() }
