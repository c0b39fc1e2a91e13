package server

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

func TestTagOperations(t *testing.T) {
	ts := newTestServer(t)
	hello, missing := smPrefix+"hello", smPrefix+"nope"
	var fifty strings.Builder
	for i := range 50 {
		if i > 0 {
			fifty.WriteString(",")
		}
		fifty.WriteString(`{"key":"k` + string(rune('A'+i/26)) + string(rune('a'+i%26)) + `","value":"v"}`)
	}
	ts.run(t, []apiCase{
		{"create with tags", "CreateStateMachine", `{"name":"hello","definition":"` + passDef + `","roleArn":"` + role + `","tags":[{"key":"team","value":"a"},{"key":"env","value":""},{"key":"team","value":"b"}]}`, 200,
			`{"stateMachineArn":"` + hello + `","creationDate":1735689600.5}`},
		{"list", "ListTagsForResource", `{"resourceArn":"` + hello + `"}`, 200,
			`{"tags":[{"key":"env","value":""},{"key":"team","value":"b"}]}`},
		{"create again with other tags keeps them", "CreateStateMachine", `{"name":"hello","definition":"` + passDef + `","roleArn":"` + role + `","tags":[{"key":"other","value":"x"}]}`, 200,
			`{"stateMachineArn":"` + hello + `","creationDate":1735689600.5}`},
		{"tag", "TagResource", `{"resourceArn":"` + hello + `","tags":[{"key":"cost","value":"7"},{"key":"team","value":"c"}]}`, 200, `{}`},
		{"no tags", "TagResource", `{"resourceArn":"` + hello + `","tags":[]}`, 200, `{}`},
		{"list after tagging", "ListTagsForResource", `{"resourceArn":"` + hello + `"}`, 200,
			`{"tags":[{"key":"cost","value":"7"},{"key":"env","value":""},{"key":"team","value":"c"}]}`},
		{"untag", "UntagResource", `{"resourceArn":"` + hello + `","tagKeys":["env","absent","env"]}`, 200, `{}`},
		{"list after untagging", "ListTagsForResource", `{"resourceArn":"` + hello + `"}`, 200,
			`{"tags":[{"key":"cost","value":"7"},{"key":"team","value":"c"}]}`},
		{"untag everything", "UntagResource", `{"resourceArn":"` + hello + `","tagKeys":["cost","team"]}`, 200, `{}`},
		{"list none", "ListTagsForResource", `{"resourceArn":"` + hello + `"}`, 200, `{"tags":[]}`},
		{"tag 50", "TagResource", `{"resourceArn":"` + hello + `","tags":[` + fifty.String() + `]}`, 200, `{}`},
		{"tag a 51st", "TagResource", `{"resourceArn":"` + hello + `","tags":[{"key":"one","value":"more"}]}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#TooManyTags","message":"Too many tags: the resource '` + hello + `' would have more than 50","resourceName":"` + hello + `"}`},
		{"tag unknown machine", "TagResource", `{"resourceArn":"` + missing + `","tags":[{"key":"a","value":"b"}]}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#ResourceNotFound","message":"Resource not found: '` + missing + `'","resourceName":"` + missing + `"}`},
		{"untag unknown machine", "UntagResource", `{"resourceArn":"` + missing + `","tagKeys":["a"]}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#ResourceNotFound","message":"Resource not found: '` + missing + `'","resourceName":"` + missing + `"}`},
		{"list unknown machine", "ListTagsForResource", `{"resourceArn":"` + missing + `"}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#ResourceNotFound","message":"Resource not found: '` + missing + `'","resourceName":"` + missing + `"}`},
		{"tag a version", "TagResource", `{"resourceArn":"` + hello + `:1","tags":[{"key":"a","value":"b"}]}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#ResourceNotFound","message":"Resource not found: '` + hello + `:1'","resourceName":"` + hello + `:1"}`},
		{"tag an execution", "TagResource", `{"resourceArn":"` + execPrefix + `hello:e","tags":[{"key":"a","value":"b"}]}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#InvalidArn","message":"Invalid Arn: 'Resource type not valid in this context: execution'"}`},
		{"list not an ARN", "ListTagsForResource", `{"resourceArn":"hello"}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#InvalidArn","message":"Invalid Arn: 'Invalid ARN prefix: hello'"}`},
		{"missing members", "TagResource", `{}`, 400,
			`{"__type":"com.amazon.coral.validate#ValidationException","message":"2 validation errors detected: Value null at 'resourceArn' failed to satisfy constraint: Member must not be null; Value null at 'tags' failed to satisfy constraint: Member must not be null"}`},
		{"untag without keys", "UntagResource", `{"resourceArn":"` + hello + `"}`, 400,
			`{"__type":"com.amazon.coral.validate#ValidationException","message":"1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null"}`},
		{"bad tag members", "TagResource", `{"resourceArn":"` + hello + `","tags":[{"key":"","value":"v"},{"value":"v"},{"key":"k","value":"` + strings.Repeat("v", 257) + `"}]}`, 400,
			`{"__type":"com.amazon.coral.validate#ValidationException","message":"3 validation errors detected: Value '' at 'tags.1.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1; Value null at 'tags.2.member.key' failed to satisfy constraint: Member must not be null; Value '` + strings.Repeat("v", 257) + `' at 'tags.3.member.value' failed to satisfy constraint: Member must have length less than or equal to 256"}`},
		{"bad tag key to remove", "UntagResource", `{"resourceArn":"` + hello + `","tagKeys":["ok",""]}`, 400,
			`{"__type":"com.amazon.coral.validate#ValidationException","message":"1 validation error detected: Value '' at 'tagKeys.2.member' failed to satisfy constraint: Member must have length greater than or equal to 1"}`},
		{"create with a bad tag", "CreateStateMachine", `{"name":"x","definition":"` + passDef + `","roleArn":"` + role + `","tags":[{"key":"` + strings.Repeat("k", 129) + `","value":"v"}]}`, 400,
			`{"__type":"com.amazon.coral.validate#ValidationException","message":"1 validation error detected: Value '` + strings.Repeat("k", 129) + `' at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128"}`},
		{"create with 51 tags", "CreateStateMachine", `{"name":"x","definition":"` + passDef + `","roleArn":"` + role + `","tags":[` + fifty.String() + `,{"key":"one","value":"more"}]}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#TooManyTags","message":"Too many tags: the resource '` + smPrefix + `x' would have more than 50"}`},
	})
}

