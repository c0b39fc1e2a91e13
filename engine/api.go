package engine

import (
	"context"
	"encoding/base64"
	"errors"

	"strconv"
	"strings"
	"time"

	"github.com/stepctl/stepctl/asl"
	"github.com/stepctl/stepctl/asl/jsonv"
	"github.com/stepctl/stepctl/asl/program"
	"github.com/stepctl/stepctl/store"
)

// StateMachine describes a registered state machine.
type StateMachine struct {
	ARN          string
	Name         string
	Type         string // STANDARD or EXPRESS
	Status       string // ACTIVE
	Definition   string
	RoleARN      string
	Description  string
	RevisionID   string
	CreationDate time.Time
	UpdateDate   time.Time
}

// Execution describes an execution.
type Execution struct {
	ARN             string
	StateMachineARN string
	Name            string
	// Status is RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED.
	Status string
	Input  string // JSON text
	Output string // JSON text, when SUCCEEDED
	// Error and Cause say why a FAILED, TIMED_OUT or ABORTED execution
	// ended; HasError reports whether there are any (a Fail state without
	// Error or Cause ends the execution with none).
	Error, Cause string
	HasError     bool
	StartDate    time.Time
	StopDate     time.Time // zero while RUNNING
	RedriveCount int
	// RedriveDate is when the execution was last redriven (zero if
	// never).
	RedriveDate time.Time
	// RedriveStatus (DescribeExecution only) is REDRIVABLE or
	// NOT_REDRIVABLE; RedriveStatusReason says why in AWS's words when
	// it is NOT_REDRIVABLE (see RedriveExecution).
	RedriveStatus, RedriveStatusReason string
	// TraceHeader is the trace header given to StartExecution
	// (WithTraceHeader); "" when none was.
	TraceHeader string
}

// StateMachineOption configures CreateStateMachine and UpdateStateMachine.
type StateMachineOption func(*smConfig)

type smConfig struct {
	typ, role, description string
	roleSet, descSet       bool
	tags                   map[string]string
}

// WithType sets the state machine type: "STANDARD" (the default) or
// "EXPRESS".
func WithType(t string) StateMachineOption { return func(c *smConfig) { c.typ = t } }

// checkRole refuses a role that is not an ARN, with CreateStateMachine's
// and UpdateStateMachine's InvalidArn.
func (c *smConfig) checkRole() error {
	if c.roleSet && !strings.HasPrefix(c.role, "arn:") {
		return apiError("InvalidArn", "Invalid Arn: 'Invalid ARN prefix: %s'", c.role)
	}
	return nil
}

// WithRoleARN sets the state machine's role ARN ($$.Execution.RoleArn).
func WithRoleARN(arn string) StateMachineOption {
	return func(c *smConfig) { c.role, c.roleSet = arn, true }
}

// WithDescription sets the state machine's description.
func WithDescription(d string) StateMachineOption {
	return func(c *smConfig) { c.description, c.descSet = d, true }
}

// ExecutionOption configures StartExecution.
type ExecutionOption func(*execConfig)

type execConfig struct {
	name, traceHeader string
	// parent is the task that waits for the execution (nested.go).
	parent *parentTask
}

// WithName names the execution (default: a random UUID).
func WithName(name string) ExecutionOption { return func(c *execConfig) { c.name = name } }

// WithTraceHeader sets the execution's trace header.
func WithTraceHeader(h string) ExecutionOption { return func(c *execConfig) { c.traceHeader = h } }

