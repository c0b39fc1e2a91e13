package asl

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// diagLines formats diagnostics as "CODE /location: message" (warnings
// prefixed "warning: ") for comparison.
func diagLines(ds Diagnostics) []string {
	out := []string{}
	for _, d := range ds {
		s := d.Code + " " + d.Location + ": " + d.Message
		if d.Hint != "" {
			s += " | " + d.Hint
		}
		if d.Severity == SeverityWarning {
			s = "warning: " + s
		}
		out = append(out, s)
	}
	return out
}

// TestValidateRules checks one rule per case: the exact code, location and
// message of every diagnostic, in position order.
func TestValidateRules(t *testing.T) {
	tests := []struct {
		name string
		def  string
		want []string
	}{
		{"required top-level fields", `{}`, []string{
			"SCHEMA_VALIDATION_FAILED /: These fields are required: [States, StartAt]",
		}},
		{"required StartAt", `{"States":{"A":{"Type":"Succeed"}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /: These fields are required: [StartAt]",
		}},
		{"unknown top-level field", `{"StartAt":"A","States":{"A":{"Type":"Succeed"}},"Timeout":5}`, []string{
			"SCHEMA_VALIDATION_FAILED /Timeout: Field Timeout not allowed. | it is not a field of the top level of a definition; allowed: Comment, StartAt, States, Version, TimeoutSeconds, QueryLanguage",
		}},
		{"bad top-level QueryLanguage", `{"QueryLanguage":"XPath","StartAt":"A","States":{"A":{"Type":"Succeed"}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /QueryLanguage: The field 'QueryLanguage' should have one of these values: [JSONPath, JSONata]",
		}},
		{"bad Version", `{"Version":"2.0","StartAt":"A","States":{"A":{"Type":"Succeed"}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /Version: The field 'Version' should have one of these values: [1.0]",
		}},
		{"top-level TimeoutSeconds type", `{"TimeoutSeconds":1.5,"StartAt":"A","States":{"A":{"Type":"Succeed"}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /TimeoutSeconds: The field 'TimeoutSeconds' must be an integer, not 1.5 (a number)",
		}},
		{"empty States", `{"StartAt":"A","States":{}}`, []string{
			"MISSING_TRANSITION_TARGET /StartAt: Missing 'StartAt' target: A",
			"SCHEMA_VALIDATION_FAILED /States: Value cannot be empty",
		}},
		{"States not an object", `{"StartAt":"A","States":[]}`, []string{
			"MISSING_TRANSITION_TARGET /StartAt: Missing 'StartAt' target: A",
			"SCHEMA_VALIDATION_FAILED /States: The field 'States' must be an object mapping state names to states, not an array",
		}},
		{"state not an object", `{"StartAt":"A","States":{"A":1}}`, []string{
			"MISSING_TRANSITION_TARGET /StartAt: Missing 'StartAt' target: A",
			"SCHEMA_VALIDATION_FAILED /States/A: A state must be an object, not 1 (an integer)",
		}},
		{"missing Type", `{"StartAt":"A","States":{"A":{"End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/A: These fields are required: [Type]",
		}},
		{"bad Type with suggestion", `{"StartAt":"A","States":{"A":{"Type":"pass","End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/A/Type: The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map] | did you mean \"Pass\"?",
		}},
		{"misspelled Next target", `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Chek"},"Check":{"Type":"Succeed"}}}`, []string{
			"MISSING_TRANSITION_TARGET /States/A/Next: Missing 'Next' target: Chek | did you mean \"Check\"?",
			"MISSING_TRANSITION_TARGET /States/Check: State \"Check\" is not reachable.",
		}},
		{"misspelled StartAt", `{"StartAt":"Strt","States":{"Start":{"Type":"Succeed"}}}`, []string{
			"MISSING_TRANSITION_TARGET /StartAt: Missing 'StartAt' target: Strt | did you mean \"Start\"?",
		}},
		{"unreachable state", `{"StartAt":"A","States":{"A":{"Type":"Succeed"},"B":{"Type":"Succeed"}}}`, []string{
			"MISSING_TRANSITION_TARGET /States/B: State \"B\" is not reachable.",
		}},
		{"no terminal state", `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"A"}}}`, []string{
			"MISSING_END_STATE /States: No state ends this workflow | give a state \"End\": true, or add a Succeed or Fail state",
		}},
		{"neither Next nor End", `{"StartAt":"A","States":{"A":{"Type":"Pass"},"B":{"Type":"Succeed"}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/A: This state must have either a 'Next' field naming the state to run next, or \"End\": true",
			"MISSING_TRANSITION_TARGET /States/B: State \"B\" is not reachable.",
		}},
		{"End false without Next", `{"StartAt":"A","States":{"A":{"Type":"Pass","End":false},"B":{"Type":"Succeed"}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/A/End: \"End\": false needs a 'Next' field; set \"End\": true or add 'Next'",
			"MISSING_TRANSITION_TARGET /States/B: State \"B\" is not reachable.",
		}},
		{"Next and End", `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B","End":true},"B":{"Type":"Succeed"}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/A/End: The fields 'Next' and 'End' are mutually exclusive: use \"Next\" to continue or \"End\": true to stop here",
		}},
		{"End not boolean", `{"StartAt":"A","States":{"A":{"Type":"Pass","End":"true"}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/A/End: The field 'End' must be a boolean, not \"true\" (a string)",
		}},
		{"Next on Succeed", `{"StartAt":"A","States":{"A":{"Type":"Succeed","Next":"A"}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/A/Next: Field Next not allowed. | Succeed states do not accept it",
		}},
		{"End on Choice", `{"StartAt":"A","States":{"A":{"Type":"Choice","Choices":[{"Variable":"$.x","IsPresent":true,"Next":"B"}],"End":true},"B":{"Type":"Succeed"}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/A/End: Field End not allowed. | Choice states do not accept it",
		}},
		{"field not allowed on Wait", `{"StartAt":"A","States":{"A":{"Type":"Wait","Seconds":1,"ResultPath":"$.x","End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/A/ResultPath: Field ResultPath not allowed. | Wait states do not accept it",
		}},
		{"misspelled field", `{"StartAt":"A","States":{"A":{"Type":"Pass","Nxet":"B","End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/A/Nxet: Field Nxet not allowed. | did you mean \"Next\"?",
		}},
		{"unknown field", `{"StartAt":"A","States":{"A":{"Type":"Succeed","Colour":"red"}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/A/Colour: Field Colour not allowed. | Succeed states accept: Type, Comment, QueryLanguage, InputPath, OutputPath",
		}},
		{"JSONPath field in JSONata state", `{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{},"ResultPath":"$.r","End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/A/Parameters: Field Parameters not allowed. | it is a JSONPath field and this state's QueryLanguage is JSONata; use Arguments instead",
			"SCHEMA_VALIDATION_FAILED /States/A/ResultPath: Field ResultPath not allowed. | it is a JSONPath field and this state's QueryLanguage is JSONata; use Output or Assign instead",
		}},
		{"JSONata field in JSONPath state", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Arguments":{},"Output":{},"End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/A/Arguments: Field Arguments not allowed. | it is a JSONata field and this state's QueryLanguage is JSONPath; use Parameters instead, or set \"QueryLanguage\": \"JSONata\"",
			"SCHEMA_VALIDATION_FAILED /States/A/Output: Field Output not allowed. | it is a JSONata field and this state's QueryLanguage is JSONPath; use OutputPath, ResultSelector or ResultPath instead, or set \"QueryLanguage\": \"JSONata\"",
		}},
		{"state JSONPath under JSONata machine", `{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","QueryLanguage":"JSONPath","End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/A: 'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
		}},
		{"state JSONata under JSONPath machine", `{"StartAt":"A","States":{"A":{"Type":"Pass","QueryLanguage":"JSONata","Output":"{% $states.input %}","End":true}}}`, []string{}},
		{"Task without Resource", `{"StartAt":"A","States":{"A":{"Type":"Task","End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/A: These fields are required: [Resource]",
		}},
		{"malformed Resource", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"my-function","End":true}}}`, []string{
			"INVALID_RESOURCE /States/A/Resource: The resource provided my-function is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.",
		}},
		{"TimeoutSeconds string", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","TimeoutSeconds":"10","End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/A/TimeoutSeconds: The field 'TimeoutSeconds' must be an integer, not \"10\" (a string)",
		}},
		{"TimeoutSeconds zero", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","TimeoutSeconds":0,"End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/A/TimeoutSeconds: The field 'TimeoutSeconds' must be between 1 and 99999999, not 0",
		}},
		{"TimeoutSeconds and TimeoutSecondsPath", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","TimeoutSeconds":5,"TimeoutSecondsPath":"$.t","End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/A/TimeoutSecondsPath: The fields 'TimeoutSeconds' and 'TimeoutSecondsPath' are mutually exclusive; keep only one of them",
		}},
		{"HeartbeatSeconds not below TimeoutSeconds", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","TimeoutSeconds":10,"HeartbeatSeconds":10,"End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/A/HeartbeatSeconds: HeartbeatSeconds (10) must be smaller than TimeoutSeconds (10)",
		}},
		{"JSONata TimeoutSeconds expression", `{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","TimeoutSeconds":"{% $states.input.t %}","End":true}}}`, []string{}},
		{"JSONPath TimeoutSeconds expression", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","TimeoutSeconds":"{% 5 %}","End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/A/TimeoutSeconds: The field 'TimeoutSeconds' must be an integer, not \"{% 5 %}\" (a string)",
		}},
		{"Credentials without RoleArn", `{"StartAt":"State0","States":{"State0":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Credentials":{},"End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/State0/Credentials: The field 'RoleArn' is required but was missing",
		}},
		{"Retry field checks", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Retry":[{"ErrorEquals":[],"IntervalSeconds":0,"MaxAttempts":-1,"BackoffRate":0.5,"MaxDelaySeconds":0,"JitterStrategy":"HALF","Delay":1}],"End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/A/Retry/0/ErrorEquals: Value cannot be empty",
			"SCHEMA_VALIDATION_FAILED /States/A/Retry/0/IntervalSeconds: The field 'IntervalSeconds' must be between 1 and 99999999, not 0",
			"SCHEMA_VALIDATION_FAILED /States/A/Retry/0/MaxAttempts: The field 'MaxAttempts' must be between 0 and 99999999, not -1",
			"SCHEMA_VALIDATION_FAILED /States/A/Retry/0/BackoffRate: The field 'BackoffRate' must be at least 1, not 0.5",
			"SCHEMA_VALIDATION_FAILED /States/A/Retry/0/MaxDelaySeconds: The field 'MaxDelaySeconds' must be between 1 and 31622400, not 0",
			"SCHEMA_VALIDATION_FAILED /States/A/Retry/0/JitterStrategy: The field 'JitterStrategy' should have one of these values: [FULL, NONE]",
			"SCHEMA_VALIDATION_FAILED /States/A/Retry/0/Delay: Field Delay not allowed. | it is not a field of a retrier; allowed: ErrorEquals, IntervalSeconds, MaxAttempts, BackoffRate, MaxDelaySeconds, JitterStrategy, Comment",
		}},
		{"Retry without ErrorEquals", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Retry":[{"MaxAttempts":2}],"End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/A/Retry/0: These fields are required: [ErrorEquals]",
		}},
		{"States.ALL not last", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Retry":[{"ErrorEquals":["States.ALL"]},{"ErrorEquals":["X"]}],"End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/A/Retry/0/ErrorEquals: A retrier with States.ALL must be the last one; move it to the end",
		}},
		{"States.ALL not alone", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Catch":[{"ErrorEquals":["X","States.ALL"],"Next":"B"}],"End":true},"B":{"Type":"Succeed"}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/A/Catch/0/ErrorEquals/1: States.ALL must appear alone in ErrorEquals; remove the other error names or move them to an earlier catcher",
		}},
		{"Catch without Next", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Catch":[{"ErrorEquals":["States.ALL"]}],"End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/A/Catch/0: These fields are required: [Next]",
		}},
		{"Catch Next missing target", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Catch":[{"ErrorEquals":["States.ALL"],"Next":"Handler"}],"End":true},"Handle":{"Type":"Succeed"}}}`, []string{
			"MISSING_TRANSITION_TARGET /States/A/Catch/0/Next: Missing 'Next' target: Handler | did you mean \"Handle\"?",
			"MISSING_TRANSITION_TARGET /States/Handle: State \"Handle\" is not reachable.",
		}},
		{"Catch Output in JSONPath", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Catch":[{"ErrorEquals":["States.ALL"],"Next":"B","Output":{}}],"End":true},"B":{"Type":"Succeed"}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/A/Catch/0/Output: Field Output not allowed. | it is a JSONata field and this state's QueryLanguage is JSONPath; use ResultPath instead, or set \"QueryLanguage\": \"JSONata\"",
		}},
		{"Retry on Pass", `{"StartAt":"A","States":{"A":{"Type":"Pass","Retry":[],"End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/A/Retry: Field Retry not allowed. | Pass states do not accept it",
		}},
		{"Wait without duration", `{"StartAt":"A","States":{"A":{"Type":"Wait","End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/A: A Wait state needs exactly one of these fields: [Seconds, SecondsPath, Timestamp, TimestampPath]",
		}},
		{"Wait with two durations", `{"StartAt":"A","States":{"A":{"Type":"Wait","Seconds":1,"TimestampPath":"$.t","End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/A/TimestampPath: A Wait state takes exactly one of these fields: [Seconds, SecondsPath, Timestamp, TimestampPath]; found Seconds and TimestampPath",
		}},
		{"Wait bad timestamp", `{"StartAt":"WaitUntil","States":{"WaitUntil":{"Type":"Wait","Timestamp":"2016-03-14T01:59:00","End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/WaitUntil/Timestamp: String does not match RFC3339 timestamp | e.g. 2024-03-01T12:00:00Z",
		}},
		{"Wait lowercase t", `{"StartAt":"A","States":{"A":{"Type":"Wait","Timestamp":"2016-03-14t01:59:00Z","End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/A/Timestamp: String does not match RFC3339 timestamp | e.g. 2024-03-01T12:00:00Z",
		}},
		{"Wait negative Seconds", `{"StartAt":"A","States":{"A":{"Type":"Wait","Seconds":-1,"End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/A/Seconds: The field 'Seconds' must be between 0 and 99999999, not -1",
		}},
		{"Wait SecondsPath not a reference path", `{"StartAt":"A","States":{"A":{"Type":"Wait","SecondsPath":"$..s","End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/A/SecondsPath: Value is not a Reference Path: Invalid Reference Path: '..' (descendant) selects more than one node",
		}},
		{"Wait Timestamp looks like a path", `{"StartAt":"A","States":{"A":{"Type":"Wait","Timestamp":"$.until","End":true}}}`, []string{
			"warning: NO_PATH /States/A/Timestamp: The value of 'Timestamp' looks like a path but is used as a literal timestamp | to read the timestamp from the input use \"TimestampPath\"",
		}},
		{"Fail Error and ErrorPath", `{"StartAt":"A","States":{"A":{"Type":"Fail","Error":"E","ErrorPath":"$.e"}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/A/ErrorPath: The fields 'Error' and 'ErrorPath' are mutually exclusive; keep only one of them",
		}},
		{"Fail CausePath non-string intrinsic", `{"StartAt":"A","States":{"A":{"Type":"Fail","CausePath":"States.Array($.a)"}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/A/CausePath: The field 'CausePath' needs a string; States.Array does not return one | use one of States.ArrayGetItem, States.Base64Decode, States.Base64Encode, States.Format, States.Hash, States.JsonToString, States.UUID",
		}},
		{"Fail Error looks like a path", `{"StartAt":"A","States":{"A":{"Type":"Fail","Error":"$.error"}}}`, []string{
			"warning: NO_PATH /States/A/Error: The value of 'Error' looks like a path but is used as literal text | to read it from the input use \"ErrorPath\"",
		}},
		{"Fail InputPath", `{"StartAt":"A","States":{"A":{"Type":"Fail","InputPath":"$"}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/A/InputPath: Field InputPath not allowed. | Fail states do not accept it",
		}},
		{"Choice missing Choices", `{"StartAt":"A","States":{"A":{"Type":"Choice","Default":"B"},"B":{"Type":"Succeed"}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/A: These fields are required: [Choices]",
		}},
		{"Choice empty Choices", `{"StartAt":"A","States":{"A":{"Type":"Choice","Choices":[],"Default":"B"},"B":{"Type":"Succeed"}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/A/Choices: Value cannot be empty",
		}},
		{"Choice two operators", `{"StartAt":"A","States":{"A":{"Type":"Choice","Choices":[{"Variable":"$.a","StringEquals":"x","NumericEquals":1,"Next":"B"}]},"B":{"Type":"Succeed"}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/A/Choices/0: Each Choice Rule can only have one comparison operator; found StringEquals, NumericEquals",
		}},
		{"Choice nested Next", `{"StartAt":"A","States":{"A":{"Type":"Choice","Choices":[{"Not":{"Variable":"$.a","IsNull":true,"Next":"B"},"Next":"B"}]},"B":{"Type":"Succeed"}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/A/Choices/0/Not/Next: Field Next not allowed in a rule nested in And, Or or Not; only the rules directly in Choices take a transition",
		}},
		{"Choice rule without Next", `{"StartAt":"A","States":{"A":{"Type":"Choice","Choices":[{"Variable":"$.a","IsNull":true}],"Default":"B"},"B":{"Type":"Succeed"}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/A/Choices/0: The field 'Next' is required but was missing",
		}},
		{"Choice Default missing target", `{"StartAt":"A","States":{"A":{"Type":"Choice","Choices":[{"Variable":"$.a","IsNull":true,"Next":"Done"}],"Default":"Dnoe"},"Done":{"Type":"Succeed"}}}`, []string{
			"MISSING_TRANSITION_TARGET /States/A/Default: Missing 'Default' target: Dnoe | did you mean \"Done\"?",
		}},
		{"Choice bad timestamp operand", `{"StartAt":"A","States":{"A":{"Type":"Choice","Choices":[{"Variable":"$.t","TimestampEquals":"2020-01-01","Next":"B"}]},"B":{"Type":"Succeed"}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/A/Choices/0/TimestampEquals: String does not match RFC3339 timestamp (TimestampEquals needs a timestamp such as \"2016-03-14T01:59:00Z\", got \"2020-01-01\")",
		}},
		{"Choice Variable not a path", `{"StartAt":"A","States":{"A":{"Type":"Choice","Choices":[{"Variable":"t","IsNull":true,"Next":"B"}]},"B":{"Type":"Succeed"}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/A/Choices/0/Variable: Value is not a Reference Path: Reference path didn't start with '$'",
		}},
		{"JSONata Choice rule with Variable", `{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Choice","Choices":[{"Variable":"$.a","IsNull":true,"Next":"B"}]},"B":{"Type":"Succeed"}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/A/Choices/0: These fields are required: [Condition]",
			"SCHEMA_VALIDATION_FAILED /States/A/Choices/0/Variable: Field Variable not allowed. | JSONata choice rules test a \"Condition\": \"{% … %}\" instead of Variable and comparison operators",
			"SCHEMA_VALIDATION_FAILED /States/A/Choices/0/IsNull: Field IsNull not allowed. | JSONata choice rules test a \"Condition\": \"{% … %}\" instead of Variable and comparison operators",
		}},
		{"JSONata Choice Condition type", `{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Choice","Choices":[{"Condition":"yes","Next":"B"}]},"B":{"Type":"Succeed"}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/A/Choices/0/Condition: The field 'Condition' must be a boolean or a JSONata expression \"{% … %}\", not \"yes\" (a string)",
		}},
		{"Parallel empty Branches", `{"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[],"End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/P/Branches: Value cannot be empty",
		}},
		{"Parallel missing Branches", `{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/P: These fields are required: [Branches]",
		}},
		{"Parallel branch leaves its scope", `{"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[{"StartAt":"X","States":{"X":{"Type":"Pass","Next":"Done"}}}],"Next":"Done"},"Done":{"Type":"Succeed"}}}`, []string{
			"MISSING_END_STATE /States/P/Branches/0/States: No state ends this workflow | give a state \"End\": true, or add a Succeed or Fail state",
			"MISSING_TRANSITION_TARGET /States/P/Branches/0/States/X/Next: Missing 'Next' target: Done | state \"Done\" is at /States/Done, in another scope: transitions cannot enter or leave a Parallel branch or a Map item processor",
		}},
		{"Parallel branch missing StartAt", `{"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[{"States":{"X":{"Type":"Succeed"}}}],"End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/P/Branches/0: These fields are required: [StartAt]",
		}},
		{"duplicate state name across branches", `{"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[{"StartAt":"X","States":{"X":{"Type":"Succeed"}}},{"StartAt":"X","States":{"X":{"Type":"Succeed"}}}],"End":true}}}`, []string{
			"DUPLICATE_STATE_NAME /States/P/Branches/1/States/X: Duplicate State name: X | also defined at /States/P/Branches/0/States/X; state names must be unique in the whole definition, including Parallel branches and Map item processors",
		}},
		{"duplicate state name in one object", `{"StartAt":"A","States":{"A":{"Type":"Succeed"},"A":{"Type":"Succeed"}}}`, []string{
			"DUPLICATE_STATE_NAME /States/A: Duplicate State name: A",
		}},
		{"state name too long", `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"},"BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB":{"Type":"Succeed"}}}`, []string{
			"INVALID_STATE_NAME /States/BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB: State name is 81 characters long; the maximum is 80",
		}},
		{"Map missing ItemProcessor", `{"StartAt":"M","States":{"M":{"Type":"Map","End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/M: These fields are required: [ItemProcessor]",
		}},
		{"Map ItemProcessor and Iterator", `{"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"StartAt":"X","States":{"X":{"Type":"Succeed"}}},"Iterator":{"StartAt":"Y","States":{"Y":{"Type":"Succeed"}}},"End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/M/Iterator: The fields 'ItemProcessor' and 'Iterator' are mutually exclusive; 'Iterator' is the deprecated name of 'ItemProcessor', keep only 'ItemProcessor'",
		}},
		{"Map distributed without ExecutionType", `{"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED"},"StartAt":"X","States":{"X":{"Type":"Succeed"}}},"End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/M/ItemProcessor/ProcessorConfig: These fields are required: [ExecutionType] | a DISTRIBUTED item processor runs child executions of type STANDARD or EXPRESS",
		}},
		{"Map bad Mode", `{"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"ProcessorConfig":{"Mode":"PARALLEL"},"StartAt":"X","States":{"X":{"Type":"Succeed"}}},"End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/M/ItemProcessor/ProcessorConfig/Mode: The field 'Mode' should have one of these values: [INLINE, DISTRIBUTED]",
		}},
		{"Map ranges", `{"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":-1,"ToleratedFailurePercentage":101,"ToleratedFailureCount":1.5,"ItemProcessor":{"StartAt":"X","States":{"X":{"Type":"Succeed"}}},"End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/M/MaxConcurrency: The field 'MaxConcurrency' must be between 0 and 2147483647, not -1",
			"SCHEMA_VALIDATION_FAILED /States/M/ToleratedFailurePercentage: The field 'ToleratedFailurePercentage' must be between 0 and 100, not 101",
			"SCHEMA_VALIDATION_FAILED /States/M/ToleratedFailureCount: The field 'ToleratedFailureCount' must be an integer, not 1.5 (a number)",
		}},
		{"Map MaxConcurrency and Path", `{"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1,"MaxConcurrencyPath":"$.m","ItemProcessor":{"StartAt":"X","States":{"X":{"Type":"Succeed"}}},"End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/M/MaxConcurrencyPath: The fields 'MaxConcurrency' and 'MaxConcurrencyPath' are mutually exclusive; keep only one of them",
		}},
		{"Map ItemsPath not a reference path", `{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items[*]","ItemProcessor":{"StartAt":"X","States":{"X":{"Type":"Succeed"}}},"End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/M/ItemsPath: Value is not a Reference Path: '[' must be followed by ' or '['",
		}},
		{"Map Items in JSONata must be array, object or expression", `{"QueryLanguage":"JSONata","StartAt":"M","States":{"M":{"Type":"Map","Items":5,"ItemProcessor":{"StartAt":"X","States":{"X":{"Type":"Succeed"}}},"End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/M/Items: The field 'Items' must be an array, an object or a JSONata expression \"{% … %}\", not 5 (an integer)",
		}},
		{"Map bad labels", `{"StartAt":"M","States":{"M":{"Type":"Map","Label":"my label","ItemProcessor":{"StartAt":"X","States":{"X":{"Type":"Succeed"}}},"Next":"N"},"N":{"Type":"Map","Label":"L","ItemProcessor":{"StartAt":"Y","States":{"Y":{"Type":"Succeed"}}},"Next":"O"},"O":{"Type":"Map","Label":"L","ItemProcessor":{"StartAt":"Z","States":{"Z":{"Type":"Succeed"}}},"End":true}}}`, []string{
			"INVALID_LABEL_NAME /States/M/Label: Label contains \" \" | labels cannot contain whitespace, control characters or any of ? * < > { } [ ] : ; , \\ | ^ ~ $ # % & ` \"",
			"DUPLICATE_LABEL_NAME /States/O/Label: Duplicate Label name: L | also used at /States/N/Label; labels must be unique in the definition",
		}},
		{"Map label too long", `{"StartAt":"M","States":{"M":{"Type":"Map","Label":"LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL","ItemProcessor":{"StartAt":"X","States":{"X":{"Type":"Succeed"}}},"End":true}}}`, []string{
			"INVALID_LABEL_NAME /States/M/Label: Label is 41 characters long; the maximum is 40",
		}},
		{"ItemReader checks", `{"StartAt":"M","States":{"M":{"Type":"Map","ItemReader":{"ReaderConfig":{"InputType":"XML","CSVHeaderLocation":"GIVEN","MaxItems":0}},"ItemProcessor":{"StartAt":"X","States":{"X":{"Type":"Succeed"}}},"End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/M/ItemReader: These fields are required: [Resource]",
			"SCHEMA_VALIDATION_FAILED /States/M/ItemReader/ReaderConfig: These fields are required: [CSVHeaders] | CSVHeaderLocation is GIVEN",
			"SCHEMA_VALIDATION_FAILED /States/M/ItemReader/ReaderConfig/InputType: The field 'InputType' should have one of these values: [CSV, JSON, JSONL, PARQUET, MANIFEST]",
			"SCHEMA_VALIDATION_FAILED /States/M/ItemReader/ReaderConfig/MaxItems: The field 'MaxItems' must be between 1 and 100000000, not 0",
		}},
		{"ItemReader CSV headers duplicate", `{"StartAt":"M","States":{"M":{"Type":"Map","ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"GIVEN","CSVHeaders":["a","a"]},"Parameters":{"Bucket":"b","Key":"k"}},"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"X","States":{"X":{"Type":"Succeed"}}},"End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/M/ItemReader/ReaderConfig/CSVHeaders: CSV headers cannot contain duplicates: \"a\" appears more than once",
		}},
		{"ItemBatcher empty", `{"StartAt":"M","States":{"M":{"Type":"Map","ItemBatcher":{},"ItemProcessor":{"StartAt":"X","States":{"X":{"Type":"Succeed"}}},"End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/M/ItemBatcher: An ItemBatcher needs at least one of MaxItemsPerBatch, MaxInputBytesPerBatch (or their Path forms)",
		}},
		{"ResultWriter Resource without Parameters", `{"StartAt":"M","States":{"M":{"Type":"Map","ResultWriter":{"Resource":"arn:aws:states:::s3:putObject"},"ItemProcessor":{"StartAt":"X","States":{"X":{"Type":"Succeed"}}},"End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/M/ResultWriter: A ResultWriter's Resource and Parameters/Arguments go together: give both or neither",
		}},
		{"invalid dollar value", `{"StartAt":"X","States":{"X":{"Type":"Pass","Parameters":{"parsed.$":"bad"},"End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/X/Parameters: The value for the field 'parsed.$' must be a valid JSONPath or a valid intrinsic function call | \"bad\" is neither: paths start with '$', intrinsic calls look like States.Format(…)",
		}},
		{"bad intrinsic", `{"StartAt":"X","States":{"X":{"Type":"Pass","Parameters":{"a":{"b.$":"States.Format('{}' $.x)"}},"End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/X/Parameters: The value for the field 'b.$' must be a valid JSONPath or a valid intrinsic function call | unexpected '$' in the arguments of States.Format, expected ',' or ')' (at offset 19 of \"States.Format('{}' $.x)\")",
		}},
		{"dollar key twice", `{"StartAt":"X","States":{"X":{"Type":"Pass","Parameters":{"a":1,"a.$":"$.a"},"End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/X/Parameters: The field 'a' appears twice once '.$' is removed | keep one of 'a' and 'a.$'",
		}},
		{"NO_DOLLAR warning", `{"StartAt":"X","States":{"X":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"Payload":"$.input"},"End":true}}}`, []string{
			"warning: NO_DOLLAR /States/X/Parameters: The value of 'Payload' looks like a path or an intrinsic function call, but the field name does not end in '.$', so it is a literal string | rename the field to 'Payload.$' to evaluate it",
		}},
		{"dollar value not a string", `{"StartAt":"X","States":{"X":{"Type":"Pass","Parameters":{"a.$":1},"End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/X/Parameters: The value for the field 'a.$' must be a valid JSONPath or a valid intrinsic function call | it must be a string, not 1 (an integer)",
		}},
		{"Parameters not an object", `{"StartAt":"X","States":{"X":{"Type":"Pass","Parameters":"$.x","End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/X/Parameters: The field 'Parameters' must be an object, not \"$.x\" (a string)",
		}},
		{"PASS_RESULT_IS_STATIC", `{"StartAt":"X","States":{"X":{"Type":"Pass","Result":{"value":"$.input"},"End":true}}}`, []string{
			"warning: PASS_RESULT_IS_STATIC /States/X/Result: The Result field of a Pass state is static: \"$.input\" is not evaluated | to build the output from the input use Parameters",
		}},
		{"ResultPath not a reference path", `{"StartAt":"X","States":{"X":{"Type":"Pass","ResultPath":"result","End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/X/ResultPath: Value is not a Reference Path: Reference path didn't start with '$'",
		}},
		{"ResultPath context", `{"StartAt":"X","States":{"X":{"Type":"Pass","ResultPath":"$$.Execution","End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/X/ResultPath: ResultPath cannot refer to the context object ($$) | it says where in the state input the result goes",
		}},
		{"ResultPath variable", `{"StartAt":"X","States":{"X":{"Type":"Pass","ResultPath":"$myVar","End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/X/ResultPath: ResultPath cannot refer to a variable ($myVar) | to store the result in a variable use Assign",
		}},
		{"InputPath malformed", `{"StartAt":"X","States":{"X":{"Type":"Pass","InputPath":"$.a[","End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/X/InputPath: The value for the field 'InputPath' must be a valid JSONPath | invalid JSONPath \"$.a[\" at offset 4: unexpected end of expression after '[', expected a quoted name, an index, a slice, '*' or '?('",
		}},
		{"InputPath number", `{"StartAt":"X","States":{"X":{"Type":"Pass","InputPath":5,"End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/X/InputPath: The field 'InputPath' must be a path string or null, not 5 (an integer)",
		}},
		{"null paths are fine", `{"StartAt":"X","States":{"X":{"Type":"Pass","InputPath":null,"ResultPath":null,"OutputPath":null,"End":true}}}`, []string{}},
		{"Assign variable names", `{"StartAt":"X","States":{"X":{"Type":"Pass","Assign":{"states":1,"a.b":2,"1x":3,"ok":4,"ok2.$":"$.x","VVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVV":5},"End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/X/Assign/states: Invalid variable name 'states' in Assign | 'states' is reserved ($states holds the state's input, result and context)",
			"SCHEMA_VALIDATION_FAILED /States/X/Assign/a.b: Invalid variable name 'a.b' in Assign | Assign sets whole variables; sub-paths such as 'x.y' or 'x[0]' cannot be assigned",
			"SCHEMA_VALIDATION_FAILED /States/X/Assign/1x: Invalid variable name '1x' in Assign | a variable name must start with a letter or '_'",
			"SCHEMA_VALIDATION_FAILED /States/X/Assign/VVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVV: Invalid variable name 'VVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVV' in Assign | a variable name can have at most 80 characters",
		}},
		{"Assign not an object", `{"StartAt":"X","States":{"X":{"Type":"Pass","Assign":[],"End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/X/Assign: The field 'Assign' must be an object, not an array",
		}},
		{"Assign on Succeed", `{"StartAt":"X","States":{"X":{"Type":"Succeed","Assign":{"a":1}}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/X/Assign: Field Assign not allowed. | Succeed states do not accept it",
		}},
		{"JSONata unclosed", `{"QueryLanguage":"JSONata","StartAt":"X","States":{"X":{"Type":"Pass","Output":{"a":["{% $states.input"]},"End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/X/Output: The JSONata expression \"{% $states.input\" is not closed | a string starting with '{%' must end with '%}'",
		}},
		{"JSONata empty expression", `{"QueryLanguage":"JSONata","StartAt":"X","States":{"X":{"Type":"Pass","Output":"{%  %}","End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/X/Output: The JSONata expression between '{%' and '%}' is empty",
		}},
		{"states.result outside result fields", `{"QueryLanguage":"JSONata","StartAt":"X","States":{"X":{"Type":"Pass","Output":"{% $states.result %}","End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/X/Output: $states.result is not available here | it can only be used in the Output and Assign fields of Task, Map and Parallel states",
		}},
		{"states.result in Task Arguments", `{"QueryLanguage":"JSONata","StartAt":"X","States":{"X":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Arguments":{"x":"{% $states['result'] %}"},"Output":"{% $states.result %}","End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/X/Arguments: $states.result is not available here | it can only be used in the Output and Assign fields of Task, Map and Parallel states",
		}},
		{"states.errorOutput outside catcher", `{"QueryLanguage":"JSONata","StartAt":"X","States":{"X":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Output":"{% $states.errorOutput %}","Catch":[{"ErrorEquals":["States.ALL"],"Output":"{% $states.errorOutput %}","Assign":{"e":"{% $states.errorOutput.Error %}"},"Next":"Y"}],"End":true},"Y":{"Type":"Succeed"}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/X/Output: $states.errorOutput is not available here | it can only be used in the Output and Assign fields of a Catcher",
		}},
		{"states.result inside a string literal is fine", `{"QueryLanguage":"JSONata","StartAt":"X","States":{"X":{"Type":"Pass","Output":"{% '$states.result' & \"$states.errorOutput\" %}","End":true}}}`, []string{}},
		{"JSONata Arguments bad type", `{"QueryLanguage":"JSONata","StartAt":"X","States":{"X":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Arguments":5,"End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/X/Arguments: The field 'Arguments' must be an object or a JSONata expression \"{% … %}\", not 5 (an integer)",
		}},
		{"JSONata Fail Error expression", `{"QueryLanguage":"JSONata","StartAt":"X","States":{"X":{"Type":"Fail","Error":"{% 'E' ","Cause":"{% $states.input.c %}"}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/X/Error: The JSONata expression \"{% 'E' \" is not closed | a string starting with '{%' must end with '%}'",
		}},
		{"JSONata syntax error", `{"QueryLanguage":"JSONata","StartAt":"X","States":{"X":{"Type":"Pass","Output":{"a":"{% $states.input.a + %}"},"End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/X/Output: The JSONata expression '$states.input.a +' is not valid: S0207: Unexpected end of expression",
		}},
		{"empty state names", `{"StartAt":"","States":{"A":{"Type":"Pass","Next":""},"B":{"Type":"Choice","Choices":[{"Variable":"$.a","IsNull":true,"Next":""}],"Default":""}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /StartAt: The field 'StartAt' cannot be empty; it must name a state",
			"MISSING_END_STATE /States: No state ends this workflow | give a state \"End\": true, or add a Succeed or Fail state",
			"SCHEMA_VALIDATION_FAILED /States/A/Next: The field 'Next' cannot be empty; it must name a state",
			"SCHEMA_VALIDATION_FAILED /States/B/Choices/0/Next: Next must be the name of a state, got \"\"",
			"SCHEMA_VALIDATION_FAILED /States/B/Default: The field 'Default' cannot be empty; it must name a state",
		}},
		{"SAM placeholder resource", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"${HelloFunctionArn}","End":true}}}`, []string{
			"INVALID_RESOURCE /States/A/Resource: The resource provided ${HelloFunctionArn} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region. | it holds a ${…} placeholder, as SAM and CloudFormation DefinitionSubstitutions use: substitute it before validating",
		}},
		{"ItemReader and ResultWriter resources", `{"StartAt":"M","States":{"M":{"Type":"Map","ItemReader":{"Resource":"arn:aws:states:::s3:getObjects","Parameters":{"Bucket":"b","Key":"k"}},"ResultWriter":{"Resource":"arn:aws-cn:states:::s3:putObject","Parameters":{"Bucket":"b","Prefix":"p"}},"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"X","States":{"X":{"Type":"Succeed"}}},"End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/M/ItemReader/Resource: The resource provided arn:aws:states:::s3:getObjects is not recognized. The value is not a valid resource ARN, or the resource is not available in this region. | use arn:aws:states:::s3:getObject or arn:aws:states:::s3:listObjectsV2",
		}},
		{"inner scope assigns an outer variable", `{"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"x":1},"Next":"P"},"P":{"Type":"Parallel","Branches":[{"StartAt":"B","States":{"B":{"Type":"Pass","Assign":{"x":2},"End":true}}}],"End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/P/Branches/0/States/B/Assign/x: The variable 'x' is already assigned in an enclosing scope | a Parallel branch or Map iteration can read it but cannot assign it; use another name, or return the value through the state's output",
		}},
		{"duplicate field", `{"StartAt":"X","States":{"X":{"Type":"Pass","End":true,"End":true}}}`, []string{
			"SCHEMA_VALIDATION_FAILED /States/X/End: The field 'End' appears more than once in this object | remove the duplicates: only the last value would be kept",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ds := Load([]byte(tt.def), ValidateOptions{})
			got := diagLines(ds)
			if !slices.Equal(got, tt.want) {
				t.Errorf("diagnostics:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestValidateExpress(t *testing.T) {
	def := `{"StartAt":"A","States":{
"A":{"Type":"Task","Resource":"arn:aws:states:us-east-1:111111111111:activity:work","Next":"B"},
"B":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2","Next":"C"},
"C":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","Next":"D"},
"D":{"Type":"Task","Resource":"arn:aws:states:::glue:startJobRun.sync","Next":"E"},
"E":{"Type":"Map","ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},"StartAt":"F","States":{"F":{"Type":"Succeed"}}},"End":true}}}`
	_, ds := Load([]byte(def), ValidateOptions{Type: Express})
	want := []string{
		"SCHEMA_VALIDATION_FAILED /States/A/Resource: Express state machine does not support Activity ARN",
		"SCHEMA_VALIDATION_FAILED /States/B/Resource: Express state machine does not support '.sync' service integration",
		"SCHEMA_VALIDATION_FAILED /States/C/Resource: Express state machine does not support '.waitForTaskToken' service integration ",
		"SCHEMA_VALIDATION_FAILED /States/D/Resource: Express state machine does not support '.sync' service integration",
		"SCHEMA_VALIDATION_FAILED /States/E/ItemProcessor/ProcessorConfig/Mode: Express state machine does not support Distributed Map | use \"Mode\": \"INLINE\" or a STANDARD state machine",
	}
	if got := diagLines(ds); !slices.Equal(got, want) {
		t.Errorf("EXPRESS:\n got %q\nwant %q", got, want)
	}
	if _, ds := Load([]byte(def), ValidateOptions{Type: Standard}); len(ds) != 0 {
		t.Errorf("STANDARD: got %q, want none", diagLines(ds))
	}
	wantMsg := "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Express state machine does not support Activity ARN at /States/A/Resource, " +
		"SCHEMA_VALIDATION_FAILED: Express state machine does not support '.sync' service integration at /States/B/Resource, " +
		"SCHEMA_VALIDATION_FAILED: Express state machine does not support '.waitForTaskToken' service integration  at /States/C/Resource, " +
		"SCHEMA_VALIDATION_FAILED: Express state machine does not support '.sync' service integration at /States/D/Resource, " +
		"SCHEMA_VALIDATION_FAILED: Express state machine does not support Distributed Map at /States/E/ItemProcessor/ProcessorConfig/Mode'"
	if got := ds.InvalidDefinitionMessage(); got != wantMsg {
		t.Errorf("InvalidDefinitionMessage:\n got %s\nwant %s", got, wantMsg)
	}
	if err := ds.Err(); err == nil || err.Error() != wantMsg {
		t.Errorf("Err() = %v", err)
	}
}

func TestValidateSeverityFilter(t *testing.T) {
	def := `{"StartAt":"X","States":{"X":{"Type":"Pass","Result":{"v":"$.a"},"Next":"Y"},"Y":{"Type":"Pass","Nxt":"Z","End":true}}}`
	_, all := Load([]byte(def), ValidateOptions{})
	_, errs := Load([]byte(def), ValidateOptions{Severity: SeverityError})
	if len(all) != 2 || len(all.Warnings()) != 1 || len(all.Errors()) != 1 {
		t.Fatalf("all: %q", diagLines(all))
	}
	if got, want := diagLines(errs), []string{`SCHEMA_VALIDATION_FAILED /States/Y/Nxt: Field Nxt not allowed. | did you mean "Next"?`}; !slices.Equal(got, want) {
		t.Errorf("errors only: got %q want %q", got, want)
	}
	if !errs.HasErrors() || (Diagnostics{all.Warnings()[0]}).HasErrors() {
		t.Error("HasErrors is wrong")
	}
	if (Diagnostics{all.Warnings()[0]}).Err() != nil || (Diagnostics{all.Warnings()[0]}).InvalidDefinitionMessage() != "" {
		t.Error("warnings alone must not make an error")
	}
}

// TestValidatePositions checks that diagnostics point at the right line
// and column, sorted by position, and how they print.
func TestValidatePositions(t *testing.T) {
	def := `{
  "StartAt": "Start",
  "States": {
    "Start": {
      "Type": "Pass",
      "Next": "Chek"
    },
    "Check": {
      "Type": "Succeed",
      "Bogus": 1
    }
  }
}`
	path := filepath.Join(t.TempDir(), "definition.asl.json")
	if err := os.WriteFile(path, []byte(def), 0o600); err != nil {
		t.Fatal(err)
	}
	_, ds, err := LoadFile(path, ValidateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range ds {
		got = append(got, strings.TrimPrefix(d.String(), filepath.Dir(path)+string(filepath.Separator)))
	}
	want := []string{
		`definition.asl.json:6:15: /States/Start/Next: MISSING_TRANSITION_TARGET: Missing 'Next' target: Chek (did you mean "Check"?)`,
		`definition.asl.json:8:5: /States/Check: MISSING_TRANSITION_TARGET: State "Check" is not reachable.`,
		`definition.asl.json:10:7: /States/Check/Bogus: SCHEMA_VALIDATION_FAILED: Field Bogus not allowed. (Succeed states accept: Type, Comment, QueryLanguage, InputPath, OutputPath)`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("diagnostics:\n got %q\nwant %q", got, want)
	}
}

func TestValidateYAMLPositions(t *testing.T) {
	def := `StartAt: Wait
States:
  Wait:
    Type: Wait
    Timestamp: 2016-03-14T01:59:00
    Next: Done
  Done:
    Type: Succeed
`
	_, ds := Load([]byte(def), ValidateOptions{})
	var got []string
	for _, d := range ds {
		got = append(got, d.String())
	}
	want := []string{`5:16: /States/Wait/Timestamp: SCHEMA_VALIDATION_FAILED: String does not match RFC3339 timestamp (e.g. 2024-03-01T12:00:00Z)`}
	if !slices.Equal(got, want) {
		t.Errorf("got %q want %q", got, want)
	}
}

// TestValidDefinitions: definitions using every state type and both query
// languages validate without any diagnostic.
func TestValidDefinitions(t *testing.T) {
	files, err := filepath.Glob("testdata/valid/*")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata/valid files: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			def, ds, err := LoadFile(f, ValidateOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(ds) != 0 {
				t.Errorf("unexpected diagnostics:\n%s", strings.Join(diagLines(ds), "\n"))
			}
			if def == nil || def.States.Len() == 0 {
				t.Error("no states parsed")
			}
		})
	}
}

// TestRecordedDefinitions: every definition that real AWS accepted (the
// recorded executions) parses and validates without errors.
func TestRecordedDefinitions(t *testing.T) {
	files, _ := filepath.Glob("/work/shared/aws-recorded/cases/*/definition.json")
	if len(files) == 0 {
		t.Skip("recorded AWS cases not available")
	}
	for _, f := range files {
		typ := Standard
		if meta, err := os.ReadFile(filepath.Join(filepath.Dir(f), "case.json")); err == nil && strings.Contains(string(meta), `"state_machine_type": "EXPRESS"`) {
			typ = Express
		}
		_, ds, err := LoadFile(f, ValidateOptions{Type: typ, Severity: SeverityError})
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) != 0 {
			t.Errorf("%s:\n%s", f, strings.Join(diagLines(ds), "\n"))
		}
	}
	t.Logf("%d recorded definitions validated", len(files))
}

// TestDollarKeyTwicePosition checks that a key repeated once ".$" is
// removed is reported at whichever of the two comes second.
func TestDollarKeyTwicePosition(t *testing.T) {
	for _, tt := range []struct {
		params string
		column int
	}{
		{`{"a":1,"a.$":"$.a"}`, 65},
		{`{"a.$":"$.a","b":2,"a":1}`, 77},
		{`{"x":{"a.$":"$.a","a":1}}`, 76},
	} {
		def := `{"StartAt":"X","States":{"X":{"Type":"Pass","Parameters":` + tt.params + `,"End":true}}}`
		_, ds := Load([]byte(def), ValidateOptions{})
		if len(ds) != 1 || ds[0].Line != 1 || ds[0].Column != tt.column {
			t.Errorf("%s: got %q at %d:%d, want one diagnostic at 1:%d", tt.params, diagLines(ds), ds[0].Line, ds[0].Column, tt.column)
		}
	}
}
