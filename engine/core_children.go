package engine

import (
	"time"

	"github.com/stepctl/stepctl/asl/jsonv"
	"github.com/stepctl/stepctl/asl/program"
)

// startTask begins one attempt of a Task state: evaluates its arguments
// and timeouts, writes the Scheduled and Started events, arms the timeout
// and heartbeat timers and asks for the invocation.
func (m *machine) startTask(f *frame, s *program.Step) {
	f.Attempt++
	f.Invocation = m.uuid(f)
	f.Token = makeToken(m.arn, f.ID, f.Invocation)
	f.Pending = false
	env := m.env(f, s)
	args, err := s.Arguments(f.Input.V, env)
	if err != nil {
		m.stateError(f, s, err)
		return
	}
	timeout, hb, err := s.TaskTimeouts(f.Input.V, env)
	if err != nil {
		m.stateError(f, s, err)
		return
	}
	text := jsonv.Marshal(args)
	if len(text) > m.cfg.payloadLimit {
		m.failTerminal(f, s, dataLimit(s.Name))
		return
	}
	lambda, rtype, rname := resourceKind(s.Resource)
	if rtype == "activity" {
		m.scheduleActivity(f, s, args, text, timeout, hb)
		return
	}
	if lambda {
		d := m.details().str("resource", s.Resource).payload("input", text)
		if timeout > 0 {
			d.num("timeoutInSeconds", int64(timeout/time.Second))
		}
		m.emit(f, "LambdaFunctionScheduled", d.bytes())
		m.emit(f, "LambdaFunctionStarted", nil)
	} else {
		d := m.details().str("resourceType", rtype).str("resource", rname).str("region", m.cfg.region).str("parameters", string(text))
		if timeout > 0 {
			d.num("timeoutInSeconds", int64(timeout/time.Second))
		}
		if hb > 0 {
			d.num("heartbeatInSeconds", int64(hb/time.Second))
		}
		m.emit(f, "TaskScheduled", d.bytes())
		m.emit(f, "TaskStarted", m.details().str("resourceType", rtype).str("resource", rname).bytes())
	}
	f.Status = frameTask
	f.Args = jv{args}
	f.Heartbeat = int64(hb / time.Second)
	if timeout > 0 {
		m.armTimer(f, "timeout", m.now.Add(timeout))
	}
	if hb > 0 {
		m.armTimer(f, "heartbeat", m.now.Add(hb))
	}
	m.scheduleNested(f, rtype, rname, args)
	m.touch(f)
	m.b.invoke = append(m.b.invoke, f)
}

// taskDone applies a task's outcome.
func (m *machine) taskDone(ev *event) {
	f := m.frame(ev.frame)
	if f == nil || f.Status != frameTask || f.Invocation != ev.invocation {
		if ev.reply != nil {
			m.b.replies = append(m.b.replies, reply{ev.reply, taskDoesNotExist()})
		}
		return
	}
	if ev.reply != nil {
		m.b.replies = append(m.b.replies, reply{ev.reply, nil})
	}
	s := m.prog.Step(f.State)
	lambda, rtype, rname := resourceKind(s.Resource)
	if ev.submitted != nil && !f.Pending {
		// A nested execution ended before its start was reported.
		f.Pending = true
		m.emit(f, "TaskSubmitted", m.details().str("resourceType", rtype).str("resource", rname).payload("output", jsonv.Marshal(ev.submitted)).bytes())
	}
	if ev.pending {
		if !f.Pending {
			f.Pending = true
			if !lambda {
				d := m.details().str("resourceType", rtype).str("resource", rname).payload("output", jsonv.Marshal(ev.result))
				m.emit(f, "TaskSubmitted", d.bytes())
			}
			m.touch(f)
		}
		return
	}
	if ev.callback {
		m.b.cancel = append(m.b.cancel, f.Invocation)
	}
	if ev.failed {
		m.taskFailed(f, s, ev.fail, false)
		return
	}
	text := jsonv.Marshal(ev.result)
	if len(text) > m.cfg.payloadLimit {
		fl := dataLimit(s.Resource)
		fl.Terminal = false
		m.taskFailed(f, s, fl, false)
		return
	}
	if rtype == "activity" {
		m.emit(f, "ActivitySucceeded", m.details().payload("output", text).bytes())
		m.clearActivity(f)
	} else if lambda {
		m.emit(f, "LambdaFunctionSucceeded", m.details().payload("output", text).bytes())
	} else {
		m.emit(f, "TaskSucceeded", m.details().str("resourceType", rtype).str("resource", rname).payload("output", text).bytes())
	}
	m.clearTimers(f)
	m.endNested(f, false)
	f.Status = frameReady
	out, assigned, err := s.Output(f.Input.V, ev.result, m.env(f, s))
	if err != nil {
		m.stateError(f, s, err)
		m.requeue(f)
		return
	}
	m.exit(f, s, out, assigned, s.Next)
	m.requeue(f)
}

// taskFailed writes the Failed (or TimedOut) event of a task attempt and
// applies Retry and Catch.
func (m *machine) taskFailed(f *frame, s *program.Step, fl failure, timedOut bool) {
	lambda, rtype, rname := resourceKind(s.Resource)
	var d *details
	if lambda || rtype == "activity" {
		d = m.details()
	} else {
		d = m.details().str("resourceType", rtype).str("resource", rname)
	}
	if fl.HasError {
		d.str("error", fl.Error)
	}
	if fl.HasCause && !timedOut {
		d.str("cause", fl.Cause)
	}
	typ := "Failed"
	if timedOut {
		typ = "TimedOut"
	}
	if rtype == "activity" {
		m.emit(f, "Activity"+typ, d.bytes())
		m.clearActivity(f)
	} else if lambda {
		m.emit(f, "LambdaFunction"+typ, d.bytes())
	} else {
		m.emit(f, "Task"+typ, d.bytes())
	}
	m.clearTimers(f)
	m.endNested(f, timedOut)
	f.Status = frameReady
	f.Pending = false
	m.touch(f)
	m.handleError(f, s, fl, false)
	m.requeue(f)
}

