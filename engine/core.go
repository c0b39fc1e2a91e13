package engine

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/stepctl/stepctl/asl"
	"github.com/stepctl/stepctl/asl/jsonv"
	"github.com/stepctl/stepctl/asl/program"
	"github.com/stepctl/stepctl/asl/retry"
	"github.com/stepctl/stepctl/asl/timestamp"
	"github.com/stepctl/stepctl/store"
)

// eventKind says what happened to an execution.
type eventKind uint8

const (
	evResume    eventKind = iota // run the ready frames (after start or recovery)
	evTaskDone                   // a task invocation returned (or a callback completed it)
	evTimer                      // a timer fell due
	evHeartbeat                  // a task reported it is alive
	evStop                       // StopExecution
	// evActivityStart: a worker polling an activity gets the task.
	evActivityStart
	// evRedrive: RedriveExecution (redrive.go).
	evRedrive
)

// event is an input of the transition core.
type event struct {
	kind       eventKind
	frame      string
	invocation string
	// evTaskDone: the result, or the failure when failed is set; pending
	// reports a callback task that was submitted.
	result  any
	failed  bool
	fail    failure
	pending bool
	// callback is set when the event comes from SendTaskSuccess/Failure.
	callback bool
	// submitted, on the outcome of a nested execution, is the
	// StartExecution response for TaskSubmitted when it was not written yet.
	submitted any
	timer     store.Timer
	// start is the request of evActivityStart.
	start *activityStart
	// redrive is the request of evRedrive.
	redrive *redriveRequest
	// reply, when set, receives the outcome of a SendTask*/Stop request
	// after the batch is committed.
	reply chan error
	// retries counts the store errors the event's batches met.
	retries int
}

// coreConfig are the engine options the core reads.
type coreConfig struct {
	payloadLimit int
	historyLimit int64
	waitScale    float64
	region       string
}

// execState is an execution held in memory while it has work: the record,
// the compiled program, the header and the frames loaded so far.
type execState struct {
	arn     string
	rec     *store.Execution
	prog    *program.Program
	hdr     header
	frames  map[string]*frame
	lastID  int64
	ctxExec *jsonv.Object
	ctxSM   *jsonv.Object
	// ctxReaders names the states that may read the context object (see
	// program.ContextReaders); nil means every state may.
	ctxReaders map[string]bool
	// load reads frames that are not in memory yet from the store.
	load func(ids []string) (map[string]*frame, error)
	// express marks an EXPRESS execution: it runs on the engine's memory
	// store, its history is not kept and not limited.
	express bool
	// timeout is the execution's time limit (0: none): TimeoutSeconds,
	// and at most ExpressMaxDuration for an EXPRESS execution.
	timeout time.Duration
	// activityExists reads whether an activity exists (activities.go).
	activityExists func(arn string) (bool, error)
}

// batch is the outcome of processing events: what to commit, then what to do.
type batch struct {
	events    []store.HistoryEvent
	dirty     map[string]*frame
	deleted   map[string]bool
	timersPut []store.Timer
	timersDel []store.Timer
	hdrDirty  bool
	recDirty  bool
	// deleteAll removes every frame and timer of the execution (it ended).
	deleteAll bool
	// keepFrames keeps the frames of an execution that ended unsuccessfully
	// for a redrive, removing its timers and queued activity tasks.
	keepFrames bool
	// aborted holds copies of the Parallel branches and Map iterations
	// aborted in this batch, restored when the execution ends for a
	// redrive (redrive.go).
	aborted   []*frame
	invoke    []*frame
	cancel    []string
	cancelAll bool
	replies   []reply
	terminal  bool
	// yield lists the ready frames to resume in a next batch.
	yield []string
	// activityPuts and activityDels are the activity queue entries to
	// write and remove (activities.go).
	activityPuts, activityDels []activityEntry
	// stopChildren are nested executions to stop (nested.go).
	stopChildren []string
}

type reply struct {
	ch  chan error
	err error
}

// machine applies events to one execution. It is the deterministic
// transition core: its only inputs are the program, the checkpoint
// (execState), the events and the time; its outputs are the batch.
type machine struct {
	*execState
	cfg *coreConfig
	b   *batch
	now time.Time // the clock's time for this batch
	// work holds frames that may be ready to run.
	work        []*frame
	historyFull bool
	err         error // a store error while loading frames
	// arena holds the batch's event details (see machine.details).
	arena []byte
	// fmtTime and fmtText cache formatTime's last result.
	fmtTime time.Time
	fmtText string
	// envFrame is the frame of the newest evaluation environment; varsFn,
	// randomFn and uuidFn, made once per machine, read it.
	envFrame *frame
	envBuf   program.Env
	varsFn   func(string) (any, bool)
	randomFn func() float64
	uuidFn   func() string
}

