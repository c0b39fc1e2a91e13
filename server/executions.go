package server

import (
	"context"
	"strconv"

	"github.com/stepctl/stepctl/asl/jsonv"
	"github.com/stepctl/stepctl/engine"
)

type executionARNInput struct {
	ExecutionARN *string `json:"executionArn"`
	IncludedData *string `json:"includedData"`
}

func (in *executionARNInput) check() error {
	var c constraints
	c.required("executionArn", in.ExecutionARN)
	c.length("executionArn", in.ExecutionARN, 1, maxARNLength, false)
	c.enum("includedData", in.IncludedData, "ALL_DATA", "METADATA_ONLY")
	if err := c.err(); err != nil {
		return err
	}
	return checkARN(*in.ExecutionARN, "execution", "express")
}

func (in *executionARNInput) allData() bool {
	return in.IncludedData == nil || *in.IncludedData == "ALL_DATA"
}

func (h *Handler) describeStateMachineForExecution(ctx context.Context, body []byte) ([]byte, error) {
	var in executionARNInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	// The definition and role the execution started with, also after the
	// machine was updated or deleted.
	sm, err := h.eng.DescribeStateMachineForExecution(ctx, *in.ExecutionARN)
	if err != nil {
		return nil, err
	}
	o := jsonv.ObjectOf("stateMachineArn", sm.ARN, "name", sm.Name)
	if in.allData() {
		o.Set("definition", sm.Definition)
	}
	o.Set("roleArn", sm.RoleARN)
	o.Set("updateDate", epochSeconds(sm.UpdateDate))
	o.Set("loggingConfiguration", loggingOff())
	o.Set("tracingConfiguration", tracingOff())
	if sm.RevisionID != "" {
		o.Set("revisionId", sm.RevisionID)
	}
	return jsonv.Marshal(o), nil
}

type startExecutionInput struct {
	StateMachineARN *string `json:"stateMachineArn"`
	Name            *string `json:"name"`
	Input           *string `json:"input"`
	TraceHeader     *string `json:"traceHeader"`
}

func (in *startExecutionInput) check() error {
	var c constraints
	c.required("stateMachineArn", in.StateMachineARN)
	c.length("stateMachineArn", in.StateMachineARN, 1, maxARNLength, false)
	c.length("name", in.Name, 1, maxNameLength, false)
	c.length("input", in.Input, 0, maxPayloadLength, true)
	c.length("traceHeader", in.TraceHeader, 0, maxTraceHeaderLength, false)
	if err := c.err(); err != nil {
		return err
	}
	return checkARN(*in.StateMachineARN, "stateMachine")
}

func (in *startExecutionInput) options() []engine.ExecutionOption {
	var opts []engine.ExecutionOption
	if in.Name != nil {
		opts = append(opts, engine.WithName(*in.Name))
	}
	if in.TraceHeader != nil {
		opts = append(opts, engine.WithTraceHeader(*in.TraceHeader))
	}
	return opts
}

func (in *startExecutionInput) input() string {
	if in.Input == nil {
		return ""
	}
	return *in.Input
}

func (h *Handler) startExecution(ctx context.Context, body []byte) ([]byte, error) {
	var in startExecutionInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	ex, err := h.eng.StartExecution(ctx, *in.StateMachineARN, in.input(), in.options()...)
	if err != nil {
		return nil, err
	}
	return jsonv.Marshal(jsonv.ObjectOf("executionArn", ex.ARN, "startDate", epochSeconds(ex.StartDate))), nil
}

type startSyncExecutionInput struct {
	startExecutionInput
	IncludedData *string `json:"includedData"`
}