func TestDescribeStateMachineForUpdatedMachine(t *testing.T) {
	ts := newTestServer(t)
	waits := smPrefix + "waits"
	other := "arn:aws:iam::123456789012:role/other"
	ts.run(t, []apiCase{
		{"create", "CreateStateMachine", `{"name":"waits","definition":"` + waitDef + `","roleArn":"` + role + `"}`, 200,
			`{"stateMachineArn":"` + waits + `","creationDate":1735689600.5}`},
		{"start", "StartExecution", `{"stateMachineArn":"` + waits + `","name":"parked","traceHeader":"Root=1-67891233-abcdef012345678912345678;Sampled=1"}`, 200,
			`{"executionArn":"` + execPrefix + `waits:parked","startDate":1735689600.5}`},
		{"describe with its trace header", "DescribeExecution", `{"executionArn":"` + execPrefix + `waits:parked"}`, 200,
			`{"executionArn":"` + execPrefix + `waits:parked","stateMachineArn":"` + waits + `","name":"parked","status":"RUNNING","startDate":1735689600.5,"input":"{}","inputDetails":{"included":true},"traceHeader":"Root=1-67891233-abcdef012345678912345678;Sampled=1","redriveCount":0,"redriveStatus":"NOT_REDRIVABLE","redriveStatusReason":"Execution is RUNNING and cannot be redriven"}`},
		{"unchanged", "DescribeStateMachineForExecution", `{"executionArn":"` + execPrefix + `waits:parked"}`, 200,
			`{"stateMachineArn":"` + waits + `","name":"waits","definition":"` + waitDef + `","roleArn":"` + role + `","updateDate":1735689600.5,"loggingConfiguration":{"level":"OFF","includeExecutionData":false},"tracingConfiguration":{"enabled":false},"revisionId":"<uuid>"}`},
		{"update", "UpdateStateMachine", `{"stateMachineArn":"` + waits + `","definition":"` + passDef + `","roleArn":"` + other + `"}`, 200,
			`{"updateDate":1735689600.5,"revisionId":"<uuid>"}`},
		{"after the update: the definition and role it started with", "DescribeStateMachineForExecution", `{"executionArn":"` + execPrefix + `waits:parked"}`, 200,
			`{"stateMachineArn":"` + waits + `","name":"waits","definition":"` + waitDef + `","roleArn":"` + role + `","updateDate":1735689600.5,"loggingConfiguration":{"level":"OFF","includeExecutionData":false},"tracingConfiguration":{"enabled":false}}`},
		{"delete", "DeleteStateMachine", `{"stateMachineArn":"` + waits + `"}`, 200, `{}`},
		{"after deletion", "DescribeStateMachineForExecution", `{"executionArn":"` + execPrefix + `waits:parked","includedData":"METADATA_ONLY"}`, 200,
			`{"stateMachineArn":"` + waits + `","name":"waits","roleArn":"` + role + `","updateDate":1735689600.5,"loggingConfiguration":{"level":"OFF","includeExecutionData":false},"tracingConfiguration":{"enabled":false}}`},
		{"missing execution", "DescribeStateMachineForExecution", `{"executionArn":"` + execPrefix + `waits:nope"}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#ExecutionDoesNotExist","message":"Execution Does Not Exist: '` + execPrefix + `waits:nope'"}`},
		{"express execution", "DescribeStateMachineForExecution", `{"executionArn":"arn:aws:states:us-east-1:123456789012:express:waits:e:0b6c7a3e-8a0e-4e43-9d59-0a1c2b3d4e5f"}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#InvalidArn","message":"Invalid Arn: 'Resource type not valid in this context: express'"}`},
	})
}

