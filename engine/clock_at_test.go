package engine

import (
	"testing"
	"time"
)

// TestManualClockNewTimerAt checks that a timer armed for an absolute time
// fires when the clock reaches it, and at once when the clock has already
// passed it (an Advance between the engine reading the time and arming its
// timer must not delay the timer).
func TestManualClockNewTimerAt(t *testing.T) {
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	c := NewManualClock(start)
	due := start.Add(time.Minute)
	c.Advance(2 * time.Minute) // the clock moved on before the timer was armed
	select {
	case <-newTimerAt(c, due, start).C():
	default:
		t.Fatal("a timer for a time already passed did not fire at once")
	}
	later := newTimerAt(c, start.Add(3*time.Minute), c.Now())
	c.Advance(59 * time.Second)
	select {
	case <-later.C():
		t.Fatal("fired before its time")
	default:
	}
	c.Advance(time.Second)
	select {
	case got := <-later.C():
		if !got.Equal(start.Add(3 * time.Minute)) {
			t.Errorf("fired at %v", got)
		}
	default:
		t.Fatal("did not fire at its time")
	}
}
