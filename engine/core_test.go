package engine

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/stepctl/stepctl/asl/jsonv"
	"github.com/stepctl/stepctl/store"
	"github.com/stepctl/stepctl/store/memory"
)

// TestCoreIsDeterministic runs the transition core twice from the same
// checkpoint with the same event and time and expects identical history,
// frames and random draws: this is what makes a resumed execution take the
// path it would have taken.
func TestCoreIsDeterministic(t *testing.T) {
	e, err := Open(context.Background(), Options{Store: memory.New()})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	prog, err := e.compile(`{"StartAt":"P","States":{
		"P":{"Type":"Pass","Parameters":{"id.$":"$$.Execution.Id"},"ResultPath":"$.p","Next":"M"},
		"M":{"Type":"Map","ItemsPath":"$.items","End":true,"ItemProcessor":{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":5,"End":true}}}}}}`, "STANDARD")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	run := func() (*machine, []uint64) {
		st := &execState{
			arn:     "arn:aws:states:us-east-1:123456789012:execution:sm:x",
			rec:     &store.Execution{Status: store.StatusRunning, StartDate: now},
			prog:    prog,
			hdr:     header{Seed: 42},
			frames:  map[string]*frame{rootID: {ID: rootID, Status: frameReady, State: "P", Input: jv{jsonv.MustParse(`{"items":[1,2,3]}`)}, Last: 1}},
			lastID:  1,
			ctxExec: jsonv.ObjectOf("Id", "arn:aws:states:us-east-1:123456789012:execution:sm:x"),
			ctxSM:   jsonv.ObjectOf("Id", "sm"),
			load:    func([]string) (map[string]*frame, error) { return nil, nil },
		}
		m := &machine{execState: st, cfg: &coreConfig{payloadLimit: DefaultPayloadLimit, historyLimit: DefaultHistoryLimit, waitScale: 1, region: DefaultRegion},
			now: now, b: &batch{dirty: map[string]*frame{}, deleted: map[string]bool{}}}
		m.apply(&event{kind: evResume, frame: rootID})
		root := st.frames[rootID]
		draws := []uint64{draw(st.hdr.Seed, root.ID, 1), draw(st.hdr.Seed, root.ID, 2)}
		return m, draws
	}
	a, da := run()
	b, db := run()
	if len(a.b.events) == 0 || len(a.b.events) != len(b.b.events) {
		t.Fatalf("events %d vs %d", len(a.b.events), len(b.b.events))
	}
	for i := range a.b.events {
		x, y := a.b.events[i], b.b.events[i]
		if x.ID != y.ID || x.Type != y.Type || string(x.Details) != string(y.Details) || !x.Timestamp.Equal(y.Timestamp) {
			t.Fatalf("event %d differs: %+v vs %+v", i, x, y)
		}
	}
	if len(a.b.timersPut) != 3 || !slices.EqualFunc(a.b.timersPut, b.b.timersPut, func(x, y store.Timer) bool { return x.Key == y.Key && x.Due.Equal(y.Due) }) {
		t.Fatalf("timers differ or missing: %v vs %v", a.b.timersPut, b.b.timersPut)
	}
	for id, f := range a.b.dirty {
		x, _ := encodeFrame(f)
		y, _ := encodeFrame(b.b.dirty[id])
		if string(x) != string(y) {
			t.Fatalf("frame %s differs:\n%s\n%s", id, x, y)
		}
	}
	if !slices.Equal(da, db) || da[0] == da[1] {
		t.Fatalf("draws %v vs %v", da, db)
	}
	if u := formatUUID(da[0], da[1]); len(u) != 36 || u[14] != '4' {
		t.Errorf("uuid %s is not a version-4 UUID", u)
	}
}

func TestTokenRoundTrip(t *testing.T) {
	tok := makeToken("arn:aws:states:us-east-1:1:execution:a:b", "r/1.2", "inv")
	arn, frame, inv, err := parseToken(tok)
	if err != nil || arn != "arn:aws:states:us-east-1:1:execution:a:b" || frame != "r/1.2" || inv != "inv" {
		t.Fatalf("%s %s %s %v", arn, frame, inv, err)
	}
	for _, bad := range []string{"", "!!", "YWJj"} {
		if _, _, _, err := parseToken(bad); err == nil {
			t.Errorf("parseToken(%q) accepted", bad)
		}
	}
}

func TestNamesAndARNs(t *testing.T) {
	for name, ok := range map[string]bool{"a": true, "order-42": true, "ünïcode": true, "": false, "a b": false, "a:b": false, "a/b": false, string(make([]byte, 81)): false} {
		if validName(name) != ok {
			t.Errorf("validName(%q) = %v", name, !ok)
		}
	}
	if got := executionARN("arn:aws:states:us-east-1:123456789012:stateMachine:sm", "e"); got != "arn:aws:states:us-east-1:123456789012:execution:sm:e" {
		t.Errorf("executionARN = %s", got)
	}
	for res, want := range map[string][3]string{
		"arn:aws:lambda:us-east-1:1:function:F":             {"true", "lambda", "arn:aws:lambda:us-east-1:1:function:F"},
		"arn:aws:states:::sqs:sendMessage.waitForTaskToken": {"false", "sqs", "sendMessage.waitForTaskToken"},
		"arn:aws:states:::states:startExecution.sync:2":     {"false", "states", "startExecution.sync:2"},
		"Local": {"false", "function", "Local"},
	} {
		l, rt, r := resourceKind(res)
		if got := [3]string{map[bool]string{true: "true", false: "false"}[l], rt, r}; got != want {
			t.Errorf("resourceKind(%s) = %v; want %v", res, got, want)
		}
	}
}

func TestManualClock(t *testing.T) {
	c := NewManualClock(time.Unix(0, 0))
	t1, t2 := c.NewTimer(time.Second), c.NewTimer(3*time.Second)
	c.Advance(2 * time.Second)
	select {
	case <-t1.C():
	default:
		t.Fatal("t1 did not fire")
	}
	if !t2.Stop() || t2.Stop() {
		t.Error("Stop reported wrongly")
	}
	c.Advance(time.Hour)
	select {
	case <-t2.C():
		t.Error("stopped timer fired")
	default:
	}
}

func TestNeedsResume(t *testing.T) {
	tests := []struct {
		f    *frame
		want bool
	}{
		{&frame{ID: "r", Status: frameReady, Input: jv{jsonv.MustParse(`{"status":"wait"}`)}}, true},
		{&frame{ID: "r/1.0", Parent: "r", Status: frameWait, Input: jv{jsonv.MustParse(`{"status":"ready"}`)}}, false},
		{&frame{ID: "r", Status: frameTask}, true},
		{&frame{ID: "r", Status: frameTask, Pending: true}, false},
		{&frame{ID: "r", Status: frameChildren}, false},
		{&frame{ID: "r", Status: frameQueued}, false},
	}
	for _, tt := range tests {
		data, _ := encodeFrame(tt.f)
		if got := needsResume(data); got != tt.want {
			t.Errorf("needsResume(%s) = %v", data, got)
		}
	}
}
