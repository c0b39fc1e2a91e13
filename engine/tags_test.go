package engine

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"
)

const passDefinition = `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`

func TestTags(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, nil)
	sm, err := h.eng.CreateStateMachine(ctx, "tagged", passDefinition, WithStateMachineTags(map[string]string{"team": "a", "env": ""}))
	if err != nil {
		t.Fatal(err)
	}
	list := func() string {
		t.Helper()
		tags, err := h.eng.ListTagsForResource(ctx, sm.ARN)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(tags)
	}
	if got := list(); got != "map[env: team:a]" {
		t.Errorf("created with tags: %s", got)
	}
	// Creating it again with other tags is idempotent and keeps the tags.
	if _, err := h.eng.CreateStateMachine(ctx, "tagged", passDefinition, WithStateMachineTags(map[string]string{"other": "x"})); err != nil {
		t.Fatal(err)
	}
	if got := list(); got != "map[env: team:a]" {
		t.Errorf("after an idempotent create: %s", got)
	}
	if err := h.eng.TagResource(ctx, sm.ARN, map[string]string{"team": "b", "cost": "7"}); err != nil {
		t.Fatal(err)
	}
	if got := list(); got != "map[cost:7 env: team:b]" {
		t.Errorf("after TagResource: %s", got)
	}
	if err := h.eng.UntagResource(ctx, sm.ARN, []string{"env", "absent"}); err != nil {
		t.Fatal(err)
	}
	if got := list(); got != "map[cost:7 team:b]" {
		t.Errorf("after UntagResource: %s", got)
	}
	if err := h.eng.UntagResource(ctx, sm.ARN, nil); err != nil {
		t.Fatal(err)
	}
	if got := list(); got != "map[cost:7 team:b]" {
		t.Errorf("after UntagResource of no keys: %s", got)
	}
	// An update keeps the tags.
	if _, err := h.eng.UpdateStateMachine(ctx, sm.ARN, `{"StartAt":"Q","States":{"Q":{"Type":"Pass","End":true}}}`); err != nil {
		t.Fatal(err)
	}
	if got := list(); got != "map[cost:7 team:b]" {
		t.Errorf("after UpdateStateMachine: %s", got)
	}
	untagged, err := h.eng.CreateStateMachine(ctx, "untagged", passDefinition)
	if err != nil {
		t.Fatal(err)
	}
	if tags, err := h.eng.ListTagsForResource(ctx, untagged.ARN); err != nil || tags == nil || len(tags) != 0 {
		t.Errorf("untagged: %v %v", tags, err)
	}
}

func TestTagErrors(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, nil)
	sm, err := h.eng.CreateStateMachine(ctx, "full", passDefinition, WithStateMachineTags(numberedTags(0, 50)))
	if err != nil {
		t.Fatal(err)
	}
	missing := "arn:aws:states:us-east-1:123456789012:stateMachine:missing"
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"51st tag", func() error { return h.eng.TagResource(ctx, sm.ARN, map[string]string{"k50": "v"}) }, "TooManyTags: Too many tags: the resource '" + sm.ARN + "' would have more than 50"},
		{"replacing a value", func() error { return h.eng.TagResource(ctx, sm.ARN, map[string]string{"k0": "new"}) }, ""},
		{"create with 51", func() error {
			_, err := h.eng.CreateStateMachine(ctx, "over", passDefinition, WithStateMachineTags(numberedTags(0, 51)))
			return err
		}, "TooManyTags: Too many tags: the resource 'arn:aws:states:us-east-1:123456789012:stateMachine:over' would have more than 50"},
		{"tag unknown machine", func() error { return h.eng.TagResource(ctx, missing, map[string]string{"a": "b"}) }, "ResourceNotFound: Resource not found: '" + missing + "'"},
		{"untag unknown machine", func() error { return h.eng.UntagResource(ctx, missing, []string{"a"}) }, "ResourceNotFound: Resource not found: '" + missing + "'"},
		{"list unknown machine", func() error { _, err := h.eng.ListTagsForResource(ctx, missing); return err }, "ResourceNotFound: Resource not found: '" + missing + "'"},
		{"version ARN", func() error { return h.eng.TagResource(ctx, sm.ARN+":1", map[string]string{"a": "b"}) }, "ResourceNotFound: Resource not found: '" + sm.ARN + ":1'"},
		{"not an ARN", func() error { return h.eng.TagResource(ctx, "full", map[string]string{"a": "b"}) }, "InvalidArn: Invalid Arn: 'Invalid ARN prefix: full'"},
		{"execution ARN", func() error {
			_, err := h.eng.ListTagsForResource(ctx, "arn:aws:states:us-east-1:123456789012:execution:full:e")
			return err
		}, "InvalidArn: Invalid Arn: 'Resource type not valid in this context: execution'"},
		{"empty key", func() error { return h.eng.TagResource(ctx, sm.ARN, map[string]string{"": "v"}) }, "ValidationException: Invalid tag key '': a key has 1 to 128 characters"},
		{"long key", func() error { return h.eng.TagResource(ctx, sm.ARN, map[string]string{strings.Repeat("k", 129): "v"}) }, "ValidationException: Invalid tag key '" + strings.Repeat("k", 129) + "': a key has 1 to 128 characters"},
		{"long value", func() error { return h.eng.TagResource(ctx, sm.ARN, map[string]string{"k": strings.Repeat("é", 257)}) }, "ValidationException: Invalid value of tag 'k': a value has at most 256 characters"},
		{"longest key and value", func() error {
			return h.eng.TagResource(ctx, sm.ARN, map[string]string{"k1": strings.Repeat("é", 256)})
		}, ""},
	}
	for _, tt := range tests {
		err := tt.call()
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
	if _, err := h.eng.ListTagsForResource(ctx, missing); !errors.Is(err, ErrResourceNotFound) {
		t.Errorf("errors.Is(ErrResourceNotFound): %v", err)
	}
	if err := h.eng.TagResource(ctx, sm.ARN, map[string]string{"k50": "v"}); !errors.Is(err, ErrTooManyTags) {
		t.Errorf("errors.Is(ErrTooManyTags): %v", err)
	}
	tags, err := h.eng.ListTagsForResource(ctx, sm.ARN)
	if err != nil {
		t.Fatal(err)
	}
	want := numberedTags(0, 50)
	want["k0"], want["k1"] = "new", strings.Repeat("é", 256)
	if !maps.Equal(tags, want) {
		t.Errorf("tags after the failed calls: %v", tags)
	}
}