// compile validates and compiles a definition. Programs are cached by
// definition text, so each distinct definition is compiled once; typ
// ("STANDARD", "EXPRESS", or "" for an execution's already validated
// definition) only adds EXPRESS's restrictions, checked whenever a
// state machine is created or updated.
func (e *Engine) compile(definition, typ string) (*program.Program, error) {
	e.progMu.Lock()
	p := e.programs[definition]
	e.progMu.Unlock()
	if p != nil && typ != "EXPRESS" {
		return p, nil
	}
	mt := asl.Standard
	if typ == "EXPRESS" {
		mt = asl.Express
	}
	// Integrations registered with the task registry under their own
	// arn:aws:states:::… names are accepted although AWS does not know them.
	def, ds := asl.Load([]byte(definition), asl.ValidateOptions{Type: mt, Severity: asl.SeverityError, AcceptResource: e.reg.Registered})
	if err := ds.Err(); err != nil {
		return nil, &Error{Code: "InvalidDefinition", Message: err.Error()}
	}
	if p != nil {
		return p, nil
	}
	p, err := program.Compile(def)
	if err != nil {
		var ide *asl.InvalidDefinitionError
		if errors.As(err, &ide) {
			return nil, &Error{Code: "InvalidDefinition", Message: ide.Error()}
		}
		return nil, &Error{Code: "InvalidDefinition", Message: "Invalid State Machine Definition: '" + err.Error() + "'"}
	}
	e.progMu.Lock()
	e.programs[definition] = p
	e.progMu.Unlock()
	return p, nil
}

// contextReaders returns the states of p that may read the context object
// (computed once per program).
func (e *Engine) contextReaders(p *program.Program) map[string]bool {
	e.progMu.Lock()
	defer e.progMu.Unlock()
	r, ok := e.readers[p]
	if !ok {
		r = p.ContextReaders()
		e.readers[p] = r
	}
	return r
}

func (e *Engine) smARN(name string) string {
	return stateMachineARN(e.opts.Region, e.opts.Account, name)
}

func smName(arn string) string {
	if i := strings.LastIndex(arn, ":stateMachine:"); i >= 0 {
		return arn[i+len(":stateMachine:"):]
	}
	return arn
}

func toStateMachine(r *store.StateMachine) *StateMachine {
	return &StateMachine{ARN: r.ARN, Name: r.Name, Type: r.Type, Status: "ACTIVE", Definition: r.Definition, RoleARN: r.RoleARN,
		Description: r.Description, RevisionID: r.RevisionID, CreationDate: r.CreationDate, UpdateDate: r.UpdateDate}
}

func toExecution(r *store.Execution) *Execution {
	return &Execution{ARN: r.ARN, StateMachineARN: r.StateMachineARN, Name: r.Name, Status: r.Status, Input: r.Input, Output: r.Output,
		Error: r.Error, Cause: r.Cause, HasError: r.HasError, StartDate: r.StartDate, StopDate: r.StopDate, RedriveCount: r.RedriveCount,
		RedriveDate: r.RedriveDate, TraceHeader: r.TraceHeader}
}

// CreateStateMachine validates, compiles and registers a state machine.
// Creating one with the same name and definition again returns the
// existing one (with its tags: other tags are ignored, as on AWS); the
// same name with another definition, type or role is
// StateMachineAlreadyExists. An invalid definition is InvalidDefinition
// with AWS's message ("Invalid State Machine Definition: '…'"); more than
// 50 tags is TooManyTags.
func (e *Engine) CreateStateMachine(ctx context.Context, name, definition string, opts ...StateMachineOption) (*StateMachine, error) {
	c := smConfig{typ: "STANDARD"}
	for _, o := range opts {
		o(&c)
	}
	if !validName(name) {
		return nil, apiError("InvalidName", "Invalid Name: '%s'", name)
	}
	if c.typ != "STANDARD" && c.typ != "EXPRESS" {
		return nil, apiError("ValidationException", "1 validation error detected: Value '%s' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]", c.typ)
	}
	if _, err := e.compile(definition, c.typ); err != nil {
		return nil, err
	}
	if err := c.checkRole(); err != nil {
		return nil, err
	}
	if err := checkTags(c.tags); err != nil {
		return nil, err
	}
	if !c.roleSet {
		c.role = "arn:aws:iam::" + e.opts.Account + ":role/stepctl"
	}
	now := e.clock.Now().UTC()
	rec := &store.StateMachine{ARN: e.smARN(name), Name: name, Type: c.typ, Definition: definition, RoleARN: c.role,
		Description: c.description, CreationDate: now, UpdateDate: now, RevisionID: randomUUID(), Tags: c.tags}
	if len(c.tags) > MaxTagsPerResource {
		return nil, tooManyTags(rec.ARN)
	}
	var out *store.StateMachine
	err := e.st.Update(ctx, func(tx store.Tx) error {
		old, err := tx.GetStateMachine(rec.ARN)
		if err == nil {
			if old.Definition == definition && old.Type == c.typ && old.RoleARN == c.role {
				out = old
				return nil
			}
			return apiError("StateMachineAlreadyExists", "State Machine Already Exists: '%s'", rec.ARN)
		}
		if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		out = rec
		return tx.PutStateMachine(rec)
	})
	if err != nil {
		return nil, err
	}
	return toStateMachine(out), nil
}

