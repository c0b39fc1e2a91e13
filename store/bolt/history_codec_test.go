package bolt

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/stepctl/stepctl/store"
)

// TestHistoryGroupsAndLegacyRecords reads a history made of group records
// and single-event records of the earlier layout, forward and in reverse,
// from every starting point.
func TestHistoryGroupsAndLegacyRecords(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "h.db"), &Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	const arn = "arn:ex:h"
	ts := time.Date(2025, 1, 2, 3, 4, 5, 6, time.UTC)
	ev := func(id int64) store.HistoryEvent {
		return store.HistoryEvent{ID: id, PreviousEventID: id - 1, Timestamp: ts.Add(time.Duration(id)), Type: fmt.Sprintf("T%d", id), Details: []byte(fmt.Sprintf(`{"n":%d}`, id))}
	}
	err = s.Update(ctx, func(stx store.Tx) error {
		if err := stx.CreateExecution(&store.Execution{ARN: arn, StateMachineARN: "arn:sm", Status: store.StatusRunning}); err != nil {
			return err
		}
		if err := stx.AppendHistory(arn, []store.HistoryEvent{ev(1), ev(2), ev(3)}); err != nil {
			return err
		}
		// Events 4 and 5 in the single-event layout.
		bt := stx.(*tx)
		id, err := bt.execID(arn)
		if err != nil {
			return err
		}
		for _, n := range []int64{4, 5} {
			e := ev(n)
			if err := bt.history().Put(historyKey(idPrefix(id, 0), n), encodeEvent(&e)); err != nil {
				return err
			}
		}
		delete(bt.lastIDs, id) // written behind AppendHistory's back
		return stx.AppendHistory(arn, []store.HistoryEvent{ev(6), ev(7)})
	})
	if err != nil {
		t.Fatal(err)
	}
	ids := func(evs []store.HistoryEvent) string {
		out := ""
		for _, e := range evs {
			if want := ev(e.ID); e.Type != want.Type || string(e.Details) != string(want.Details) || !e.Timestamp.Equal(want.Timestamp) || e.PreviousEventID != want.PreviousEventID {
				t.Errorf("event %d decoded as %+v", e.ID, e)
			}
			out += fmt.Sprint(e.ID)
		}
		return out
	}
	for _, tc := range []struct {
		after   int64
		limit   int
		reverse bool
		want    string
	}{
		{0, 0, false, "1234567"},
		{2, 0, false, "34567"},
		{3, 2, false, "45"},
		{5, 0, false, "67"},
		{7, 0, false, ""},
		{0, 0, true, "7654321"},
		{7, 0, true, "654321"},
		{6, 3, true, "543"},
		{3, 0, true, "21"},
		{1, 0, true, ""},
		{9, 2, true, "76"},
	} {
		var got []store.HistoryEvent
		err := s.View(ctx, func(tx store.Tx) error {
			var err error
			got, err = tx.History(arn, tc.after, tc.limit, tc.reverse)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if g := ids(got); g != tc.want {
			t.Errorf("History(after %d, limit %d, reverse %v) = %s, want %s", tc.after, tc.limit, tc.reverse, g, tc.want)
		}
	}
	var last int64
	_ = s.View(ctx, func(tx store.Tx) error { last, err = tx.LastHistoryID(arn); return err })
	if last != 7 {
		t.Errorf("LastHistoryID = %d, want 7", last)
	}
}
