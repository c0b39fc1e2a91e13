package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/stepctl/stepctl/asl"
	"github.com/stepctl/stepctl/asl/jsonv"
	"github.com/stepctl/stepctl/engine"
)

// Constraints of the API model (botocore's service-2.json).
const (
	maxNameLength        = 80
	maxARNLength         = 256
	maxDefinitionLength  = 1048576
	maxPayloadLength     = 262144
	maxErrorLength       = 256
	maxCauseLength       = 32768
	maxTaskTokenLength   = 2048
	maxPageSize          = 1000
	maxPageTokenLength   = 1024
	maxListExecToken     = 3096
	maxTraceHeaderLength = 256
	maxDescriptionLength = 256
	// defaultPageSize is the page size of the List operations and
	// GetExecutionHistory when maxResults is absent or 0, as on AWS.
	defaultPageSize = 100
	// maxDiagnostics is ValidateStateMachineDefinition's largest and
	// default maxResults.
	maxDiagnostics = 100
)

// loggingOff is the loggingConfiguration AWS reports for a state machine
// that logs nothing, the only kind stepctl has.
func loggingOff() *jsonv.Object {
	return jsonv.ObjectOf("level", "OFF", "includeExecutionData", false)
}

func tracingOff() *jsonv.Object { return jsonv.ObjectOf("enabled", false) }

type createStateMachineInput struct {
	Name                    *string         `json:"name"`
	Definition              *string         `json:"definition"`
	RoleARN                 *string         `json:"roleArn"`
	Type                    *string         `json:"type"`
	Tags                    []tag           `json:"tags"`
	Publish                 bool            `json:"publish"`
	VersionDescription      *string         `json:"versionDescription"`
	LoggingConfiguration    json.RawMessage `json:"loggingConfiguration"`
	TracingConfiguration    json.RawMessage `json:"tracingConfiguration"`
	EncryptionConfiguration json.RawMessage `json:"encryptionConfiguration"`
}

func (h *Handler) createStateMachine(ctx context.Context, body []byte) ([]byte, error) {
	var in createStateMachineInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	var c constraints
	c.required("name", in.Name)
	c.required("definition", in.Definition)
	c.required("roleArn", in.RoleARN)
	c.length("name", in.Name, 1, maxNameLength, false)
	c.length("definition", in.Definition, 1, maxDefinitionLength, true)
	c.length("roleArn", in.RoleARN, 1, maxARNLength, false)
	c.enum("type", in.Type, "STANDARD", "EXPRESS")
	c.length("versionDescription", in.VersionDescription, 0, maxDescriptionLength, true)
	tags := checkTags(&c, in.Tags)
	if err := c.err(); err != nil {
		return nil, err
	}
	if err := versionsUnsupported(in.Publish, in.VersionDescription); err != nil {
		return nil, err
	}
	if err := checkRoleARN(*in.RoleARN); err != nil {
		return nil, err
	}
	opts := []engine.StateMachineOption{engine.WithRoleARN(*in.RoleARN)}
	if in.Type != nil {
		opts = append(opts, engine.WithType(*in.Type))
	}
	if len(tags) > 0 {
		opts = append(opts, engine.WithStateMachineTags(tags))
	}
	sm, err := h.eng.CreateStateMachine(ctx, *in.Name, *in.Definition, opts...)
	if err != nil {
		return nil, err
	}
	return jsonv.Marshal(jsonv.ObjectOf("stateMachineArn", sm.ARN, "creationDate", epochSeconds(sm.CreationDate))), nil
}

// versionsUnsupported rejects publishing a version: the engine has no
// state machine versions.
func versionsUnsupported(publish bool, description *string) error {
	if publish || description != nil && *description != "" {
		return &apiError{status: http.StatusBadRequest, namespace: validateNamespace, name: "ValidationException",
			message: "stepctl does not support state machine versions: leave out publish and versionDescription"}
	}
	return nil
}

// checkRoleARN reports InvalidArn for a role ARN that is not an ARN.
func checkRoleARN(arn string) error {
	if len(arn) < 4 || arn[:4] != "arn:" {
		return serviceError("InvalidArn", "Invalid Arn: 'Invalid ARN prefix: "+arn+"'")
	}
	return nil
}

