package engine

import (
	"context"
	"testing"
)

// TestRoleMustBeAnARN checks CreateStateMachine's and UpdateStateMachine's
// InvalidArn for a role that is not an ARN, as AWS answers.
func TestRoleMustBeAnARN(t *testing.T) {
	h := newHarness(t, nil)
	ctx := context.Background()
	const def = `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`
	want := "InvalidArn: Invalid Arn: 'Invalid ARN prefix: snf_role_arn'"
	if _, err := h.eng.CreateStateMachine(ctx, "m", def, WithRoleARN("snf_role_arn")); err == nil || err.Error() != want {
		t.Errorf("CreateStateMachine = %v, want %s", err, want)
	}
	sm, err := h.eng.CreateStateMachine(ctx, "m", def, WithRoleARN("arn:aws:iam::123456789012:role/r"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.eng.UpdateStateMachine(ctx, sm.ARN, "", WithRoleARN("snf_role_arn")); err == nil || err.Error() != want {
		t.Errorf("UpdateStateMachine = %v, want %s", err, want)
	}
}
