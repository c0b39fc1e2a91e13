package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stepctl/stepctl/store"
)

func actARN(name string) string {
	return "arn:aws:states:us-east-1:123456789012:activity:" + name
}

func newActivity(name string, created time.Time) *store.Activity {
	return &store.Activity{ARN: actARN(name), Name: name, CreationDate: created, Tags: map[string]string{"team": name}}
}

func putActivities(t *testing.T, s store.Store, as ...*store.Activity) {
	t.Helper()
	update(t, s, func(tx store.Tx) error {
		for _, a := range as {
			if err := tx.PutActivity(a); err != nil {
				return err
			}
		}
		return nil
	})
}

func activityNames(as []*store.Activity) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Name)
	}
	return out
}

// taskList lists an activity's queue as "key=data".
func taskList(t *testing.T, tx store.Tx, arn string) []string {
	t.Helper()
	var out []string
	noErr(t, "ActivityTasks", tx.ActivityTasks(arn, func(key string, data []byte) bool {
		out = append(out, key+"="+string(data))
		return true
	}))
	return out
}

func testActivities(t *testing.T, s store.Store) {
	// Created out of order; b and c share a creation date (ARN order then).
	c := newActivity("c", base.Add(time.Second))
	a := newActivity("a", base)
	b := newActivity("b", base.Add(time.Second))
	d := newActivity("d", base.Add(time.Hour))
	putActivities(t, s, c, a, b, d)
	view(t, s, func(tx store.Tx) error {
		got, err := tx.GetActivity(a.ARN)
		noErr(t, "GetActivity", err)
		checkDiff(t, "GetActivity", a, got)
		_, err = tx.GetActivity(actARN("zz"))
		wantErr(t, "GetActivity(unknown)", err, store.ErrNotFound)
		for _, tc := range []struct {
			after string
			limit int
			want  []string
		}{
			{"", 0, []string{"d", "b", "c", "a"}},
			{"", 2, []string{"d", "b"}},
			{d.ARN, 1, []string{"b"}},
			{b.ARN, 0, []string{"c", "a"}},
			{c.ARN, 5, []string{"a"}},
			{a.ARN, 0, nil},
		} {
			got, err := tx.ListActivities(tc.after, tc.limit)
			noErr(t, "ListActivities", err)
			if !slices.Equal(activityNames(got), tc.want) {
				t.Errorf("ListActivities(%q, %d) = %v, want %v", tc.after, tc.limit, activityNames(got), tc.want)
			}
		}
		all, _ := tx.ListActivities("", 0)
		checkDiff(t, "ListActivities records", []*store.Activity{d, b, c, a}, all)
		_, err = tx.ListActivities(actARN("zz"), 0)
		wantErr(t, "ListActivities(after unknown)", err, store.ErrNotFound)
		return nil
	})
	// Paging page by page visits every activity once, in order.
	var paged []string
	after := ""
	for {
		var page []*store.Activity
		view(t, s, func(tx store.Tx) error {
			var err error
			page, err = tx.ListActivities(after, 3)
			return err
		})
		paged = append(paged, activityNames(page)...)
		if len(page) < 3 {
			break
		}
		after = page[len(page)-1].ARN
	}
	if want := []string{"d", "b", "c", "a"}; !slices.Equal(paged, want) {
		t.Errorf("paged ListActivities = %v, want %v", paged, want)
	}
	// Replacing keeps the queue and moves the activity in the order when
	// its creation date changes; no tags come back as nil.
	b2 := &store.Activity{ARN: b.ARN, Name: "b", CreationDate: base.Add(-time.Hour)}
	update(t, s, func(tx store.Tx) error {
		noErr(t, "PutActivityTask", tx.PutActivityTask(b.ARN, "k", []byte("v")))
		noErr(t, "PutActivity(replace)", tx.PutActivity(b2))
		noErr(t, "PutActivity(same)", tx.PutActivity(b2))
		noErr(t, "DeleteActivity", tx.DeleteActivity(c.ARN))
		wantErr(t, "DeleteActivity(again)", tx.DeleteActivity(c.ARN), store.ErrNotFound)
		return nil
	})
	view(t, s, func(tx store.Tx) error {
		got, err := tx.GetActivity(b.ARN)
		noErr(t, "GetActivity", err)
		checkDiff(t, "replaced activity", b2, got)
		if got.Tags != nil {
			t.Errorf("replaced activity's Tags = %#v, want nil", got.Tags)
		}
		if got := taskList(t, tx, b.ARN); !slices.Equal(got, []string{"k=v"}) {
			t.Errorf("queue of the replaced activity = %q", got)
		}
		_, err = tx.GetActivity(c.ARN)
		wantErr(t, "GetActivity(deleted)", err, store.ErrNotFound)
		all, _ := tx.ListActivities("", 0)
		if want := []string{"d", "a", "b"}; !slices.Equal(activityNames(all), want) {
			t.Errorf("ListActivities after replace and delete = %v, want %v", activityNames(all), want)
		}
		_, err = tx.ListActivities(c.ARN, 0)
		wantErr(t, "ListActivities(after deleted)", err, store.ErrNotFound)
		return nil
	})
	// Activities are not executions, nor executions activities.
	ex := newExecution("sm", "e", base, store.StatusRunning)
	createExecutions(t, s, ex)
	view(t, s, func(tx store.Tx) error {
		exs, _ := tx.ListExecutions(store.ExecutionFilter{})
		if !slices.Equal(arns(exs), []string{ex.ARN}) {
			t.Errorf("ListExecutions beside activities = %v", arns(exs))
		}
		_, err := tx.GetExecution(a.ARN)
		wantErr(t, "GetExecution(activity ARN)", err, store.ErrNotFound)
		_, err = tx.GetActivity(ex.ARN)
		wantErr(t, "GetActivity(execution ARN)", err, store.ErrNotFound)
		return nil
	})
	for _, bad := range []string{"", "arn:with\x00nul"} {
		err := s.Update(ctx, func(tx store.Tx) error { return tx.PutActivity(&store.Activity{ARN: bad}) })
		wantErr(t, fmt.Sprintf("PutActivity(ARN %q)", bad), err, store.ErrInvalidARN)
	}
}