type stateMachineARNInput struct {
	StateMachineARN *string `json:"stateMachineArn"`
	IncludedData    *string `json:"includedData"`
}

func (in *stateMachineARNInput) check() error {
	var c constraints
	c.required("stateMachineArn", in.StateMachineARN)
	c.length("stateMachineArn", in.StateMachineARN, 1, maxARNLength, false)
	c.enum("includedData", in.IncludedData, "ALL_DATA", "METADATA_ONLY")
	if err := c.err(); err != nil {
		return err
	}
	return checkARN(*in.StateMachineARN, "stateMachine")
}

func (h *Handler) describeStateMachine(ctx context.Context, body []byte) ([]byte, error) {
	var in stateMachineARNInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	sm, err := h.eng.DescribeStateMachine(ctx, *in.StateMachineARN)
	if err != nil {
		return nil, err
	}
	o := jsonv.ObjectOf("stateMachineArn", sm.ARN, "name", sm.Name, "status", sm.Status)
	if in.IncludedData == nil || *in.IncludedData == "ALL_DATA" {
		o.Set("definition", sm.Definition)
	}
	o.Set("roleArn", sm.RoleARN)
	o.Set("type", sm.Type)
	o.Set("creationDate", epochSeconds(sm.CreationDate))
	o.Set("loggingConfiguration", loggingOff())
	o.Set("tracingConfiguration", tracingOff())
	if sm.RevisionID != "" {
		o.Set("revisionId", sm.RevisionID)
	}
	if sm.Description != "" {
		o.Set("description", sm.Description)
	}
	return jsonv.Marshal(o), nil
}

type updateStateMachineInput struct {
	StateMachineARN         *string         `json:"stateMachineArn"`
	Definition              *string         `json:"definition"`
	RoleARN                 *string         `json:"roleArn"`
	Publish                 bool            `json:"publish"`
	VersionDescription      *string         `json:"versionDescription"`
	LoggingConfiguration    json.RawMessage `json:"loggingConfiguration"`
	TracingConfiguration    json.RawMessage `json:"tracingConfiguration"`
	EncryptionConfiguration json.RawMessage `json:"encryptionConfiguration"`
}

func (h *Handler) updateStateMachine(ctx context.Context, body []byte) ([]byte, error) {
	var in updateStateMachineInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	var c constraints
	c.required("stateMachineArn", in.StateMachineARN)
	c.length("stateMachineArn", in.StateMachineARN, 1, maxARNLength, false)
	c.length("definition", in.Definition, 1, maxDefinitionLength, true)
	c.length("roleArn", in.RoleARN, 1, maxARNLength, false)
	c.length("versionDescription", in.VersionDescription, 0, maxDescriptionLength, true)
	if err := c.err(); err != nil {
		return nil, err
	}
	if err := checkARN(*in.StateMachineARN, "stateMachine"); err != nil {
		return nil, err
	}
	if in.Definition == nil && in.RoleARN == nil && in.LoggingConfiguration == nil && in.TracingConfiguration == nil && in.EncryptionConfiguration == nil {
		return nil, serviceError("MissingRequiredParameter", "Either the definition, the role ARN, the LoggingConfiguration, the EncryptionConfiguration or the TracingConfiguration must be specified")
	}
	if err := versionsUnsupported(in.Publish, in.VersionDescription); err != nil {
		return nil, err
	}
	var opts []engine.StateMachineOption
	if in.RoleARN != nil {
		if err := checkRoleARN(*in.RoleARN); err != nil {
			return nil, err
		}
		opts = append(opts, engine.WithRoleARN(*in.RoleARN))
	}
	definition := ""
	if in.Definition != nil {
		definition = *in.Definition
	}
	sm, err := h.eng.UpdateStateMachine(ctx, *in.StateMachineARN, definition, opts...)
	if err != nil {
		return nil, err
	}
	return jsonv.Marshal(jsonv.ObjectOf("updateDate", epochSeconds(sm.UpdateDate), "revisionId", sm.RevisionID)), nil
}

