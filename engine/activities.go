package engine

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"sync"
	"time"

	"github.com/stepctl/stepctl/asl/jsonv"
	"github.com/stepctl/stepctl/asl/program"
	"github.com/stepctl/stepctl/store"
)

// Activities (AWS Step Functions activities: workers anywhere poll for
// the work of Task states whose Resource is an activity ARN).
//
// Storage. An activity is the store's store.Activity record; its queue
// (PutActivityTask, ActivityTasks) holds the tasks scheduled but not
// handed out yet, one entry per task, keyed by the scheduling time so that
// they are handed out in order, holding the task token.
//
// A task's truth is its execution's frame: the transition that writes
// ActivityScheduled puts the queue entry in the same store transaction,
// and the one that writes ActivityStarted (when a poller gets the task)
// removes it, so a task is neither lost nor handed out twice, across
// restarts too. Waiting tasks hold no goroutine and no memory; a waiting
// poller is its caller's goroutine, woken when a task of its activity is
// committed.

// ActivityPollTimeout is how long GetActivityTask waits for a task before
// it returns an empty one (AWS's 60 seconds).
const ActivityPollTimeout = 60 * time.Second

// Activity describes an activity.
type Activity struct {
	ARN          string
	Name         string
	CreationDate time.Time
	// Tags are the tags given when the activity was created (nil when
	// there were none).
	Tags map[string]string
}

// ActivityOption configures CreateActivity.
type ActivityOption func(*activityConfig)

type activityConfig struct{ tags map[string]string }

// WithActivityTags tags the activity CreateActivity creates.
func WithActivityTags(tags map[string]string) ActivityOption {
	return func(c *activityConfig) { c.tags = maps.Clone(tags) }
}

// ActivityTask is what GetActivityTask hands a worker: the task token to
// answer with SendTaskSuccess, SendTaskFailure or SendTaskHeartbeat, and
// the task's input (JSON text). An empty TaskToken means no task came.
type ActivityTask struct {
	TaskToken string
	Input     string
}

// ErrActivityDoesNotExist is DescribeActivity and GetActivityTask of an
// activity that does not exist.
var ErrActivityDoesNotExist = &Error{Code: "ActivityDoesNotExist"}

func activityDoesNotExist(arn string) error {
	return apiError("ActivityDoesNotExist", "Activity Does Not Exist: '%s'", arn)
}

func activityARN(region, account, name string) string {
	return "arn:aws:states:" + region + ":" + account + ":activity:" + name
}

// checkActivityARN is InvalidArn unless arn names an activity (AWS's
// messages for other ARNs).
func checkActivityARN(arn string) error {
	parts := strings.SplitN(arn, ":", 7)
	if len(parts) < 7 || parts[0] != "arn" || parts[2] != "states" {
		return apiError("InvalidArn", "Invalid Arn: 'Invalid ARN prefix: %s'", arn)
	}
	if parts[5] != "activity" || parts[6] == "" {
		return apiError("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: %s'", parts[5])
	}
	return nil
}

func toActivity(r *store.Activity) *Activity {
	a := &Activity{ARN: r.ARN, Name: r.Name, CreationDate: r.CreationDate}
	if len(r.Tags) > 0 {
		a.Tags = maps.Clone(r.Tags)
	}
	return a
}

