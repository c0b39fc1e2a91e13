package bolt_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stepctl/stepctl/store"
	"github.com/stepctl/stepctl/store/bolt"
	"github.com/stepctl/stepctl/store/memory"
)

// TestModel applies the same random operations to the memory store (the
// model) and to a bolt store, in Updates that randomly fail (and so must
// roll back), with reopens of the bolt file in between, and requires every
// result to be the same.
func TestModel(t *testing.T) {
	seeds := 30
	if testing.Short() {
		seeds = 5
	}
	for seed := range seeds {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) { runModel(t, uint64(seed), 250) })
	}
}

func errClass(err error) string {
	for _, e := range []error{store.ErrNotFound, store.ErrExists, store.ErrHistorySequence, store.ErrReadOnly, errModelAbort} {
		if errors.Is(err, e) {
			return e.Error()
		}
	}
	if err != nil {
		return "other error"
	}
	return "ok"
}

var errModelAbort = errors.New("model: abort")

// modelGen draws operation parameters from small pools so that operations
// collide (same ARNs, frame IDs, timers, start times).
type modelGen struct{ r *rand.Rand }

func (g modelGen) pick(pool ...string) string { return pool[g.r.IntN(len(pool))] }
func (g modelGen) exARN() string {
	return "arn:aws:states:us-east-1:1:execution:" + g.pick("sm1", "sm2") + ":" + g.pick("a", "b", "c", "d", "e", "ab", "a\xff")
}
func (g modelGen) smARN() string {
	return "arn:aws:states:us-east-1:1:stateMachine:" + g.pick("sm1", "sm2", "sm3")
}
func (g modelGen) status() string {
	return g.pick(store.StatusRunning, store.StatusSucceeded, store.StatusFailed)
}
func (g modelGen) time() time.Time {
	return time.Date(2026, 1, 1, 0, 0, g.r.IntN(4), g.r.IntN(3), time.UTC)
}
func (g modelGen) actARN() string {
	return "arn:aws:states:us-east-1:1:activity:" + g.pick("a", "b", "ab", "a\xff")
}
func (g modelGen) frameID() string { return g.pick("", "root", "map/1", "map/10", "map/2", "p/0") }

// op is one operation: applied to a Tx, it returns a printable result.
type op struct {
	name string
	fn   func(tx store.Tx) string
}