// numberedTags returns tags k<from>…k<to-1> with values v<i>.
func numberedTags(from, to int) map[string]string {
	tags := map[string]string{}
	for i := from; i < to; i++ {
		tags[fmt.Sprintf("k%d", i)] = fmt.Sprintf("v%d", i)
	}
	return tags
}

func TestExecutionTraceHeader(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, nil)
	sm, err := h.eng.CreateStateMachine(ctx, "traced", passDefinition)
	if err != nil {
		t.Fatal(err)
	}
	ex, err := h.eng.StartExecution(ctx, sm.ARN, `{}`, WithName("t"), WithTraceHeader("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"))
	if err != nil {
		t.Fatal(err)
	}
	if ex.TraceHeader != "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1" {
		t.Errorf("StartExecution: trace header %q", ex.TraceHeader)
	}
	done := h.wait(ex.ARN)
	if done.TraceHeader != "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1" {
		t.Errorf("DescribeExecution: trace header %q", done.TraceHeader)
	}
	plain, err := h.eng.StartExecution(ctx, sm.ARN, `{}`)
	if err != nil {
		t.Fatal(err)
	}
	if got := h.wait(plain.ARN).TraceHeader; got != "" {
		t.Errorf("without one: trace header %q", got)
	}
	list, _, err := h.eng.ListExecutions(ctx, ListExecutionsInput{StateMachineARN: sm.ARN})
	if err != nil {
		t.Fatal(err)
	}
	for _, ex := range list {
		if want := map[bool]string{true: "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"}[ex.Name == "t"]; ex.TraceHeader != want {
			t.Errorf("ListExecutions %s: trace header %q", ex.Name, ex.TraceHeader)
		}
	}
}

