package asl

import "slices"

// internedKeys maps the field names that occur in most definitions to one
// shared copy, so that decoding a definition does not allocate a string
// for each of them. Looking a []byte up with m[string(b)] does not
// allocate. It is built once and only read afterwards.
var internedKeys = func() map[string]string {
	names := slices.Concat(commonFields, topLevelFields, branchFields, processorFields, retrierFields,
		catcherPathFields, catcherAtaFields, ruleAtaFields, readerFields, readerConfigFields, batcherFields,
		writerFields, writerConfigFields, processorConfFields,
		[]string{"Choices", "Variable", "And", "Or", "Not", "Default", "RoleArn", "RoleArn.$",
			"FunctionName", "Payload", "Payload.$", "Input", "Input.$", "StateMachineArn", "QueueUrl", "MessageBody",
			"MessageBody.$", "TaskToken", "TaskToken.$", "TopicArn", "Message", "Message.$", "TableName", "Key", "Item"})
	for _, f := range jsonPathFields {
		names = append(names, f...)
	}
	for _, f := range jsonataFields {
		names = append(names, f...)
	}
	for _, p := range []string{"String", "Numeric", "Timestamp"} {
		for _, op := range []string{"Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals"} {
			names = append(names, p+op, p+op+"Path")
		}
	}
	names = append(names, "BooleanEquals", "BooleanEqualsPath", "StringMatches",
		"IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp")
	m := make(map[string]string, len(names))
	for _, n := range names {
		m[n] = n
	}
	return m
}()

// internedValues holds boxed copies of string values that are common in
// definitions (state types, query languages, modes, "$", error names), so
// that decoding them allocates nothing. Only read after initialisation.
var internedValues = func() map[string]any {
	values := slices.Concat(stateTypes, []string{"JSONPath", "JSONata", "INLINE", "DISTRIBUTED", "STANDARD", "EXPRESS",
		"FULL", "NONE", "$", "$$", "1.0", "States.ALL", "States.TaskFailed", "States.Timeout", "States.Runtime",
		"arn:aws:states:::lambda:invoke"})
	m := make(map[string]any, len(values))
	for _, v := range values {
		m[v] = v
	}
	return m
}()