func (g modelGen) op() op {
	switch g.r.IntN(26) {
	case 0:
		sm := &store.StateMachine{ARN: g.smARN(), Name: g.pick("x", "y"), Definition: g.pick("d1", "d2"), CreationDate: g.time(), Tags: map[string]string{"k": g.pick("1", "2")}}
		return op{"PutStateMachine", func(tx store.Tx) string { return errClass(tx.PutStateMachine(sm)) }}
	case 1:
		arn := g.smARN()
		return op{"DeleteStateMachine", func(tx store.Tx) string { return errClass(tx.DeleteStateMachine(arn)) }}
	case 2:
		after, limit := g.pick("", g.smARN()), g.r.IntN(3)
		return op{"ListStateMachines", func(tx store.Tx) string {
			sms, err := tx.ListStateMachines(after, limit)
			out := errClass(err)
			for _, sm := range sms {
				out += fmt.Sprintf(" %+v", *sm)
			}
			return out
		}}
	case 3, 4:
		ex := &store.Execution{ARN: g.exARN(), StateMachineARN: g.smARN(), Status: g.status(), StartDate: g.time(), Definition: g.pick("", "def1", "def2"), Input: "{}"}
		return op{"CreateExecution", func(tx store.Tx) string { return errClass(tx.CreateExecution(ex)) }}
	case 5:
		ex := &store.Execution{ARN: g.exARN(), StateMachineARN: g.smARN(), Status: g.status(), StartDate: g.time(), Definition: g.pick("", "def1", "def2"), Output: "1", StopDate: g.time(), HasError: true}
		return op{"PutExecution", func(tx store.Tx) string { return errClass(tx.PutExecution(ex)) }}
	case 6:
		arn := g.exARN()
		return op{"DeleteExecution", func(tx store.Tx) string { return errClass(tx.DeleteExecution(arn)) }}
	case 7:
		arn := g.exARN()
		return op{"GetExecution", func(tx store.Tx) string {
			ex, err := tx.GetExecution(arn)
			return fmt.Sprintf("%s %+v", errClass(err), ex)
		}}
	case 8:
		f := store.ExecutionFilter{Limit: g.r.IntN(4)}
		if g.r.IntN(2) == 0 {
			f.StateMachineARN = g.smARN()
		}
		if g.r.IntN(2) == 0 {
			f.Status = g.status()
		}
		if g.r.IntN(2) == 0 {
			f.After = g.exARN()
		}
		return op{"ListExecutions", func(tx store.Tx) string {
			exs, err := tx.ListExecutions(f)
			var names []string
			for _, ex := range exs {
				names = append(names, fmt.Sprintf("%+v", *ex))
			}
			return fmt.Sprintf("%+v: %s %s", f, errClass(err), strings.Join(names, "\n"))
		}}
	case 9, 10:
		arn, id, data := g.exARN(), g.frameID(), []byte(g.pick("", "x", "yy"))
		return op{"PutFrame", func(tx store.Tx) string { return errClass(tx.PutFrame(arn, id, data)) }}
	case 11:
		arn, id := g.exARN(), g.frameID()
		return op{"DeleteFrame", func(tx store.Tx) string { return errClass(tx.DeleteFrame(arn, id)) }}
	case 12:
		arn, id := g.exARN(), g.frameID()
		stopAfter := g.r.IntN(4)
		return op{"Frames/GetFrame", func(tx store.Tx) string {
			data, err := tx.GetFrame(arn, id)
			out := fmt.Sprintf("%s %q;", errClass(err), data)
			n := 0
			err = tx.Frames(arn, func(id string, data []byte) bool {
				out += fmt.Sprintf(" %q=%q", id, data)
				n++
				return n != stopAfter
			})
			return out + " " + errClass(err)
		}}
	case 13, 14:
		arn, delta, n := g.exARN(), g.r.IntN(8)-1, g.r.IntN(3)
		if delta > 1 {
			delta = 0 // mostly valid appends
		}
		details := []byte(g.pick("", `{"a":1}`))
		return op{"AppendHistory", func(tx store.Tx) string {
			last, err := tx.LastHistoryID(arn)
			var evs []store.HistoryEvent
			for i := range n {
				id := last + 1 + int64(delta) + int64(i)
				evs = append(evs, store.HistoryEvent{ID: id, PreviousEventID: id - 1, Type: "T", Timestamp: time.Date(2026, 1, 1, 0, 0, 0, int(id), time.UTC), Details: details})
			}
			return fmt.Sprintf("%d %s %s", last, errClass(err), errClass(tx.AppendHistory(arn, evs)))
		}}
	case 15:
		arn, after, limit, reverse := g.exARN(), int64(g.r.IntN(6)), g.r.IntN(3), g.r.IntN(2) == 0
		return op{"History", func(tx store.Tx) string {
			evs, err := tx.History(arn, after, limit, reverse)
			return fmt.Sprintf("%s %+v", errClass(err), evs)
		}}
	case 16, 17:
		tm := store.Timer{Due: g.time(), ExecutionARN: g.exARN(), Key: g.frameID()}
		return op{"PutTimer", func(tx store.Tx) string { return errClass(tx.PutTimer(tm)) }}
	case 18:
		tm := store.Timer{Due: g.time(), ExecutionARN: g.exARN(), Key: g.frameID()}
		return op{"DeleteTimer", func(tx store.Tx) string { return errClass(tx.DeleteTimer(tm)) }}
	case 19:
		a := &store.Activity{ARN: g.actARN(), Name: g.pick("x", "y"), CreationDate: g.time()}
		if g.r.IntN(2) == 0 {
			a.Tags = map[string]string{"k": g.pick("1", "2")}
		}
		return op{"PutActivity", func(tx store.Tx) string { return errClass(tx.PutActivity(a)) }}
	case 20:
		arn := g.actARN()
		return op{"DeleteActivity", func(tx store.Tx) string { return errClass(tx.DeleteActivity(arn)) }}
	case 21:
		arn, after, limit := g.actARN(), g.pick("", g.actARN()), g.r.IntN(3)
		return op{"GetActivity/ListActivities", func(tx store.Tx) string {
			a, err := tx.GetActivity(arn)
			out := fmt.Sprintf("%s %+v;", errClass(err), a)
			as, err := tx.ListActivities(after, limit)
			for _, a := range as {
				out += fmt.Sprintf(" %+v", *a)
			}
			return out + " " + errClass(err)
		}}
	case 22:
		arn, key, data := g.actARN(), g.frameID(), []byte(g.pick("", "x", "yy"))
		return op{"PutActivityTask", func(tx store.Tx) string { return errClass(tx.PutActivityTask(arn, key, data)) }}
	case 23:
		arn, key := g.actARN(), g.frameID()
		return op{"DeleteActivityTask", func(tx store.Tx) string { return errClass(tx.DeleteActivityTask(arn, key)) }}
	case 24:
		arn, stopAfter := g.actARN(), g.r.IntN(4)
		return op{"ActivityTasks", func(tx store.Tx) string {
			out, n := "", 0
			err := tx.ActivityTasks(arn, func(key string, data []byte) bool {
				out += fmt.Sprintf(" %q=%q", key, data)
				n++
				return n != stopAfter
			})
			return out + " " + errClass(err)
		}}
	default:
		before, limit := g.time(), g.r.IntN(4)
		return op{"DueTimers/NextTimer", func(tx store.Tx) string {
			tms, err := tx.DueTimers(before, limit)
			next, ok, err2 := tx.NextTimer()
			return fmt.Sprintf("%s %+v; %s %v %+v", errClass(err), tms, errClass(err2), ok, next)
		}}
	}
}