func testActivityTasks(t *testing.T, s store.Store) {
	a := newActivity("a", base)
	other := newActivity("a2", base) // ARN extends a's ARN
	putActivities(t, s, a, other)
	update(t, s, func(tx store.Tx) error {
		for _, k := range []string{"b", "a", "00000000000000000010|x", "00000000000000000009|y", "", "\xff"} {
			noErr(t, "PutActivityTask", tx.PutActivityTask(a.ARN, k, []byte("v"+k)))
		}
		noErr(t, "PutActivityTask(other)", tx.PutActivityTask(other.ARN, "a", []byte("other")))
		noErr(t, "PutActivityTask(empty data)", tx.PutActivityTask(other.ARN, "empty", nil))
		wantErr(t, "PutActivityTask(unknown activity)", tx.PutActivityTask(actARN("nope"), "a", nil), store.ErrNotFound)
		return nil
	})
	view(t, s, func(tx store.Tx) error {
		want := []string{"=v", "00000000000000000009|y=v00000000000000000009|y", "00000000000000000010|x=v00000000000000000010|x", "a=va", "b=vb", "\xff=v\xff"}
		if got := taskList(t, tx, a.ARN); !slices.Equal(got, want) {
			t.Errorf("ActivityTasks = %q, want %q", got, want)
		}
		if got := taskList(t, tx, other.ARN); !slices.Equal(got, []string{"a=other", "empty="}) {
			t.Errorf("ActivityTasks(other) = %q", got)
		}
		var firstTwo []string
		noErr(t, "ActivityTasks", tx.ActivityTasks(a.ARN, func(k string, _ []byte) bool {
			firstTwo = append(firstTwo, k)
			return len(firstTwo) < 2
		}))
		if !slices.Equal(firstTwo, []string{"", "00000000000000000009|y"}) {
			t.Errorf("ActivityTasks stopping after 2 visited %q", firstTwo)
		}
		wantErr(t, "ActivityTasks(unknown activity)", tx.ActivityTasks(actARN("nope"), func(string, []byte) bool { return true }), store.ErrNotFound)
		return nil
	})
	update(t, s, func(tx store.Tx) error {
		noErr(t, "PutActivityTask(replace)", tx.PutActivityTask(a.ARN, "a", []byte("new")))
		noErr(t, "DeleteActivityTask", tx.DeleteActivityTask(a.ARN, "b"))
		noErr(t, "DeleteActivityTask(missing)", tx.DeleteActivityTask(a.ARN, "b"))
		noErr(t, "DeleteActivityTask(unknown activity)", tx.DeleteActivityTask(actARN("nope"), "b"))
		return nil
	})
	view(t, s, func(tx store.Tx) error {
		want := []string{"=v", "00000000000000000009|y=v00000000000000000009|y", "00000000000000000010|x=v00000000000000000010|x", "a=new", "\xff=v\xff"}
		if got := taskList(t, tx, a.ARN); !slices.Equal(got, want) {
			t.Errorf("ActivityTasks after replace and delete = %q, want %q", got, want)
		}
		return nil
	})
	// Deleting an activity drops its queue, and only its queue; an activity
	// created again under the ARN starts with an empty one.
	update(t, s, func(tx store.Tx) error { return tx.DeleteActivity(a.ARN) })
	view(t, s, func(tx store.Tx) error {
		wantErr(t, "ActivityTasks(deleted activity)", tx.ActivityTasks(a.ARN, func(string, []byte) bool { return true }), store.ErrNotFound)
		if got := taskList(t, tx, other.ARN); !slices.Equal(got, []string{"a=other", "empty="}) {
			t.Errorf("ActivityTasks(other) after deleting a = %q", got)
		}
		return nil
	})
	putActivities(t, s, a)
	view(t, s, func(tx store.Tx) error {
		if got := taskList(t, tx, a.ARN); len(got) != 0 {
			t.Errorf("re-created activity's queue = %q, want empty", got)
		}
		return nil
	})
}

