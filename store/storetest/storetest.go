package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stepctl/stepctl/store"
)

// Run runs the whole suite. open must return a new, empty store each time
// it is called; Run closes it at the end of each subtest.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"StateMachines", testStateMachines},
		{"RecordsRoundTripEveryField", testRoundTrip},
		{"CreateExecution", testCreateExecution},
		{"PutExecution", testPutExecution},
		{"ListExecutions", testListExecutions},
		{"ListExecutionsPaging", testListExecutionsPaging},
		{"DeleteExecutionCascades", testDeleteExecution},
		{"Frames", testFrames},
		{"FramesModifiedDuringIteration", testFramesModified},
		{"History", testHistory},
		{"HistorySequence", testHistorySequence},
		{"Timers", testTimers},
		{"Activities", testActivities},
		{"ActivityTasks", testActivityTasks},
		{"ActivityTasksModifiedDuringIteration", testActivityTasksModified},
		{"ActivityRecordsAreCopies", testActivityCopies},
		{"RollbackOnError", testRollback},
		{"RollbackOnPanic", testRollbackPanic},
		{"ReadOnlyView", testReadOnly},
		{"TxUnusableAfterReturn", testTxAfterReturn},
		{"ConcurrentUpdates", testConcurrentUpdates},
		{"ViewSeesSnapshot", testSnapshot},
		{"ReturnedRecordsAreCopies", testCopies},
		{"CanceledContext", testCanceledContext},
		{"Close", testClose},
		{"CloseWithPendingUpdates", testClosePending},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			defer s.Close()
			tc.fn(t, s)
		})
	}
}

var ctx = context.Background()

// base is the time every test's records are placed around.
var base = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

