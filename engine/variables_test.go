package engine

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// chainAssigning builds a JSONata machine of n Pass states, each assigning
// its own variable of size characters.
func chainAssigning(n, size int) string {
	var b strings.Builder
	b.WriteString(`{"QueryLanguage":"JSONata","StartAt":"P0","States":{`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		next := fmt.Sprintf(`"Next":"P%d"`, i+1)
		if i == n-1 {
			next = `"End":true`
		}
		fmt.Fprintf(&b, `"P%d":{"Type":"Pass","Assign":{"v%d":"{%% $pad('', %d, 'x') %%}"},"Output":{},%s}`, i, i, size, next)
	}
	b.WriteString("}}")
	return b.String()
}

// runLong runs an execution like harness.run but waits up to two minutes:
// the executions of the quota tests checkpoint megabytes of variables at
// every state, which took more than the harness's 10 s under -race on a
// loaded machine.
func (h *harness) runLong(def, input string) (*Execution, []HistoryEvent) {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	ex, err := h.eng.WaitExecution(ctx, h.start(def, input).ARN)
	if err != nil {
		h.t.Fatalf("WaitExecution: %v", err)
	}
	return ex, h.history(ex.ARN)
}

// TestVariablesTotalLimit checks the 10 MiB quota on all of an execution's
// variables: 49 variables of 210,000 characters fit, a 50th does not.
func TestVariablesTotalLimit(t *testing.T) {
	h := newHarness(t, nil)
	ex, _ := h.runLong(chainAssigning(49, 210000), `{}`)
	if ex.Status != "SUCCEEDED" {
		t.Fatalf("49 variables: %s %s: %s", ex.Status, ex.Error, ex.Cause)
	}
	ex, evs := h.runLong(chainAssigning(50, 210000), `{}`)
	if ex.Status != "FAILED" || ex.Error != "States.DataLimitExceeded" {
		t.Fatalf("50 variables: %s %s: %s", ex.Status, ex.Error, ex.Cause)
	}
	want := "The variables of the execution total 10500100 bytes after state 'P49', which exceeds the maximum of 10485760 bytes."
	if !strings.Contains(ex.Cause, want) {
		t.Errorf("cause %q, want it to contain %q", ex.Cause, want)
	}
	if last := evs[len(evs)-1].Type; last != "ExecutionFailed" {
		t.Errorf("last event %s", last)
	}
}

// TestVariablesOfFinishedIterationsAreReleased checks that a Map
// iteration's variables stop counting when the iteration ends: 60
// iterations of one 210,000-character variable each stay under the quota.
func TestVariablesOfFinishedIterationsAreReleased(t *testing.T) {
	h := newHarness(t, nil)
	def := `{"QueryLanguage":"JSONata","StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1,
"Items":"{% [1..60] %}","ItemProcessor":{"StartAt":"A","States":{
"A":{"Type":"Pass","Assign":{"big":"{% $pad('', 210000, 'x') %}"},"Output":"{% $states.input %}","End":true}}},"End":true}}}`
	ex, _ := h.runLong(def, `{}`)
	if ex.Status != "SUCCEEDED" {
		t.Fatalf("%s %s: %s", ex.Status, ex.Error, ex.Cause)
	}
}
