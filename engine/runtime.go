package engine

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/stepctl/stepctl/asl/jsonv"
	"github.com/stepctl/stepctl/asl/program"
	"github.com/stepctl/stepctl/asl/timestamp"
	"github.com/stepctl/stepctl/store"
	"github.com/stepctl/stepctl/tasks"
)

// post queues an event for an execution and schedules it for a worker.
func (e *Engine) post(arn string, ev *event) bool {
	return e.postState(arn, nil, ev)
}

// postState is post that hands over the execution's state when it is not
// held yet (a new EXPRESS execution: it need not be read back).
func (e *Engine) postState(arn string, st *execState, ev *event) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return false
	}
	x := e.execs[arn]
	if x == nil {
		x = &execEntry{arn: arn, st: st}
		e.execs[arn] = x
	}
	x.inbox = append(x.inbox, ev)
	if !x.queued {
		x.queued = true
		e.queue = append(e.queue, x)
		e.cond.Signal()
	}
	return true
}

// worker processes executions with pending events, one batch at a time
// per execution.
func (e *Engine) worker() {
	defer e.wg.Done()
	for {
		e.mu.Lock()
		for len(e.queue) == 0 && !e.closed {
			e.cond.Wait()
		}
		if e.closed {
			e.mu.Unlock()
			return
		}
		x := e.queue[0]
		e.queue[0] = nil
		e.queue = e.queue[1:]
		events := x.inbox
		x.inbox = nil
		e.mu.Unlock()

		e.process(x, events)

		e.mu.Lock()
		if len(x.inbox) > 0 && !e.closed {
			e.queue = append(e.queue, x)
			e.cond.Signal()
		} else {
			x.queued = false
			if x.inflight == 0 && len(x.inbox) == 0 {
				delete(e.execs, x.arn)
			}
		}
		e.mu.Unlock()
	}
}

// loadExec reads an execution's record, header and program.
func (e *Engine) loadExec(arn string) (*execState, error) {
	st := &execState{arn: arn, frames: make(map[string]*frame), express: isExpressARN(arn)}
	db := e.storeFor(arn)
	err := db.View(e.ctx, func(tx store.Tx) error {
		rec, err := tx.GetExecution(arn)
		if err != nil {
			return err
		}
		st.rec = rec
		if rec.Status != store.StatusRunning {
			return nil
		}
		hb, err := tx.GetFrame(arn, headerID)
		if err != nil {
			return fmt.Errorf("execution %s: header: %w", arn, err)
		}
		if err := jsonUnmarshal(hb, &st.hdr); err != nil {
			return err
		}
		if st.express {
			// An EXPRESS execution's events are not stored; the header
			// keeps the newest one's id.
			st.lastID = st.hdr.Events
			return nil
		}
		st.lastID, err = tx.LastHistoryID(arn)
		return err
	})
	if err != nil {
		return nil, err
	}
	if st.rec.Status != store.StatusRunning {
		return st, nil
	}
	sm, err := e.compile(st.rec.Definition, "")
	if err != nil {
		return nil, fmt.Errorf("execution %s: %w", arn, err)
	}
	input, err := jsonv.ParseString(st.rec.Input)
	if err != nil {
		return nil, err
	}
	e.prepare(st, sm, input)
	return st, nil
}

// prepare completes an execState whose record and header are set: the
// program, the context object's constant parts and the frame loader.
func (e *Engine) prepare(st *execState, sm *program.Program, input any) {
	arn := st.arn
	db := e.storeFor(arn)
	st.prog = sm
	st.timeout = executionTimeout(sm, st.express)
	st.activityExists = e.activityExists
	st.ctxReaders = e.contextReaders(sm)
	st.ctxExec = jsonv.ObjectOf(
		"Id", arn,
		"Input", input,
		"StartTime", timestamp.Format(st.rec.StartDate),
		"Name", st.rec.Name,
		"RoleArn", st.rec.RoleARN,
	)
	if !st.hdr.Sync {
		// AWS-recorded context objects of StartSyncExecution executions
		// have no RedriveCount (LocalStack's test_express_sync snapshot,
		// recorded on AWS in 2024); asynchronous ones, EXPRESS too, have 0.
		st.ctxExec.Set("RedriveCount", int64(st.rec.RedriveCount))
		if st.rec.RedriveCount > 0 {
			st.ctxExec.Set("RedriveTime", timestamp.Format(st.rec.RedriveDate))
		}
	}
	st.ctxSM = jsonv.ObjectOf("Id", st.rec.StateMachineARN, "Name", smName(st.rec.StateMachineARN))
	st.load = func(ids []string) (map[string]*frame, error) {
		out := make(map[string]*frame, len(ids))
		err := db.View(e.ctx, func(tx store.Tx) error {
			for _, id := range ids {
				b, err := tx.GetFrame(arn, id)
				if errors.Is(err, store.ErrNotFound) {
					continue
				}
				if err != nil {
					return err
				}
				f, err := decodeFrame(b)
				if err != nil {
					return fmt.Errorf("execution %s frame %s: %w", arn, id, err)
				}
				out[id] = f
			}
			return nil
		})
		return out, err
	}
}

