package bolt

import (
	"testing"
	"time"

	"github.com/stepctl/stepctl/store"
)

// TestExecutionCodecRedriveDate checks that RedriveDate round-trips and
// that a record written before it existed (ending after RedriveCount)
// still decodes, with a zero RedriveDate.
func TestExecutionCodecRedriveDate(t *testing.T) {
	redriven := time.Date(2026, 3, 4, 5, 6, 7, 890e6, time.UTC)
	ex := &store.Execution{ARN: "arn:aws:states:us-east-1:123456789012:execution:sm:e", StateMachineARN: "arn:aws:states:us-east-1:123456789012:stateMachine:sm",
		Status: store.StatusRunning, RedriveCount: 2, RedriveDate: redriven}
	got, _, err := decodeExecution(ex.ARN, encodeExecution(ex, 7, nil))
	if err != nil || got.RedriveCount != 2 || !got.RedriveDate.Equal(redriven) {
		t.Fatalf("round trip: %v, count %d, date %v", err, got.RedriveCount, got.RedriveDate)
	}
	ex.RedriveDate = time.Time{}
	full := encodeExecution(ex, 7, nil)
	old := full[:len(full)-len(appendTime(nil, time.Time{}))]
	got, _, err = decodeExecution(ex.ARN, old)
	if err != nil || got.RedriveCount != 2 || !got.RedriveDate.IsZero() {
		t.Fatalf("record without RedriveDate: %v, count %d, date %v", err, got.RedriveCount, got.RedriveDate)
	}
}