func testActivityTasksModified(t *testing.T, s store.Store) {
	a := newActivity("a", base)
	putActivities(t, s, a)
	update(t, s, func(tx store.Tx) error {
		for i := range 1000 {
			noErr(t, "PutActivityTask", tx.PutActivityTask(a.ARN, fmt.Sprintf("t%04d", i), []byte{byte(i)}))
		}
		return nil
	})
	// Delete every entry from inside the iteration: every entry is visited
	// exactly once and none is left.
	update(t, s, func(tx store.Tx) error {
		var visited []string
		noErr(t, "ActivityTasks", tx.ActivityTasks(a.ARN, func(k string, _ []byte) bool {
			visited = append(visited, k)
			noErr(t, "DeleteActivityTask", tx.DeleteActivityTask(a.ARN, k))
			return true
		}))
		if len(visited) != 1000 || visited[0] != "t0000" || visited[999] != "t0999" {
			t.Errorf("visited %d entries while deleting", len(visited))
		}
		if got := taskList(t, tx, a.ARN); len(got) != 0 {
			t.Errorf("%d entries left", len(got))
		}
		return nil
	})
}

func testActivityCopies(t *testing.T, s store.Store) {
	a := newActivity("a", base)
	data := []byte("token")
	update(t, s, func(tx store.Tx) error {
		noErr(t, "PutActivity", tx.PutActivity(a))
		noErr(t, "PutActivityTask", tx.PutActivityTask(a.ARN, "k", data))
		return nil
	})
	// Mutating what was passed in changes nothing stored.
	a.Tags["team"], a.Name = "changed", "changed"
	data[0] = 'X'
	want := newActivity("a", base)
	check := func() {
		t.Helper()
		view(t, s, func(tx store.Tx) error {
			got, _ := tx.GetActivity(a.ARN)
			checkDiff(t, "activity", want, got)
			if got := taskList(t, tx, a.ARN); !slices.Equal(got, []string{"k=token"}) {
				t.Errorf("ActivityTasks = %q", got)
			}
			return nil
		})
	}
	check()
	// Mutating what was returned changes nothing stored.
	view(t, s, func(tx store.Tx) error {
		got, _ := tx.GetActivity(a.ARN)
		got.Tags["team"], got.Name = "changed", "changed"
		list, _ := tx.ListActivities("", 0)
		list[0].Tags["team"], list[0].Name = "changed", "changed"
		noErr(t, "ActivityTasks", tx.ActivityTasks(a.ARN, func(_ string, data []byte) bool { data[0] = 'X'; return true }))
		return nil
	})
	check()
}
