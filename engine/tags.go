package engine

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"

	"github.com/stepctl/stepctl/store"
)

// Tag quotas, as AWS documents them: at most 50 tags per resource, keys
// of 1 to 128 characters, values of at most 256.
const (
	MaxTagsPerResource = 50
	maxTagKeyLength    = 128
	maxTagValueLength  = 256
)

// ErrResourceNotFound is TagResource, UntagResource and
// ListTagsForResource of a resource that does not exist.
var ErrResourceNotFound = &Error{Code: "ResourceNotFound"}

// ErrTooManyTags is CreateStateMachine or TagResource leaving a resource
// with more than MaxTagsPerResource tags.
var ErrTooManyTags = &Error{Code: "TooManyTags"}

// WithStateMachineTags tags the state machine CreateStateMachine creates
// (UpdateStateMachine ignores it: use TagResource). As on AWS, creating
// an existing state machine again with other tags returns it with its
// tags unchanged.
func WithStateMachineTags(tags map[string]string) StateMachineOption {
	return func(c *smConfig) { c.tags = maps.Clone(tags) }
}

// TagResource adds tags to a state machine, replacing the values of keys
// it already has. Errors: InvalidArn for an ARN that is not a state
// machine's or an activity's, ResourceNotFound ("Resource not found:
// '<arn>'") when there is no such state machine (a version ARN is not one),
// TooManyTags when it would have more than 50, ValidationException for an
// empty or too long key or a too long value.
func (e *Engine) TagResource(ctx context.Context, arn string, tags map[string]string) error {
	if err := checkTaggableARN(arn); err != nil {
		return err
	}
	if err := checkTags(tags); err != nil {
		return err
	}
	return e.st.Update(ctx, func(tx store.Tx) error {
		rec, err := taggedStateMachine(tx, arn)
		if err != nil {
			return err
		}
		merged := maps.Clone(rec.Tags)
		if merged == nil {
			merged = make(map[string]string, len(tags))
		}
		maps.Copy(merged, tags)
		if len(merged) > MaxTagsPerResource {
			return tooManyTags(arn)
		}
		rec.Tags = merged
		return tx.PutStateMachine(rec)
	})
}

// UntagResource removes tags from a state machine by key; keys it does not
// have are ignored. Errors as TagResource's.
func (e *Engine) UntagResource(ctx context.Context, arn string, keys []string) error {
	if err := checkTaggableARN(arn); err != nil {
		return err
	}
	return e.st.Update(ctx, func(tx store.Tx) error {
		rec, err := taggedStateMachine(tx, arn)
		if err != nil {
			return err
		}
		if len(rec.Tags) == 0 || len(keys) == 0 {
			return nil
		}
		for _, k := range keys {
			delete(rec.Tags, k)
		}
		return tx.PutStateMachine(rec)
	})
}

// ListTagsForResource returns a state machine's tags (an empty map when it
// has none). Errors as TagResource's.
func (e *Engine) ListTagsForResource(ctx context.Context, arn string) (map[string]string, error) {
	if err := checkTaggableARN(arn); err != nil {
		return nil, err
	}
	var tags map[string]string
	err := e.st.View(ctx, func(tx store.Tx) error {
		rec, err := taggedStateMachine(tx, arn)
		if err != nil {
			return err
		}
		tags = rec.Tags
		return nil
	})
	if err != nil {
		return nil, err
	}
	if tags == nil {
		tags = map[string]string{}
	}
	return tags, nil
}

// taggedStateMachine reads the state machine a tag operation names;
// ResourceNotFound when there is none.
func taggedStateMachine(tx store.Tx, arn string) (*store.StateMachine, error) {
	rec, err := tx.GetStateMachine(arn)
	if errors.Is(err, store.ErrNotFound) {
		return nil, apiError("ResourceNotFound", "Resource not found: '%s'", arn)
	}
	return rec, err
}

// checkTaggableARN is InvalidArn unless arn is a Step Functions ARN of a
// resource type that takes tags (state machines and activities).
func checkTaggableARN(arn string) error {
	parts := strings.SplitN(arn, ":", 7)
	if len(parts) < 7 || parts[0] != "arn" || parts[2] != "states" {
		return apiError("InvalidArn", "Invalid Arn: 'Invalid ARN prefix: %s'", arn)
	}
	if parts[5] != "stateMachine" && parts[5] != "activity" {
		return apiError("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: %s'", parts[5])
	}
	return nil
}

// checkTags checks tag keys and values against AWS's length limits
// (ValidationException), keys first in key order.
func checkTags(tags map[string]string) error {
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		if n := len([]rune(k)); n < 1 || n > maxTagKeyLength {
			return apiError("ValidationException", "Invalid tag key '%s': a key has 1 to %d characters", k, maxTagKeyLength)
		}
		if len([]rune(tags[k])) > maxTagValueLength {
			return apiError("ValidationException", "Invalid value of tag '%s': a value has at most %d characters", k, maxTagValueLength)
		}
	}
	return nil
}

func tooManyTags(arn string) error {
	return apiError("TooManyTags", "Too many tags: the resource '%s' would have more than %d", arn, MaxTagsPerResource)
}
