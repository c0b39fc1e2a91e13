package server

import (
	"context"
	"maps"
	"slices"
	"strconv"

	"github.com/stepctl/stepctl/asl/jsonv"
)

// Tag constraints of the API model: TagKey 1–128 characters, TagValue
// 0–256.
const (
	maxTagKeyLength   = 128
	maxTagValueLength = 256
)

// tag is a member of a tags list (CreateStateMachine, TagResource).
type tag struct {
	Key   *string `json:"key"`
	Value *string `json:"value"`
}

// checkTags checks a tags list member by member, naming each as AWS's
// validator names list members ("tags.1.member.key"), and returns the tags
// as a map (a key given twice keeps its last value).
func checkTags(c *constraints, tags []tag) map[string]string {
	if tags == nil {
		return nil
	}
	out := make(map[string]string, len(tags))
	for i, t := range tags {
		member := "tags." + strconv.Itoa(i+1) + ".member."
		c.required(member+"key", t.Key)
		c.length(member+"key", t.Key, 1, maxTagKeyLength, false)
		c.length(member+"value", t.Value, 0, maxTagValueLength, false)
		if t.Key != nil {
			out[*t.Key] = deref(t.Value)
		}
	}
	return out
}

type tagResourceInput struct {
	ResourceARN *string  `json:"resourceArn"`
	Tags        []tag    `json:"tags"`
	TagKeys     []string `json:"tagKeys"`
}

// checkARN checks the resourceArn member.
func (in *tagResourceInput) checkARN(c *constraints) {
	c.required("resourceArn", in.ResourceARN)
	c.length("resourceArn", in.ResourceARN, 1, maxARNLength, false)
}

// withResourceName adds the resourceArn to the tag operations'
// ResourceNotFound and TooManyTags errors, in their resourceName member.
func withResourceName(err error, arn string) error {
	ae := toAPIError(err)
	if ae.name != "ResourceNotFound" && ae.name != "TooManyTags" {
		return err
	}
	named := *ae
	named.resourceName = arn
	return &named
}

func (h *Handler) tagResource(ctx context.Context, body []byte) ([]byte, error) {
	var in tagResourceInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	var c constraints
	in.checkARN(&c)
	if in.Tags == nil {
		c.problems = append(c.problems, "Value null at 'tags' failed to satisfy constraint: Member must not be null")
	}
	tags := checkTags(&c, in.Tags)
	if err := c.err(); err != nil {
		return nil, err
	}
	if err := checkARN(*in.ResourceARN, "stateMachine", "activity"); err != nil {
		return nil, err
	}
	if err := h.eng.TagResource(ctx, *in.ResourceARN, tags); err != nil {
		return nil, withResourceName(err, *in.ResourceARN)
	}
	return []byte("{}"), nil
}

func (h *Handler) untagResource(ctx context.Context, body []byte) ([]byte, error) {
	var in tagResourceInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	var c constraints
	in.checkARN(&c)
	if in.TagKeys == nil {
		c.problems = append(c.problems, "Value null at 'tagKeys' failed to satisfy constraint: Member must not be null")
	}
	for i := range in.TagKeys {
		c.length("tagKeys."+strconv.Itoa(i+1)+".member", &in.TagKeys[i], 1, maxTagKeyLength, false)
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	if err := checkARN(*in.ResourceARN, "stateMachine", "activity"); err != nil {
		return nil, err
	}
	if err := h.eng.UntagResource(ctx, *in.ResourceARN, in.TagKeys); err != nil {
		return nil, withResourceName(err, *in.ResourceARN)
	}
	return []byte("{}"), nil
}

// listTagsForResource answers the resource's tags in key order.
func (h *Handler) listTagsForResource(ctx context.Context, body []byte) ([]byte, error) {
	var in tagResourceInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	var c constraints
	in.checkARN(&c)
	if err := c.err(); err != nil {
		return nil, err
	}
	if err := checkARN(*in.ResourceARN, "stateMachine", "activity"); err != nil {
		return nil, err
	}
	tags, err := h.eng.ListTagsForResource(ctx, *in.ResourceARN)
	if err != nil {
		return nil, withResourceName(err, *in.ResourceARN)
	}
	items := make([]any, 0, len(tags))
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		items = append(items, jsonv.ObjectOf("key", k, "value", tags[k]))
	}
	return jsonv.Marshal(jsonv.ObjectOf("tags", items)), nil
}
