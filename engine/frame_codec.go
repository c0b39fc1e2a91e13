package engine

import (
	"strconv"
	"time"

	"github.com/stepctl/stepctl/asl/jsonv"
)

// encodeFrame prints a frame checkpoint as the JSON object that
// encoding/json would print for it (the same member names and omissions,
// so decodeFrame reads it back), without reflection: a durable transition
// encodes at least one frame, and reflection was most of that cost.
// TestFrameCodecCoversEveryField fails when a field of frame is not
// printed here.
func encodeFrame(f *frame) ([]byte, error) {
	b := make([]byte, 0, 512)
	b = append(b, `{"id":`...)
	b = jsonv.AppendString(b, f.ID)
	if f.Parent != "" {
		b = appendStringMember(b, "parent", f.Parent)
	}
	b = appendIntMember(b, "index", int64(f.Index))
	b = append(b, `,"status":`...)
	b = jsonv.AppendString(b, f.Status)
	b = append(b, `,"state":`...)
	b = jsonv.AppendString(b, f.State)
	b = appendValueMember(b, "input", f.Input)
	if f.Entered {
		b = append(b, `,"entered":true`...)
	}
	b = appendIntMember(b, "enteredId", f.EnteredID)
	b = appendTimeMember(b, "enteredTime", f.EnteredTime)
	b = appendIntMember(b, "last", f.Last)
	if len(f.Retries) > 0 {
		b = append(b, `,"retries":[`...)
		for i, n := range f.Retries {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, n, 10)
		}
		b = append(b, ']')
	}
	b = appendIntMember(b, "retryCount", int64(f.RetryCount))
	if f.Vars != nil {
		b = append(b, `,"vars":`...)
		b = jsonv.AppendJSON(b, f.Vars)
	}
	if f.Draws != 0 {
		b = append(b, `,"draws":`...)
		b = strconv.AppendUint(b, f.Draws, 10)
	}
	b = appendIntMember(b, "gen", int64(f.Gen))
	if f.Invocation != "" {
		b = appendStringMember(b, "invocation", f.Invocation)
	}
	if f.Token != "" {
		b = appendStringMember(b, "token", f.Token)
	}
	b = appendValueMember(b, "args", f.Args)
	b = appendIntMember(b, "attempt", int64(f.Attempt))
	if f.Pending {
		b = append(b, `,"pending":true`...)
	}
	b = appendIntMember(b, "heartbeat", f.Heartbeat)
	if f.Activity != "" {
		b = appendStringMember(b, "activity", f.Activity)
	}
	if f.ActivityKey != "" {
		b = appendStringMember(b, "activityKey", f.ActivityKey)
	}
	if f.ActivityStarted {
		b = append(b, `,"activityStarted":true`...)
	}
	if f.Child != "" {
		b = appendStringMember(b, "child", f.Child)
	}
	b = appendTimeMember(b, "scheduled", f.Scheduled)
	if len(f.Timers) > 0 {
		b = append(b, `,"timers":[`...)
		for i, t := range f.Timers {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"k":`...)
			b = jsonv.AppendString(b, t.Key)
			b = append(b, `,"d":"`...)
			b = t.Due.AppendFormat(b, time.RFC3339Nano)
			b = append(b, `"}`...)
		}
		b = append(b, ']')
	}
	b = appendValueMember(b, "out", f.Out)
	if f.Assigned != nil {
		b = append(b, `,"assigned":`...)
		b = jsonv.AppendJSON(b, f.Assigned)
	}
	b = appendTimeMember(b, "due", f.Due)
	b = appendIntMember(b, "total", int64(f.Total))
	b = appendIntMember(b, "started", int64(f.Started))
	b = appendIntMember(b, "running", int64(f.Running))
	b = appendIntMember(b, "succeeded", int64(f.Succeeded))
	b = appendIntMember(b, "failedN", int64(f.FailedN))
	b = appendIntMember(b, "maxConc", int64(f.MaxConc))
	b = appendIntMember(b, "tolCount", f.TolCount)
	if f.TolPct != 0 {
		b = append(b, `,"tolPct":`...)
		b = strconv.AppendFloat(b, f.TolPct, 'g', -1, 64)
	}
	b = appendValueMember(b, "item", f.Item)
	b = appendValueMember(b, "output", f.Output)
	if f.Failure != (failure{}) {
		b = append(b, `,"failure":{`...)
		n := len(b)
		if f.Failure.Error != "" {
			b = appendStringMember(b, "e", f.Failure.Error)
		}
		if f.Failure.Cause != "" {
			b = appendStringMember(b, "c", f.Failure.Cause)
		}
		if f.Failure.HasError {
			b = append(b, `,"he":true`...)
		}
		if f.Failure.HasCause {
			b = append(b, `,"hc":true`...)
		}
		if f.Failure.Terminal {
			b = append(b, `,"t":true`...)
		}
		b = append(b[:n], b[n+1:]...) // the first member's comma
		b = append(b, '}')
	}
	return append(b, '}'), nil
}

func appendStringMember(b []byte, name, s string) []byte {
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return jsonv.AppendString(b, s)
}

// appendIntMember prints a member that is omitted when zero.
func appendIntMember(b []byte, name string, n int64) []byte {
	if n == 0 {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return strconv.AppendInt(b, n, 10)
}

// appendTimeMember prints a time member that is omitted when zero, in
// encoding/json's format.
func appendTimeMember(b []byte, name string, t time.Time) []byte {
	if t.IsZero() {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, `":"`...)
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

// appendValueMember prints a JSON value member that is omitted when nil
// (as encoding/json's omitzero does for jv).
func appendValueMember(b []byte, name string, v jv) []byte {
	if v.V == nil {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return jsonv.AppendJSON(b, v.V)
}
