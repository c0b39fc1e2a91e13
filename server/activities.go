package server

import (
	"context"

	"github.com/stepctl/stepctl/asl/jsonv"
	"github.com/stepctl/stepctl/engine"
)

type activityTagInput struct {
	Key   *string `json:"key"`
	Value *string `json:"value"`
}

type createActivityInput struct {
	Name *string            `json:"name"`
	Tags []activityTagInput `json:"tags"`
	// EncryptionConfiguration is accepted and ignored: stepctl does not
	// encrypt activity data.
	EncryptionConfiguration *struct {
		Type *string `json:"type"`
	} `json:"encryptionConfiguration"`
}

func (h *Handler) createActivity(ctx context.Context, body []byte) ([]byte, error) {
	var in createActivityInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	var c constraints
	c.required("name", in.Name)
	c.length("name", in.Name, 1, maxNameLength, false)
	for _, t := range in.Tags {
		c.required("tags.member.key", t.Key)
		c.length("tags.member.key", t.Key, 1, 128, false)
		c.length("tags.member.value", t.Value, 0, 256, false)
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	var opts []engine.ActivityOption
	if len(in.Tags) > 0 {
		tags := make(map[string]string, len(in.Tags))
		for _, t := range in.Tags {
			tags[*t.Key] = deref(t.Value)
		}
		opts = append(opts, engine.WithActivityTags(tags))
	}
	a, err := h.eng.CreateActivity(ctx, *in.Name, opts...)
	if err != nil {
		return nil, err
	}
	return jsonv.Marshal(jsonv.ObjectOf("activityArn", a.ARN, "creationDate", epochSeconds(a.CreationDate))), nil
}

type activityARNInput struct {
	ActivityARN *string `json:"activityArn"`
	WorkerName  *string `json:"workerName"`
}

func (in *activityARNInput) check() error {
	var c constraints
	c.required("activityArn", in.ActivityARN)
	c.length("activityArn", in.ActivityARN, 1, maxARNLength, false)
	c.length("workerName", in.WorkerName, 1, maxNameLength, false)
	if err := c.err(); err != nil {
		return err
	}
	return checkARN(*in.ActivityARN, "activity")
}

func (h *Handler) describeActivity(ctx context.Context, body []byte) ([]byte, error) {
	var in activityARNInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	a, err := h.eng.DescribeActivity(ctx, *in.ActivityARN)
	if err != nil {
		return nil, err
	}
	return jsonv.Marshal(jsonv.ObjectOf("activityArn", a.ARN, "name", a.Name, "creationDate", epochSeconds(a.CreationDate))), nil
}

func (h *Handler) listActivities(ctx context.Context, body []byte) ([]byte, error) {
	var in pageInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	var c constraints
	in.check(&c, maxPageTokenLength)
	if err := c.err(); err != nil {
		return nil, err
	}
	as, next, err := h.eng.ListActivities(ctx, in.size(), in.token())
	if err != nil {
		return nil, err
	}
	items := make([]any, len(as))
	for i, a := range as {
		items[i] = jsonv.ObjectOf("activityArn", a.ARN, "name", a.Name, "creationDate", epochSeconds(a.CreationDate))
	}
	return withNextToken(jsonv.ObjectOf("activities", items), next), nil
}

func (h *Handler) deleteActivity(ctx context.Context, body []byte) ([]byte, error) {
	var in activityARNInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	if err := h.eng.DeleteActivity(ctx, *in.ActivityARN); err != nil {
		return nil, err
	}
	return []byte("{}"), nil
}

// getActivityTask is AWS's long poll: it answers as soon as a task is
// handed to the worker, or with {} (no taskToken) after 60 seconds. A
// client that goes away ends the poll (the request's context).
func (h *Handler) getActivityTask(ctx context.Context, body []byte) ([]byte, error) {
	var in activityARNInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	task, err := h.eng.GetActivityTask(ctx, *in.ActivityARN, deref(in.WorkerName))
	if err != nil {
		return nil, err
	}
	if task.TaskToken == "" {
		return []byte("{}"), nil
	}
	return jsonv.Marshal(jsonv.ObjectOf("taskToken", task.TaskToken, "input", task.Input)), nil
}
