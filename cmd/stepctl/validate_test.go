package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCommand runs the root command with args and returns stdout, stderr
// and the exit status main would use.
func runCommand(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	root := newRootCommand()
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetArgs(args)
	err := root.Execute()
	code := 0
	if err != nil {
		var ec exitCodeError
		if errors.As(err, &ec) {
			code = ec.code
		} else {
			errOut.WriteString("stepctl: " + err.Error() + "\n")
			code = 2
		}
	}
	return out.String(), errOut.String(), code
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestValidateCommand(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "good.asl.json", `{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}`)
	warn := writeFile(t, dir, "warn.asl.yaml", "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Result: {v: $.x}\n    End: true\n")
	bad := writeFile(t, dir, "bad.asl.json", "{\n  \"StartAt\": \"A\",\n  \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"B\"}}\n}\n")
	broken := writeFile(t, dir, "broken.json", `{"StartAt": }`)
	express := writeFile(t, dir, "express.json", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","End":true}}}`)
	rel := func(s string) string { return strings.ReplaceAll(s, dir+string(filepath.Separator), "") }

	tests := []struct {
		name     string
		args     []string
		stdout   string
		stderr   string
		exitCode int
	}{
		{"valid", []string{"validate", good}, "good.asl.json: OK\n", "", 0},
		{"warning only", []string{"validate", warn},
			"warn.asl.yaml:5:13: /States/A/Result: warning: PASS_RESULT_IS_STATIC: The Result field of a Pass state is static: \"$.x\" is not evaluated (to build the output from the input use Parameters)\n", "", 0},
		{"warnings filtered", []string{"validate", "--severity", "ERROR", warn}, "warn.asl.yaml: OK\n", "", 0},
		{"error", []string{"validate", good, bad}, "good.asl.json: OK\n" +
			"bad.asl.json:3:13: /States: MISSING_END_STATE: No state ends this workflow (give a state \"End\": true, or add a Succeed or Fail state)\n" +
			"bad.asl.json:3:44: /States/A/Next: MISSING_TRANSITION_TARGET: Missing 'Next' target: B\n", "", 1},
		{"malformed", []string{"validate", broken}, "broken.json:1:13: INVALID_JSON_DESCRIPTION: invalid JSON: unexpected '}', expected a JSON value (object, array, string, number, true, false or null)\n", "", 1},
		{"missing file", []string{"validate", filepath.Join(dir, "nope.json"), good}, "good.asl.json: OK\n", "stepctl: nope.json: cannot read the file: no such file or directory\n", 1},
		{"express", []string{"validate", "--type", "EXPRESS", express},
			"express.json:1:56: /States/A/Resource: SCHEMA_VALIDATION_FAILED: Express state machine does not support '.waitForTaskToken' service integration \n", "", 1},
		{"standard", []string{"validate", "--type", "standard", express}, "express.json: OK\n", "", 0},
		{"json ok", []string{"validate", "--output", "json", good}, "{\n  \"result\": \"OK\",\n  \"diagnostics\": [],\n  \"truncated\": false\n}\n", "", 0},
		{"json fail", []string{"validate", "-o", "json", express, "--type", "EXPRESS"},
			"{\n  \"result\": \"FAIL\",\n  \"diagnostics\": [\n    {\n      \"severity\": \"ERROR\",\n      \"code\": \"SCHEMA_VALIDATION_FAILED\",\n" +
				"      \"message\": \"Express state machine does not support '.waitForTaskToken' service integration \",\n      \"location\": \"/States/A/Resource\"\n    }\n  ],\n  \"truncated\": false\n}\n", "", 1},
		{"json warning is OK", []string{"validate", "-o", "json", warn},
			"{\n  \"result\": \"OK\",\n  \"diagnostics\": [\n    {\n      \"severity\": \"WARNING\",\n      \"code\": \"PASS_RESULT_IS_STATIC\",\n" +
				"      \"message\": \"The Result field of a Pass state is static: \\\"$.x\\\" is not evaluated\",\n      \"location\": \"/States/A/Result\",\n" +
				"      \"hint\": \"to build the output from the input use Parameters\"\n    }\n  ],\n  \"truncated\": false\n}\n", "", 0},
		{"json malformed has no location", []string{"validate", "-o", "json", broken},
			"{\n  \"result\": \"FAIL\",\n  \"diagnostics\": [\n    {\n      \"severity\": \"ERROR\",\n      \"code\": \"INVALID_JSON_DESCRIPTION\",\n" +
				"      \"message\": \"invalid JSON: unexpected '}', expected a JSON value (object, array, string, number, true, false or null)\"\n    }\n  ],\n  \"truncated\": false\n}\n", "", 1},
		{"bad type flag", []string{"validate", "--type", "FAST", good}, "", "stepctl: --type must be STANDARD or EXPRESS, not \"FAST\"\n", 2},
		{"bad severity flag", []string{"validate", "--severity", "INFO", good}, "", "stepctl: --severity must be ERROR or WARNING, not \"INFO\"\n", 2},
		{"bad output flag", []string{"validate", "--output", "yaml", good}, "", "stepctl: --output must be text or json, not \"yaml\"\n", 2},
		{"no files", []string{"validate"}, "", "stepctl: requires at least 1 arg(s), only received 0\n", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, code := runCommand(t, tt.args...)
			if rel(stdout) != tt.stdout || rel(stderr) != tt.stderr || code != tt.exitCode {
				t.Errorf("stdout:\n%s\nwant:\n%s\nstderr: %q want %q\nexit %d want %d", rel(stdout), tt.stdout, rel(stderr), tt.stderr, code, tt.exitCode)
			}
		})
	}
}