// vnow is the execution's time: the clock plus the skew.
func (m *machine) vnow() time.Time { return m.now.Add(m.hdr.Skew) }

func (m *machine) frame(id string) *frame {
	if f, ok := m.frames[id]; ok {
		return f
	}
	if m.b.deleted[id] {
		return nil
	}
	got, err := m.load([]string{id})
	if err != nil {
		m.err = err
		return nil
	}
	f := got[id]
	if f != nil {
		m.frames[id] = f
	}
	return f
}

// preload loads the given frames in one store read.
func (m *machine) preload(ids []string) {
	var missing []string
	for _, id := range ids {
		if _, ok := m.frames[id]; !ok && !m.b.deleted[id] {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return
	}
	got, err := m.load(missing)
	if err != nil {
		m.err = err
		return
	}
	for id, f := range got {
		m.frames[id] = f
	}
}

func (m *machine) touch(f *frame) { m.b.dirty[f.ID] = f }

// varSize is the JSON size of a variable's value, as the variable quotas
// count it.
func varSize(v any) int64 { return int64(len(jsonv.Marshal(v))) }

// releaseVars drops a frame's variables from the execution's total: they
// vanish when its branch or Map iteration ends.
func (m *machine) releaseVars(f *frame) {
	if f.Vars.Len() == 0 {
		return
	}
	f.Vars.Range(func(_ string, v any) bool {
		m.hdr.VarBytes -= varSize(v)
		return true
	})
	f.Vars = nil
	m.b.hdrDirty = true
}

func (m *machine) dropFrame(f *frame) {
	m.releaseVars(f)
	for _, t := range f.Timers {
		m.b.timersDel = append(m.b.timersDel, store.Timer{Due: t.Due, ExecutionARN: m.arn, Key: t.Key})
	}
	f.Timers = nil
	delete(m.frames, f.ID)
	delete(m.b.dirty, f.ID)
	m.b.deleted[f.ID] = true
	f.Status = "deleted"
}

// emit appends a history event for frame f (nil: the execution itself).
func (m *machine) emit(f *frame, typ string, det []byte) int64 {
	if m.historyFull {
		return m.lastID
	}
	if m.lastID+1 >= m.cfg.historyLimit && !m.b.terminal && !m.express {
		m.historyFull = true
		return m.lastID
	}
	m.lastID++
	var prev int64
	if f != nil {
		prev = f.Last
		f.Last = m.lastID
	} else if n := len(m.b.events); n > 0 {
		prev = m.b.events[n-1].ID
	} else {
		prev = m.lastID - 1
	}
	m.b.events = append(m.b.events, store.HistoryEvent{ID: m.lastID, PreviousEventID: prev, Timestamp: m.vnow(), Type: typ, Details: det})
	return m.lastID
}

func (m *machine) armTimer(f *frame, kind string, due time.Time) {
	m.hdrOrFrameSeq(f)
	key := f.ID + "|" + kind + "|" + strconv.FormatUint(f.Draws, 36)
	t := timerRef{Key: key, Due: due}
	f.Timers = append(f.Timers, t)
	m.b.timersPut = append(m.b.timersPut, store.Timer{Due: due, ExecutionARN: m.arn, Key: key})
}

// hdrOrFrameSeq makes each timer key unique by consuming a draw.
func (m *machine) hdrOrFrameSeq(f *frame) { f.Draws++ }

func (m *machine) clearTimers(f *frame) {
	for _, t := range f.Timers {
		m.b.timersDel = append(m.b.timersDel, store.Timer{Due: t.Due, ExecutionARN: m.arn, Key: t.Key})
	}
	f.Timers = nil
}

func timerKind(key string) string {
	// key = frameID|kind|seq
	end := len(key)
	for i := len(key) - 1; i >= 0; i-- {
		if key[i] == '|' {
			if end == len(key) {
				end = i
				continue
			}
			return key[i+1 : end]
		}
	}
	return ""
}

func (m *machine) random(f *frame) float64 {
	f.Draws++
	return float64(draw(m.hdr.Seed, f.ID, f.Draws)>>11) / (1 << 53)
}

func (m *machine) uuid(f *frame) string {
	f.Draws += 2
	return formatUUID(draw(m.hdr.Seed, f.ID, f.Draws-1), draw(m.hdr.Seed, f.ID, f.Draws))
}

// env builds the evaluation environment of frame f in state s. The
// context object is built only for states that may read it.
func (m *machine) env(f *frame, s *program.Step) *program.Env {
	if m.ctxReaders != nil && !m.ctxReaders[s.Name] {
		return m.bareEnv(f)
	}
	return m.contextEnv(f, s)
}

// contextEnv is env with the context object, whatever the state reads.
func (m *machine) contextEnv(f *frame, s *program.Step) *program.Env {
	// Members in AWS's order: Execution, StateMachine, State (RetryCount
	// only in states that can retry), then Task.
	st := jsonv.NewObject(3)
	st.Set("Name", s.Name)
	st.Set("EnteredTime", m.formatTime(f.EnteredTime))
	if isRetriable(s) {
		st.Set("RetryCount", int64(f.RetryCount))
	}
	ctx := jsonv.NewObject(4)
	ctx.Set("Execution", m.ctxExec)
	ctx.Set("StateMachine", m.ctxSM)
	ctx.Set("State", st)
	if s.Type == asl.TypeTask && f.Token != "" {
		ctx.Set("Task", jsonv.ObjectOf("Token", f.Token))
	}
	env := m.bareEnv(f)
	env.Context = ctx
	return env
}

// bareEnv is an environment without the context object. It is m.envBuf,
// reset, and its functions read m.envFrame: the core uses one environment
// at a time (each is used right after it is made, before the next).
func (m *machine) bareEnv(f *frame) *program.Env {
	m.envFrame = f
	if m.varsFn == nil {
		m.varsFn = func(name string) (any, bool) { return m.lookupVar(m.envFrame, name) }
		m.randomFn = func() float64 { return m.random(m.envFrame) }
		m.uuidFn = func() string { return m.uuid(m.envFrame) }
	}
	m.envBuf = program.Env{Vars: m.varsFn, Now: m.vnow(), Random: m.randomFn, UUID: m.uuidFn}
	return &m.envBuf
}

// formatTime formats a context-object time, remembering the last one:
// the states of a batch mostly share their entered time.
func (m *machine) formatTime(t time.Time) string {
	if m.fmtText == "" || !t.Equal(m.fmtTime) {
		m.fmtTime, m.fmtText = t, timestamp.Format(t)
	}
	return m.fmtText
}

// lookupVar looks a variable up in f's scope, then in the enclosing
// scopes.
func (m *machine) lookupVar(f *frame, name string) (any, bool) {
	for g := f; g != nil; {
		if v, ok := g.Vars.Get(name); ok {
			return v, true
		}
		if g.Parent == "" {
			break
		}
		g = m.frame(g.Parent)
	}
	return nil, false
}

// resume runs ready frames and re-invokes in-flight tasks (after a start
// or a recovery).
func (m *machine) resume(ids []string) {
	m.preload(ids)
	for _, id := range ids {
		f := m.frame(id)
		switch {
		case f == nil:
		case f.Status == frameReady:
			m.work = append(m.work, f)
		case f.Status == frameTask && (!f.Pending || f.Child != ""):
			// Recovery: the invocation was in flight; make it again with
			// the same invocation id.
			m.b.invoke = append(m.b.invoke, f)
		}
	}
}

// expressBatchEvents is the most events a batch of an EXPRESS execution
// holds: EXPRESS history has no quota, so an endless loop of pure
// transitions must still be cut into batches, to let other executions run
// and to meet its time limit (checked between batches).
const expressBatchEvents = 4096

// drive runs every ready frame until each one waits or finishes.
func (m *machine) drive() {
	for len(m.work) > 0 && !m.b.terminal && m.err == nil {
		f := m.work[len(m.work)-1]
		m.work = m.work[:len(m.work)-1]
		for f.Status == frameReady && !m.b.terminal && m.err == nil {
			if m.express && len(m.b.events) >= expressBatchEvents {
				// Continue in the next batch.
				m.yield(f)
				for _, w := range m.work {
					m.yield(w)
				}
				m.work = nil
				return
			}
			m.step(f)
			if m.historyFull {
				m.historyExceeded()
				return
			}
		}
	}
	if m.historyFull && !m.b.terminal {
		m.historyExceeded()
	}
}

// yield leaves a ready frame for the next batch (see expressBatchEvents).
func (m *machine) yield(f *frame) {
	if f.Status != frameReady || slices.Contains(m.b.yield, f.ID) {
		return
	}
	m.touch(f)
	m.b.yield = append(m.b.yield, f.ID)
}

func (m *machine) historyExceeded() {
	m.historyFull = false
	m.terminate(store.StatusFailed, failure{Error: "States.Runtime", HasError: true, HasCause: true,
		Cause: fmt.Sprintf("The execution reached the maximum number of history events (%d).", m.cfg.historyLimit)}, nil)
}

// eventNames are the per-type state event names, so that writing an event
// does not build its name.
type eventNames struct{ entered, exited, aborted, failed string }

var stateEvents = func() map[asl.StateType]*eventNames {
	m := make(map[asl.StateType]*eventNames)
	for _, t := range []asl.StateType{asl.TypePass, asl.TypeTask, asl.TypeChoice, asl.TypeWait,
		asl.TypeSucceed, asl.TypeFail, asl.TypeParallel, asl.TypeMap} {
		n := string(t)
		m[t] = &eventNames{n + "StateEntered", n + "StateExited", n + "StateAborted", n + "StateFailed"}
	}
	return m
}()

func names(s *program.Step) *eventNames {
	if n := stateEvents[s.Type]; n != nil {
		return n
	}
	n := string(s.Type)
	return &eventNames{n + "StateEntered", n + "StateExited", n + "StateAborted", n + "StateFailed"}
}

func isRetriable(s *program.Step) bool {
	return s.Type == asl.TypeTask || s.Type == asl.TypeParallel || s.Type == asl.TypeMap
}

// step runs one state of a ready frame: enters it (once per visit) and
// evaluates it.
func (m *machine) step(f *frame) {
	s := m.prog.Step(f.State)
	if s == nil {
		m.terminate(store.StatusFailed, newFailure("States.Runtime", fmt.Sprintf("The state '%s' does not exist in the state machine.", f.State)), nil)
		return
	}
	if !f.Entered {
		in := f.inputText
		if in == nil {
			in = jsonv.Marshal(f.Input.V)
		}
		f.inputText = nil
		f.EnteredTime = m.vnow()
		f.EnteredID = m.emit(f, names(s).entered, m.details().str("name", s.Name).payload("input", in).bytes())
		f.Entered = true
		f.Retries = nil
		if n := len(s.Retriers); n > 0 {
			f.Retries = make([]int64, n)
		}
		f.RetryCount = 0
		f.Attempt = 0
		m.touch(f)
		if len(in) > m.cfg.payloadLimit {
			m.failTerminal(f, s, dataLimit(s.Name))
			return
		}
	}
	m.touch(f)
	switch s.Type {
	case asl.TypePass:
		out, assigned, err := s.PassOutput(f.Input.V, m.env(f, s))
		if err != nil {
			m.stateError(f, s, err)
			return
		}
		m.exit(f, s, out, assigned, s.Next)
	case asl.TypeChoice:
		next, out, assigned, err := s.Choose(f.Input.V, m.env(f, s))
		if err != nil {
			m.stateError(f, s, err)
			return
		}
		m.exit(f, s, out, assigned, next)
	case asl.TypeSucceed:
		out, err := s.SucceedOutput(f.Input.V, m.env(f, s))
		if err != nil {
			m.stateError(f, s, err)
			return
		}
		m.exit(f, s, out, nil, "")
	case asl.TypeFail:
		info, err := s.FailError(f.Input.V, m.env(f, s))
		if err != nil {
			m.stateError(f, s, err)
			return
		}
		m.failFrame(f, failure{Error: info.Error, Cause: info.Cause, HasError: info.HasError, HasCause: info.HasCause})
	case asl.TypeWait:
		m.wait(f, s)
	case asl.TypeTask:
		m.startTask(f, s)
	case asl.TypeParallel:
		m.startParallel(f, s)
	case asl.TypeMap:
		m.startMap(f, s)
	default:
		m.failTerminal(f, s, newFailure("States.Runtime", fmt.Sprintf("unsupported state type %q", s.Type)))
	}
}

func dataLimit(name string) failure {
	f := newFailure("States.DataLimitExceeded", fmt.Sprintf("The state/task '%s' returned a result with a size exceeding the maximum number of bytes service limit.", name))
	f.Terminal = true
	return f
}

// exit leaves state s with its output: the StateExited event, variable
// assignment, then the next state or the end of the frame's flow.
func (m *machine) exit(f *frame, s *program.Step, out any, assigned *jsonv.Object, next string) {
	text := m.marshal(out)
	d := m.details().str("name", s.Name).payload("output", text)
	assignedVariables(d, assigned)
	m.emit(f, names(s).exited, d.bytes())
	if len(text) > m.cfg.payloadLimit {
		m.failTerminal(f, s, dataLimit(s.Name))
		return
	}
	if assigned.Len() > 0 {
		if f.Vars == nil {
			f.Vars = jsonv.NewObject(assigned.Len())
		}
		var delta int64
		assigned.Range(func(k string, v any) bool {
			if old, ok := f.Vars.Get(k); ok {
				delta -= varSize(old)
			}
			delta += varSize(v)
			f.Vars.Set(k, v)
			return true
		})
		m.hdr.VarBytes += delta
		m.b.hdrDirty = true
		if m.hdr.VarBytes > program.MaxVariablesBytes {
			m.failTerminal(f, s, newFailure("States.DataLimitExceeded", fmt.Sprintf(
				"The variables of the execution total %d bytes after state '%s', which exceeds the maximum of %d bytes.",
				m.hdr.VarBytes, s.Name, program.MaxVariablesBytes)))
			return
		}
	}
	m.clearTimers(f)
	f.Entered = false
	f.Token, f.Invocation, f.Pending, f.Args = "", "", false, jv{}
	f.Out, f.Assigned = jv{}, nil
	m.touch(f)
	if next == "" || (s.Type == asl.TypeSucceed) {
		f.Status = frameDone
		f.Output = jv{out}
		f.Input = jv{}
		m.frameFinished(f)
		return
	}
	f.State = next
	f.Input = jv{out}
	f.inputText = text
	f.Status = frameReady
}

// stateError handles an evaluation error of state s.
func (m *machine) stateError(f *frame, s *program.Step, err error) {
	m.handleError(f, s, m.evaluationFailure(f, s, err), false)
}

// evaluationFailure turns an evaluation error of state s into the state's
// failure, writing the EvaluationFailed event for JSONata errors.
// States.Runtime and States.DataLimitExceeded (a variable over its quota)
// are terminal, like the engine's own payload-size failures.
func (m *machine) evaluationFailure(f *frame, s *program.Step, err error) failure {
	var re *program.RuntimeError
	if !errors.As(err, &re) {
		re = &program.RuntimeError{Name: "States.Runtime", Cause: err.Error()}
	}
	cause := fmt.Sprintf("An error occurred while executing the state '%s' (entered at the event id #%d). %s", s.Name, f.EnteredID, re.Cause)
	if re.Location != "" {
		d := m.details().str("error", re.Name).str("cause", cause).str("location", re.Location).str("state", s.Name)
		m.emit(f, "EvaluationFailed", d.bytes())
	}
	fl := newFailure(re.Name, cause)
	fl.Terminal = re.Name == "States.Runtime" || re.Name == "States.DataLimitExceeded"
	return fl
}

func (m *machine) failTerminal(f *frame, s *program.Step, fl failure) {
	fl.Terminal = true
	m.failFrame(f, fl)
}

// handleError applies Retry and Catch of state s to a failure; fromChildren
// says the failure came from a Parallel branch or Map iteration (AWS then
// writes a …StateFailed event unless the state is retried).
func (m *machine) handleError(f *frame, s *program.Step, fl failure, fromChildren bool) {
	if isRetriable(s) && !fl.Terminal && fl.Error != "States.Runtime" {
		if d := retry.Decide(s.Retriers, f.Retries, fl.Error, func() float64 { return m.random(f) }); d.Retry {
			f.Retries[d.Retrier]++
			f.RetryCount++
			m.touch(f)
			m.sleep(f, frameRetry, d.Delay, time.Time{})
			return
		}
		for _, c := range s.Catchers {
			if !program.ErrorMatches(fl.Error, c.ErrorEquals) {
				continue
			}
			if fromChildren {
				m.emit(f, names(s).failed, nil)
			}
			errOut := jsonv.ObjectOf("Error", nullable(fl.Error, fl.HasError), "Cause", nullable(fl.Cause, fl.HasCause))
			out, assigned, err := s.CatchOutput(c, f.Input.V, errOut, m.env(f, s))
			if err != nil {
				// The catcher's own Output or Assign failed: the state
				// fails with that error, and its retriers and catchers
				// are not consulted again (they would match the same
				// catcher forever).
				m.failFrame(f, m.evaluationFailure(f, s, err))
				return
			}
			m.exit(f, s, out, assigned, c.Next)
			return
		}
	}
	if fromChildren {
		m.emit(f, names(s).failed, nil)
	}
	m.failFrame(f, fl)
}

func nullable(s string, ok bool) any {
	if !ok {
		return nil
	}
	return s
}

// sleep parks f for d of execution time (a Wait or a retry delay). With
// WaitScale the real wait is d×scale; the rest is added to the skew when
// the wait ends. A zero real wait continues at once.
func (m *machine) sleep(f *frame, status string, d time.Duration, vdue time.Time) {
	if vdue.IsZero() {
		vdue = m.vnow().Add(d)
	}
	real := time.Duration(float64(d) * m.cfg.waitScale)
	if d <= 0 || real <= 0 {
		if m.skipTo(vdue) {
			m.wake(f, status)
		}
		return
	}
	f.Status = status
	f.Due = vdue
	m.armTimer(f, status, m.now.Add(real))
	m.touch(f)
}

// skipTo moves the execution's time forward to vdue, the end of a wait
// that was skipped or shortened by WaitScale. It reports false when the
// execution's deadline (TimeoutSeconds) comes first: the execution then
// times out, at its deadline.
func (m *machine) skipTo(vdue time.Time) bool {
	if m.timeout > 0 {
		deadline := m.timeoutFrom().Add(m.timeout)
		if !vdue.Before(deadline) {
			if deadline.After(m.vnow()) {
				m.hdr.Skew = deadline.Sub(m.now)
				m.b.hdrDirty = true
			}
			m.terminate(store.StatusTimedOut, failure{Error: "States.Timeout", HasError: true}, nil)
			return false
		}
	}
	if vdue.After(m.vnow()) {
		m.hdr.Skew = vdue.Sub(m.now)
		m.b.hdrDirty = true
	}
	return true
}

// wake ends a sleep.
func (m *machine) wake(f *frame, status string) {
	switch status {
	case frameRetry:
		f.Status = frameReady
		m.touch(f)
		m.work = append(m.work, f)
	case frameWait:
		s := m.prog.Step(f.State)
		out, assigned := f.Out.V, f.Assigned
		f.Status = frameReady
		m.exit(f, s, out, assigned, s.Next)
		if f.Status == frameReady {
			m.work = append(m.work, f)
		}
	}
}

func (m *machine) wait(f *frame, s *program.Step) {
	env := m.env(f, s)
	due, out, assigned, err := s.WaitUntil(f.Input.V, env)
	if err != nil {
		m.stateError(f, s, err)
		return
	}
	f.Out, f.Assigned = jv{out}, assigned
	d := due.Sub(env.Now)
	if d <= 0 {
		m.exit(f, s, out, assigned, s.Next)
		return
	}
	m.sleep(f, frameWait, d, due)
}

// failFrame ends f's flow with a failure.
func (m *machine) failFrame(f *frame, fl failure) {
	m.clearTimers(f)
	f.Status = frameFailed
	f.Failure = fl
	m.touch(f)
	m.frameFinished(f)
}

// frameFinished reports a finished frame to its parent, or ends the
// execution for the root.
func (m *machine) frameFinished(f *frame) {
	if f.Status == frameDone {
		// A failed frame keeps its variables for a redrive; they are
		// released when the frame is dropped.
		m.releaseVars(f)
	}
	if f.Parent == "" {
		if f.Status == frameDone {
			m.terminate(store.StatusSucceeded, failure{}, f.Output.V)
		} else {
			m.terminate(store.StatusFailed, f.Failure, nil)
		}
		return
	}
	p := m.frame(f.Parent)
	if p == nil || p.Status != frameChildren {
		return
	}
	ps := m.prog.Step(p.State)
	m.touch(p)
	p.Running--
	if ps.Type == asl.TypeMap {
		m.mapChildFinished(p, ps, f)
		return
	}
	if f.Status == frameFailed {
		m.abortChildren(p, ps)
		m.handleError(p, ps, f.Failure, true)
		m.requeue(p)
		return
	}
	p.Succeeded++
	if p.Succeeded == p.Total {
		m.childrenSucceeded(p, ps)
	}
}

func (m *machine) requeue(f *frame) {
	if f.Status == frameReady {
		m.work = append(m.work, f)
	}
}

func childID(p *frame, i int) string {
	return p.ID + "/" + strconv.Itoa(p.Gen) + "." + strconv.Itoa(i)
}

func (m *machine) childIDs(p *frame) []string {
	ids := make([]string, p.Total)
	for i := range ids {
		ids[i] = childID(p, i)
	}
	return ids
}

// childrenSucceeded collects the children's outputs in order and leaves
// the Parallel or Map state.
func (m *machine) childrenSucceeded(p *frame, ps *program.Step) {
	ids := m.childIDs(p)
	m.preload(ids)
	results := make([]any, len(ids))
	for i, id := range ids {
		c := m.frame(id)
		if c == nil {
			continue
		}
		if c.Status == frameDone {
			results[i] = c.Output.V
		} else if c.Status == frameFailed {
			results[i] = jsonv.ObjectOf("Error", c.Failure.Error, "Cause", c.Failure.Cause)
		}
		m.dropFrame(c)
	}
	if ps.Type == asl.TypeMap {
		m.emit(p, "MapStateSucceeded", nil)
	} else {
		m.emit(p, "ParallelStateSucceeded", nil)
	}
	m.finishChildren(p, ps, results)
}

func (m *machine) finishChildren(p *frame, ps *program.Step, results []any) {
	p.Status = frameReady
	p.Total, p.Started, p.Running, p.Succeeded, p.FailedN = 0, 0, 0, 0, 0
	out, assigned, err := ps.Output(p.Input.V, results, m.env(p, ps))
	if err != nil {
		m.stateError(p, ps, err)
		m.requeue(p)
		return
	}
	m.exit(p, ps, out, assigned, ps.Next)
	m.requeue(p)
}

// abortChildren stops every unfinished child of p (a sibling failed or the
// tolerated failures were exceeded) and removes all of p's children.
func (m *machine) abortChildren(p *frame, ps *program.Step) {
	ids := m.childIDs(p)
	m.preload(ids)
	for i, id := range ids {
		c := m.frame(id)
		if c == nil {
			continue
		}
		m.abortFrame(c)
		if ps.Type == asl.TypeMap && (c.Status != frameQueued && c.Status != frameDone && c.Status != frameFailed) {
			m.emit(p, "MapIterationAborted", m.details().str("name", ps.Name).num("index", int64(i)).bytes())
		}
		m.saveAborted(c)
		m.dropFrame(c)
	}
	p.Running = 0
}

// abortFrame writes the …StateAborted event of a running frame and cancels
// what it waits for (its children first).
func (m *machine) abortFrame(f *frame) {
	if f.Status == frameQueued || f.Status == frameDone || f.Status == frameFailed {
		return
	}
	s := m.prog.Step(f.State)
	if s == nil || !f.Entered {
		return
	}
	switch f.Status {
	case frameTask:
		m.b.cancel = append(m.b.cancel, f.Invocation)
		m.clearActivity(f)
		m.endNested(f, true)
	case frameChildren:
		ids := m.childIDs(f)
		m.preload(ids)
		for i, id := range ids {
			if c := m.frame(id); c != nil {
				m.abortFrame(c)
				if s.Type == asl.TypeMap && (c.Status != frameQueued && c.Status != frameDone && c.Status != frameFailed) {
					m.emit(f, "MapIterationAborted", m.details().str("name", s.Name).num("index", int64(i)).bytes())
				}
				m.saveAborted(c)
				m.dropFrame(c)
			}
		}
	}
	m.clearTimers(f)
	m.emit(f, names(s).aborted, nil)
}

// terminate ends the execution.
func (m *machine) terminate(status string, fl failure, output any) {
	if m.b.terminal {
		return
	}
	m.b.terminal = true
	m.stopNestedChildren()
	var typ string
	var det []byte
	switch status {
	case store.StatusSucceeded:
		// The output's size was checked when the last state exited.
		text := jsonv.Marshal(output)
		typ = "ExecutionSucceeded"
		det = m.details().payload("output", text).bytes()
		m.rec.Output = string(text)
	case store.StatusFailed:
		typ, det = "ExecutionFailed", errorDetails(fl)
	case store.StatusAborted:
		typ, det = "ExecutionAborted", errorDetails(fl)
	case store.StatusTimedOut:
		typ, det = "ExecutionTimedOut", errorDetails(fl)
	}
	m.emit(nil, typ, det)
	if status == store.StatusAborted || status == store.StatusTimedOut {
		// AWS gives these events no previous event.
		m.b.events[len(m.b.events)-1].PreviousEventID = 0
	}
	m.rec.Status = status
	m.rec.Error, m.rec.Cause, m.rec.HasError = fl.Error, fl.Cause, fl.HasError || fl.HasCause
	if status == store.StatusTimedOut {
		// DescribeExecution shows no error or cause for a timed-out
		// execution; only the ExecutionTimedOut event names States.Timeout.
		m.rec.Error, m.rec.Cause, m.rec.HasError = "", "", false
	}
	m.rec.StopDate = m.vnow()
	m.b.recDirty = true
	if status == store.StatusSucceeded || m.express {
		m.b.deleteAll = true
	} else {
		m.keepForRedrive()
	}
	m.b.cancelAll = true
	m.b.invoke = nil
	m.b.yield = nil
	m.work = nil
}

// apply processes one event.
func (m *machine) apply(ev *event) {
	if ev.kind == evRedrive {
		m.redrive(ev)
		m.drive()
		return
	}
	if m.rec.Status != store.StatusRunning {
		if ev.reply != nil {
			var err error
			if ev.kind != evStop {
				err = taskDoesNotExist()
			}
			m.b.replies = append(m.b.replies, reply{ev.reply, err})
		}
		if ev.kind == evTimer {
			m.b.timersDel = append(m.b.timersDel, ev.timer)
		}
		return
	}
	switch ev.kind {
	case evResume:
		m.resume([]string{ev.frame})
	case evStop:
		m.terminate(store.StatusAborted, ev.fail, nil)
		if ev.reply != nil {
			m.b.replies = append(m.b.replies, reply{ev.reply, nil})
		}
	case evTimer:
		m.b.timersDel = append(m.b.timersDel, ev.timer)
		m.timerFired(ev.timer)
	case evHeartbeat:
		m.heartbeat(ev)
	case evTaskDone:
		m.taskDone(ev)
	case evActivityStart:
		m.startActivity(ev)
	}
	m.drive()
}

func taskDoesNotExist() error {
	return apiError("TaskDoesNotExist", "Task Does Not Exist")
}

func (m *machine) timerFired(t store.Timer) {
	if t.Key == headerID+"|timeout" {
		if m.hdr.Timeout != nil && m.hdr.Timeout.Due.Equal(t.Due) {
			m.hdr.Timeout = nil
			m.b.hdrDirty = true
			m.terminate(store.StatusTimedOut, failure{Error: "States.Timeout", HasError: true}, nil)
		}
		return
	}
	id := t.Key
	for i := 0; i < len(id); i++ {
		if id[i] == '|' {
			id = id[:i]
			break
		}
	}
	f := m.frame(id)
	if f == nil {
		return
	}
	found := -1
	for i, r := range f.Timers {
		if r.Key == t.Key {
			found = i
			break
		}
	}
	if found < 0 {
		return
	}
	f.Timers = append(f.Timers[:found], f.Timers[found+1:]...)
	m.touch(f)
	kind := timerKind(t.Key)
	switch kind {
	case frameWait, frameRetry:
		if f.Status != kind {
			return
		}
		if m.skipTo(f.Due) {
			m.wake(f, kind)
		}
	case "timeout", "heartbeat":
		if f.Status != frameTask {
			return
		}
		// AWS reports a missed heartbeat as States.Timeout too (with an
		// empty cause), not as States.HeartbeatTimeout.
		m.b.cancel = append(m.b.cancel, f.Invocation)
		m.taskFailed(f, m.prog.Step(f.State), failure{Error: "States.Timeout", HasError: true, HasCause: true}, true)
	}
}

func (m *machine) heartbeat(ev *event) {
	f := m.frame(ev.frame)
	if f == nil || f.Status != frameTask || f.Invocation != ev.invocation {
		if ev.reply != nil {
			m.b.replies = append(m.b.replies, reply{ev.reply, taskDoesNotExist()})
		}
		return
	}
	for i, r := range f.Timers {
		if timerKind(r.Key) == "heartbeat" {
			m.b.timersDel = append(m.b.timersDel, store.Timer{Due: r.Due, ExecutionARN: m.arn, Key: r.Key})
			f.Timers = append(f.Timers[:i], f.Timers[i+1:]...)
			m.armTimer(f, "heartbeat", m.now.Add(time.Duration(f.Heartbeat)*time.Second))
			m.touch(f)
			break
		}
	}
	if ev.reply != nil {
		m.b.replies = append(m.b.replies, reply{ev.reply, nil})
	}
}

// checkTimeout times the execution out when its own time passed the
// deadline (scaled waits make the execution's time run ahead).
func (m *machine) checkTimeout() {
	if m.b.terminal || m.rec.Status != store.StatusRunning || m.timeout <= 0 {
		return
	}
	if !m.vnow().Before(m.timeoutFrom().Add(m.timeout)) {
		m.terminate(store.StatusTimedOut, failure{Error: "States.Timeout", HasError: true}, nil)
	}
}
