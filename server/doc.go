// Package server serves the AWS Step Functions API over HTTP, so that the
// AWS CLI and the AWS SDKs work against a stepctl engine
// (`aws --endpoint-url http://127.0.0.1:8083 stepfunctions …`, an SDK
// client with a custom endpoint).
//
// A Handler (an http.Handler) speaks AWS's JSON 1.0 protocol: POST / with
// the header "X-Amz-Target: AWSStepFunctions.<Operation>" and a JSON body
// whose members are named as in AWS's API model (botocore's service-2.json
// for stepfunctions). Responses use the same member names; timestamps are
// seconds since the Unix epoch with milliseconds as the fraction. Errors
// are HTTP 400 with {"__type": "<namespace>#<Name>", "message": "…"} and
// the X-Amzn-ErrorType header, the namespaces as AWS sends them
// (com.amazonaws.swf.service.v2.model for Step Functions' exceptions,
// com.amazon.coral.validate for ValidationException,
// com.amazon.coral.service for UnknownOperationException,
// SerializationException and InternalFailure); the SDKs map the name after
// "#" to their typed errors. Requests may be signed with SigV4 (any
// credentials): signatures are not checked.
//
// # Operations
//
// CreateStateMachine, DescribeStateMachine, UpdateStateMachine,
// DeleteStateMachine, ListStateMachines, ValidateStateMachineDefinition,
// DescribeStateMachineForExecution, StartExecution, StartSyncExecution,
// DescribeExecution, ListExecutions, StopExecution, RedriveExecution,
// GetExecutionHistory,
// SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat, TagResource,
// UntagResource, ListTagsForResource, CreateActivity, DescribeActivity,
// ListActivities, DeleteActivity and GetActivityTask. Every other
// operation is UnknownOperationException naming it. Request members are checked
// against the model's constraints (required, length, range, enum) with
// AWS's "N validation error(s) detected: …" messages, and ARNs with AWS's
// InvalidArn messages, before the engine is called; the engine's errors
// keep their exception names and messages.
//
// AWS serves StartSyncExecution on the host "sync-states.<region>…", and
// the SDKs and the AWS CLI put "sync-" before the endpoint's host for it:
// against a local endpoint, turn that off (AWS CLI:
// AWS_DISABLE_HOST_PREFIX_INJECTION=true; SDK for Go v2:
// smithyhttp.DisableEndpointHostPrefix in an initialize middleware).
//
// Where the server differs from AWS:
//
//   - There are no versions, aliases, Map Runs or logging: the
//     loggingConfiguration, tracingConfiguration and
//     encryptionConfiguration members of CreateStateMachine and
//     UpdateStateMachine are accepted and ignored (DescribeStateMachine
//     reports logging OFF and tracing disabled); publish and
//     versionDescription are a ValidationException.
//   - ListTagsForResource lists tags in key order (AWS's order was not
//     observed). The messages of TooManyTags and of the engine's own tag
//     checks are stepctl's; ResourceNotFound's is AWS's.
//   - RedriveExecution's ExecutionNotRedrivable message is the reason
//     DescribeExecution gives in redriveStatusReason (AWS's documented
//     texts, e.g. "Execution is SUCCEEDED and cannot be redriven"); AWS's
//     own message for the error was not recorded.
//   - ListExecutions applies redriveFilter to each page, which may then
//     hold fewer than maxResults items while a nextToken follows; no
//     execution is PENDING_REDRIVE (a redrive is applied at once).
//   - ListExecutions without stateMachineArn lists the executions of every
//     state machine (AWS asks for one).
//   - DescribeStateMachineForExecution returns the definition and role the
//     execution started with, also after the machine was updated or
//     deleted; then it has no revisionId and its updateDate is the
//     execution's start date (the engine does not record when that
//     revision was made).
//   - A trace header is returned (DescribeExecution, StartSyncExecution)
//     only when one was given to StartExecution: stepctl makes none up.
//   - GetExecutionHistory with includeExecutionData false leaves out the
//     input, output and parameters members of the event details and keeps
//     their …Details members.
//
// The package must not run executions itself, read or write the store, or
// parse definitions other than through package asl's validator (for
// ValidateStateMachineDefinition): everything it serves goes through the
// engine's exported API.
package server