// startSyncExecution runs an execution of an EXPRESS machine to its end
// and answers with its outcome.
func (h *Handler) startSyncExecution(ctx context.Context, body []byte) ([]byte, error) {
	var in startSyncExecutionInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	var c constraints
	c.enum("includedData", in.IncludedData, "ALL_DATA", "METADATA_ONLY")
	if err := c.err(); err != nil {
		return nil, err
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	ex, err := h.eng.StartSyncExecution(ctx, *in.StateMachineARN, in.input(), in.options()...)
	if err != nil {
		return nil, err
	}
	allData := in.IncludedData == nil || *in.IncludedData == "ALL_DATA"
	o := jsonv.ObjectOf("executionArn", ex.ARN, "stateMachineArn", ex.StateMachineARN, "name", ex.Name,
		"startDate", epochSeconds(ex.StartDate), "stopDate", epochSeconds(ex.StopDate), "status", ex.Status)
	if ex.HasError {
		o.Set("error", ex.Error)
		o.Set("cause", ex.Cause)
	}
	if allData {
		o.Set("input", ex.Input)
	}
	o.Set("inputDetails", jsonv.ObjectOf("included", allData))
	if ex.Status == "SUCCEEDED" && allData {
		o.Set("output", ex.Output)
	}
	// AWS gives outputDetails whatever the status, also when there is no
	// output (a FAILED execution).
	o.Set("outputDetails", jsonv.ObjectOf("included", allData))
	if ex.TraceHeader != "" {
		o.Set("traceHeader", ex.TraceHeader)
	}
	o.Set("billingDetails", jsonv.ObjectOf(
		"billedMemoryUsedInMB", ex.Billing.BilledMemoryUsedInMB,
		"billedDurationInMilliseconds", ex.Billing.BilledDurationInMilliseconds))
	return jsonv.Marshal(o), nil
}

func (h *Handler) describeExecution(ctx context.Context, body []byte) ([]byte, error) {
	var in executionARNInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	ex, err := h.eng.DescribeExecution(ctx, *in.ExecutionARN)
	if err != nil {
		return nil, err
	}
	o := jsonv.ObjectOf("executionArn", ex.ARN, "stateMachineArn", ex.StateMachineARN, "name", ex.Name,
		"status", ex.Status, "startDate", epochSeconds(ex.StartDate))
	if !ex.StopDate.IsZero() {
		o.Set("stopDate", epochSeconds(ex.StopDate))
	}
	if in.allData() {
		o.Set("input", ex.Input)
	}
	o.Set("inputDetails", jsonv.ObjectOf("included", in.allData()))
	if ex.Status == "SUCCEEDED" {
		if in.allData() {
			o.Set("output", ex.Output)
		}
		o.Set("outputDetails", jsonv.ObjectOf("included", in.allData()))
	}
	if ex.TraceHeader != "" {
		o.Set("traceHeader", ex.TraceHeader)
	}
	if ex.HasError {
		o.Set("error", ex.Error)
		o.Set("cause", ex.Cause)
	}
	o.Set("redriveCount", int64(ex.RedriveCount))
	if !ex.RedriveDate.IsZero() {
		o.Set("redriveDate", epochSeconds(ex.RedriveDate))
	}
	o.Set("redriveStatus", ex.RedriveStatus)
	if ex.RedriveStatusReason != "" {
		o.Set("redriveStatusReason", ex.RedriveStatusReason)
	}
	return jsonv.Marshal(o), nil
}

type listExecutionsInput struct {
	pageInput
	StateMachineARN *string `json:"stateMachineArn"`
	StatusFilter    *string `json:"statusFilter"`
	MapRunARN       *string `json:"mapRunArn"`
	RedriveFilter   *string `json:"redriveFilter"`
}

func (h *Handler) listExecutions(ctx context.Context, body []byte) ([]byte, error) {
	var in listExecutionsInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	var c constraints
	in.check(&c, maxListExecToken)
	c.length("stateMachineArn", in.StateMachineARN, 1, maxARNLength, false)
	c.enum("statusFilter", in.StatusFilter, "RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE")
	c.enum("redriveFilter", in.RedriveFilter, "REDRIVEN", "NOT_REDRIVEN")
	if err := c.err(); err != nil {
		return nil, err
	}
	if in.MapRunARN != nil {
		return nil, serviceError("ResourceNotFound", "Resource not found: '"+*in.MapRunARN+"': stepctl has no Map Runs (Distributed Map)")
	}
	filter := engine.ListExecutionsInput{MaxResults: in.size(), NextToken: in.token()}
	if in.StateMachineARN != nil {
		if err := checkARN(*in.StateMachineARN, "stateMachine"); err != nil {
			return nil, err
		}
		filter.StateMachineARN = *in.StateMachineARN
	}
	if in.StatusFilter != nil {
		filter.Status = *in.StatusFilter
	}
	items := []any{}
	next := ""
	// The engine applies a redrive at once: no execution waits for one.
	none := filter.Status == "PENDING_REDRIVE"
	if !none {
		exs, nt, err := h.eng.ListExecutions(ctx, filter)
		if err != nil {
			return nil, err
		}
		next = nt
		for _, ex := range exs {
			if in.RedriveFilter != nil && (*in.RedriveFilter == "REDRIVEN") != (ex.RedriveCount > 0) {
				// The filter applies to the page (it may come out short).
				continue
			}
			o := jsonv.ObjectOf("executionArn", ex.ARN, "stateMachineArn", ex.StateMachineARN, "name", ex.Name,
				"status", ex.Status, "startDate", epochSeconds(ex.StartDate))
			if !ex.StopDate.IsZero() {
				o.Set("stopDate", epochSeconds(ex.StopDate))
			}
			if ex.RedriveCount > 0 {
				o.Set("redriveCount", int64(ex.RedriveCount))
				o.Set("redriveDate", epochSeconds(ex.RedriveDate))
			}
			items = append(items, o)
		}
	} else if filter.StateMachineARN != "" {
		if _, err := h.eng.DescribeStateMachine(ctx, filter.StateMachineARN); err != nil {
			return nil, err
		}
	}
	return withNextToken(jsonv.ObjectOf("executions", items), next), nil
}

type stopExecutionInput struct {
	ExecutionARN *string `json:"executionArn"`
	Error        *string `json:"error"`
	Cause        *string `json:"cause"`
}

func (h *Handler) stopExecution(ctx context.Context, body []byte) ([]byte, error) {
	var in stopExecutionInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	var c constraints
	c.required("executionArn", in.ExecutionARN)
	c.length("executionArn", in.ExecutionARN, 1, maxARNLength, false)
	c.length("error", in.Error, 0, maxErrorLength, true)
	c.length("cause", in.Cause, 0, maxCauseLength, true)
	if err := c.err(); err != nil {
		return nil, err
	}
	if err := checkARN(*in.ExecutionARN, "execution", "express"); err != nil {
		return nil, err
	}
	if err := h.eng.StopExecution(ctx, *in.ExecutionARN, deref(in.Error), deref(in.Cause)); err != nil {
		return nil, err
	}
	ex, err := h.eng.DescribeExecution(ctx, *in.ExecutionARN)
	if err != nil {
		return nil, err
	}
	return jsonv.Marshal(jsonv.ObjectOf("stopDate", epochSeconds(ex.StopDate))), nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

type historyInput struct {
	pageInput
	ExecutionARN         *string `json:"executionArn"`
	ReverseOrder         bool    `json:"reverseOrder"`
	IncludeExecutionData *bool   `json:"includeExecutionData"`
}

func (h *Handler) getExecutionHistory(ctx context.Context, body []byte) ([]byte, error) {
	var in historyInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	var c constraints
	c.required("executionArn", in.ExecutionARN)
	c.length("executionArn", in.ExecutionARN, 1, maxARNLength, false)
	in.check(&c, maxPageTokenLength)
	if err := c.err(); err != nil {
		return nil, err
	}
	if err := checkARN(*in.ExecutionARN, "execution", "express"); err != nil {
		return nil, err
	}
	evs, next, err := h.eng.GetExecutionHistory(ctx, *in.ExecutionARN, engine.HistoryInput{Reverse: in.ReverseOrder, MaxResults: in.size(), NextToken: in.token()})
	if err != nil {
		return nil, err
	}
	withData := in.IncludeExecutionData == nil || *in.IncludeExecutionData
	size := 16
	for _, ev := range evs {
		size += 96 + len(ev.Details)
	}
	b := make([]byte, 0, size)
	b = append(b, `{"events":[`...)
	for i, ev := range evs {
		if i > 0 {
			b = append(b, ',')
		}
		if b, err = appendEvent(b, ev, withData); err != nil {
			return nil, err
		}
	}
	b = append(b, ']')
	if next != "" {
		b = append(b, `,"nextToken":`...)
		b = jsonv.AppendString(b, next)
	}
	return append(b, '}'), nil
}

// appendEvent appends a history event as AWS's API returns it:
// {"timestamp":…,"type":…,"id":…,"previousEventId":…,"<type>EventDetails":{…}}.
// Without execution data the payload members (input, output, parameters)
// are left out of the details.
func appendEvent(b []byte, ev engine.HistoryEvent, withData bool) ([]byte, error) {
	b = append(b, `{"timestamp":`...)
	b = jsonv.AppendNumber(b, epochSeconds(ev.Timestamp))
	b = append(b, `,"type":`...)
	b = jsonv.AppendString(b, ev.Type)
	b = append(b, `,"id":`...)
	b = strconv.AppendInt(b, ev.ID, 10)
	b = append(b, `,"previousEventId":`...)
	b = strconv.AppendInt(b, ev.PreviousEventID, 10)
	if len(ev.Details) > 0 {
		b = append(b, ',')
		b = jsonv.AppendString(b, ev.DetailsKey())
		b = append(b, ':')
		if withData {
			b = append(b, ev.Details...)
		} else {
			d, err := jsonv.Parse(ev.Details)
			if err != nil {
				return nil, err
			}
			if o, ok := d.(*jsonv.Object); ok {
				for _, k := range []string{"input", "output", "parameters"} {
					o.Delete(k)
				}
			}
			b = jsonv.AppendJSON(b, d)
		}
	}
	return append(b, '}'), nil
}

type taskTokenInput struct {
	TaskToken *string `json:"taskToken"`
	Output    *string `json:"output"`
	Error     *string `json:"error"`
	Cause     *string `json:"cause"`
}

func (in *taskTokenInput) check(c *constraints) {
	c.required("taskToken", in.TaskToken)
	c.length("taskToken", in.TaskToken, 1, maxTaskTokenLength, false)
}

func (h *Handler) sendTaskSuccess(ctx context.Context, body []byte) ([]byte, error) {
	var in taskTokenInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	var c constraints
	in.check(&c)
	c.required("output", in.Output)
	c.length("output", in.Output, 0, maxPayloadLength, true)
	if err := c.err(); err != nil {
		return nil, err
	}
	if err := h.eng.SendTaskSuccess(ctx, *in.TaskToken, *in.Output); err != nil {
		return nil, err
	}
	return []byte("{}"), nil
}

func (h *Handler) sendTaskFailure(ctx context.Context, body []byte) ([]byte, error) {
	var in taskTokenInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	var c constraints
	in.check(&c)
	c.length("error", in.Error, 0, maxErrorLength, true)
	c.length("cause", in.Cause, 0, maxCauseLength, true)
	if err := c.err(); err != nil {
		return nil, err
	}
	if err := h.eng.SendTaskFailure(ctx, *in.TaskToken, deref(in.Error), deref(in.Cause)); err != nil {
		return nil, err
	}
	return []byte("{}"), nil
}

func (h *Handler) sendTaskHeartbeat(ctx context.Context, body []byte) ([]byte, error) {
	var in taskTokenInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	var c constraints
	in.check(&c)
	if err := c.err(); err != nil {
		return nil, err
	}
	if err := h.eng.SendTaskHeartbeat(ctx, *in.TaskToken); err != nil {
		return nil, err
	}
	return []byte("{}"), nil
}

// maxClientTokenLength is the API model's limit on RedriveExecution's
// clientToken.
const maxClientTokenLength = 64

type redriveExecutionInput struct {
	ExecutionARN *string `json:"executionArn"`
	ClientToken  *string `json:"clientToken"`
}

func (h *Handler) redriveExecution(ctx context.Context, body []byte) ([]byte, error) {
	var in redriveExecutionInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	var c constraints
	c.required("executionArn", in.ExecutionARN)
	c.length("executionArn", in.ExecutionARN, 1, maxARNLength, false)
	c.length("clientToken", in.ClientToken, 1, maxClientTokenLength, false)
	if err := c.err(); err != nil {
		return nil, err
	}
	if err := checkARN(*in.ExecutionARN, "execution", "express"); err != nil {
		return nil, err
	}
	var opts []engine.RedriveOption
	if in.ClientToken != nil {
		opts = append(opts, engine.WithClientToken(*in.ClientToken))
	}
	date, err := h.eng.RedriveExecution(ctx, *in.ExecutionARN, opts...)
	if err != nil {
		return nil, err
	}
	return jsonv.Marshal(jsonv.ObjectOf("redriveDate", epochSeconds(date))), nil
}