// process runs a batch of events of one execution: the transition core,
// then one commit, then the effects.
func (e *Engine) process(x *execEntry, events []*event) {
	if x.st == nil {
		st, err := e.loadExec(x.arn)
		if err != nil {
			if errors.Is(err, store.ErrNotFound) {
				e.dropEvents(x.arn, events, err)
				return
			}
			if e.ctx.Err() == nil {
				e.log.Error("engine: loading execution", "execution", x.arn, "err", err)
			}
			e.retryEvents(x.arn, events, err)
			return
		}
		x.st = st
	}
	if x.st.prog == nil && hasRedrive(events) {
		// An ended execution is read in full only to be redriven.
		if err := e.loadForRedrive(x.st); err != nil {
			x.st = nil
			e.dropEvents(x.arn, events, err)
			return
		}
	}
	m := &machine{execState: x.st, cfg: &e.cfg, now: e.clock.Now(), b: &batch{dirty: make(map[string]*frame), deleted: make(map[string]bool), events: getEventBuffer()}}
	for _, ev := range events {
		m.apply(ev)
		if m.err != nil {
			break
		}
	}
	if m.err == nil {
		m.checkTimeout()
	}
	if m.err != nil {
		e.log.Error("engine: reading execution state", "execution", x.arn, "err", m.err)
		x.st = nil
		e.retryEvents(x.arn, events, m.err)
		return
	}
	b := m.b
	// Capture the invocations to make now: the frames may change in a later
	// batch while the invocation runs.
	var reqs []invocationRequest
	for _, f := range b.invoke {
		if f.Status != frameTask || b.deleted[f.ID] {
			continue
		}
		s := x.st.prog.Step(f.State)
		reqs = append(reqs, invocationRequest{frame: f.ID, req: tasks.Request{
			Resource: s.Resource, Input: f.Args.V, InvocationID: f.Invocation, TaskToken: f.Token,
			Attempt: f.Attempt, Heartbeat: time.Duration(f.Heartbeat) * time.Second,
			Timeout: timerDuration(f, "timeout", m.now), ExecutionARN: x.arn, StateName: s.Name,
		}, scheduled: f.Scheduled})
	}
	if err := e.commit(x.st, b); err != nil {
		if e.ctx.Err() == nil {
			e.log.Error("engine: committing transition", "execution", x.arn, "err", err)
		}
		x.st = nil // the checkpoint in the store is the truth; reload it
		e.retryEvents(x.arn, events, err)
		return
	}
	e.afterCommit(x, b, reqs, events)
}

// eventBuffers recycles the history-event slices of batches: a long run of
// pure transitions writes thousands of events, and growing a fresh slice
// for each batch costs more than the events themselves. The stores copy
// what they keep.
var eventBuffers = sync.Pool{New: func() any { s := make([]store.HistoryEvent, 0, 64); return &s }}

func getEventBuffer() []store.HistoryEvent { return (*eventBuffers.Get().(*[]store.HistoryEvent))[:0] }

func putEventBuffer(s []store.HistoryEvent) {
	if cap(s) == 0 || cap(s) > 1<<16 {
		return
	}
	clear(s)
	s = s[:0]
	eventBuffers.Put(&s)
}

func timerDuration(f *frame, kind string, now time.Time) time.Duration {
	for _, t := range f.Timers {
		if timerKind(t.Key) == kind {
			return t.Due.Sub(now)
		}
	}
	return 0
}

// maxEventRetries is how often the events of a batch that failed on a
// store error are processed again before they are given up.
const maxEventRetries = 5