func TestDescribeStateMachineForExecution(t *testing.T) {
	ctx := context.Background()
	start := time.Date(2025, 6, 7, 8, 9, 10, 0, time.UTC)
	clock := NewManualClock(start)
	h := newHarness(t, func(o *Options) { o.Clock = clock })
	const v1 = `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":60,"End":true}}}`
	const v2 = `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`
	sm, err := h.eng.CreateStateMachine(ctx, "m", v1, WithRoleARN("arn:aws:iam::123456789012:role/one"))
	if err != nil {
		t.Fatal(err)
	}
	ex, err := h.eng.StartExecution(ctx, sm.ARN, `{}`, WithName("e"))
	if err != nil {
		t.Fatal(err)
	}
	describe := func() string {
		t.Helper()
		got, err := h.eng.DescribeStateMachineForExecution(ctx, ex.ARN)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("%s|%s|%s|%s|%s|%s|%s|%s|%s|%s", got.ARN, got.Name, got.Type, got.Status, got.Definition, got.RoleARN,
			got.RevisionID, got.UpdateDate.Format(time.RFC3339), got.CreationDate.Format(time.RFC3339), got.Description)
	}
	unchanged := sm.ARN + "|m|STANDARD|ACTIVE|" + v1 + "|arn:aws:iam::123456789012:role/one|" + sm.RevisionID + "|2025-06-07T08:09:10Z|2025-06-07T08:09:10Z|"
	if got := describe(); got != unchanged {
		t.Errorf("unchanged machine:\n got %s\nwant %s", got, unchanged)
	}
	clock.Advance(time.Second)
	if _, err := h.eng.UpdateStateMachine(ctx, sm.ARN, v2, WithRoleARN("arn:aws:iam::123456789012:role/two"), WithDescription("d")); err != nil {
		t.Fatal(err)
	}
	updated := sm.ARN + "|m|STANDARD|ACTIVE|" + v1 + "|arn:aws:iam::123456789012:role/one||2025-06-07T08:09:10Z|2025-06-07T08:09:10Z|d"
	if got := describe(); got != updated {
		t.Errorf("updated machine:\n got %s\nwant %s", got, updated)
	}
	if err := h.eng.DeleteStateMachine(ctx, sm.ARN); err != nil {
		t.Fatal(err)
	}
	deleted := sm.ARN + "|m|STANDARD||" + v1 + "|arn:aws:iam::123456789012:role/one||2025-06-07T08:09:10Z|0001-01-01T00:00:00Z|"
	if got := describe(); got != deleted {
		t.Errorf("deleted machine:\n got %s\nwant %s", got, deleted)
	}
	for _, tc := range []struct{ arn, want string }{
		{sm.ARN[:strings.LastIndex(sm.ARN, ":stateMachine:")] + ":execution:m:nope", "ExecutionDoesNotExist: Execution Does Not Exist: 'arn:aws:states:us-east-1:123456789012:execution:m:nope'"},
		{"arn:aws:states:us-east-1:123456789012:express:m:e:2b5a3a8e-9b1c-4b8e-8f4e-3f0e6f0a1b2c", "InvalidArn: Invalid Arn: 'Resource type not valid in this context: express'"},
	} {
		if _, err := h.eng.DescribeStateMachineForExecution(ctx, tc.arn); err == nil || err.Error() != tc.want {
			t.Errorf("%s: %v, want %s", tc.arn, err, tc.want)
		}
	}
}

func TestActivityTags(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, nil)
	act, err := h.eng.CreateActivity(ctx, "worker", WithActivityTags(map[string]string{"team": "a"}))
	if err != nil {
		t.Fatal(err)
	}
	if err := h.eng.TagResource(ctx, act.ARN, map[string]string{"cost": "7", "team": "b"}); err != nil {
		t.Fatal(err)
	}
	if err := h.eng.UntagResource(ctx, act.ARN, []string{"cost", "absent"}); err != nil {
		t.Fatal(err)
	}
	if err := h.eng.TagResource(ctx, act.ARN, map[string]string{"env": "prod"}); err != nil {
		t.Fatal(err)
	}
	tags, err := h.eng.ListTagsForResource(ctx, act.ARN)
	if err != nil || fmt.Sprint(tags) != "map[env:prod team:b]" {
		t.Errorf("ListTagsForResource: %v %v", tags, err)
	}
	// DescribeActivity sees the same tags.
	described, err := h.eng.DescribeActivity(ctx, act.ARN)
	if err != nil || fmt.Sprint(described.Tags) != "map[env:prod team:b]" || described.Name != "worker" || !described.CreationDate.Equal(act.CreationDate) {
		t.Errorf("DescribeActivity: %+v %v", described, err)
	}
	if err := h.eng.TagResource(ctx, act.ARN, numberedTags(0, 49)); !errors.Is(err, ErrTooManyTags) {
		t.Errorf("51 tags: %v", err)
	}
	missing := "arn:aws:states:us-east-1:123456789012:activity:missing"
	if _, err := h.eng.ListTagsForResource(ctx, missing); err == nil || err.Error() != "ResourceNotFound: Resource not found: '"+missing+"'" {
		t.Errorf("missing activity: %v", err)
	}
	if err := h.eng.DeleteActivity(ctx, act.ARN); err != nil {
		t.Fatal(err)
	}
	if err := h.eng.TagResource(ctx, act.ARN, map[string]string{"a": "b"}); !errors.Is(err, ErrResourceNotFound) {
		t.Errorf("deleted activity: %v", err)
	}
}