func (h *Handler) deleteStateMachine(ctx context.Context, body []byte) ([]byte, error) {
	var in stateMachineARNInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	// Deleting a state machine that does not exist succeeds, as on AWS.
	if err := h.eng.DeleteStateMachine(ctx, *in.StateMachineARN); err != nil && !errors.Is(err, engine.ErrStateMachineDoesNotExist) {
		return nil, err
	}
	return []byte("{}"), nil
}

type pageInput struct {
	MaxResults *int    `json:"maxResults"`
	NextToken  *string `json:"nextToken"`
}

// check validates the paging members; tokenMax is the operation's longest
// nextToken.
func (p *pageInput) check(c *constraints, tokenMax int) {
	c.between("maxResults", p.MaxResults, 0, maxPageSize)
	c.length("nextToken", p.NextToken, 1, tokenMax, false)
}

// size is the page size asked for (AWS's default when absent or 0).
func (p *pageInput) size() int {
	if p.MaxResults == nil || *p.MaxResults == 0 {
		return defaultPageSize
	}
	return *p.MaxResults
}

func (p *pageInput) token() string {
	if p.NextToken == nil {
		return ""
	}
	return *p.NextToken
}

// withNextToken adds "nextToken" to a list response when there is a next
// page.
func withNextToken(o *jsonv.Object, next string) []byte {
	if next != "" {
		o.Set("nextToken", next)
	}
	return jsonv.Marshal(o)
}

func (h *Handler) listStateMachines(ctx context.Context, body []byte) ([]byte, error) {
	var in pageInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	var c constraints
	in.check(&c, maxPageTokenLength)
	if err := c.err(); err != nil {
		return nil, err
	}
	sms, next, err := h.eng.ListStateMachines(ctx, in.size(), in.token())
	if err != nil {
		return nil, err
	}
	items := make([]any, len(sms))
	for i, sm := range sms {
		items[i] = jsonv.ObjectOf("stateMachineArn", sm.ARN, "name", sm.Name, "type", sm.Type, "creationDate", epochSeconds(sm.CreationDate))
	}
	return withNextToken(jsonv.ObjectOf("stateMachines", items), next), nil
}

type validateInput struct {
	Definition *string `json:"definition"`
	Type       *string `json:"type"`
	Severity   *string `json:"severity"`
	MaxResults *int    `json:"maxResults"`
}

func (h *Handler) validateStateMachineDefinition(_ context.Context, body []byte) ([]byte, error) {
	var in validateInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	var c constraints
	c.required("definition", in.Definition)
	c.length("definition", in.Definition, 1, maxDefinitionLength, true)
	c.enum("type", in.Type, "STANDARD", "EXPRESS")
	c.enum("severity", in.Severity, "ERROR", "WARNING")
	c.between("maxResults", in.MaxResults, 0, maxDiagnostics)
	if err := c.err(); err != nil {
		return nil, err
	}
	// AWS's default severity is ERROR: warnings only when asked for.
	opts := asl.ValidateOptions{Type: asl.Standard, Severity: asl.SeverityError}
	if in.Type != nil && *in.Type == "EXPRESS" {
		opts.Type = asl.Express
	}
	if in.Severity != nil && *in.Severity == "WARNING" {
		opts.Severity = asl.SeverityWarning
	}
	if h.tasks != nil {
		opts.AcceptResource = h.tasks.Registered
	}
	limit := maxDiagnostics
	if in.MaxResults != nil && *in.MaxResults > 0 {
		limit = *in.MaxResults
	}
	_, ds := asl.Load([]byte(*in.Definition), opts)
	result := "OK"
	if ds.HasErrors() {
		result = "FAIL"
	}
	truncated := len(ds) > limit
	if truncated {
		ds = ds[:limit]
	}
	diags := make([]any, len(ds))
	for i, d := range ds {
		o := jsonv.ObjectOf("severity", string(d.Severity), "code", d.Code, "message", d.Message)
		if d.Location != "" {
			o.Set("location", d.Location)
		}
		diags[i] = o
	}
	return jsonv.Marshal(jsonv.ObjectOf("result", result, "diagnostics", diags, "truncated", truncated)), nil
}