func update(t *testing.T, s store.Store, fn func(tx store.Tx) error) {
	t.Helper()
	if err := s.Update(ctx, fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

func view(t *testing.T, s store.Store, fn func(tx store.Tx) error) {
	t.Helper()
	if err := s.View(ctx, fn); err != nil {
		t.Fatalf("View: %v", err)
	}
}

func wantErr(t *testing.T, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("%s: error %v, want %v", what, err, target)
	}
}

func noErr(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func smARN(name string) string {
	return "arn:aws:states:us-east-1:123456789012:stateMachine:" + name
}

func exARN(sm, name string) string {
	return "arn:aws:states:us-east-1:123456789012:execution:" + sm + ":" + name
}

func newExecution(sm, name string, start time.Time, status string) *store.Execution {
	return &store.Execution{
		ARN:             exARN(sm, name),
		StateMachineARN: smARN(sm),
		Name:            name,
		Status:          status,
		Input:           `{"n":1}`,
		StartDate:       start,
		Definition:      `{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}`,
	}
}

func createExecutions(t *testing.T, s store.Store, exs ...*store.Execution) {
	t.Helper()
	update(t, s, func(tx store.Tx) error {
		for _, ex := range exs {
			if err := tx.CreateExecution(ex); err != nil {
				return err
			}
		}
		return nil
	})
}

// diff reports the first difference between two records (structs or
// pointers to structs, slices of them), comparing times with Equal and
// treating nil and empty maps and slices alike; "" when they are equal.
func diff(want, got any) string {
	return diffValue("", reflect.ValueOf(want), reflect.ValueOf(got))
}

var timeType = reflect.TypeFor[time.Time]()

func diffValue(path string, w, g reflect.Value) string {
	if w.Kind() != g.Kind() {
		return fmt.Sprintf("%s: kind %s, want %s", path, g.Kind(), w.Kind())
	}
	switch {
	case w.Type() == timeType:
		wt, gt := w.Interface().(time.Time), g.Interface().(time.Time)
		if !wt.Equal(gt) {
			return fmt.Sprintf("%s: %v, want %v", path, gt, wt)
		}
		return ""
	case w.Kind() == reflect.Pointer:
		if w.IsNil() || g.IsNil() {
			if w.IsNil() != g.IsNil() {
				return fmt.Sprintf("%s: nil mismatch (want nil %v)", path, w.IsNil())
			}
			return ""
		}
		return diffValue(path, w.Elem(), g.Elem())
	case w.Kind() == reflect.Struct:
		for i := range w.NumField() {
			if d := diffValue(path+"."+w.Type().Field(i).Name, w.Field(i), g.Field(i)); d != "" {
				return d
			}
		}
		return ""
	case w.Kind() == reflect.Slice && w.Type().Elem().Kind() == reflect.Uint8:
		if string(w.Bytes()) != string(g.Bytes()) {
			return fmt.Sprintf("%s: %q, want %q", path, g.Bytes(), w.Bytes())
		}
		return ""
	case w.Kind() == reflect.Slice:
		if w.Len() != g.Len() {
			return fmt.Sprintf("%s: length %d, want %d", path, g.Len(), w.Len())
		}
		for i := range w.Len() {
			if d := diffValue(fmt.Sprintf("%s[%d]", path, i), w.Index(i), g.Index(i)); d != "" {
				return d
			}
		}
		return ""
	case w.Kind() == reflect.Map:
		if w.Len() != g.Len() {
			return fmt.Sprintf("%s: %d entries, want %d", path, g.Len(), w.Len())
		}
		for _, k := range w.MapKeys() {
			gv := g.MapIndex(k)
			if !gv.IsValid() {
				return fmt.Sprintf("%s[%v]: missing", path, k)
			}
			if d := diffValue(fmt.Sprintf("%s[%v]", path, k), w.MapIndex(k), gv); d != "" {
				return d
			}
		}
		return ""
	default:
		if !reflect.DeepEqual(w.Interface(), g.Interface()) {
			return fmt.Sprintf("%s: %#v, want %#v", path, g.Interface(), w.Interface())
		}
		return ""
	}
}

func checkDiff(t *testing.T, what string, want, got any) {
	t.Helper()
	if d := diff(want, got); d != "" {
		t.Fatalf("%s: %s", what, d)
	}
}

// fill sets every field of the struct v points to a distinct non-zero
// value derived from seed, so a backend that forgets a field fails.
func fill(v any, seed int) {
	rv := reflect.ValueOf(v).Elem()
	for i := range rv.NumField() {
		f, name := rv.Field(i), rv.Type().Field(i).Name
		n := seed*100 + i + 1
		switch {
		case f.Type() == timeType:
			f.Set(reflect.ValueOf(base.Add(time.Duration(n)*time.Hour + time.Duration(n)*time.Nanosecond)))
		case f.Kind() == reflect.String:
			f.SetString(fmt.Sprintf("%s-%d-\u00e9\"x", name, n))
		case f.Kind() == reflect.Bool:
			f.SetBool(true)
		case f.Kind() == reflect.Int || f.Kind() == reflect.Int64:
			f.SetInt(int64(n))
		case f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.Uint8:
			f.SetBytes([]byte(fmt.Sprintf(`{"%s":%d}`, name, n)))
		case f.Kind() == reflect.Map && f.Type().Key().Kind() == reflect.String && f.Type().Elem().Kind() == reflect.String:
			f.Set(reflect.ValueOf(map[string]string{name: strconv.Itoa(n), "b": "2", "": "empty key"}))
		default:
			panic(fmt.Sprintf("storetest: fill does not know field %s of type %s", name, f.Type()))
		}
	}
}

func testStateMachines(t *testing.T, s store.Store) {
	mk := func(name, def string) *store.StateMachine {
		return &store.StateMachine{
			ARN: smARN(name), Name: name, Type: "STANDARD", Definition: def,
			RoleARN: "arn:aws:iam::123456789012:role/r", CreationDate: base, UpdateDate: base,
			RevisionID: "rev-" + name, Description: "d", Tags: map[string]string{"team": name},
		}
	}
	c, a, b := mk("c", "{}"), mk("a", "{}"), mk("b", "{}")
	update(t, s, func(tx store.Tx) error {
		for _, sm := range []*store.StateMachine{c, a, b} {
			if err := tx.PutStateMachine(sm); err != nil {
				return err
			}
		}
		return nil
	})
	names := func(sms []*store.StateMachine) []string {
		var out []string
		for _, sm := range sms {
			out = append(out, sm.Name)
		}
		return out
	}
	view(t, s, func(tx store.Tx) error {
		got, err := tx.GetStateMachine(a.ARN)
		noErr(t, "GetStateMachine", err)
		checkDiff(t, "GetStateMachine", a, got)
		_, err = tx.GetStateMachine(smARN("zz"))
		wantErr(t, "GetStateMachine(unknown)", err, store.ErrNotFound)
		for _, tc := range []struct {
			after string
			limit int
			want  []string
		}{
			{"", 0, []string{"a", "b", "c"}},
			{"", 2, []string{"a", "b"}},
			{a.ARN, 1, []string{"b"}},
			{b.ARN, 0, []string{"c"}},
			{c.ARN, 0, nil},
			{smARN("aa"), 0, []string{"b", "c"}}, // after an ARN that does not exist
		} {
			got, err := tx.ListStateMachines(tc.after, tc.limit)
			noErr(t, "ListStateMachines", err)
			if !slices.Equal(names(got), tc.want) {
				t.Errorf("ListStateMachines(%q, %d) = %v, want %v", tc.after, tc.limit, names(got), tc.want)
			}
		}
		all, _ := tx.ListStateMachines("", 0)
		checkDiff(t, "ListStateMachines records", []*store.StateMachine{a, b, c}, all)
		return nil
	})
	b2 := mk("b", `{"Comment":"v2"}`)
	b2.Tags = nil
	update(t, s, func(tx store.Tx) error {
		noErr(t, "PutStateMachine(replace)", tx.PutStateMachine(b2))
		noErr(t, "DeleteStateMachine", tx.DeleteStateMachine(c.ARN))
		wantErr(t, "DeleteStateMachine(again)", tx.DeleteStateMachine(c.ARN), store.ErrNotFound)
		return nil
	})
	view(t, s, func(tx store.Tx) error {
		got, err := tx.GetStateMachine(b.ARN)
		noErr(t, "GetStateMachine", err)
		checkDiff(t, "replaced state machine", b2, got)
		_, err = tx.GetStateMachine(c.ARN)
		wantErr(t, "GetStateMachine(deleted)", err, store.ErrNotFound)
		all, _ := tx.ListStateMachines("", 0)
		if !slices.Equal(names(all), []string{"a", "b"}) {
			t.Errorf("ListStateMachines after delete = %v", names(all))
		}
		return nil
	})
	for _, bad := range []string{"", "arn:with\x00nul"} {
		err := s.Update(ctx, func(tx store.Tx) error { return tx.PutStateMachine(&store.StateMachine{ARN: bad}) })
		wantErr(t, fmt.Sprintf("PutStateMachine(ARN %q)", bad), err, store.ErrInvalidARN)
	}
}

func testRoundTrip(t *testing.T, s store.Store) {
	var sm store.StateMachine
	fill(&sm, 1)
	sm.ARN = smARN("full")
	var ex store.Execution
	fill(&ex, 2)
	ex.ARN = exARN("full", "e1")
	var ev store.HistoryEvent
	fill(&ev, 3)
	ev.ID = 1
	var tm store.Timer
	fill(&tm, 4)
	tm.ExecutionARN = ex.ARN
	var act store.Activity
	fill(&act, 5)
	act.ARN = actARN("full")
	update(t, s, func(tx store.Tx) error {
		noErr(t, "PutActivity", tx.PutActivity(&act))
		noErr(t, "PutStateMachine", tx.PutStateMachine(&sm))
		noErr(t, "CreateExecution", tx.CreateExecution(&ex))
		noErr(t, "AppendHistory", tx.AppendHistory(ex.ARN, []store.HistoryEvent{ev}))
		noErr(t, "PutTimer", tx.PutTimer(tm))
		return nil
	})
	view(t, s, func(tx store.Tx) error {
		gotSM, err := tx.GetStateMachine(sm.ARN)
		noErr(t, "GetStateMachine", err)
		checkDiff(t, "state machine", &sm, gotSM)
		gotEx, err := tx.GetExecution(ex.ARN)
		noErr(t, "GetExecution", err)
		checkDiff(t, "execution", &ex, gotEx)
		list, err := tx.ListExecutions(store.ExecutionFilter{})
		noErr(t, "ListExecutions", err)
		checkDiff(t, "listed execution", []*store.Execution{&ex}, list)
		h, err := tx.History(ex.ARN, 0, 0, false)
		noErr(t, "History", err)
		checkDiff(t, "history", []store.HistoryEvent{ev}, h)
		due, err := tx.DueTimers(tm.Due, 0)
		noErr(t, "DueTimers", err)
		checkDiff(t, "timers", []store.Timer{tm}, due)
		gotAct, err := tx.GetActivity(act.ARN)
		noErr(t, "GetActivity", err)
		checkDiff(t, "activity", &act, gotAct)
		acts, err := tx.ListActivities("", 0)
		noErr(t, "ListActivities", err)
		checkDiff(t, "listed activity", []*store.Activity{&act}, acts)
		return nil
	})
	// Zero times and empty strings round-trip too.
	empty := &store.Execution{ARN: exARN("full", "empty")}
	update(t, s, func(tx store.Tx) error { return tx.CreateExecution(empty) })
	view(t, s, func(tx store.Tx) error {
		got, err := tx.GetExecution(empty.ARN)
		noErr(t, "GetExecution(empty)", err)
		checkDiff(t, "empty execution", empty, got)
		if !got.StopDate.IsZero() || !got.StartDate.IsZero() {
			t.Errorf("zero dates came back as %v, %v", got.StartDate, got.StopDate)
		}
		return nil
	})
}

func testCreateExecution(t *testing.T, s store.Store) {
	ex := newExecution("sm", "e1", base, store.StatusRunning)
	createExecutions(t, s, ex)
	dup := newExecution("sm", "e1", base.Add(time.Hour), store.StatusFailed)
	err := s.Update(ctx, func(tx store.Tx) error { return tx.CreateExecution(dup) })
	wantErr(t, "CreateExecution(duplicate)", err, store.ErrExists)
	// The duplicate's error may be ignored inside a transaction that then
	// commits: the original must be untouched.
	update(t, s, func(tx store.Tx) error {
		wantErr(t, "CreateExecution(duplicate in tx)", tx.CreateExecution(dup), store.ErrExists)
		return nil
	})
	view(t, s, func(tx store.Tx) error {
		got, err := tx.GetExecution(ex.ARN)
		noErr(t, "GetExecution", err)
		checkDiff(t, "execution after duplicate create", ex, got)
		list, _ := tx.ListExecutions(store.ExecutionFilter{})
		if len(list) != 1 {
			t.Errorf("ListExecutions has %d executions, want 1", len(list))
		}
		_, err = tx.GetExecution(exARN("sm", "nope"))
		wantErr(t, "GetExecution(unknown)", err, store.ErrNotFound)
		return nil
	})
	update(t, s, func(tx store.Tx) error {
		wantErr(t, "DeleteExecution(unknown)", tx.DeleteExecution(exARN("sm", "nope")), store.ErrNotFound)
		return nil
	})
	for _, bad := range []string{"", "arn:x\x00y"} {
		err := s.Update(ctx, func(tx store.Tx) error { return tx.CreateExecution(&store.Execution{ARN: bad}) })
		wantErr(t, fmt.Sprintf("CreateExecution(ARN %q)", bad), err, store.ErrInvalidARN)
	}
}

func testPutExecution(t *testing.T, s store.Store) {
	ex := newExecution("sm", "e1", base, store.StatusRunning)
	createExecutions(t, s, ex)
	done := *ex
	done.Status, done.Output, done.StopDate = store.StatusSucceeded, `{"ok":true}`, base.Add(time.Second)
	update(t, s, func(tx store.Tx) error { return tx.PutExecution(&done) })
	view(t, s, func(tx store.Tx) error {
		got, err := tx.GetExecution(ex.ARN)
		noErr(t, "GetExecution", err)
		checkDiff(t, "execution after PutExecution", &done, got)
		for _, tc := range []struct {
			status string
			n      int
		}{{store.StatusRunning, 0}, {store.StatusSucceeded, 1}} {
			list, err := tx.ListExecutions(store.ExecutionFilter{Status: tc.status})
			noErr(t, "ListExecutions", err)
			if len(list) != tc.n {
				t.Errorf("ListExecutions(status %s) has %d, want %d", tc.status, len(list), tc.n)
			}
		}
		return nil
	})
	err := s.Update(ctx, func(tx store.Tx) error { return tx.PutExecution(newExecution("sm", "nope", base, store.StatusRunning)) })
	wantErr(t, "PutExecution(unknown)", err, store.ErrNotFound)
}

// listFixture creates executions of two state machines with ties in start
// time, and returns them in the expected listing order.
func listFixture(t *testing.T, s store.Store) []*store.Execution {
	statuses := []string{store.StatusRunning, store.StatusSucceeded, store.StatusFailed}
	var exs []*store.Execution
	for i := range 12 {
		sm := []string{"alpha", "beta"}[i%2]
		start := base.Add(time.Duration(i/3) * time.Minute) // three executions per start time
		if i == 11 {
			start = base.Add(-time.Hour) // oldest, but created last
		}
		exs = append(exs, newExecution(sm, fmt.Sprintf("e%02d", 11-i), start, statuses[i%3]))
	}
	createExecutions(t, s, exs...)
	sort.Slice(exs, func(i, j int) bool {
		if c := exs[i].StartDate.Compare(exs[j].StartDate); c != 0 {
			return c > 0
		}
		return exs[i].ARN < exs[j].ARN
	})
	return exs
}

func arns(exs []*store.Execution) []string {
	var out []string
	for _, ex := range exs {
		out = append(out, ex.ARN)
	}
	return out
}

func testListExecutions(t *testing.T, s store.Store) {
	all := listFixture(t, s)
	view(t, s, func(tx store.Tx) error {
		for _, f := range []store.ExecutionFilter{
			{},
			{StateMachineARN: smARN("alpha")},
			{StateMachineARN: smARN("beta")},
			{StateMachineARN: smARN("gamma")},
			{Status: store.StatusRunning},
			{Status: store.StatusFailed},
			{StateMachineARN: smARN("alpha"), Status: store.StatusSucceeded},
			{StateMachineARN: smARN("beta"), Status: store.StatusAborted},
			{Limit: 5},
			{StateMachineARN: smARN("beta"), Limit: 2},
		} {
			var want []string
			for _, ex := range all {
				if (f.StateMachineARN == "" || ex.StateMachineARN == f.StateMachineARN) &&
					(f.Status == "" || ex.Status == f.Status) && (f.Limit == 0 || len(want) < f.Limit) {
					want = append(want, ex.ARN)
				}
			}
			got, err := tx.ListExecutions(f)
			noErr(t, "ListExecutions", err)
			if !slices.Equal(arns(got), want) {
				t.Errorf("ListExecutions(%+v) =\n%v\nwant\n%v", f, arns(got), want)
			}
		}
		got, _ := tx.ListExecutions(store.ExecutionFilter{})
		checkDiff(t, "listed records", all, got)
		return nil
	})
}

func testListExecutionsPaging(t *testing.T, s store.Store) {
	all := listFixture(t, s)
	for _, f := range []store.ExecutionFilter{{}, {StateMachineARN: smARN("alpha")}, {Status: store.StatusRunning}, {StateMachineARN: smARN("beta"), Status: store.StatusFailed}} {
		for _, limit := range []int{1, 2, 5} {
			var want []string
			for _, ex := range all {
				if (f.StateMachineARN == "" || ex.StateMachineARN == f.StateMachineARN) && (f.Status == "" || ex.Status == f.Status) {
					want = append(want, ex.ARN)
				}
			}
			var got []string
			page := f
			page.Limit = limit
			for range 20 {
				var list []*store.Execution
				view(t, s, func(tx store.Tx) error {
					var err error
					list, err = tx.ListExecutions(page)
					return err
				})
				if len(list) > limit {
					t.Fatalf("page of %d with limit %d", len(list), limit)
				}
				got = append(got, arns(list)...)
				if len(list) < limit {
					break
				}
				page.After = list[len(list)-1].ARN
			}
			if !slices.Equal(got, want) {
				t.Errorf("pages of %d of %+v =\n%v\nwant\n%v", limit, f, got, want)
			}
		}
	}
	// The last execution of a page changes status before the next page is
	// read: paging continues from its position.
	var first []*store.Execution
	view(t, s, func(tx store.Tx) error {
		var err error
		first, err = tx.ListExecutions(store.ExecutionFilter{Status: store.StatusRunning, Limit: 1})
		return err
	})
	moved := *first[0]
	moved.Status = store.StatusSucceeded
	update(t, s, func(tx store.Tx) error { return tx.PutExecution(&moved) })
	var want []string
	for _, ex := range all {
		if ex.Status == store.StatusRunning && ex.ARN != moved.ARN {
			want = append(want, ex.ARN)
		}
	}
	view(t, s, func(tx store.Tx) error {
		rest, err := tx.ListExecutions(store.ExecutionFilter{Status: store.StatusRunning, After: moved.ARN})
		noErr(t, "ListExecutions(after moved)", err)
		if !slices.Equal(arns(rest), want) {
			t.Errorf("after a status change: %v, want %v", arns(rest), want)
		}
		_, err = tx.ListExecutions(store.ExecutionFilter{After: exARN("alpha", "gone")})
		wantErr(t, "ListExecutions(After unknown)", err, store.ErrNotFound)
		return nil
	})
}

func testDeleteExecution(t *testing.T, s store.Store) {
	a := newExecution("sm", "a", base, store.StatusRunning)
	b := newExecution("sm", "b", base, store.StatusRunning)
	createExecutions(t, s, a, b)
	for _, ex := range []*store.Execution{a, b} {
		update(t, s, func(tx store.Tx) error {
			noErr(t, "PutFrame", tx.PutFrame(ex.ARN, "root", []byte("r")))
			noErr(t, "PutFrame", tx.PutFrame(ex.ARN, "map/1", []byte("m")))
			noErr(t, "AppendHistory", tx.AppendHistory(ex.ARN, []store.HistoryEvent{{ID: 1, Type: "ExecutionStarted"}, {ID: 2, PreviousEventID: 1, Type: "WaitStateEntered"}}))
			noErr(t, "PutTimer", tx.PutTimer(store.Timer{Due: base.Add(time.Second), ExecutionARN: ex.ARN, Key: "root"}))
			noErr(t, "PutTimer", tx.PutTimer(store.Timer{Due: base.Add(time.Hour), ExecutionARN: ex.ARN, Key: "map/1"}))
			return nil
		})
	}
	update(t, s, func(tx store.Tx) error { return tx.DeleteExecution(a.ARN) })
	view(t, s, func(tx store.Tx) error {
		_, err := tx.GetExecution(a.ARN)
		wantErr(t, "GetExecution(deleted)", err, store.ErrNotFound)
		_, err = tx.GetFrame(a.ARN, "root")
		wantErr(t, "GetFrame(deleted execution)", err, store.ErrNotFound)
		wantErr(t, "Frames(deleted execution)", tx.Frames(a.ARN, func(string, []byte) bool { return true }), store.ErrNotFound)
		_, err = tx.History(a.ARN, 0, 0, false)
		wantErr(t, "History(deleted execution)", err, store.ErrNotFound)
		_, err = tx.LastHistoryID(a.ARN)
		wantErr(t, "LastHistoryID(deleted execution)", err, store.ErrNotFound)
		due, err := tx.DueTimers(base.Add(24*time.Hour), 0)
		noErr(t, "DueTimers", err)
		checkDiff(t, "timers left", []store.Timer{
			{Due: base.Add(time.Second), ExecutionARN: b.ARN, Key: "root"},
			{Due: base.Add(time.Hour), ExecutionARN: b.ARN, Key: "map/1"},
		}, due)
		list, _ := tx.ListExecutions(store.ExecutionFilter{})
		if !slices.Equal(arns(list), []string{b.ARN}) {
			t.Errorf("ListExecutions after delete = %v", arns(list))
		}
		n := 0
		noErr(t, "Frames", tx.Frames(b.ARN, func(string, []byte) bool { n++; return true }))
		last, _ := tx.LastHistoryID(b.ARN)
		if n != 2 || last != 2 {
			t.Errorf("the other execution lost records: %d frames, last event %d", n, last)
		}
		return nil
	})
	// The ARN can be used again and starts empty.
	createExecutions(t, s, a)
	update(t, s, func(tx store.Tx) error {
		last, err := tx.LastHistoryID(a.ARN)
		noErr(t, "LastHistoryID", err)
		if last != 0 {
			t.Errorf("recreated execution has last event %d", last)
		}
		noErr(t, "AppendHistory(1) after recreate", tx.AppendHistory(a.ARN, []store.HistoryEvent{{ID: 1}}))
		_, err = tx.GetFrame(a.ARN, "root")
		wantErr(t, "GetFrame(recreated)", err, store.ErrNotFound)
		return nil
	})
}

func frameList(t *testing.T, tx store.Tx, arn string) []string {
	t.Helper()
	var out []string
	noErr(t, "Frames", tx.Frames(arn, func(id string, data []byte) bool {
		out = append(out, id+"="+string(data))
		return true
	}))
	return out
}

func testFrames(t *testing.T, s store.Store) {
	ex := newExecution("sm", "e", base, store.StatusRunning)
	other := newExecution("sm", "e2", base, store.StatusRunning) // ARN extends ex's ARN
	createExecutions(t, s, ex, other)
	update(t, s, func(tx store.Tx) error {
		for _, id := range []string{"b", "a", "map/10", "map/9", "", "a/1", "\xff"} {
			noErr(t, "PutFrame", tx.PutFrame(ex.ARN, id, []byte("v"+id)))
		}
		noErr(t, "PutFrame(other)", tx.PutFrame(other.ARN, "a", []byte("other")))
		noErr(t, "PutFrame(empty data)", tx.PutFrame(other.ARN, "empty", nil))
		wantErr(t, "PutFrame(unknown execution)", tx.PutFrame(exARN("sm", "nope"), "a", nil), store.ErrNotFound)
		return nil
	})
	view(t, s, func(tx store.Tx) error {
		want := []string{"=v", "a=va", "a/1=va/1", "b=vb", "map/10=vmap/10", "map/9=vmap/9", "\xff=v\xff"}
		if got := frameList(t, tx, ex.ARN); !slices.Equal(got, want) {
			t.Errorf("Frames = %q, want %q", got, want)
		}
		if got := frameList(t, tx, other.ARN); !slices.Equal(got, []string{"a=other", "empty="}) {
			t.Errorf("Frames(other) = %q", got)
		}
		var firstTwo []string
		noErr(t, "Frames", tx.Frames(ex.ARN, func(id string, _ []byte) bool {
			firstTwo = append(firstTwo, id)
			return len(firstTwo) < 2
		}))
		if !slices.Equal(firstTwo, []string{"", "a"}) {
			t.Errorf("Frames stopping after 2 visited %q", firstTwo)
		}
		data, err := tx.GetFrame(ex.ARN, "map/9")
		noErr(t, "GetFrame", err)
		if string(data) != "vmap/9" {
			t.Errorf("GetFrame = %q", data)
		}
		data, err = tx.GetFrame(other.ARN, "empty")
		noErr(t, "GetFrame(empty)", err)
		if len(data) != 0 {
			t.Errorf("GetFrame(empty) = %q", data)
		}
		_, err = tx.GetFrame(ex.ARN, "c")
		wantErr(t, "GetFrame(missing)", err, store.ErrNotFound)
		_, err = tx.GetFrame(exARN("sm", "nope"), "a")
		wantErr(t, "GetFrame(unknown execution)", err, store.ErrNotFound)
		wantErr(t, "Frames(unknown execution)", tx.Frames(exARN("sm", "nope"), func(string, []byte) bool { return true }), store.ErrNotFound)
		return nil
	})
	update(t, s, func(tx store.Tx) error {
		noErr(t, "PutFrame(replace)", tx.PutFrame(ex.ARN, "a", []byte("new")))
		noErr(t, "DeleteFrame", tx.DeleteFrame(ex.ARN, "b"))
		noErr(t, "DeleteFrame(missing)", tx.DeleteFrame(ex.ARN, "b"))
		noErr(t, "DeleteFrame(unknown execution)", tx.DeleteFrame(exARN("sm", "nope"), "b"))
		return nil
	})
	view(t, s, func(tx store.Tx) error {
		want := []string{"=v", "a=new", "a/1=va/1", "map/10=vmap/10", "map/9=vmap/9", "\xff=v\xff"}
		if got := frameList(t, tx, ex.ARN); !slices.Equal(got, want) {
			t.Errorf("Frames after replace and delete = %q, want %q", got, want)
		}
		return nil
	})
}

func testFramesModified(t *testing.T, s store.Store) {
	ex := newExecution("sm", "e", base, store.StatusRunning)
	createExecutions(t, s, ex)
	update(t, s, func(tx store.Tx) error {
		for i := range 1000 {
			noErr(t, "PutFrame", tx.PutFrame(ex.ARN, fmt.Sprintf("f%04d", i), []byte{byte(i)}))
		}
		return nil
	})
	// Delete every frame from inside the iteration: every frame is visited
	// exactly once (none was deleted before its turn) and none is left.
	update(t, s, func(tx store.Tx) error {
		var visited []string
		noErr(t, "Frames", tx.Frames(ex.ARN, func(id string, _ []byte) bool {
			visited = append(visited, id)
			noErr(t, "DeleteFrame", tx.DeleteFrame(ex.ARN, id))
			return true
		}))
		if len(visited) != 1000 || visited[0] != "f0000" || visited[999] != "f0999" {
			t.Errorf("visited %d frames while deleting", len(visited))
		}
		if got := frameList(t, tx, ex.ARN); len(got) != 0 {
			t.Errorf("%d frames left", len(got))
		}
		return nil
	})
}

func events(from, to int64) []store.HistoryEvent {
	var out []store.HistoryEvent
	for id := from; id <= to; id++ {
		out = append(out, store.HistoryEvent{
			ID: id, PreviousEventID: id - 1, Timestamp: base.Add(time.Duration(id) * time.Millisecond),
			Type: "PassStateEntered", Details: []byte(fmt.Sprintf(`{"name":"S%d"}`, id)),
		})
	}
	return out
}

func ids(evs []store.HistoryEvent) []int64 {
	var out []int64
	for _, ev := range evs {
		out = append(out, ev.ID)
	}
	return out
}

func testHistory(t *testing.T, s store.Store) {
	ex := newExecution("sm", "e", base, store.StatusRunning)
	other := newExecution("sm", "e1", base, store.StatusRunning)
	createExecutions(t, s, ex, other)
	update(t, s, func(tx store.Tx) error {
		noErr(t, "AppendHistory(1-3)", tx.AppendHistory(ex.ARN, events(1, 3)))
		noErr(t, "AppendHistory(none)", tx.AppendHistory(ex.ARN, nil))
		return nil
	})
	update(t, s, func(tx store.Tx) error {
		noErr(t, "AppendHistory(4-5)", tx.AppendHistory(ex.ARN, events(4, 5)))
		noErr(t, "AppendHistory(other)", tx.AppendHistory(other.ARN, events(1, 1)))
		return nil
	})
	view(t, s, func(tx store.Tx) error {
		all, err := tx.History(ex.ARN, 0, 0, false)
		noErr(t, "History", err)
		checkDiff(t, "History", events(1, 5), all)
		for _, tc := range []struct {
			after   int64
			limit   int
			reverse bool
			want    []int64
		}{
			{0, 0, false, []int64{1, 2, 3, 4, 5}},
			{2, 0, false, []int64{3, 4, 5}},
			{2, 2, false, []int64{3, 4}},
			{0, 1, false, []int64{1}},
			{5, 0, false, nil},
			{9, 0, false, nil},
			{0, 0, true, []int64{5, 4, 3, 2, 1}},
			{0, 2, true, []int64{5, 4}},
			{4, 2, true, []int64{3, 2}},
			{3, 0, true, []int64{2, 1}},
			{1, 0, true, nil},
		} {
			got, err := tx.History(ex.ARN, tc.after, tc.limit, tc.reverse)
			noErr(t, "History", err)
			if !slices.Equal(ids(got), tc.want) {
				t.Errorf("History(%d, %d, %v) = %v, want %v", tc.after, tc.limit, tc.reverse, ids(got), tc.want)
			}
		}
		last, err := tx.LastHistoryID(ex.ARN)
		noErr(t, "LastHistoryID", err)
		if last != 5 {
			t.Errorf("LastHistoryID = %d, want 5", last)
		}
		got, _ := tx.History(other.ARN, 0, 0, false)
		checkDiff(t, "other execution's history", events(1, 1), got)
		_, err = tx.History(exARN("sm", "nope"), 0, 0, false)
		wantErr(t, "History(unknown)", err, store.ErrNotFound)
		_, err = tx.LastHistoryID(exARN("sm", "nope"))
		wantErr(t, "LastHistoryID(unknown)", err, store.ErrNotFound)
		return nil
	})
	err := s.Update(ctx, func(tx store.Tx) error { return tx.AppendHistory(exARN("sm", "nope"), events(1, 1)) })
	wantErr(t, "AppendHistory(unknown)", err, store.ErrNotFound)
}

func testHistorySequence(t *testing.T, s store.Store) {
	ex := newExecution("sm", "e", base, store.StatusRunning)
	createExecutions(t, s, ex)
	for _, tc := range []struct {
		name string
		evs  []store.HistoryEvent
	}{
		{"first ID 2", events(2, 3)},
		{"first ID 0", events(0, 1)},
	} {
		err := s.Update(ctx, func(tx store.Tx) error { return tx.AppendHistory(ex.ARN, tc.evs) })
		wantErr(t, "AppendHistory("+tc.name+")", err, store.ErrHistorySequence)
	}
	update(t, s, func(tx store.Tx) error { return tx.AppendHistory(ex.ARN, events(1, 3)) })
	bad := map[string][]store.HistoryEvent{
		"repeat":          events(3, 4),
		"gap":             events(5, 6),
		"gap inside":      append(events(4, 5), events(7, 7)...),
		"repeat inside":   append(events(4, 5), events(5, 5)...),
		"descending":      {events(5, 5)[0], events(4, 4)[0]},
		"repeat of first": events(1, 1),
	}
	for name, evs := range bad {
		// The failed append's error is ignored and the transaction goes on
		// and commits: nothing of that append may be kept.
		update(t, s, func(tx store.Tx) error {
			wantErr(t, "AppendHistory("+name+")", tx.AppendHistory(ex.ARN, evs), store.ErrHistorySequence)
			last, err := tx.LastHistoryID(ex.ARN)
			noErr(t, "LastHistoryID", err)
			if last != 3 {
				t.Errorf("%s: LastHistoryID = %d inside the transaction, want 3", name, last)
			}
			return nil
		})
	}
	view(t, s, func(tx store.Tx) error {
		h, err := tx.History(ex.ARN, 0, 0, false)
		noErr(t, "History", err)
		checkDiff(t, "history after rejected appends", events(1, 3), h)
		return nil
	})
	update(t, s, func(tx store.Tx) error { return tx.AppendHistory(ex.ARN, events(4, 4)) })
}

func testTimers(t *testing.T, s store.Store) {
	a := newExecution("sm", "a", base, store.StatusRunning)
	b := newExecution("sm", "b", base, store.StatusRunning)
	createExecutions(t, s, a, b)
	tm := func(d time.Duration, ex *store.Execution, key string) store.Timer {
		return store.Timer{Due: base.Add(d), ExecutionARN: ex.ARN, Key: key}
	}
	view(t, s, func(tx store.Tx) error {
		_, ok, err := tx.NextTimer()
		noErr(t, "NextTimer(empty)", err)
		if ok {
			t.Errorf("NextTimer on an empty store reported a timer")
		}
		due, err := tx.DueTimers(base.Add(time.Hour), 0)
		noErr(t, "DueTimers(empty)", err)
		if len(due) != 0 {
			t.Errorf("DueTimers on an empty store = %v", due)
		}
		return nil
	})
	timers := []store.Timer{
		tm(3*time.Second, a, "k1"),
		tm(time.Second, b, "k"),
		tm(time.Second, a, "k2"),
		tm(2*time.Second, a, "k1"),
		tm(time.Second+time.Nanosecond, a, "k0"),
		tm(-48*time.Hour, b, "past"),
		tm(time.Second, a, "k1"),
	}
	update(t, s, func(tx store.Tx) error {
		for _, x := range timers {
			noErr(t, "PutTimer", tx.PutTimer(x))
		}
		noErr(t, "PutTimer(again)", tx.PutTimer(timers[0]))
		wantErr(t, "PutTimer(unknown execution)", tx.PutTimer(store.Timer{Due: base, ExecutionARN: exARN("sm", "nope")}), store.ErrNotFound)
		return nil
	})
	update(t, s, func(tx store.Tx) error { return tx.PutTimer(timers[1]) }) // idempotent across transactions too
	ordered := []store.Timer{
		tm(-48*time.Hour, b, "past"),
		tm(time.Second, a, "k1"),
		tm(time.Second, a, "k2"),
		tm(time.Second, b, "k"),
		tm(time.Second+time.Nanosecond, a, "k0"),
		tm(2*time.Second, a, "k1"),
		tm(3*time.Second, a, "k1"),
	}
	view(t, s, func(tx store.Tx) error {
		for _, tc := range []struct {
			before time.Time
			limit  int
			want   []store.Timer
		}{
			{base.Add(time.Hour), 0, ordered},
			{base.Add(time.Second), 0, ordered[:4]},
			{base.Add(time.Second + time.Nanosecond), 0, ordered[:5]},
			{base.Add(time.Second - time.Nanosecond), 0, ordered[:1]},
			{base.Add(-49 * time.Hour), 0, nil},
			{base.Add(time.Hour), 3, ordered[:3]},
			{base.Add(time.Second), 10, ordered[:4]},
		} {
			got, err := tx.DueTimers(tc.before, tc.limit)
			noErr(t, "DueTimers", err)
			if d := diff(tc.want, got); d != "" {
				t.Errorf("DueTimers(%v, %d): %s\n got %v", tc.before, tc.limit, d, got)
			}
		}
		next, ok, err := tx.NextTimer()
		noErr(t, "NextTimer", err)
		if !ok || diff(ordered[0], next) != "" {
			t.Errorf("NextTimer = %v, %v, want %v", next, ok, ordered[0])
		}
		return nil
	})
	update(t, s, func(tx store.Tx) error {
		noErr(t, "DeleteTimer", tx.DeleteTimer(ordered[0]))
		noErr(t, "DeleteTimer", tx.DeleteTimer(ordered[3]))
		noErr(t, "DeleteTimer(again)", tx.DeleteTimer(ordered[3]))
		noErr(t, "DeleteTimer(other due)", tx.DeleteTimer(tm(time.Minute, a, "k1")))
		noErr(t, "DeleteTimer(unknown execution)", tx.DeleteTimer(store.Timer{Due: base, ExecutionARN: exARN("sm", "nope")}))
		return nil
	})
	view(t, s, func(tx store.Tx) error {
		got, err := tx.DueTimers(base.Add(time.Hour), 0)
		noErr(t, "DueTimers", err)
		want := []store.Timer{ordered[1], ordered[2], ordered[4], ordered[5], ordered[6]}
		checkDiff(t, "timers after delete", want, got)
		next, ok, _ := tx.NextTimer()
		if !ok || diff(ordered[1], next) != "" {
			t.Errorf("NextTimer after delete = %v, %v", next, ok)
		}
		return nil
	})
}

// dump is everything a store holds, as seen through the Tx API.
type dump struct {
	Machines   []*store.StateMachine
	Executions []*store.Execution
	Frames     map[string][]string
	History    map[string][]store.HistoryEvent
	Timers     []store.Timer
	Activities []*store.Activity
	Queues     map[string][]string
}

func takeDump(t *testing.T, s store.Store) dump {
	t.Helper()
	d := dump{Frames: map[string][]string{}, History: map[string][]store.HistoryEvent{}, Queues: map[string][]string{}}
	view(t, s, func(tx store.Tx) error {
		var err error
		d.Machines, err = tx.ListStateMachines("", 0)
		noErr(t, "ListStateMachines", err)
		d.Executions, err = tx.ListExecutions(store.ExecutionFilter{})
		noErr(t, "ListExecutions", err)
		for _, ex := range d.Executions {
			d.Frames[ex.ARN] = frameList(t, tx, ex.ARN)
			d.History[ex.ARN], err = tx.History(ex.ARN, 0, 0, false)
			noErr(t, "History", err)
		}
		d.Timers, err = tx.DueTimers(base.Add(1000*time.Hour), 0)
		noErr(t, "DueTimers", err)
		d.Activities, err = tx.ListActivities("", 0)
		noErr(t, "ListActivities", err)
		for _, a := range d.Activities {
			d.Queues[a.ARN] = taskList(t, tx, a.ARN)
		}
		return nil
	})
	return d
}

// populate fills a store with a bit of everything.
func populate(t *testing.T, s store.Store) (keep, gone *store.Execution) {
	keep = newExecution("sm", "keep", base, store.StatusRunning)
	gone = newExecution("sm", "gone", base.Add(time.Second), store.StatusRunning)
	createExecutions(t, s, keep, gone)
	update(t, s, func(tx store.Tx) error {
		noErr(t, "PutStateMachine", tx.PutStateMachine(&store.StateMachine{ARN: smARN("sm"), Name: "sm"}))
		noErr(t, "PutStateMachine", tx.PutStateMachine(&store.StateMachine{ARN: smARN("sm2"), Name: "sm2"}))
		for _, ex := range []*store.Execution{keep, gone} {
			noErr(t, "PutFrame", tx.PutFrame(ex.ARN, "root", []byte("r")))
			noErr(t, "PutFrame", tx.PutFrame(ex.ARN, "b1", []byte("b")))
			noErr(t, "AppendHistory", tx.AppendHistory(ex.ARN, events(1, 2)))
			noErr(t, "PutTimer", tx.PutTimer(store.Timer{Due: base, ExecutionARN: ex.ARN, Key: "root"}))
		}
		for _, name := range []string{"act", "act2"} {
			noErr(t, "PutActivity", tx.PutActivity(newActivity(name, base)))
			noErr(t, "PutActivityTask", tx.PutActivityTask(actARN(name), "t1", []byte("token")))
		}
		return nil
	})
	return keep, gone
}

// mutateEverything does every kind of write.
func mutateEverything(t *testing.T, tx store.Tx, keep, gone *store.Execution) {
	noErr(t, "PutStateMachine(new)", tx.PutStateMachine(&store.StateMachine{ARN: smARN("new"), Name: "new"}))
	noErr(t, "PutStateMachine(replace)", tx.PutStateMachine(&store.StateMachine{ARN: smARN("sm"), Name: "changed"}))
	noErr(t, "DeleteStateMachine", tx.DeleteStateMachine(smARN("sm2")))
	noErr(t, "CreateExecution", tx.CreateExecution(newExecution("sm", "new", base.Add(time.Hour), store.StatusRunning)))
	noErr(t, "PutFrame(new execution)", tx.PutFrame(exARN("sm", "new"), "root", []byte("x")))
	changed := *keep
	changed.Status, changed.StartDate = store.StatusFailed, base.Add(-time.Hour)
	noErr(t, "PutExecution", tx.PutExecution(&changed))
	noErr(t, "PutFrame(replace)", tx.PutFrame(keep.ARN, "root", []byte("changed")))
	noErr(t, "PutFrame(new)", tx.PutFrame(keep.ARN, "b2", []byte("new")))
	noErr(t, "DeleteFrame", tx.DeleteFrame(keep.ARN, "b1"))
	noErr(t, "AppendHistory", tx.AppendHistory(keep.ARN, events(3, 4)))
	noErr(t, "PutTimer", tx.PutTimer(store.Timer{Due: base.Add(time.Minute), ExecutionARN: keep.ARN, Key: "b2"}))
	noErr(t, "DeleteTimer", tx.DeleteTimer(store.Timer{Due: base, ExecutionARN: keep.ARN, Key: "root"}))
	noErr(t, "DeleteExecution", tx.DeleteExecution(gone.ARN))
	noErr(t, "CreateExecution(reuse deleted ARN)", tx.CreateExecution(gone))
	noErr(t, "AppendHistory(reused ARN)", tx.AppendHistory(gone.ARN, events(1, 1)))
	noErr(t, "PutActivity(new)", tx.PutActivity(newActivity("new", base.Add(time.Hour))))
	noErr(t, "PutActivityTask(new activity)", tx.PutActivityTask(actARN("new"), "t1", []byte("x")))
	noErr(t, "PutActivity(replace)", tx.PutActivity(newActivity("act", base.Add(-time.Hour))))
	noErr(t, "PutActivityTask(replace)", tx.PutActivityTask(actARN("act"), "t1", []byte("changed")))
	noErr(t, "PutActivityTask(new)", tx.PutActivityTask(actARN("act"), "t2", []byte("new")))
	noErr(t, "DeleteActivityTask", tx.DeleteActivityTask(actARN("act"), "t1"))
	noErr(t, "DeleteActivity", tx.DeleteActivity(actARN("act2")))
	noErr(t, "PutActivity(reuse deleted ARN)", tx.PutActivity(newActivity("act2", base)))
}

var errAbort = errors.New("abort")

func testRollback(t *testing.T, s store.Store) {
	keep, gone := populate(t, s)
	before := takeDump(t, s)
	err := s.Update(ctx, func(tx store.Tx) error {
		mutateEverything(t, tx, keep, gone)
		return errAbort
	})
	wantErr(t, "Update returning an error", err, errAbort)
	checkDiff(t, "store after a failed Update", before, takeDump(t, s))
	// The same writes in a successful Update do change the store.
	update(t, s, func(tx store.Tx) error {
		mutateEverything(t, tx, keep, gone)
		return nil
	})
	if diff(before, takeDump(t, s)) == "" {
		t.Fatal("a successful Update changed nothing")
	}
}

func testRollbackPanic(t *testing.T, s store.Store) {
	keep, gone := populate(t, s)
	before := takeDump(t, s)
	func() {
		defer func() {
			if r := recover(); r != "boom" {
				t.Errorf("recovered %v, want the panic of fn", r)
			}
		}()
		_ = s.Update(ctx, func(tx store.Tx) error {
			mutateEverything(t, tx, keep, gone)
			panic("boom")
		})
	}()
	checkDiff(t, "store after a panicking Update", before, takeDump(t, s))
	update(t, s, func(tx store.Tx) error { return tx.PutFrame(keep.ARN, "after", nil) }) // still usable
}

func testReadOnly(t *testing.T, s store.Store) {
	keep, _ := populate(t, s)
	before := takeDump(t, s)
	view(t, s, func(tx store.Tx) error {
		for name, err := range map[string]error{
			"PutStateMachine":    tx.PutStateMachine(&store.StateMachine{ARN: smARN("x")}),
			"DeleteStateMachine": tx.DeleteStateMachine(smARN("sm")),
			"CreateExecution":    tx.CreateExecution(newExecution("sm", "x", base, store.StatusRunning)),
			"PutExecution":       tx.PutExecution(keep),
			"DeleteExecution":    tx.DeleteExecution(keep.ARN),
			"PutFrame":           tx.PutFrame(keep.ARN, "x", nil),
			"DeleteFrame":        tx.DeleteFrame(keep.ARN, "root"),
			"AppendHistory":      tx.AppendHistory(keep.ARN, events(3, 3)),
			"PutTimer":           tx.PutTimer(store.Timer{Due: base, ExecutionARN: keep.ARN, Key: "x"}),
			"DeleteTimer":        tx.DeleteTimer(store.Timer{Due: base, ExecutionARN: keep.ARN, Key: "root"}),
			"PutActivity":        tx.PutActivity(newActivity("x", base)),
			"DeleteActivity":     tx.DeleteActivity(actARN("act")),
			"PutActivityTask":    tx.PutActivityTask(actARN("act"), "x", nil),
			"DeleteActivityTask": tx.DeleteActivityTask(actARN("act"), "t1"),
		} {
			wantErr(t, name+" in View", err, store.ErrReadOnly)
		}
		return nil
	})
	checkDiff(t, "store after writes in a View", before, takeDump(t, s))
}

func testTxAfterReturn(t *testing.T, s store.Store) {
	keep, _ := populate(t, s)
	var kept store.Tx
	update(t, s, func(tx store.Tx) error { kept = tx; return nil })
	before := takeDump(t, s)
	if err := kept.PutFrame(keep.ARN, "late", []byte("x")); err == nil {
		t.Error("PutFrame on a finished Update's Tx succeeded")
	}
	if _, err := kept.GetExecution(keep.ARN); err == nil {
		t.Error("GetExecution on a finished Update's Tx succeeded")
	}
	view(t, s, func(tx store.Tx) error { kept = tx; return nil })
	if _, err := kept.GetExecution(keep.ARN); err == nil {
		t.Error("GetExecution on a finished View's Tx succeeded")
	}
	checkDiff(t, "store after using a finished Tx", before, takeDump(t, s))
}

func testConcurrentUpdates(t *testing.T, s store.Store) {
	const workers, perWorker = 64, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers*perWorker*2)
	for w := range workers {
		wg.Go(func() {
			ex := newExecution("sm", fmt.Sprintf("w%02d", w), base.Add(time.Duration(w)*time.Second), store.StatusRunning)
			if err := s.Update(ctx, func(tx store.Tx) error { return tx.CreateExecution(ex) }); err != nil {
				errs <- err
				return
			}
			for i := range perWorker {
				err := s.Update(ctx, func(tx store.Tx) error {
					if err := tx.PutFrame(ex.ARN, "root", []byte(strconv.Itoa(i))); err != nil {
						return err
					}
					if err := tx.AppendHistory(ex.ARN, events(int64(2*i+1), int64(2*i+2))); err != nil {
						return err
					}
					return tx.PutTimer(store.Timer{Due: base.Add(time.Duration(i) * time.Second), ExecutionARN: ex.ARN, Key: "root"})
				})
				if err != nil {
					errs <- err
				}
				// Concurrent readers see whole transactions.
				err = s.View(ctx, func(tx store.Tx) error {
					last, err := tx.LastHistoryID(ex.ARN)
					if err != nil {
						return err
					}
					if last != int64(2*i+2) {
						return fmt.Errorf("%s: last event %d after update %d", ex.Name, last, i)
					}
					return nil
				})
				if err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	view(t, s, func(tx store.Tx) error {
		list, err := tx.ListExecutions(store.ExecutionFilter{})
		noErr(t, "ListExecutions", err)
		if len(list) != workers {
			t.Fatalf("%d executions, want %d", len(list), workers)
		}
		for _, ex := range list {
			last, _ := tx.LastHistoryID(ex.ARN)
			data, _ := tx.GetFrame(ex.ARN, "root")
			if last != 2*perWorker || string(data) != strconv.Itoa(perWorker-1) {
				t.Errorf("%s: last event %d, frame %q", ex.Name, last, data)
			}
		}
		due, _ := tx.DueTimers(base.Add(time.Hour), 0)
		if len(due) != workers*perWorker {
			t.Errorf("%d timers, want %d", len(due), workers*perWorker)
		}
		return nil
	})
}

func testSnapshot(t *testing.T, s store.Store) {
	ex := newExecution("sm", "bank", base, store.StatusRunning)
	createExecutions(t, s, ex)
	update(t, s, func(tx store.Tx) error {
		noErr(t, "PutFrame", tx.PutFrame(ex.ARN, "x", []byte("100")))
		return tx.PutFrame(ex.ARN, "y", []byte("0"))
	})
	read := func(tx store.Tx, id string) (int, error) {
		b, err := tx.GetFrame(ex.ARN, id)
		if err != nil {
			return 0, err
		}
		return strconv.Atoi(string(b))
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for r := range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				err := s.View(ctx, func(tx store.Tx) error {
					x, err := read(tx, "x")
					if err != nil {
						return err
					}
					if r%2 == 0 {
						time.Sleep(50 * time.Microsecond) // let a writer commit in between
					}
					y, err := read(tx, "y")
					if err != nil {
						return err
					}
					sum := 0
					if err := tx.Frames(ex.ARN, func(_ string, b []byte) bool {
						n, _ := strconv.Atoi(string(b))
						sum += n
						return true
					}); err != nil {
						return err
					}
					if x+y != 100 || sum != 100 {
						return fmt.Errorf("View saw x=%d y=%d (frames sum %d), want a sum of 100", x, y, sum)
					}
					return nil
				})
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	for i := range 300 {
		update(t, s, func(tx store.Tx) error {
			x, err := read(tx, "x")
			if err != nil {
				return err
			}
			y, err := read(tx, "y")
			if err != nil {
				return err
			}
			d := i%7 - 3
			if err := tx.PutFrame(ex.ARN, "x", []byte(strconv.Itoa(x-d))); err != nil {
				return err
			}
			return tx.PutFrame(ex.ARN, "y", []byte(strconv.Itoa(y+d)))
		})
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func testCopies(t *testing.T, s store.Store) {
	sm := &store.StateMachine{ARN: smARN("sm"), Name: "sm", Tags: map[string]string{"a": "1"}}
	ex := newExecution("sm", "e", base, store.StatusRunning)
	frame := []byte("frame")
	evs := events(1, 1)
	update(t, s, func(tx store.Tx) error {
		noErr(t, "PutStateMachine", tx.PutStateMachine(sm))
		noErr(t, "CreateExecution", tx.CreateExecution(ex))
		noErr(t, "PutFrame", tx.PutFrame(ex.ARN, "root", frame))
		noErr(t, "AppendHistory", tx.AppendHistory(ex.ARN, evs))
		return nil
	})
	// Mutating what was passed in changes nothing stored.
	sm.Tags["a"], sm.Name = "changed", "changed"
	ex.Status = "changed"
	frame[0] = 'X'
	evs[0].Details[0] = 'X'
	wantSM := &store.StateMachine{ARN: smARN("sm"), Name: "sm", Tags: map[string]string{"a": "1"}}
	wantEx := newExecution("sm", "e", base, store.StatusRunning)
	check := func() {
		t.Helper()
		view(t, s, func(tx store.Tx) error {
			gotSM, _ := tx.GetStateMachine(sm.ARN)
			checkDiff(t, "state machine", wantSM, gotSM)
			gotEx, _ := tx.GetExecution(ex.ARN)
			checkDiff(t, "execution", wantEx, gotEx)
			data, _ := tx.GetFrame(ex.ARN, "root")
			if string(data) != "frame" {
				t.Errorf("frame = %q", data)
			}
			noErr(t, "Frames", tx.Frames(ex.ARN, func(_ string, data []byte) bool {
				if string(data) != "frame" {
					t.Errorf("Frames data = %q", data)
				}
				return true
			}))
			h, _ := tx.History(ex.ARN, 0, 0, false)
			checkDiff(t, "history", events(1, 1), h)
			return nil
		})
	}
	check()
	// Mutating what was returned changes nothing stored.
	view(t, s, func(tx store.Tx) error {
		gotSM, _ := tx.GetStateMachine(sm.ARN)
		gotSM.Tags["a"], gotSM.Name = "changed", "changed"
		list, _ := tx.ListStateMachines("", 0)
		list[0].Tags["a"] = "changed"
		gotEx, _ := tx.GetExecution(ex.ARN)
		gotEx.Status = "changed"
		exs, _ := tx.ListExecutions(store.ExecutionFilter{})
		exs[0].Status = "changed"
		data, _ := tx.GetFrame(ex.ARN, "root")
		data[0] = 'X'
		noErr(t, "Frames", tx.Frames(ex.ARN, func(_ string, data []byte) bool { data[0] = 'X'; return true }))
		h, _ := tx.History(ex.ARN, 0, 0, false)
		h[0].Details[0] = 'X'
		h[0].Type = "changed"
		return nil
	})
	check()
}

func testCanceledContext(t *testing.T, s store.Store) {
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	called := false
	err := s.Update(cctx, func(tx store.Tx) error {
		called = true
		return tx.PutStateMachine(&store.StateMachine{ARN: smARN("x")})
	})
	wantErr(t, "Update(canceled)", err, context.Canceled)
	err = s.View(cctx, func(tx store.Tx) error { called = true; return nil })
	wantErr(t, "View(canceled)", err, context.Canceled)
	if called {
		t.Error("fn was called with a canceled context")
	}
	if d := takeDump(t, s); len(d.Machines) != 0 {
		t.Errorf("canceled Update stored %d state machines", len(d.Machines))
	}
}

func testClose(t *testing.T, s store.Store) {
	populate(t, s)
	noErr(t, "Close", s.Close())
	noErr(t, "Close(again)", s.Close())
	called := false
	err := s.Update(ctx, func(tx store.Tx) error { called = true; return nil })
	wantErr(t, "Update after Close", err, store.ErrClosed)
	err = s.View(ctx, func(tx store.Tx) error { called = true; return nil })
	wantErr(t, "View after Close", err, store.ErrClosed)
	if called {
		t.Error("fn was called after Close")
	}
}

func testClosePending(t *testing.T, s store.Store) {
	ex := newExecution("sm", "e", base, store.StatusRunning)
	createExecutions(t, s, ex)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for w := range 64 {
		wg.Go(func() {
			err := s.Update(ctx, func(tx store.Tx) error { return tx.PutFrame(ex.ARN, strconv.Itoa(w), nil) })
			if err != nil && !errors.Is(err, store.ErrClosed) {
				errs <- err
			}
		})
	}
	time.Sleep(time.Millisecond)
	noErr(t, "Close", s.Close())
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("Update racing Close: %v (want nil or ErrClosed)", err)
	}
}
