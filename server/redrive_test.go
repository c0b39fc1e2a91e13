package server

import (
	"strings"
	"testing"
)

func TestRedriveExecution(t *testing.T) {
	ts := newTestServer(t)
	ask := execPrefix + "ask:no"
	ts.run(t, []apiCase{
		{"create", "CreateStateMachine", `{"name":"ask","definition":"` + callbackDef + `","roleArn":"` + role + `"}`, 200,
			`{"stateMachineArn":"` + smPrefix + `ask","creationDate":1735689600.5}`},
		{"start", "StartExecution", `{"stateMachineArn":"` + smPrefix + `ask","name":"no"}`, 200,
			`{"executionArn":"` + ask + `","startDate":1735689600.5}`},
		{"redrive a running execution", "RedriveExecution", `{"executionArn":"` + ask + `"}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#ExecutionNotRedrivable","message":"Execution is RUNNING and cannot be redriven"}`},
	})
	ts.run(t, []apiCase{
		{"failure", "SendTaskFailure", `{"taskToken":"` + <-ts.tokens + `","error":"Rejected","cause":"said no"}`, 200, `{}`},
	})
	ts.wait(t, ask)
	ts.run(t, []apiCase{
		{"not redriven yet", "ListExecutions", `{"stateMachineArn":"` + smPrefix + `ask","redriveFilter":"REDRIVEN"}`, 200, `{"executions":[]}`},
		{"client token too long", "RedriveExecution", `{"executionArn":"` + ask + `","clientToken":"` + strings.Repeat("t", 65) + `"}`, 400,
			`{"__type":"com.amazon.coral.validate#ValidationException","message":"1 validation error detected: Value '` + strings.Repeat("t", 65) + `' at 'clientToken' failed to satisfy constraint: Member must have length less than or equal to 64"}`},
		{"executionArn missing", "RedriveExecution", `{}`, 400,
			`{"__type":"com.amazon.coral.validate#ValidationException","message":"1 validation error detected: Value null at 'executionArn' failed to satisfy constraint: Member must not be null"}`},
		{"unknown execution", "RedriveExecution", `{"executionArn":"` + execPrefix + `ask:none"}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#ExecutionDoesNotExist","message":"Execution Does Not Exist: '` + execPrefix + `ask:none'"}`},
		{"express execution", "RedriveExecution", `{"executionArn":"arn:aws:states:us-east-1:123456789012:express:ask:no:0b6c7a3e-8a0e-4e43-9d59-0a1c2b3d4e5f"}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#InvalidArn","message":"Invalid Arn: 'Resource type not valid in this context: express'"}`},
		{"redrive", "RedriveExecution", `{"executionArn":"` + ask + `","clientToken":"once"}`, 200, `{"redriveDate":1735689600.5}`},
		{"the same client token again", "RedriveExecution", `{"executionArn":"` + ask + `","clientToken":"once"}`, 200, `{"redriveDate":1735689600.5}`},
		{"describe redriven", "DescribeExecution", `{"executionArn":"` + ask + `"}`, 200,
			`{"executionArn":"` + ask + `","stateMachineArn":"` + smPrefix + `ask","name":"no","status":"RUNNING","startDate":1735689600.5,"input":"{}","inputDetails":{"included":true},"redriveCount":1,"redriveDate":1735689600.5,"redriveStatus":"NOT_REDRIVABLE","redriveStatusReason":"Execution is RUNNING and cannot be redriven"}`},
	})
	ts.run(t, []apiCase{
		{"success", "SendTaskSuccess", `{"taskToken":"` + <-ts.tokens + `","output":"{\"ok\":true}"}`, 200, `{}`},
	})
	ts.wait(t, ask)
	ts.run(t, []apiCase{
		{"describe succeeded", "DescribeExecution", `{"executionArn":"` + ask + `"}`, 200,
			`{"executionArn":"` + ask + `","stateMachineArn":"` + smPrefix + `ask","name":"no","status":"SUCCEEDED","startDate":1735689600.5,"stopDate":1735689600.5,"input":"{}","inputDetails":{"included":true},"output":"{\"ok\":true}","outputDetails":{"included":true},"redriveCount":1,"redriveDate":1735689600.5,"redriveStatus":"NOT_REDRIVABLE","redriveStatusReason":"Execution is SUCCEEDED and cannot be redriven"}`},
		{"list redriven", "ListExecutions", `{"stateMachineArn":"` + smPrefix + `ask","redriveFilter":"REDRIVEN"}`, 200,
			`{"executions":[{"executionArn":"` + ask + `","stateMachineArn":"` + smPrefix + `ask","name":"no","status":"SUCCEEDED","startDate":1735689600.5,"stopDate":1735689600.5,"redriveCount":1,"redriveDate":1735689600.5}]}`},
		{"list not redriven", "ListExecutions", `{"stateMachineArn":"` + smPrefix + `ask","redriveFilter":"NOT_REDRIVEN"}`, 200, `{"executions":[]}`},
	})
	status, got := ts.call(t, "GetExecutionHistory", `{"executionArn":"`+ask+`","maxResults":9}`)
	const redriven = `{"timestamp":1735689600.5,"type":"ExecutionRedriven","id":8,"previousEventId":7,"executionRedrivenEventDetails":{"redriveCount":1}},` +
		`{"timestamp":1735689600.5,"type":"TaskStateEntered","id":9,"previousEventId":8,"stateEnteredEventDetails":{"name":"Ask","input":"{}","inputDetails":{"truncated":false}}}]`
	if status != 200 || !strings.Contains(got, `"type":"ExecutionFailed","id":7,`) || !strings.Contains(got, redriven) {
		t.Errorf("history: %d %s\nwant events 7-9 ExecutionFailed then %s", status, got, redriven)
	}
}
