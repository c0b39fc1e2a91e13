package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/stepctl/stepctl/asl"
	"github.com/stepctl/stepctl/asl/jsonv"
	"github.com/stepctl/stepctl/asl/program"
	"github.com/stepctl/stepctl/asl/timestamp"
	"github.com/stepctl/stepctl/store"
)

// Redrive status values of DescribeExecution.
const (
	RedriveStatusRedrivable    = "REDRIVABLE"
	RedriveStatusNotRedrivable = "NOT_REDRIVABLE"
)

// Redrive limits: AWS redrives an execution that ended at most 14 days ago
// and whose start is less than a year (the longest STANDARD execution)
// ago.
const (
	redrivePeriod  = 14 * 24 * time.Hour
	maxRunDuration = 365 * 24 * time.Hour
)

// AWS's reasons (redriveStatusReason, as AWS documents them) why an
// execution cannot be redriven; the ExecutionNotRedrivable error carries
// the same text (AWS's own message for the error was not recorded).
const (
	reasonRunning      = "Execution is RUNNING and cannot be redriven"
	reasonSucceeded    = "Execution is SUCCEEDED and cannot be redriven"
	reasonBeforeLaunch = "Execution was started before the launch of RedriveExecution"
	reasonHistoryLimit = "Execution history event limit exceeded"
	reasonMaxTime      = "Execution has exceeded the max execution time"
	reasonPeriod       = "Execution redrivable period exceeded"
)

// RedriveOption configures RedriveExecution.
type RedriveOption func(*redriveRequest)

// WithClientToken makes a redrive idempotent: redriving again with the
// token of the execution's last redrive returns that redrive's date
// instead of redriving again (or failing because the execution runs).
func WithClientToken(token string) RedriveOption {
	return func(r *redriveRequest) { r.token = token }
}

// redriveRequest is a RedriveExecution request and, once committed, its
// outcome.
type redriveRequest struct {
	token string
	date  time.Time
}

// RedriveExecution restarts a FAILED, TIMED_OUT or ABORTED execution from
// the states where it stopped, as AWS's RedriveExecution does, and returns
// the redrive date. The execution keeps its ARN, input, definition,
// variables and history: an ExecutionRedriven event (redriveCount) follows
// the last event, then the unsuccessful states are entered again with
// their retry counts reset. A Parallel state runs only its branches that
// failed or were aborted again, an inline Map state only such iterations;
// the others keep their results. $$.Execution.RedriveCount and
// RedriveTime show the redrive. The redrive, the events and the first
// steps of the redriven states are one committed transition.
//
// An execution that is RUNNING or SUCCEEDED, ended more than 14 days ago,
// started more than a year ago, failed on the history quota or ended
// before this engine kept the checkpoints of unsuccessful executions is
// ExecutionNotRedrivable with AWS's reason (see
// Execution.RedriveStatusReason). An EXPRESS execution's ARN is InvalidArn
// ("Invalid Arn: 'Resource type not valid in this context: express'"), as
// DescribeExecution answers it.
func (e *Engine) RedriveExecution(ctx context.Context, executionARN string, opts ...RedriveOption) (time.Time, error) {
	if _, err := e.DescribeExecution(ctx, executionARN); err != nil {
		return time.Time{}, err
	}
	r := &redriveRequest{}
	for _, o := range opts {
		o(r)
	}
	if err := e.request(ctx, executionARN, &event{kind: evRedrive, redrive: r}); err != nil {
		return time.Time{}, err
	}
	return r.date, nil
}

func notRedrivable(reason string) error { return apiError("ExecutionNotRedrivable", "%s", reason) }

// redriveReason says why an execution cannot be redriven at now ("" when
// it can), in AWS's words.
func redriveReason(rec *store.Execution, now time.Time) string {
	switch rec.Status {
	case store.StatusRunning:
		return reasonRunning
	case store.StatusSucceeded:
		return reasonSucceeded
	}
	switch {
	case rec.Error == "States.Runtime" && strings.HasPrefix(rec.Cause, "The execution reached the maximum number of history events"):
		return reasonHistoryLimit
	case now.Sub(rec.StartDate) > maxRunDuration:
		return reasonMaxTime
	case now.Sub(rec.StopDate) > redrivePeriod:
		return reasonPeriod
	}
	return ""
}