// retryEvents processes the events of a batch that failed on a store error
// again after a short, growing delay (the execution's checkpoint is
// reloaded from the store first), so that a transient store error does not
// leave an execution waiting for a task result that was lost. Events that
// failed maxEventRetries times are dropped.
func (e *Engine) retryEvents(arn string, events []*event, err error) {
	var again, drop []*event
	for _, ev := range events {
		ev.retries++
		if ev.retries > maxEventRetries || e.ctx.Err() != nil {
			drop = append(drop, ev)
		} else {
			again = append(again, ev)
		}
	}
	if len(drop) > 0 {
		e.dropEvents(arn, drop, err)
	}
	if len(again) == 0 {
		return
	}
	time.AfterFunc(time.Duration(again[0].retries)*50*time.Millisecond, func() {
		for _, ev := range again {
			if !e.post(arn, ev) && ev.reply != nil {
				ev.reply <- ErrEngineClosed
			}
		}
	})
}

// dropEvents answers the events of a failed batch. Timer events are
// released so that the timer goroutine offers them again.
func (e *Engine) dropEvents(arn string, events []*event, err error) {
	e.mu.Lock()
	for _, ev := range events {
		if ev.kind == evTimer {
			delete(e.firing, ev.timer)
		}
	}
	e.mu.Unlock()
	if errors.Is(err, store.ErrNotFound) {
		err = executionDoesNotExist(arn)
		// Timers of an execution that no longer exists are removed.
		var stale []store.Timer
		for _, ev := range events {
			if ev.kind == evTimer {
				stale = append(stale, ev.timer)
			}
		}
		if len(stale) > 0 {
			_ = e.storeFor(arn).Update(e.ctx, func(tx store.Tx) error {
				for _, t := range stale {
					if err := tx.DeleteTimer(t); err != nil {
						return err
					}
				}
				return nil
			})
		}
	}
	for _, ev := range events {
		if ev.reply != nil {
			ev.reply <- err
		}
	}
	e.wakeTimers()
}

// commit writes a batch in one store transaction.
func (e *Engine) commit(st *execState, b *batch) error {
	if len(b.events) == 0 && len(b.dirty) == 0 && len(b.deleted) == 0 && len(b.timersPut) == 0 && len(b.timersDel) == 0 && !b.hdrDirty && !b.recDirty &&
		len(b.activityPuts) == 0 && len(b.activityDels) == 0 {
		return nil
	}
	if st.express && len(b.events) > 0 && !b.deleteAll {
		// EXPRESS history is not stored: the header keeps the count.
		st.hdr.Events = st.lastID
		b.hdrDirty = true
	}
	type put struct {
		id   string
		data []byte
	}
	puts := make([]put, 0, len(b.dirty))
	if !b.deleteAll {
		for id, f := range b.dirty {
			data, err := encodeFrame(f)
			if err != nil {
				return err
			}
			puts = append(puts, put{id, data})
		}
	}
	var hdr []byte
	if b.hdrDirty && !b.deleteAll {
		var err error
		if hdr, err = jsonMarshal(&st.hdr); err != nil {
			return err
		}
	}
	rec := *st.rec
	return e.storeFor(st.arn).Update(e.ctx, func(tx store.Tx) error {
		if st.express && b.deleteAll {
			// An ended EXPRESS execution is forgotten at once, with its
			// frames and timers: AWS keeps nothing of it either.
			return tx.DeleteExecution(st.arn)
		}
		if b.recDirty {
			if err := tx.PutExecution(&rec); err != nil {
				return err
			}
		}
		for _, t := range b.timersDel {
			if err := tx.DeleteTimer(t); err != nil {
				return err
			}
		}
		if err := writeActivityQueue(tx, b); err != nil {
			return err
		}
		if b.deleteAll {
			if err := deleteAllFrames(tx, st.arn); err != nil {
				return err
			}
		} else {
			if b.keepFrames {
				if _, err := releaseFrames(tx, st.arn); err != nil {
					return err
				}
			}
			if hdr != nil {
				if err := tx.PutFrame(st.arn, headerID, hdr); err != nil {
					return err
				}
			}
			for id := range b.deleted {
				if err := tx.DeleteFrame(st.arn, id); err != nil {
					return err
				}
			}
			for _, p := range puts {
				if err := tx.PutFrame(st.arn, p.id, p.data); err != nil {
					return err
				}
			}
			if !b.keepFrames {
				// An execution kept for a redrive arms no timer.
				for _, t := range b.timersPut {
					if err := tx.PutTimer(t); err != nil {
						return err
					}
				}
			}
		}
		if len(b.events) > 0 && !st.express {
			return tx.AppendHistory(st.arn, b.events)
		}
		return nil
	})
}