// UpdateStateMachine replaces a state machine's definition (when
// definition is not "") and role or description (when given). Running
// executions keep the definition they started with.
func (e *Engine) UpdateStateMachine(ctx context.Context, arn, definition string, opts ...StateMachineOption) (*StateMachine, error) {
	var c smConfig
	for _, o := range opts {
		o(&c)
	}
	if err := c.checkRole(); err != nil {
		return nil, err
	}
	var out *store.StateMachine
	err := e.st.Update(ctx, func(tx store.Tx) error {
		rec, err := tx.GetStateMachine(arn)
		if errors.Is(err, store.ErrNotFound) {
			return stateMachineDoesNotExist(arn)
		}
		if err != nil {
			return err
		}
		if definition != "" {
			if _, err := e.compile(definition, rec.Type); err != nil {
				return err
			}
			rec.Definition = definition
		}
		if c.roleSet {
			rec.RoleARN = c.role
		}
		if c.descSet {
			rec.Description = c.description
		}
		rec.UpdateDate = e.clock.Now().UTC()
		rec.RevisionID = randomUUID()
		out = rec
		return tx.PutStateMachine(rec)
	})
	if err != nil {
		return nil, err
	}
	return toStateMachine(out), nil
}

// DescribeStateMachine returns a state machine.
func (e *Engine) DescribeStateMachine(ctx context.Context, arn string) (*StateMachine, error) {
	var rec *store.StateMachine
	err := e.st.View(ctx, func(tx store.Tx) error {
		var err error
		rec, err = tx.GetStateMachine(arn)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, stateMachineDoesNotExist(arn)
	}
	if err != nil {
		return nil, err
	}
	return toStateMachine(rec), nil
}

// ListStateMachines returns state machines in ARN order, at most max (0 =
// all), starting after nextToken ("" for the first page), with the token
// of the next page ("" when there is none).
func (e *Engine) ListStateMachines(ctx context.Context, max int, nextToken string) ([]*StateMachine, string, error) {
	after, err := decodePageToken(nextToken)
	if err != nil {
		return nil, "", err
	}
	var recs []*store.StateMachine
	limit := 0
	if max > 0 {
		limit = max + 1
	}
	err = e.st.View(ctx, func(tx store.Tx) error {
		var err error
		recs, err = tx.ListStateMachines(after, limit)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	next := ""
	if max > 0 && len(recs) > max {
		recs = recs[:max]
		next = encodePageToken(recs[max-1].ARN)
	}
	out := make([]*StateMachine, len(recs))
	for i, r := range recs {
		out[i] = toStateMachine(r)
	}
	return out, next, nil
}

// DeleteStateMachine removes a state machine. Its running executions
// continue (they run the definition they started with).
func (e *Engine) DeleteStateMachine(ctx context.Context, arn string) error {
	err := e.st.Update(ctx, func(tx store.Tx) error { return tx.DeleteStateMachine(arn) })
	if errors.Is(err, store.ErrNotFound) {
		return stateMachineDoesNotExist(arn)
	}
	return err
}

// StartExecution starts an execution of a state machine with input (JSON
// text; "" means "{}"). Starting again with the same name and input while
// the first is RUNNING returns it (as AWS does for STANDARD machines);
// otherwise a taken name is ExecutionAlreadyExists. Input that is not JSON
// is InvalidExecutionInput.
//
// An execution of an EXPRESS machine is not durable and not idempotent:
// each start is a new execution, named
// arn:…:express:<machine>:<name>:<uuid>, run on the engine's memory store
// (see StartSyncExecution); it is lost on Close or a crash, and
// DescribeExecution, GetExecutionHistory and StopExecution refuse its ARN
// as AWS does.
func (e *Engine) StartExecution(ctx context.Context, stateMachineARN, input string, opts ...ExecutionOption) (*Execution, error) {
	rec, _, err := e.start(ctx, stateMachineARN, input, false, opts)
	if err != nil {
		return nil, err
	}
	return toExecution(rec), nil
}

// start starts an execution. With sync (StartSyncExecution) the machine
// must be EXPRESS, and the returned channel receives the execution's
// description when it ends (nil when the engine closes first).
func (e *Engine) start(ctx context.Context, stateMachineARN, input string, sync bool, opts []ExecutionOption) (*store.Execution, chan *Execution, error) {
	var c execConfig
	for _, o := range opts {
		o(&c)
	}
	if c.name == "" {
		c.name = randomUUID()
	} else if !validName(c.name) {
		return nil, nil, apiError("InvalidName", "Invalid Name: '%s'", c.name)
	}
	if input == "" {
		input = "{}"
	}
	in, err := jsonv.ParseString(input)
	if err != nil {
		return nil, nil, apiError("InvalidExecutionInput", "Invalid State Machine Execution Input: '%s'", err.Error())
	}
	if len(input) > e.cfg.payloadLimit {
		return nil, nil, apiError("ValidationException", "1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to %d", e.cfg.payloadLimit)
	}
	var sm *store.StateMachine
	err = e.st.View(ctx, func(tx store.Tx) error {
		var err error
		sm, err = tx.GetStateMachine(stateMachineARN)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, stateMachineDoesNotExist(stateMachineARN)
	}
	if err != nil {
		return nil, nil, err
	}
	express := sm.Type == "EXPRESS"
	if sync && !express {
		return nil, nil, stateMachineTypeNotSupported()
	}
	// The definition was validated for the machine's type when it was
	// registered: the cached program serves (EXPRESS's checks would parse
	// the definition again on every start).
	prog, err := e.compile(sm.Definition, "")
	if err != nil {
		return nil, nil, err
	}
	arn := executionARN(sm.ARN, c.name)
	if express {
		arn = expressExecutionARN(sm.ARN, c.name, randomUUID())
	}
	st := e.storeFor(arn)
	now := e.clock.Now().UTC()
	rec := &store.Execution{ARN: arn, StateMachineARN: sm.ARN, Name: c.name, Status: store.StatusRunning, Input: input,
		StartDate: now, Definition: sm.Definition, RoleARN: sm.RoleARN, TraceHeader: c.traceHeader}
	hdr := header{Seed: randomSeed(), Sync: sync, Parent: c.parent}
	if express {
		hdr.Events = 1
	}
	if d := executionTimeout(prog, express); d > 0 {
		hdr.Timeout = &timerRef{Key: headerID + "|timeout", Due: now.Add(d)}
	}
	hdrData, err := jsonMarshal(&hdr)
	if err != nil {
		return nil, nil, err
	}
	root := &frame{ID: rootID, Status: frameReady, State: prog.Root.StartAt, Input: jv{in}, Last: 1}
	rootData, err := encodeFrame(root)
	if err != nil {
		return nil, nil, err
	}
	started := store.HistoryEvent{ID: 1, Timestamp: now, Type: "ExecutionStarted",
		Details: newDetails().payload("input", jsonv.Marshal(in)).str("roleArn", sm.RoleARN).bytes()}
	var existing *store.Execution
	err = st.Update(ctx, func(tx store.Tx) error {
		existing = nil
		if err := tx.CreateExecution(rec); err != nil {
			if !errors.Is(err, store.ErrExists) || express {
				return err
			}
			old, gerr := tx.GetExecution(arn)
			if gerr != nil {
				return gerr
			}
			if old.Status == store.StatusRunning && old.Input == input {
				existing = old
				return nil
			}
			return apiError("ExecutionAlreadyExists", "Execution Already Exists: '%s'", arn)
		}
		if err := tx.PutFrame(arn, headerID, hdrData); err != nil {
			return err
		}
		if err := tx.PutFrame(arn, rootID, rootData); err != nil {
			return err
		}
		if hdr.Timeout != nil {
			if err := tx.PutTimer(store.Timer{Due: hdr.Timeout.Due, ExecutionARN: arn, Key: hdr.Timeout.Key}); err != nil {
				return err
			}
		}
		if express {
			return nil
		}
		return tx.AppendHistory(arn, []store.HistoryEvent{started})
	})
	if express && errors.Is(err, store.ErrClosed) {
		return nil, nil, ErrEngineClosed // Close closed the memory store
	}
	if err != nil {
		return nil, nil, err
	}
	if existing != nil {
		return existing, nil, nil
	}
	if e.opts.OnEvent != nil {
		e.opts.OnEvent(arn, fromStoreEvent(started))
	}
	var done chan *Execution
	if sync {
		var ok bool
		if done, ok = e.addWaiter(arn); !ok {
			return nil, nil, ErrEngineClosed
		}
	}
	var held *execState
	if express {
		// The worker starts from the state just written instead of
		// reading it back (a copy: the caller keeps rec).
		ctxInput, err := jsonv.ParseString(input)
		if err != nil {
			return nil, nil, err
		}
		r := *rec
		held = &execState{arn: arn, rec: &r, hdr: hdr, lastID: 1, frames: map[string]*frame{rootID: root}, express: true}
		e.prepare(held, prog, ctxInput)
	}
	if !e.postState(arn, held, &event{kind: evResume, frame: rootID}) {
		if done != nil {
			e.removeWaiter(arn, done)
		}
		return nil, nil, ErrEngineClosed
	}
	if hdr.Timeout != nil {
		e.wakeTimers()
	}
	return rec, done, nil
}

// DescribeExecution returns an execution. An EXPRESS execution's ARN is
// InvalidArn ("Resource type not valid in this context: express"), as on
// AWS.
func (e *Engine) DescribeExecution(ctx context.Context, arn string) (*Execution, error) {
	if isExpressARN(arn) {
		return nil, resourceTypeNotValid()
	}
	var rec *store.Execution
	err := e.st.View(ctx, func(tx store.Tx) error {
		var err error
		rec, err = tx.GetExecution(arn)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, executionDoesNotExist(arn)
	}
	if err != nil {
		return nil, err
	}
	ex := toExecution(rec)
	setRedriveStatus(ex, rec, e.clock.Now())
	return ex, nil
}

// DescribeStateMachineForExecution returns the state machine an execution
// runs as it was when the execution started: its definition and role ARN
// are the execution's, also after the machine was updated or deleted.
// RevisionID, UpdateDate and CreationDate are the machine's when it still
// has that definition and role; otherwise (updated since, or deleted)
// RevisionID is "", UpdateDate the execution's start date (the revision
// it ran was current then; the engine does not record when it was made)
// and CreationDate that of the current machine, zero when it was deleted.
// Status is the current machine's ("" when deleted). Errors as
// DescribeExecution's.
func (e *Engine) DescribeStateMachineForExecution(ctx context.Context, executionARN string) (*StateMachine, error) {
	if isExpressARN(executionARN) {
		return nil, resourceTypeNotValid()
	}
	var ex *store.Execution
	var sm *store.StateMachine
	err := e.st.View(ctx, func(tx store.Tx) error {
		var err error
		if ex, err = tx.GetExecution(executionARN); err != nil {
			return err
		}
		if sm, err = tx.GetStateMachine(ex.StateMachineARN); errors.Is(err, store.ErrNotFound) {
			sm, err = nil, nil
		}
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, executionDoesNotExist(executionARN)
	}
	if err != nil {
		return nil, err
	}
	out := &StateMachine{ARN: ex.StateMachineARN, Name: smName(ex.StateMachineARN), Type: "STANDARD", Definition: ex.Definition,
		RoleARN: ex.RoleARN, UpdateDate: ex.StartDate}
	if sm != nil {
		out.Type, out.Status, out.Description, out.CreationDate = sm.Type, "ACTIVE", sm.Description, sm.CreationDate
		if sm.Definition == ex.Definition && sm.RoleARN == ex.RoleARN {
			out.RevisionID, out.UpdateDate = sm.RevisionID, sm.UpdateDate
		}
	}
	return out, nil
}

// ListExecutionsInput selects executions for ListExecutions.
type ListExecutionsInput struct {
	StateMachineARN string // "" = all state machines
	Status          string // "" = any status
	MaxResults      int    // 0 = all
	NextToken       string // from the previous page
}

// ListExecutions returns executions, newest first, and the token of the
// next page ("" when there is none). EXPRESS executions are never listed;
// listing an EXPRESS machine's executions is StateMachineTypeNotSupported,
// as on AWS.
func (e *Engine) ListExecutions(ctx context.Context, in ListExecutionsInput) ([]*Execution, string, error) {
	after, err := decodePageToken(in.NextToken)
	if err != nil {
		return nil, "", err
	}
	if in.StateMachineARN != "" {
		sm, err := e.DescribeStateMachine(ctx, in.StateMachineARN)
		if err != nil {
			return nil, "", err
		}
		if sm.Type == "EXPRESS" {
			return nil, "", stateMachineTypeNotSupported()
		}
	}
	limit := 0
	if in.MaxResults > 0 {
		limit = in.MaxResults + 1
	}
	var recs []*store.Execution
	err = e.st.View(ctx, func(tx store.Tx) error {
		var err error
		recs, err = tx.ListExecutions(store.ExecutionFilter{StateMachineARN: in.StateMachineARN, Status: in.Status, Limit: limit, After: after})
		return err
	})
	if err != nil {
		return nil, "", err
	}
	next := ""
	if in.MaxResults > 0 && len(recs) > in.MaxResults {
		recs = recs[:in.MaxResults]
		next = encodePageToken(recs[len(recs)-1].ARN)
	}
	out := make([]*Execution, len(recs))
	for i, r := range recs {
		out[i] = toExecution(r)
	}
	return out, next, nil
}

func encodePageToken(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func decodePageToken(t string) (string, error) {
	if t == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(t)
	if err != nil {
		return "", apiError("InvalidToken", "Invalid Token: 'Invalid pagination token'")
	}
	return string(b), nil
}

// StopExecution stops a RUNNING execution: it becomes ABORTED with the
// given error and cause ("" leaves them out), its running tasks are
// cancelled and its timers removed. Stopping an execution that already
// ended does nothing. EXPRESS executions cannot be stopped (InvalidArn,
// as DescribeExecution).
func (e *Engine) StopExecution(ctx context.Context, arn, errName, cause string) error {
	if _, err := e.DescribeExecution(ctx, arn); err != nil {
		return err
	}
	fl := failure{Error: errName, Cause: cause, HasError: errName != "", HasCause: cause != ""}
	return e.request(ctx, arn, &event{kind: evStop, fail: fl})
}

// request posts an event and waits until the batch that handled it is
// committed.
func (e *Engine) request(ctx context.Context, arn string, ev *event) error {
	ev.reply = make(chan error, 1)
	if !e.post(arn, ev) {
		return ErrEngineClosed
	}
	select {
	case err := <-ev.reply:
		return err
	case <-ctx.Done():
		return ctx.Err()
	case <-e.ctx.Done():
		return ErrEngineClosed
	}
}

// WaitExecution blocks until the execution ends (or ctx is done) and
// returns its description. It polls nothing: it is woken by the commit
// that ends the execution. An EXPRESS execution can be waited for only
// while it runs: ended ones are forgotten (ExecutionDoesNotExist); use
// StartSyncExecution to run one and get its outcome.
func (e *Engine) WaitExecution(ctx context.Context, arn string) (*Execution, error) {
	if isExpressARN(arn) {
		return e.waitExpress(ctx, arn)
	}
	ch, ok := e.addWaiter(arn)
	if !ok {
		return nil, ErrEngineClosed
	}
	ex, err := e.DescribeExecution(ctx, arn)
	if err != nil || ex.Status != store.StatusRunning {
		e.removeWaiter(arn, ch)
		return ex, err
	}
	select {
	case <-ch:
	case <-ctx.Done():
		e.removeWaiter(arn, ch)
		return nil, ctx.Err()
	}
	ex, err = e.DescribeExecution(context.WithoutCancel(ctx), arn)
	if err == nil && ex.Status == store.StatusRunning {
		return nil, ErrEngineClosed
	}
	return ex, err
}

// addWaiter registers a channel that receives the execution's
// description when it ends (nil when the engine closes first); false when
// the engine is closed.
func (e *Engine) addWaiter(arn string) (chan *Execution, bool) {
	ch := make(chan *Execution, 1)
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return nil, false
	}
	e.waiters[arn] = append(e.waiters[arn], ch)
	return ch, true
}

func (e *Engine) removeWaiter(arn string, ch chan *Execution) {
	e.mu.Lock()
	defer e.mu.Unlock()
	ws := e.waiters[arn]
	for i, w := range ws {
		if w == ch {
			e.waiters[arn] = append(ws[:i], ws[i+1:]...)
			break
		}
	}
	if len(e.waiters[arn]) == 0 {
		delete(e.waiters, arn)
	}
}

// HistoryInput selects events for GetExecutionHistory.
type HistoryInput struct {
	// Reverse returns the newest events first.
	Reverse bool
	// MaxResults is the page size (0 = all).
	MaxResults int
	// NextToken continues from the previous page.
	NextToken string
}

// GetExecutionHistory returns an execution's history events and the token
// of the next page ("" when there is none). EXPRESS executions keep no
// history: their ARN is InvalidArn, as on AWS.
func (e *Engine) GetExecutionHistory(ctx context.Context, arn string, in HistoryInput) ([]HistoryEvent, string, error) {
	if isExpressARN(arn) {
		return nil, "", resourceTypeNotValid()
	}
	var after int64
	if in.NextToken != "" {
		t, err := decodePageToken(in.NextToken)
		if err == nil {
			after, err = strconv.ParseInt(t, 10, 64)
		}
		if err != nil {
			return nil, "", apiError("InvalidToken", "Invalid Token: 'Invalid pagination token'")
		}
	}
	limit := 0
	if in.MaxResults > 0 {
		limit = in.MaxResults + 1
	}
	var evs []store.HistoryEvent
	err := e.st.View(ctx, func(tx store.Tx) error {
		if _, err := tx.GetExecution(arn); err != nil {
			return err
		}
		var err error
		evs, err = tx.History(arn, after, limit, in.Reverse)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, "", executionDoesNotExist(arn)
	}
	if err != nil {
		return nil, "", err
	}
	next := ""
	if in.MaxResults > 0 && len(evs) > in.MaxResults {
		evs = evs[:in.MaxResults]
		next = encodePageToken(strconv.FormatInt(evs[len(evs)-1].ID, 10))
	}
	out := make([]HistoryEvent, len(evs))
	for i, ev := range evs {
		out[i] = fromStoreEvent(ev)
	}
	return out, next, nil
}

// SendTaskSuccess completes the task attempt that token identifies with
// output (JSON text). It fails with InvalidToken for a malformed token,
// InvalidOutput for output that is not JSON, and TaskDoesNotExist when the
// attempt is no longer waiting (it completed, timed out or was retried, or
// the execution ended).
func (e *Engine) SendTaskSuccess(ctx context.Context, token, output string) error {
	arn, frameID, inv, err := parseToken(token)
	if err != nil {
		return apiError("InvalidToken", "Invalid Token: 'Invalid token'")
	}
	v, err := jsonv.ParseString(output)
	if err != nil {
		return apiError("InvalidOutput", "Invalid Output: '%s'", err.Error())
	}
	return e.request(ctx, arn, &event{kind: evTaskDone, frame: frameID, invocation: inv, result: v, callback: true})
}

// SendTaskFailure fails the task attempt that token identifies with an
// error name and cause ("" leaves them out: the error output then has
// null Error and Cause, as on AWS).
func (e *Engine) SendTaskFailure(ctx context.Context, token, errName, cause string) error {
	arn, frameID, inv, err := parseToken(token)
	if err != nil {
		return apiError("InvalidToken", "Invalid Token: 'Invalid token'")
	}
	fl := failure{Error: errName, Cause: cause, HasError: errName != "", HasCause: cause != ""}
	return e.request(ctx, arn, &event{kind: evTaskDone, frame: frameID, invocation: inv, failed: true, fail: fl, callback: true})
}

// SendTaskHeartbeat resets the heartbeat clock of the task attempt that
// token identifies.
func (e *Engine) SendTaskHeartbeat(ctx context.Context, token string) error {
	arn, frameID, inv, err := parseToken(token)
	if err != nil {
		return apiError("InvalidToken", "Invalid Token: 'Invalid token'")
	}
	return e.request(ctx, arn, &event{kind: evHeartbeat, frame: frameID, invocation: inv})
}