// setRedriveStatus fills a description's RedriveStatus and
// RedriveStatusReason.
func setRedriveStatus(ex *Execution, rec *store.Execution, now time.Time) {
	if reason := redriveReason(rec, now); reason != "" {
		ex.RedriveStatus, ex.RedriveStatusReason = RedriveStatusNotRedrivable, reason
		return
	}
	ex.RedriveStatus = RedriveStatusRedrivable
}

func hasRedrive(events []*event) bool {
	return slices.ContainsFunc(events, func(ev *event) bool { return ev.kind == evRedrive })
}

// loadForRedrive completes the state of an ended execution read by
// loadExec (its record only) with its header and program.
func (e *Engine) loadForRedrive(st *execState) error {
	err := e.storeFor(st.arn).View(e.ctx, func(tx store.Tx) error {
		hb, err := tx.GetFrame(st.arn, headerID)
		if errors.Is(err, store.ErrNotFound) {
			if st.rec.Status == store.StatusFailed || st.rec.Status == store.StatusTimedOut || st.rec.Status == store.StatusAborted {
				// Its checkpoint was deleted when it ended.
				return notRedrivable(reasonBeforeLaunch)
			}
			return notRedrivable(redriveReason(st.rec, e.clock.Now()))
		}
		if err != nil {
			return err
		}
		if err := jsonUnmarshal(hb, &st.hdr); err != nil {
			return err
		}
		st.lastID, err = tx.LastHistoryID(st.arn)
		return err
	})
	if err != nil {
		return err
	}
	sm, err := e.compile(st.rec.Definition, "")
	if err != nil {
		return fmt.Errorf("execution %s: %w", st.arn, err)
	}
	input, err := jsonv.ParseString(st.rec.Input)
	if err != nil {
		return err
	}
	e.prepare(st, sm, input)
	return nil
}

// redrive applies RedriveExecution: the ExecutionRedriven event, the
// record, the execution timeout again, and the unsuccessful frames made
// ready.
func (m *machine) redrive(ev *event) {
	r := ev.redrive
	if r.token != "" && r.token == m.hdr.RedriveToken && m.rec.RedriveCount > 0 {
		r.date = m.rec.RedriveDate
		m.b.replies = append(m.b.replies, reply{ev.reply, nil})
		return
	}
	reason := redriveReason(m.rec, m.now)
	if reason == "" && m.lastID+2 >= m.cfg.historyLimit {
		reason = reasonHistoryLimit
	}
	if reason == "" && m.prog == nil {
		reason = reasonBeforeLaunch
	}
	if reason != "" {
		m.b.replies = append(m.b.replies, reply{ev.reply, notRedrivable(reason)})
		return
	}
	date := m.vnow()
	m.rec.RedriveCount++
	m.rec.RedriveDate = date
	m.rec.Status = store.StatusRunning
	m.rec.Error, m.rec.Cause, m.rec.HasError, m.rec.Output = "", "", false, ""
	m.rec.StopDate = time.Time{}
	m.b.recDirty = true
	m.hdr.RedriveToken = r.token
	m.b.hdrDirty = true
	m.ctxExec.Set("RedriveCount", int64(m.rec.RedriveCount))
	m.ctxExec.Set("RedriveTime", timestamp.Format(date))
	id := m.emit(nil, "ExecutionRedriven", m.details().num("redriveCount", int64(m.rec.RedriveCount)).bytes())
	if m.timeout > 0 {
		// The execution's time limit counts from the redrive.
		t := timerRef{Key: headerID + "|timeout", Due: m.now.Add(m.timeout)}
		m.hdr.Timeout = &t
		m.b.timersPut = append(m.b.timersPut, store.Timer{Due: t.Due, ExecutionARN: m.arn, Key: t.Key})
	}
	if root := m.frame(rootID); root != nil {
		m.redriveFrame(root, id)
	}
	r.date = date
	m.b.replies = append(m.b.replies, reply{ev.reply, nil})
}

// timeoutFrom is when the execution's time limit started: its start, or
// its last redrive.
func (m *machine) timeoutFrom() time.Time {
	if m.rec.RedriveCount > 0 {
		return m.rec.RedriveDate
	}
	return m.rec.StartDate
}