func TestActivityTagOperations(t *testing.T) {
	ts := newTestServer(t)
	act := "arn:aws:states:us-east-1:123456789012:activity:worker"
	ts.run(t, []apiCase{
		{"create", "CreateActivity", `{"name":"worker","tags":[{"key":"team","value":"a"}]}`, 200,
			`{"activityArn":"` + act + `","creationDate":1735689600.5}`},
		{"tag", "TagResource", `{"resourceArn":"` + act + `","tags":[{"key":"env","value":"prod"}]}`, 200, `{}`},
		{"untag", "UntagResource", `{"resourceArn":"` + act + `","tagKeys":["team"]}`, 200, `{}`},
		{"list", "ListTagsForResource", `{"resourceArn":"` + act + `"}`, 200, `{"tags":[{"key":"env","value":"prod"}]}`},
		{"list unknown activity", "ListTagsForResource", `{"resourceArn":"` + act + `2"}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#ResourceNotFound","message":"Resource not found: '` + act + `2'","resourceName":"` + act + `2"}`},
	})
}

// TestAWSSDKTags drives the tag operations and DescribeExecution's trace
// header with the AWS SDK for Go v2, down to the typed errors'
// ResourceName.
func TestAWSSDKTags(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ts := newTestServer(t)
	client := sdkClient(t, ts.h)
	created, err := client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{
		Name: aws.String("sdk"), Definition: aws.String(`{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":60,"End":true}}}`),
		RoleArn: aws.String(role), Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("a")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	arn := created.StateMachineArn
	if _, err := client.TagResource(ctx, &sfn.TagResourceInput{ResourceArn: arn, Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.UntagResource(ctx, &sfn.UntagResourceInput{ResourceArn: arn, TagKeys: []string{"team"}}); err != nil {
		t.Fatal(err)
	}
	listed, err := client.ListTagsForResource(ctx, &sfn.ListTagsForResourceInput{ResourceArn: arn})
	if err != nil {
		t.Fatal(err)
	}
	if len(listed.Tags) != 1 || aws.ToString(listed.Tags[0].Key) != "env" || aws.ToString(listed.Tags[0].Value) != "prod" {
		t.Errorf("tags %+v", listed.Tags)
	}
	_, err = client.ListTagsForResource(ctx, &sfn.ListTagsForResourceInput{ResourceArn: aws.String(smPrefix + "nope")})
	var notFound *types.ResourceNotFound
	if !errors.As(err, &notFound) || aws.ToString(notFound.ResourceName) != smPrefix+"nope" || notFound.ErrorMessage() != "Resource not found: '"+smPrefix+"nope'" {
		t.Errorf("unknown machine: %v", err)
	}

	started, err := client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: arn, Name: aws.String("e"), TraceHeader: aws.String("Root=1-67891233-abcdef012345678912345678")})
	if err != nil {
		t.Fatal(err)
	}
	described, err := client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: started.ExecutionArn})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(described.TraceHeader); got != "Root=1-67891233-abcdef012345678912345678" {
		t.Errorf("traceHeader %q", got)
	}
	forExec, err := client.DescribeStateMachineForExecution(ctx, &sfn.DescribeStateMachineForExecutionInput{ExecutionArn: started.ExecutionArn})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(forExec.Name) != "sdk" || aws.ToString(forExec.RoleArn) != role || !strings.Contains(aws.ToString(forExec.Definition), `"Seconds":60`) {
		t.Errorf("DescribeStateMachineForExecution %+v", forExec)
	}
}
