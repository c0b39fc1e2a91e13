package engine

import (
	"sort"
	"sync"
	"time"
)

// Clock supplies the engine's time and timers. The zero Options use the
// system clock; tests use a ManualClock.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// NewTimer returns a timer that delivers the time on its channel once
	// d has passed.
	NewTimer(d time.Duration) ClockTimer
}

// ClockTimer is a one-shot timer made by a Clock.
type ClockTimer interface {
	// C is the channel the time is delivered on.
	C() <-chan time.Time
	// Stop prevents the timer from firing; it reports whether it did.
	Stop() bool
}

// SystemClock is the real clock.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// NewTimer wraps time.NewTimer.
func (SystemClock) NewTimer(d time.Duration) ClockTimer { return systemTimer{time.NewTimer(d)} }

type systemTimer struct{ t *time.Timer }

func (t systemTimer) C() <-chan time.Time { return t.t.C }
func (t systemTimer) Stop() bool          { return t.t.Stop() }

// ManualClock is a Clock whose time moves only when Advance or Set is
// called: tests use it to drive Wait states, retry delays and timeouts
// deterministically. It is safe for concurrent use.
type ManualClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*manualTimer
}

// NewManualClock returns a ManualClock set to start.
func NewManualClock(start time.Time) *ManualClock { return &ManualClock{now: start} }

// Now returns the clock's current time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// NewTimer returns a timer that fires when the clock reaches Now()+d.
func (c *ManualClock) NewTimer(d time.Duration) ClockTimer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &manualTimer{clock: c, due: c.now.Add(d), ch: make(chan time.Time, 1)}
	if d <= 0 {
		t.ch <- c.now
		return t
	}
	c.timers = append(c.timers, t)
	return t
}

// NewTimerAt returns a timer that fires when the clock reaches at (at once
// when it already has). The engine arms its timers this way when the clock
// offers it, so that an Advance between reading the time and arming the
// timer cannot push the timer past its due time.
func (c *ManualClock) NewTimerAt(at time.Time) ClockTimer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &manualTimer{clock: c, due: at, ch: make(chan time.Time, 1)}
	if !at.After(c.now) {
		t.ch <- c.now
		return t
	}
	c.timers = append(c.timers, t)
	return t
}

// newTimerAt arms a timer of c for the clock time at, given the time now
// the caller read: through NewTimerAt when c has it (ManualClock), else as
// a duration.
func newTimerAt(c Clock, at, now time.Time) ClockTimer {
	if ac, ok := c.(interface{ NewTimerAt(time.Time) ClockTimer }); ok {
		return ac.NewTimerAt(at)
	}
	return c.NewTimer(at.Sub(now))
}

// Advance moves the clock forward by d, firing the timers that fall due.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.setLocked(c.now.Add(d))
	c.mu.Unlock()
}

// Set moves the clock to t (never backwards), firing the timers that fall
// due.
func (c *ManualClock) Set(t time.Time) {
	c.mu.Lock()
	if t.After(c.now) {
		c.setLocked(t)
	}
	c.mu.Unlock()
}

func (c *ManualClock) setLocked(t time.Time) {
	c.now = t
	sort.Slice(c.timers, func(i, j int) bool { return c.timers[i].due.Before(c.timers[j].due) })
	kept := c.timers[:0]
	for _, tm := range c.timers {
		if !tm.due.After(t) {
			tm.ch <- t
			continue
		}
		kept = append(kept, tm)
	}
	c.timers = kept
}

type manualTimer struct {
	clock *ManualClock
	due   time.Time
	ch    chan time.Time
}

func (t *manualTimer) C() <-chan time.Time { return t.ch }

func (t *manualTimer) Stop() bool {
	c := t.clock
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, tm := range c.timers {
		if tm == t {
			c.timers = append(c.timers[:i], c.timers[i+1:]...)
			return true
		}
	}
	return false
}