// redriveFrame makes an unsuccessful frame run again: a Parallel or Map
// state whose branches or iterations were kept continues with the
// unsuccessful ones; any other frame enters its state again. Its next
// event follows the ExecutionRedriven event redriven.
func (m *machine) redriveFrame(f *frame, redriven int64) {
	if f.Status == frameDone || f.Status == frameQueued {
		return
	}
	m.touch(f)
	f.Last = redriven
	f.Timers = nil // removed from the store when the execution ended
	f.Invocation, f.Token, f.Pending, f.Args, f.Attempt, f.Heartbeat = "", "", false, jv{}, 0, 0
	f.Activity, f.ActivityKey, f.ActivityStarted = "", "", false
	f.Out, f.Assigned, f.Due = jv{}, nil, time.Time{}
	f.Failure = failure{}
	f.RetryCount = 0
	clear(f.Retries)
	s := m.prog.Step(f.State)
	if s != nil && (s.Type == asl.TypeParallel || s.Type == asl.TypeMap) && f.Total > 0 &&
		(f.Status == frameChildren || f.Status == frameFailed) && f.Entered {
		ids := m.childIDs(f)
		m.preload(ids)
		kids := make([]*frame, 0, len(ids))
		for _, id := range ids {
			if c := m.frame(id); c != nil {
				kids = append(kids, c)
			}
		}
		if len(kids) == len(ids) {
			m.redriveChildren(f, s, kids, redriven)
			return
		}
	}
	f.Status = frameReady
	f.Entered = false
	m.work = append(m.work, f)
}

// redriveChildren continues a Parallel or Map state with its unsuccessful
// branches or iterations; the successful ones keep their outputs, queued
// iterations start as MaxConcurrency allows.
func (m *machine) redriveChildren(p *frame, ps *program.Step, kids []*frame, redriven int64) {
	p.Status = frameChildren
	p.Running, p.Succeeded, p.FailedN = 0, 0, 0
	// In reverse, so that the first branch or iteration runs first (the
	// work list is a stack), as when the state started.
	for _, c := range slices.Backward(kids) {
		switch c.Status {
		case frameDone:
			p.Succeeded++
		case frameQueued:
		default:
			p.Running++
			m.redriveFrame(c, redriven)
		}
	}
	switch {
	case p.Succeeded == p.Total:
		m.childrenSucceeded(p, ps)
	case ps.Type == asl.TypeMap:
		m.startIterations(p, ps)
	}
}

// saveAborted keeps a copy of a branch or iteration that is being aborted,
// restored if the execution ends in this batch (keepForRedrive).
func (m *machine) saveAborted(c *frame) {
	if m.express {
		return
	}
	cp := *c
	m.b.aborted = append(m.b.aborted, &cp)
}

// keepForRedrive ends an execution that did not succeed with its frames
// kept: its timers and queued activity tasks are removed, and the
// branches and iterations aborted by the failure are restored under the
// Parallel and Map states that failed, so that a redrive runs only the
// unsuccessful ones.
func (m *machine) keepForRedrive() {
	m.b.keepFrames = true
	if t := m.hdr.Timeout; t != nil {
		m.b.timersDel = append(m.b.timersDel, store.Timer{Due: t.Due, ExecutionARN: m.arn, Key: t.Key})
		m.hdr.Timeout = nil
		m.b.hdrDirty = true
	}
	// Parents before their children.
	saved := m.b.aborted
	slices.SortStableFunc(saved, func(a, b *frame) int {
		return strings.Count(a.ID, "/") - strings.Count(b.ID, "/")
	})
	for _, c := range saved {
		p := m.frames[c.Parent]
		if p == nil || m.b.deleted[p.ID] || childID(p, c.Index) != c.ID || (p.Status != frameFailed && p.Status != frameChildren) {
			continue
		}
		if _, ok := m.frames[c.ID]; ok {
			continue
		}
		delete(m.b.deleted, c.ID)
		m.frames[c.ID] = c
		m.touch(c)
		c.Vars.Range(func(_ string, v any) bool {
			m.hdr.VarBytes += varSize(v)
			m.b.hdrDirty = true
			return true
		})
	}
	m.b.aborted = nil
}