func runModel(t *testing.T, seed uint64, steps int) {
	g := modelGen{rand.New(rand.NewPCG(seed, 7))}
	path := filepath.Join(t.TempDir(), "model.db")
	model := memory.New()
	defer model.Close()
	open := func() *bolt.Store {
		s, err := bolt.Open(path, &bolt.Options{NoSync: true})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	real := open()
	defer func() { real.Close() }()
	var trace []string
	for step := range steps {
		if g.r.IntN(40) == 0 {
			if err := real.Close(); err != nil {
				t.Fatal(err)
			}
			real = open()
			trace = append(trace, "reopen")
		}
		ops := make([]op, 1+g.r.IntN(5))
		for i := range ops {
			ops[i] = g.op()
		}
		readOnly, abort := g.r.IntN(5) == 0, g.r.IntN(5) == 0
		run := func(s store.Store) (string, []string) {
			var results []string
			fn := func(tx store.Tx) error {
				results = results[:0]
				for _, o := range ops {
					results = append(results, o.name+": "+o.fn(tx))
				}
				if abort {
					return errModelAbort
				}
				return nil
			}
			var err error
			if readOnly {
				err = s.View(ctx, fn)
			} else {
				err = s.Update(ctx, fn)
			}
			return errClass(err), results
		}
		wantErr, want := run(model)
		gotErr, got := run(real)
		trace = append(trace, fmt.Sprintf("step %d (view %v, abort %v): %s", step, readOnly, abort, strings.Join(want, " | ")))
		if wantErr != gotErr {
			t.Fatalf("step %d: transaction result %s, model %s\n%s", step, gotErr, wantErr, strings.Join(trace, "\n"))
		}
		for i := range want {
			if want[i] != got[i] {
				t.Fatalf("step %d op %d:\n got  %s\n want %s\ntrace:\n%s", step, i, got[i], want[i], strings.Join(trace, "\n"))
			}
		}
	}
}
