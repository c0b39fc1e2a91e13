package asl

import (
	"slices"
	"testing"
)

// TestTaskResources checks which Task Resources AWS recognises at create
// time, and the message and hint for those it does not.
func TestTaskResources(t *testing.T) {
	const notRecognized = " is not recognized. The value is not a valid resource ARN, or the resource is not available in this region."
	tests := []struct {
		resource string
		want     []string // diagLines; empty when accepted
	}{
		{"arn:aws:states:::lambda:invoke", nil},
		{"arn:aws:states:::lambda:invoke.waitForTaskToken", nil},
		{"arn:aws:states:::sqs:sendMessage.waitForTaskToken", nil},
		{"arn:aws:states:::sns:publish", nil},
		{"arn:aws:states:::dynamodb:updateItem", nil},
		{"arn:aws:states:::states:startExecution.sync:2", nil},
		{"arn:aws:states:::states:startExecution.waitForTaskToken", nil},
		{"arn:aws:states:::ecs:runTask.sync", nil},
		{"arn:aws:states:::batch:submitJob.sync", nil},
		{"arn:aws:states:::glue:startJobRun.sync", nil},
		{"arn:aws:states:::events:putEvents.waitForTaskToken", nil},
		{"arn:aws:states:::http:invoke", nil},
		{"arn:aws:states:::apigateway:invoke.waitForTaskToken", nil},
		{"arn:aws:states:::athena:startQueryExecution.sync", nil},
		{"arn:aws:states:::elasticmapreduce:addStep.sync", nil},
		{"arn:aws:states:::emr-serverless:startJobRun.sync", nil},
		{"arn:aws:states:::sagemaker:createTrainingJob.sync", nil},
		{"arn:aws:states:::bedrock:invokeModel", nil},
		{"arn:aws-cn:states:::lambda:invoke", nil},
		{"arn:aws:states:::aws-sdk:s3:listBuckets", nil},
		{"arn:aws:states:::aws-sdk:dynamodb:query.waitForTaskToken", nil},
		{"arn:aws:states:::aws-sdk:emrserverless:startJobRun", nil},
		{"arn:aws:states:us-east-1:123456789012:activity:work", nil},
		{"arn:aws:lambda:us-east-1:123456789012:function:Echo", nil},
		{"arn:aws:lambda:us-east-1:123456789012:function:Echo:prod", nil},
		{"arn:aws:states:::dynamodb:query", []string{"SCHEMA_VALIDATION_FAILED /States/A/Resource: The resource provided arn:aws:states:::dynamodb:query" + notRecognized +
			" | the optimized dynamodb integration supports deleteItem, getItem, putItem, updateItem; other actions need the AWS SDK integration arn:aws:states:::aws-sdk:dynamodb:query"}},
		{"arn:aws:states:::lambda:Invoke", []string{"SCHEMA_VALIDATION_FAILED /States/A/Resource: The resource provided arn:aws:states:::lambda:Invoke" + notRecognized +
			" | did you mean arn:aws:states:::lambda:invoke? the optimized lambda integration supports invoke; other actions need the AWS SDK integration arn:aws:states:::aws-sdk:lambda:Invoke"}},
		{"arn:aws:states:::lambda:invoke.sync", []string{"SCHEMA_VALIDATION_FAILED /States/A/Resource: The resource provided arn:aws:states:::lambda:invoke.sync" + notRecognized +
			" | lambda:invoke supports request-response (no suffix) and .waitForTaskToken, not .sync"}},
		{"arn:aws:states:::dynamodb:getItem.waitForTaskToken", []string{"SCHEMA_VALIDATION_FAILED /States/A/Resource: The resource provided arn:aws:states:::dynamodb:getItem.waitForTaskToken" + notRecognized +
			" | dynamodb:getItem supports only request-response (no suffix), not .waitForTaskToken"}},
		{"arn:aws:states:::ecs:runTask.sync:2", []string{"SCHEMA_VALIDATION_FAILED /States/A/Resource: The resource provided arn:aws:states:::ecs:runTask.sync:2" + notRecognized +
			" | ecs:runTask supports request-response (no suffix) and .sync, .waitForTaskToken, not .sync:2"}},
		{"arn:aws:states:::work:invoke", []string{"SCHEMA_VALIDATION_FAILED /States/A/Resource: The resource provided arn:aws:states:::work:invoke" + notRecognized +
			" | there is no optimized integration for the service 'work'; to call any AWS API use the AWS SDK integration arn:aws:states:::aws-sdk:<service>:<apiAction>"}},
		{"arn:aws:states:::aws-sdk:s3:listBuckets.sync", []string{"SCHEMA_VALIDATION_FAILED /States/A/Resource: The resource provided arn:aws:states:::aws-sdk:s3:listBuckets.sync" + notRecognized +
			" | AWS SDK integrations support only request-response and .waitForTaskToken, not .sync"}},
		{"arn:aws:states:::aws-sdk:s3", []string{"SCHEMA_VALIDATION_FAILED /States/A/Resource: The resource provided arn:aws:states:::aws-sdk:s3" + notRecognized +
			" | an AWS SDK integration is arn:aws:states:::aws-sdk:<service>:<apiAction>, e.g. arn:aws:states:::aws-sdk:s3:listBuckets"}},
		{"arn:aws:states:::aws-sdk:S3:list-buckets", []string{"SCHEMA_VALIDATION_FAILED /States/A/Resource: The resource provided arn:aws:states:::aws-sdk:S3:list-buckets" + notRecognized +
			" | an AWS SDK integration is arn:aws:states:::aws-sdk:<service>:<apiAction>, e.g. arn:aws:states:::aws-sdk:s3:listBuckets"}},
		{"arn:aws:states:::", []string{"SCHEMA_VALIDATION_FAILED /States/A/Resource: The resource provided arn:aws:states:::" + notRecognized +
			" | there is no optimized integration for the service ''; to call any AWS API use the AWS SDK integration arn:aws:states:::aws-sdk:<service>:<apiAction>"}},
		{"lambda", []string{"INVALID_RESOURCE /States/A/Resource: The resource provided lambda" + notRecognized}},
	}
	for _, tt := range tests {
		t.Run(tt.resource, func(t *testing.T) {
			def := `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"` + tt.resource + `","End":true}}}`
			_, ds := Load([]byte(def), ValidateOptions{})
			want := tt.want
			if want == nil {
				want = []string{}
			}
			if got := diagLines(ds); !slices.Equal(got, want) {
				t.Errorf("diagnostics:\n got %q\nwant %q", got, want)
			}
		})
	}
}

// TestAcceptResource checks that ValidateOptions.AcceptResource admits an
// engine's own integrations, and only those.
func TestAcceptResource(t *testing.T) {
	def := `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::work:invoke","Next":"B"},
"B":{"Type":"Task","Resource":"arn:aws:states:::other:invoke","End":true}}}`
	var asked []string
	opts := ValidateOptions{AcceptResource: func(r string) bool {
		asked = append(asked, r)
		return r == "arn:aws:states:::work:invoke"
	}}
	_, ds := Load([]byte(def), opts)
	if len(ds) != 1 || ds[0].Location != "/States/B/Resource" {
		t.Errorf("diagnostics: %q", diagLines(ds))
	}
	if want := []string{"arn:aws:states:::work:invoke", "arn:aws:states:::other:invoke"}; !slices.Equal(asked, want) {
		t.Errorf("asked %q, want %q", asked, want)
	}
	asked = nil
	if _, ds := Load([]byte(`{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}`), opts); len(ds) != 0 || asked != nil {
		t.Errorf("a known integration: diagnostics %q, asked %q", diagLines(ds), asked)
	}
}