// deleteAllFrames removes an ended execution's frames, their timers and
// the queue entries of their activity tasks.
func deleteAllFrames(tx store.Tx, arn string) error {
	ids, err := releaseFrames(tx, arn)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := tx.DeleteFrame(arn, id); err != nil {
			return err
		}
	}
	return nil
}

// releaseFrames removes the timers of an ended execution's stored frames
// and the queue entries of their activity tasks, and returns the frames'
// ids.
func releaseFrames(tx store.Tx, arn string) ([]string, error) {
	var ids []string
	var timers []store.Timer
	var queued []activityEntry
	err := tx.Frames(arn, func(id string, data []byte) bool {
		ids = append(ids, id)
		if id == headerID {
			var h header
			if jsonUnmarshal(data, &h) == nil && h.Timeout != nil {
				timers = append(timers, store.Timer{Due: h.Timeout.Due, ExecutionARN: arn, Key: h.Timeout.Key})
			}
			return true
		}
		var f struct {
			Timers          []timerRef `json:"timers"`
			Activity        string     `json:"activity"`
			ActivityKey     string     `json:"activityKey"`
			ActivityStarted bool       `json:"activityStarted"`
		}
		if jsonUnmarshal(data, &f) == nil {
			for _, t := range f.Timers {
				timers = append(timers, store.Timer{Due: t.Due, ExecutionARN: arn, Key: t.Key})
			}
			if f.Activity != "" && !f.ActivityStarted {
				// A task no worker got yet leaves its activity's queue.
				queued = append(queued, activityEntry{activity: f.Activity, key: f.ActivityKey})
			}
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	for _, a := range queued {
		if err := tx.DeleteActivityTask(a.activity, a.key); err != nil {
			return nil, err
		}
	}
	for _, t := range timers {
		if err := tx.DeleteTimer(t); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

type invocationRequest struct {
	frame string
	req   tasks.Request
	// scheduled is when a nested execution's task was scheduled.
	scheduled time.Time
}

// afterCommit performs a committed batch's effects.
func (e *Engine) afterCommit(x *execEntry, b *batch, reqs []invocationRequest, events []*event) {
	e.mu.Lock()
	firedTimers := false
	for _, ev := range events {
		if ev.kind == evTimer {
			delete(e.firing, ev.timer)
			firedTimers = true
		}
	}
	// The timer goroutine looks for due timers again when a timer was put
	// (it may be due before the one it sleeps for) or when most of the
	// timers it handed out have been processed.
	rescan := len(b.timersPut) > 0 || (firedTimers && len(e.firing) <= timerBatch/2)
	for _, id := range b.cancel {
		if inv := e.invocations[id]; inv != nil {
			inv.cancel()
		}
	}
	if b.cancelAll {
		for _, inv := range e.invocations {
			if inv.arn == x.arn {
				inv.cancel()
			}
		}
	}
	var waiters []chan *Execution
	if b.terminal {
		waiters = e.waiters[x.arn]
		delete(e.waiters, x.arn)
	}
	e.mu.Unlock()
	if b.deleteAll {
		for id := range x.st.frames {
			delete(x.st.frames, id)
		}
	} else {
		for id := range b.deleted {
			delete(x.st.frames, id)
		}
	}
	if rescan {
		e.wakeTimers()
	}
	for _, r := range reqs {
		e.invoke(x, r)
	}
	for _, id := range b.yield {
		e.post(x.arn, &event{kind: evResume, frame: id})
	}
	if e.opts.OnEvent != nil {
		for _, ev := range b.events {
			e.opts.OnEvent(x.arn, fromStoreEvent(ev))
		}
	}
	for _, a := range b.activityPuts {
		e.acts.notify(a.activity)
	}
	for _, r := range b.replies {
		r.ch <- r.err
	}
	putEventBuffer(b.events)
	b.events = nil
	e.nestedEffects(x, b)
	var final *Execution
	if b.terminal {
		final = toExecution(x.st.rec)
		x.st = nil
	}
	// Waiters are woken last, so that OnEvent has seen every event of the
	// execution when WaitExecution returns. Each gets the description (an
	// ended EXPRESS execution is no longer anywhere else).
	for _, w := range waiters {
		w <- final
	}
}

func (e *Engine) wakeTimers() {
	select {
	case e.timerWake <- struct{}{}:
	default:
	}
}

// invoke runs one task invocation in its own goroutine and posts its
// outcome to the execution.
func (e *Engine) invoke(x *execEntry, r invocationRequest) {
	inv, ok := e.reg.Lookup(r.req.Resource)
	nested := nestedPattern(r.req.Resource) != ""
	if !ok && nested {
		e.startNested(x.arn, r)
		return
	}
	if !ok {
		fl := newFailure("States.TaskFailed", fmt.Sprintf("No task handler is registered for the resource '%s'.", r.req.Resource))
		if _, isLambda := tasks.LambdaFunctionName(r.req.Resource); isLambda {
			fl = newFailure("Lambda.ResourceNotFoundException", tasks.FunctionNotFoundCause(r.req.Resource, x.arn))
		}
		e.post(x.arn, &event{kind: evTaskDone, frame: r.frame, invocation: r.req.InvocationID, failed: true, fail: fl})
		return
	}
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return
	}
	ctx, cancel := context.WithCancel(e.ctx)
	if _, system := e.clock.(SystemClock); system && r.req.Timeout > 0 {
		// With the real clock the context also carries the deadline, for
		// handlers that pass it on. The engine's own timer decides the
		// timeout either way.
		var cancelDeadline context.CancelFunc
		ctx, cancelDeadline = context.WithTimeout(ctx, r.req.Timeout)
		cancelCtx := cancel
		cancel = func() { cancelDeadline(); cancelCtx() }
	}
	e.invocations[r.req.InvocationID] = &inflight{arn: x.arn, cancel: cancel}
	x.inflight++
	e.invWG.Add(1)
	e.mu.Unlock()
	arn, frameID, id := x.arn, r.frame, r.req.InvocationID
	ctx = tasks.WithInvocation(ctx, tasks.Invocation{ID: id, Token: r.req.TaskToken, Heartbeat: func() {
		e.post(arn, &event{kind: evHeartbeat, frame: frameID, invocation: id})
	}})
	req := r.req
	go func() {
		defer e.invWG.Done()
		res, err := callInvoker(ctx, inv, &req)
		if nested && errors.Is(err, tasks.ErrNotHandled) && ctx.Err() == nil {
			// The fallback has nothing for it: run the built-in one.
			cancel()
			e.mu.Lock()
			delete(e.invocations, id)
			x.inflight--
			e.mu.Unlock()
			e.startNested(arn, r)
			return
		}
		// An invocation whose context ended (timeout, abort, stop, a
		// callback that completed the task, Close) has nothing to report:
		// the engine has already moved on.
		stale := ctx.Err() != nil
		cancel()
		ev := &event{kind: evTaskDone, frame: frameID, invocation: id}
		if err != nil {
			name, cause := tasks.ErrorOf(err)
			ev.failed, ev.fail = true, newFailure(name, cause)
		} else {
			ev.result, ev.pending = res.Output, res.Pending
		}
		e.mu.Lock()
		delete(e.invocations, id)
		x.inflight--
		closing := e.closed
		e.mu.Unlock()
		if !closing && !stale {
			e.post(arn, ev)
		}
	}()
}

// callInvoker calls an invoker, turning a panic into a task failure.
func callInvoker(ctx context.Context, inv tasks.Invoker, req *tasks.Request) (res tasks.Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &tasks.Error{Name: "States.TaskFailed", Cause: fmt.Sprintf("the task handler panicked: %v", p)}
		}
	}()
	return inv.Invoke(ctx, req)
}

// timerBatch is the most timers handed to the workers at a time.
const timerBatch = 1024

// timerLoop delivers due timers; it sleeps until the earliest one.
func (e *Engine) timerLoop() {
	defer e.wg.Done()
	for {
		now := e.clock.Now()
		// Timers live in the durable store and, for EXPRESS executions,
		// in the memory store: the earliest of both are due first.
		due, next, hasNext, err := dueTimers(e.ctx, e.st, now)
		for _, m := range e.mem {
			if err != nil {
				break
			}
			mdue, mnext, mhas, merr := dueTimers(e.ctx, m, now)
			err = merr
			if len(mdue) > 0 {
				due = mergeTimers(due, mdue)
			}
			if mhas && (!hasNext || mnext.Due.Before(next.Due)) {
				next, hasNext = mnext, true
			}
		}
		if err != nil {
			if e.ctx.Err() != nil {
				return
			}
			e.log.Error("engine: reading timers", "err", err)
		}
		var fire []store.Timer
		e.mu.Lock()
		for _, t := range due {
			if len(e.firing) >= timerBatch {
				break
			}
			if _, busy := e.firing[t]; !busy {
				e.firing[t] = struct{}{}
				fire = append(fire, t)
			}
		}
		e.mu.Unlock()
		for _, t := range fire {
			e.post(t.ExecutionARN, &event{kind: evTimer, timer: t})
		}
		var tc <-chan time.Time
		var ct ClockTimer
		if hasNext && next.Due.After(now) {
			ct = newTimerAt(e.clock, next.Due, now)
			tc = ct.C()
		} else if err != nil {
			ct = e.clock.NewTimer(time.Second)
			tc = ct.C()
		}
		select {
		case <-e.ctx.Done():
			if ct != nil {
				ct.Stop()
			}
			return
		case <-e.timerWake:
		case <-tc:
		}
		if ct != nil {
			ct.Stop()
		}
	}
}

// dueTimers reads a store's due timers (at most 2×timerBatch: at most
// timerBatch are being processed at a time, so reading twice as many finds
// new ones among them) and its earliest timer.
func dueTimers(ctx context.Context, db store.Store, now time.Time) (due []store.Timer, next store.Timer, hasNext bool, err error) {
	err = db.View(ctx, func(tx store.Tx) error {
		var err error
		if due, err = tx.DueTimers(now, 2*timerBatch); err != nil {
			return err
		}
		next, hasNext, err = tx.NextTimer()
		return err
	})
	return due, next, hasNext, err
}

// mergeTimers merges two lists of timers sorted by due time.
func mergeTimers(a, b []store.Timer) []store.Timer {
	out := make([]store.Timer, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if b[0].Due.Before(a[0].Due) {
			out, b = append(out, b[0]), b[1:]
		} else {
			out, a = append(out, a[0]), a[1:]
		}
	}
	return append(append(out, a...), b...)
}

// needsResume reports whether a stored frame must be resumed after a
// restart: it is ready to run, or waits for a task invocation that is not
// a submitted callback. Parked frames (the vast majority) are recognised
// from their status alone, without decoding the checkpoint: the status is
// the first "status" member of the encoding, after the engine-made id,
// parent and index.
func needsResume(data []byte) bool {
	const key = `"status":"`
	i := bytes.Index(data, []byte(key))
	if i < 0 {
		return false
	}
	rest := data[i+len(key):]
	switch {
	case bytes.HasPrefix(rest, []byte(frameReady+`"`)):
		return true
	case bytes.HasPrefix(rest, []byte(frameTask+`"`)):
		f, err := decodeFrame(data)
		return err == nil && (!f.Pending || f.Child != "")
	}
	return false
}

// recover schedules the RUNNING executions of the store: ready frames run
// again, running task invocations are made again.
func (e *Engine) recover(ctx context.Context) error {
	after := ""
	for {
		var page []*store.Execution
		err := e.st.View(ctx, func(tx store.Tx) error {
			var err error
			page, err = tx.ListExecutions(store.ExecutionFilter{Status: store.StatusRunning, Limit: 1000, After: after})
			return err
		})
		if err != nil {
			return err
		}
		for _, ex := range page {
			var resume []string
			err := e.st.View(ctx, func(tx store.Tx) error {
				return tx.Frames(ex.ARN, func(id string, data []byte) bool {
					if id == headerID {
						return true
					}
					if needsResume(data) {
						resume = append(resume, id)
					}
					return true
				})
			})
			if err != nil {
				return err
			}
			for _, id := range resume {
				e.post(ex.ARN, &event{kind: evResume, frame: id})
			}
		}
		if len(page) < 1000 {
			return nil
		}
		after = page[len(page)-1].ARN
	}
}
