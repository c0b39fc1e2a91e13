// Package jsonv is stepctl's model of JSON values: object key order and
// integer-ness are kept from parse to print, as AWS Step Functions keeps them.
//
// A JSON value is held in a plain Go value of one of these types:
//
//	nil        JSON null
//	bool       true / false
//	string     a string
//	int64      a number written without fraction or exponent that fits in 64 bits
//	float64    any other number
//	*Object    an object, keys in insertion order
//	[]any      an array
//
// Every package of stepctl that touches JSON (paths, templates, intrinsics,
// JSONata, the engine, the stores) uses these types, so values move between
// them without conversion. The package owns parsing, printing, deep equality,
// copying and conversion from arbitrary Go values. It has no dependency on
// the rest of stepctl and must never gain one.
package jsonv
