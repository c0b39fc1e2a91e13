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

// TagResource adds tags to a state machine or an activity, replacing the
// values of keys it already has. Errors: InvalidArn for an ARN that is not
// a state machine's or an activity's, ResourceNotFound ("Resource not
// found: '<arn>'") when there is no such resource (a state machine version
// ARN is not one), TooManyTags when it would have more than 50,
// ValidationException for an empty or too long key or a too long value.
func (e *Engine) TagResource(ctx context.Context, arn string, tags map[string]string) error {
	if err := checkTaggableARN(arn); err != nil {
		return err
	}
	if err := checkTags(tags); err != nil {
		return err
	}
	return e.st.Update(ctx, func(tx store.Tx) error {
		r, err := readTagged(tx, arn)
		if err != nil {
			return err
		}
		merged := maps.Clone(r.tags)
		if merged == nil {
			merged = make(map[string]string, len(tags))
		}
		maps.Copy(merged, tags)
		if len(merged) > MaxTagsPerResource {
			return tooManyTags(arn)
		}
		return r.write(tx, merged)
	})
}

// UntagResource removes tags from a state machine or an activity by key;
// keys it does not have are ignored. Errors as TagResource's.
func (e *Engine) UntagResource(ctx context.Context, arn string, keys []string) error {
	if err := checkTaggableARN(arn); err != nil {
		return err
	}
	return e.st.Update(ctx, func(tx store.Tx) error {
		r, err := readTagged(tx, arn)
		if err != nil {
			return err
		}
		if len(r.tags) == 0 || len(keys) == 0 {
			return nil
		}
		kept := maps.Clone(r.tags)
		for _, k := range keys {
			delete(kept, k)
		}
		return r.write(tx, kept)
	})
}

// ListTagsForResource returns the tags of a state machine or an activity
// (an empty map when it has none). Errors as TagResource's.
func (e *Engine) ListTagsForResource(ctx context.Context, arn string) (map[string]string, error) {
	if err := checkTaggableARN(arn); err != nil {
		return nil, err
	}
	var tags map[string]string
	err := e.st.View(ctx, func(tx store.Tx) error {
		r, err := readTagged(tx, arn)
		tags = r.tags
		return err
	})
	if err != nil {
		return nil, err
	}
	if tags == nil {
		tags = map[string]string{}
	}
	return tags, nil
}

// tagged is a resource a tag operation names, read in its transaction:
// a state machine record or an activity record (activities.go).
type tagged struct {
	sm       *store.StateMachine
	activity *store.Activity
	tags     map[string]string
}

// readTagged reads the resource arn (checked by checkTaggableARN) names;
// ResourceNotFound when there is none.
func readTagged(tx store.Tx, arn string) (tagged, error) {
	var r tagged
	var err error
	if strings.Contains(arn, ":activity:") {
		if r.activity, err = tx.GetActivity(arn); err == nil {
			r.tags = toActivity(r.activity).Tags
		}
	} else if r.sm, err = tx.GetStateMachine(arn); err == nil {
		r.tags = r.sm.Tags
	}
	if errors.Is(err, store.ErrNotFound) {
		return r, apiError("ResourceNotFound", "Resource not found: '%s'", arn)
	}
	return r, err
}

// write replaces the resource's tags.
func (r tagged) write(tx store.Tx, tags map[string]string) error {
	if r.activity != nil {
		rec := *r.activity
		rec.Tags = tags
		return tx.PutActivity(&rec)
	}
	rec := *r.sm
	rec.Tags = tags
	return tx.PutStateMachine(&rec)
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
