// Package asl reads Amazon States Language definitions: it parses JSON or
// YAML text into a typed model with source positions (Parse, ParseFile) and
// checks it the way AWS Step Functions does when a state machine is created
// (Validate, Load). The compiler that turns the model into an executable
// program builds on these types.
//
// The model (Definition, Scope, States, State and the types of their
// fields) keeps every field of every state type in both query languages,
// with "absent" distinguished from "null" where ASL gives them different
// meanings, payload templates and JSONata-capable fields as raw JSON values
// (asl/jsonv types), and a map from AWS-style locations
// ("/States/Check/Next") to line and column.
//
// Validation reports every problem at once as Diagnostics carrying AWS's
// codes (SCHEMA_VALIDATION_FAILED, MISSING_TRANSITION_TARGET, …), AWS's
// message texts where they are known (Message holds nothing else), a
// location and a line:column, plus a separate Hint on how to fix it ("did
// you mean …?"). Diagnostics.InvalidDefinitionMessage formats errors the
// way CreateStateMachine does. Task resources are checked against AWS's
// optimized service integrations and the aws-sdk form (resource.go);
// ValidateOptions.AcceptResource admits an engine's own integrations.
//
// Parsing allocates little in the common case: frequent field names and
// values are shared, objects are built at their final size, and the map
// from locations to positions is only built when a position is asked for.
//
// The package is pure: no I/O except ParseFile/LoadFile reading the named
// file, no goroutines, no clock, no global mutable state. A parsed
// Definition is never modified afterwards and may be read concurrently.
// The subpackages own the languages inside a definition (jsonv: JSON
// values; jsonpath, intrinsic, template, choice, retry, timestamp, wait,
// jsonata); this package must not re-implement their evaluation.
package asl
