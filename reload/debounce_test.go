package reload

import (
	"testing"
	"time"
)

// TestDebounceDelay waits for a pause of the quiet interval, but never
// longer than five intervals after a burst's first event.
func TestDebounceDelay(t *testing.T) {
	d := newDebounce(150 * time.Millisecond)
	defer d.stop()
	t0 := time.Date(2025, 3, 5, 10, 0, 0, 0, time.UTC)
	steps := []struct {
		at   time.Duration // after the first event
		want time.Duration
	}{
		{0, 150 * time.Millisecond},
		{100 * time.Millisecond, 150 * time.Millisecond},
		{650 * time.Millisecond, 100 * time.Millisecond}, // 750 ms at the most
		{740 * time.Millisecond, 10 * time.Millisecond},
		{800 * time.Millisecond, 0},
	}
	for _, s := range steps {
		if got := d.delay("event", t0.Add(s.at)); got != s.want {
			t.Errorf("an event at %v: wait %v, want %v", s.at, got, s.want)
		}
	}
	if got := d.fired(); got != "event" {
		t.Errorf("fired says %q", got)
	}
	if got := d.delay("poll", t0.Add(time.Second)); got != 150*time.Millisecond {
		t.Errorf("a new burst: wait %v, want the quiet interval", got)
	}
}
