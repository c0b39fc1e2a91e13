package engine

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/stepctl/stepctl/asl/jsonv"
)

// fillNonZero sets every exported field of the struct v points to (and of
// the structs it holds) to a non-zero value.
func fillNonZero(t *testing.T, v reflect.Value, n *int) {
	t.Helper()
	for i := 0; i < v.NumField(); i++ {
		ft := v.Type().Field(i)
		if !ft.IsExported() {
			continue
		}
		*n++
		f := v.Field(i)
		switch {
		case ft.Type == reflect.TypeOf(jv{}):
			f.Set(reflect.ValueOf(jv{V: jsonv.ObjectOf("n", int64(*n), "s", "<&>\"é")}))
		case ft.Type == reflect.TypeOf(time.Time{}):
			f.Set(reflect.ValueOf(time.Date(2025, 3, 4, 5, 6, 7, *n, time.UTC)))
		case ft.Type == reflect.TypeOf(&jsonv.Object{}):
			f.Set(reflect.ValueOf(jsonv.ObjectOf("x", []any{int64(*n), 1.5, nil, true})))
		case ft.Type == reflect.TypeOf([]timerRef{}):
			f.Set(reflect.ValueOf([]timerRef{{Key: "k1", Due: time.Unix(1700000000, 5).UTC()}, {Key: "k\n2", Due: time.Unix(1700000001, 0).UTC()}}))
		case f.Kind() == reflect.String:
			f.SetString(ft.Name + "\u2028\"\\/<")
		case f.Kind() == reflect.Bool:
			f.SetBool(true)
		case f.Kind() == reflect.Int, f.Kind() == reflect.Int64:
			f.SetInt(int64(-*n * 1000))
		case f.Kind() == reflect.Uint64:
			f.SetUint(1<<63 + uint64(*n))
		case f.Kind() == reflect.Float64:
			f.SetFloat(12.5e-7)
		case f.Kind() == reflect.Slice && ft.Type.Elem().Kind() == reflect.Int64:
			f.Set(reflect.ValueOf([]int64{3, 0, -2}))
		case f.Kind() == reflect.Struct:
			fillNonZero(t, f, n)
		default:
			t.Fatalf("field %s of type %s: teach fillNonZero and encodeFrame about it", ft.Name, ft.Type)
		}
	}
}

// TestFrameCodecCoversEveryField checks that every field of a frame
// survives encodeFrame and decodeFrame, so a field added to frame without
// being added to encodeFrame fails here.
func TestFrameCodecCoversEveryField(t *testing.T) {
	var f frame
	n := 0
	fillNonZero(t, reflect.ValueOf(&f).Elem(), &n)
	b, err := encodeFrame(&f)
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeFrame(b)
	if err != nil {
		t.Fatalf("decodeFrame(%s): %v", b, err)
	}
	if !reflect.DeepEqual(got, &f) {
		t.Errorf("round trip lost fields:\n got %+v\nwant %+v\njson %s", got, &f, b)
	}
}

// TestFrameCodecMatchesEncodingJSON compares encodeFrame with
// encoding/json member by member, on frames with zero and non-zero
// fields.
func TestFrameCodecMatchesEncodingJSON(t *testing.T) {
	full := frame{}
	n := 0
	fillNonZero(t, reflect.ValueOf(&full).Elem(), &n)
	frames := []frame{
		{ID: "r", Status: frameReady, State: "A", Input: jv{V: jsonv.ObjectOf("k", "v")}},
		{ID: "r.0.1", Parent: "r", Index: 3, Status: frameTask, State: "T", Retries: []int64{0, 2}, Failure: failure{Error: "E"}},
		{ID: "x", Status: frameFailed, Failure: failure{HasError: true, HasCause: true}},
		{ID: "y", Status: frameDone, Output: jv{V: []any{}}, Vars: jsonv.NewObject(0)},
		full,
	}
	for _, f := range frames {
		ours, err := encodeFrame(&f)
		if err != nil {
			t.Fatal(err)
		}
		theirs, err := json.Marshal(&f)
		if err != nil {
			t.Fatal(err)
		}
		var a, b map[string]any
		if err := json.Unmarshal(ours, &a); err != nil {
			t.Fatalf("%s: %v", ours, err)
		}
		if err := json.Unmarshal(theirs, &b); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("encodeFrame:\n%s\nencoding/json:\n%s", ours, theirs)
		}
	}
}

func BenchmarkEncodeFrame(b *testing.B) {
	f := frame{ID: "r", Status: frameTask, State: "T3", Input: jv{V: jsonv.ObjectOf("k", "v")}, Entered: true, EnteredID: 12,
		EnteredTime: time.Now(), Last: 14, Invocation: "0f8fad5b-d9cb-469f-a165-70867728950e", Args: jv{V: jsonv.ObjectOf("k", "v")},
		Attempt: 1, Timers: []timerRef{{Key: "r/timeout", Due: time.Now()}}}
	b.Run("hand", func(b *testing.B) {
		for b.Loop() {
			encodeFrame(&f)
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		for b.Loop() {
			json.Marshal(&f)
		}
	})
}
