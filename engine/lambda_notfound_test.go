package engine

import (
	"regexp"
	"strconv"
	"testing"
)

// TestUnregisteredLambdaFunction checks the failure of a Task whose Lambda
// function ARN has no registered handler: AWS's
// Lambda.ResourceNotFoundException with the qualified function ARN and the
// ending Lambda gives ("Request ID: <uuid>; Proxy: null)"), the same text
// as the lambda:invoke integration's.
func TestUnregisteredLambdaFunction(t *testing.T) {
	tests := []struct{ resource, arn string }{
		{"arn:aws:lambda:us-east-1:123456789012:function:Missing", `arn:aws:lambda:us-east-1:123456789012:function:Missing:\$LATEST`},
		{"arn:aws:lambda:eu-west-1:111111111111:function:Missing:prod", `arn:aws:lambda:eu-west-1:111111111111:function:Missing:prod`},
	}
	for _, tt := range tests {
		h := newHarness(t, nil)
		ex, evs := h.run(`{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"`+tt.resource+`","End":true}}}`, `{}`)
		if ex.Status != "FAILED" || ex.Error != "Lambda.ResourceNotFoundException" {
			t.Fatalf("%s: %s %s: %s", tt.resource, ex.Status, ex.Error, ex.Cause)
		}
		want := regexp.MustCompile(`^Function not found: ` + tt.arn + ` \(Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: [0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}; Proxy: null\)$`)
		if !want.MatchString(ex.Cause) {
			t.Errorf("%s: cause %q, want it to match %s", tt.resource, ex.Cause, want)
		}
		failed := find(evs, "LambdaFunctionFailed")
		if got := string(failed.Details); got != `{"error":"Lambda.ResourceNotFoundException","cause":`+strconv.Quote(ex.Cause)+`}` {
			t.Errorf("%s: LambdaFunctionFailed details %s", tt.resource, got)
		}
	}
}