// CreateActivity creates an activity named name. Like AWS's, it is
// idempotent on the name: creating an existing activity again returns it
// unchanged (different tags are ignored, as AWS documents).
func (e *Engine) CreateActivity(ctx context.Context, name string, opts ...ActivityOption) (*Activity, error) {
	var c activityConfig
	for _, o := range opts {
		o(&c)
	}
	if !validName(name) {
		return nil, apiError("InvalidName", "Invalid Name: '%s'", name)
	}
	rec := &store.Activity{ARN: activityARN(e.opts.Region, e.opts.Account, name), Name: name,
		CreationDate: e.clock.Now().UTC(), Tags: c.tags}
	out := rec
	err := e.st.Update(ctx, func(tx store.Tx) error {
		old, err := tx.GetActivity(rec.ARN)
		if err == nil {
			out = old
			return nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		out = rec
		return tx.PutActivity(rec)
	})
	if err != nil {
		return nil, err
	}
	return toActivity(out), nil
}

// DescribeActivity returns an activity; ActivityDoesNotExist when there
// is none with that ARN, InvalidArn for an ARN that names no activity.
func (e *Engine) DescribeActivity(ctx context.Context, arn string) (*Activity, error) {
	if err := checkActivityARN(arn); err != nil {
		return nil, err
	}
	var rec *store.Activity
	err := e.st.View(ctx, func(tx store.Tx) error {
		var err error
		rec, err = tx.GetActivity(arn)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, activityDoesNotExist(arn)
	}
	if err != nil {
		return nil, err
	}
	return toActivity(rec), nil
}

// ListActivities returns activities, newest first, at most max (0 = all),
// starting after nextToken ("" for the first page), with the token of
// the next page ("" when there is none).
func (e *Engine) ListActivities(ctx context.Context, max int, nextToken string) ([]*Activity, string, error) {
	after, err := decodePageToken(nextToken)
	if err != nil {
		return nil, "", err
	}
	limit := 0
	if max > 0 {
		limit = max + 1
	}
	var recs []*store.Activity
	err = e.st.View(ctx, func(tx store.Tx) error {
		var err error
		recs, err = tx.ListActivities(after, limit)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		// The page token names an activity deleted since.
		return nil, "", apiError("InvalidToken", "Invalid Token: 'Invalid pagination token'")
	}
	if err != nil {
		return nil, "", err
	}
	next := ""
	if max > 0 && len(recs) > max {
		recs = recs[:max]
		next = encodePageToken(recs[max-1].ARN)
	}
	out := make([]*Activity, len(recs))
	for i, r := range recs {
		out[i] = toActivity(r)
	}
	return out, next, nil
}

// DeleteActivity deletes an activity (deleting one that does not exist
// is not an error, as on AWS). Its tasks not handed out yet are dropped:
// their Task states time out (TimeoutSeconds) or wait until their
// execution ends.
func (e *Engine) DeleteActivity(ctx context.Context, arn string) error {
	if err := checkActivityARN(arn); err != nil {
		return err
	}
	err := e.st.Update(ctx, func(tx store.Tx) error { return tx.DeleteActivity(arn) })
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return err
}

// activityHub is the engine's in-memory side of activities: the pollers
// waiting for each activity, and the queue entries a poller is handing
// out (so that concurrent pollers try different ones).
type activityHub struct {
	mu      sync.Mutex
	waiters map[string]map[chan struct{}]struct{} // by activity ARN
	claimed map[string]struct{}                   // queue keys
}

func (h *activityHub) addWaiter(arn string) chan struct{} {
	ch := make(chan struct{}, 1)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.waiters == nil {
		h.waiters = make(map[string]map[chan struct{}]struct{})
	}
	if h.waiters[arn] == nil {
		h.waiters[arn] = make(map[chan struct{}]struct{})
	}
	h.waiters[arn][ch] = struct{}{}
	return ch
}

func (h *activityHub) removeWaiter(arn string, ch chan struct{}) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.waiters[arn], ch)
	if len(h.waiters[arn]) == 0 {
		delete(h.waiters, arn)
	}
}

// notify wakes the pollers of an activity.
func (h *activityHub) notify(arn string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.waiters[arn] {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// claim marks a queue entry as being handed out; false when another
// poller has it.
func (h *activityHub) claim(key string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.claimed[key]; ok {
		return false
	}
	if h.claimed == nil {
		h.claimed = make(map[string]struct{})
	}
	h.claimed[key] = struct{}{}
	return true
}

func (h *activityHub) unclaim(key string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.claimed, key)
}

func (h *activityHub) isClaimed(key string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	_, ok := h.claimed[key]
	return ok
}

// activityStart is the request of a poller to its task's execution: hand
// the task to worker. The execution fills input before it replies.
type activityStart struct {
	worker string
	input  string
}

// GetActivityTask hands a worker the oldest task of an activity that no
// worker has received yet, writing ActivityStarted (with workerName) to
// the task's execution, and returns its token and input. It waits for one
// up to ActivityPollTimeout and then returns an empty task, as AWS's long
// poll does; when ctx ends first it returns ctx.Err() (a task already
// being handed out is still returned). An activity that does not exist
// is ActivityDoesNotExist, an ARN that names no activity InvalidArn.
func (e *Engine) GetActivityTask(ctx context.Context, activityARN, workerName string) (ActivityTask, error) {
	if err := checkActivityARN(activityARN); err != nil {
		return ActivityTask{}, err
	}
	if _, err := e.DescribeActivity(ctx, activityARN); err != nil {
		return ActivityTask{}, err
	}
	wake := e.acts.addWaiter(activityARN)
	defer e.acts.removeWaiter(activityARN, wake)
	timer := e.clock.NewTimer(ActivityPollTimeout)
	defer timer.Stop()
	for {
		task, err := e.takeActivityTask(ctx, activityARN, workerName)
		if err != nil || task.TaskToken != "" {
			return task, err
		}
		select {
		case <-wake:
		case <-timer.C():
			return ActivityTask{}, nil
		case <-ctx.Done():
			return ActivityTask{}, ctx.Err()
		case <-e.ctx.Done():
			return ActivityTask{}, ErrEngineClosed
		}
	}
}

// takeActivityTask tries the unclaimed entries of an activity's queue, in
// order, until one's execution hands it out. Entries whose task no longer
// waits (it timed out, was stopped, its execution ended) are removed.
func (e *Engine) takeActivityTask(ctx context.Context, activityARN, worker string) (ActivityTask, error) {
	for {
		type entry struct{ key, token string }
		var cands []entry
		err := e.st.View(ctx, func(tx store.Tx) error {
			return tx.ActivityTasks(activityARN, func(key string, data []byte) bool {
				if !e.acts.isClaimed(key) {
					cands = append(cands, entry{key, string(data)})
				}
				return len(cands) < 8
			})
		})
		if errors.Is(err, store.ErrNotFound) {
			return ActivityTask{}, activityDoesNotExist(activityARN)
		}
		if err != nil || len(cands) == 0 {
			return ActivityTask{}, err
		}
		for _, c := range cands {
			if !e.acts.claim(c.key) {
				continue
			}
			task, stale, err := e.startActivityTask(ctx, c.token, worker)
			if stale {
				// The task no longer waits: drop its entry (its
				// execution could not, having ended or moved on).
				err = e.st.Update(ctx, func(tx store.Tx) error { return tx.DeleteActivityTask(activityARN, c.key) })
			}
			e.acts.unclaim(c.key)
			if err != nil {
				// Another poller may take the entry.
				e.acts.notify(activityARN)
				return ActivityTask{}, err
			}
			if task.TaskToken != "" {
				return task, nil
			}
		}
	}
}

// startActivityTask asks the execution of a queued task to hand it to
// worker. stale reports a task that no longer waits to be handed out.
func (e *Engine) startActivityTask(ctx context.Context, token, worker string) (task ActivityTask, stale bool, err error) {
	arn, frameID, inv, err := parseToken(token)
	if err != nil {
		return ActivityTask{}, true, nil
	}
	start := &activityStart{worker: worker}
	// Once asked, the execution hands the task out whatever becomes of
	// ctx: waiting for its (quick) commit keeps a poller whose caller
	// gives up at that moment from leaving a started task to nobody.
	err = e.request(context.WithoutCancel(ctx), arn, &event{kind: evActivityStart, frame: frameID, invocation: inv, start: start})
	if errors.Is(err, ErrTaskDoesNotExist) || errors.Is(err, ErrExecutionDoesNotExist) {
		return ActivityTask{}, true, nil
	}
	if err != nil {
		return ActivityTask{}, false, err
	}
	return ActivityTask{TaskToken: token, Input: start.input}, false, nil
}

// activityQueueKey is the key of a task in its activity's queue: the
// scheduling time (so that tasks are handed out in order) and the
// invocation id (unique).
func activityQueueKey(now time.Time, invocation string) string {
	return fmt.Sprintf("%020d|%s", now.UnixNano(), invocation)
}

// activityEntry is a queue entry a batch puts or deletes.
type activityEntry struct {
	activity string // the activity ARN
	key      string
	token    string
}

// activityExists reads whether an activity exists (the core asks before
// scheduling a task of it).
func (e *Engine) activityExists(arn string) (bool, error) {
	err := e.st.View(e.ctx, func(tx store.Tx) error {
		_, err := tx.GetActivity(arn)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// scheduleActivity is startTask for an activity resource: it writes
// ActivityScheduled and queues the task for GetActivityTask. The timeout
// counts from now; the heartbeat from when a worker gets the task. A
// missing activity fails the execution with States.Runtime, without an
// ActivityScheduled event (asl-reference.md §8).
func (m *machine) scheduleActivity(f *frame, s *program.Step, args any, text []byte, timeout, hb time.Duration) {
	exists, err := m.activityExists(s.Resource)
	if err != nil {
		m.err = err
		return
	}
	if !exists {
		m.failTerminal(f, s, newFailure("States.Runtime", fmt.Sprintf("The activity %s does not exist.", s.Resource)))
		return
	}
	d := m.details().str("resource", s.Resource).payload("input", text)
	if timeout > 0 {
		d.num("timeoutInSeconds", int64(timeout/time.Second))
	}
	if hb > 0 {
		d.num("heartbeatInSeconds", int64(hb/time.Second))
	}
	m.emit(f, "ActivityScheduled", d.bytes())
	f.Status = frameTask
	f.Args = jv{args}
	f.Heartbeat = int64(hb / time.Second)
	// Nothing is invoked: recovery must not invoke it either.
	f.Pending = true
	f.Activity = s.Resource
	f.ActivityKey = activityQueueKey(m.now, f.Invocation)
	f.ActivityStarted = false
	if timeout > 0 {
		m.armTimer(f, "timeout", m.now.Add(timeout))
	}
	m.touch(f)
	m.b.activityPuts = append(m.b.activityPuts, activityEntry{activity: f.Activity, key: f.ActivityKey, token: f.Token})
}

// startActivity hands a waiting activity task to a worker: ActivityStarted
// and the heartbeat timer.
func (m *machine) startActivity(ev *event) {
	f := m.frame(ev.frame)
	if f == nil || f.Status != frameTask || f.Invocation != ev.invocation || f.Activity == "" || f.ActivityStarted {
		m.b.replies = append(m.b.replies, reply{ev.reply, taskDoesNotExist()})
		return
	}
	d := m.details()
	if ev.start.worker != "" {
		d.str("workerName", ev.start.worker)
	}
	m.emit(f, "ActivityStarted", d.bytes())
	m.dequeueActivity(f)
	f.ActivityStarted = true
	if f.Heartbeat > 0 {
		m.armTimer(f, "heartbeat", m.now.Add(time.Duration(f.Heartbeat)*time.Second))
	}
	m.touch(f)
	ev.start.input = string(jsonv.Marshal(f.Args.V))
	m.b.replies = append(m.b.replies, reply{ev.reply, nil})
}

// dequeueActivity removes f's task from its activity's queue when it is
// still there (the task ends or is handed out).
func (m *machine) dequeueActivity(f *frame) {
	if f.Activity != "" && !f.ActivityStarted && f.ActivityKey != "" {
		m.b.activityDels = append(m.b.activityDels, activityEntry{activity: f.Activity, key: f.ActivityKey})
	}
}

// clearActivity forgets f's activity task (it ended).
func (m *machine) clearActivity(f *frame) {
	m.dequeueActivity(f)
	f.Activity, f.ActivityKey, f.ActivityStarted = "", "", false
}

// writeActivityQueue applies a batch's queue changes in its transaction.
func writeActivityQueue(tx store.Tx, b *batch) error {
	for _, a := range b.activityDels {
		if err := tx.DeleteActivityTask(a.activity, a.key); err != nil {
			return err
		}
	}
	if b.deleteAll || b.keepFrames {
		return nil
	}
	for _, a := range b.activityPuts {
		if err := tx.PutActivityTask(a.activity, a.key, []byte(a.token)); err != nil {
			return err
		}
	}
	return nil
}