// startParallel starts every branch of a Parallel state on its effective
// input.
func (m *machine) startParallel(f *frame, s *program.Step) {
	args, err := s.Arguments(f.Input.V, m.env(f, s))
	if err != nil {
		m.stateError(f, s, err)
		return
	}
	m.emit(f, "ParallelStateStarted", nil)
	f.Gen++
	f.Total, f.Started, f.Running, f.Succeeded, f.FailedN = len(s.Branches), len(s.Branches), len(s.Branches), 0, 0
	f.Status = frameChildren
	m.touch(f)
	children := make([]*frame, len(s.Branches))
	for i, br := range s.Branches {
		c := &frame{ID: childID(f, i), Parent: f.ID, Index: i, Status: frameReady, State: br.StartAt, Input: jv{args}, Last: f.Last}
		m.frames[c.ID] = c
		m.touch(c)
		children[i] = c
	}
	for i := len(children) - 1; i >= 0; i-- {
		m.work = append(m.work, children[i])
	}
}

// startMap starts a Map state: its items become queued iteration frames,
// started up to MaxConcurrency at a time.
func (m *machine) startMap(f *frame, s *program.Step) {
	env := m.env(f, s)
	items, err := s.MapItems(f.Input.V, env)
	if err != nil {
		m.stateError(f, s, err)
		return
	}
	limits, err := s.MapLimits(f.Input.V, env)
	if err != nil {
		m.stateError(f, s, err)
		return
	}
	m.emit(f, "MapStateStarted", m.details().num("length", int64(len(items))).bytes())
	m.touch(f)
	if len(items) == 0 {
		m.emit(f, "MapStateSucceeded", nil)
		m.finishChildren(f, s, []any{})
		return
	}
	f.Gen++
	f.Total, f.Started, f.Running, f.Succeeded, f.FailedN = len(items), 0, 0, 0, 0
	f.MaxConc, f.TolCount, f.TolPct = limits.MaxConcurrency, limits.ToleratedFailureCount, limits.ToleratedFailurePercentage
	f.Status = frameChildren
	for i, item := range items {
		c := &frame{ID: childID(f, i), Parent: f.ID, Index: i, Status: frameQueued, State: s.Processor.StartAt, Item: jv{item}}
		m.frames[c.ID] = c
		m.touch(c)
	}
	m.startIterations(f, s)
}

// startIterations starts queued iterations while MaxConcurrency allows.
func (m *machine) startIterations(p *frame, ps *program.Step) {
	var started []*frame
	for p.Started < p.Total && (p.MaxConc <= 0 || p.Running < p.MaxConc) {
		i := p.Started
		c := m.frame(childID(p, i))
		if c == nil {
			return
		}
		env := m.contextEnv(p, ps)
		env.Context.Set("Map", jsonv.ObjectOf("Item", jsonv.ObjectOf("Index", int64(i), "Value", c.Item.V)))
		in, err := ps.MapItemInput(p.Input.V, c.Item.V, i, env)
		if err != nil {
			m.abortChildren(p, ps)
			p.Status = frameReady
			m.stateError(p, ps, err)
			m.requeue(p)
			return
		}
		p.Started++
		p.Running++
		c.Last = m.emit(p, "MapIterationStarted", m.details().str("name", ps.Name).num("index", int64(i)).bytes())
		c.Status = frameReady
		c.Input = jv{in}
		c.Item = jv{}
		m.touch(c)
		started = append(started, c)
	}
	m.touch(p)
	for i := len(started) - 1; i >= 0; i-- {
		m.work = append(m.work, started[i])
	}
}

// mapChildFinished applies a finished iteration to its Map state.
func (m *machine) mapChildFinished(p *frame, ps *program.Step, c *frame) {
	d := m.details().str("name", ps.Name).num("index", int64(c.Index)).bytes()
	if c.Status == frameDone {
		m.emit(p, "MapIterationSucceeded", d)
		p.Succeeded++
	} else {
		m.emit(p, "MapIterationFailed", d)
		p.FailedN++
		if exceeded, configured := toleranceExceeded(p); exceeded {
			fl := c.Failure
			if configured {
				fl = newFailure("States.ExceedToleratedFailureThreshold", "The specified tolerated failure threshold was exceeded")
			}
			m.abortChildren(p, ps)
			p.Status = frameReady
			m.handleError(p, ps, fl, true)
			m.requeue(p)
			return
		}
	}
	if p.Succeeded+p.FailedN == p.Total {
		m.childrenSucceeded(p, ps)
		return
	}
	m.startIterations(p, ps)
}

// toleranceExceeded reports whether a Map's failed iterations exceed its
// ToleratedFailureCount / ToleratedFailurePercentage (any failure does when
// neither is set), and whether either was set.
func toleranceExceeded(p *frame) (exceeded, configured bool) {
	if p.TolCount < 0 && p.TolPct < 0 {
		return true, false
	}
	if p.TolCount >= 0 && int64(p.FailedN) > p.TolCount {
		return true, true
	}
	if p.TolPct >= 0 && float64(p.FailedN)*100/float64(p.Total) > p.TolPct {
		return true, true
	}
	return false, true
}
