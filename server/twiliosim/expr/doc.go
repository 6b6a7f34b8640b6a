// Package expr parses and evaluates TaskRouter expressions, the SQL-like
// language Twilio uses in TaskQueue target_workers, Workflow filter
// expressions, routing-step target expressions and skip_if.
//
// Grammar (keywords are case-insensitive):
//
//	expr       = and { ("OR" | "||") and }
//	and        = unary { ("AND" | "&&") unary }
//	unary      = ("NOT" | "!") unary | "(" expr ")" | comparison
//	comparison = operand op operand
//	op         = "==" | "=" | "!=" | ">" | ">=" | "<" | "<="
//	           | "HAS" | "CONTAINS" | "IN" | "NOT" "IN"
//	operand    = string | number | "true" | "false" | "null" | array | path
//	array      = "[" [ constant { "," constant } ] "]"
//	path       = name { "." name | "[" digits "]" }
//
// Strings use single or double quotes with backslash escapes (\\ \' \" \/
// \b \f \n \r \t \uXXXX). Numbers are unsigned decimals (1, 1.0, 0800):
// TaskRouter does not support hyphens, so there is no minus sign. A single
// "=" is accepted because Twilio's own time-of-day examples use it. A
// comparison is always required: a bare value such as `true` is refused,
// which keeps Parse as strict as TaskRouter is when a resource is created.
//
// Evaluation follows Twilio's documented rules:
//
//   - A path that does not resolve (missing key, index out of range, walking
//     into a scalar) is null.
//   - `x == null` is true exactly when x is null, `x != null` when it is not.
//     Every other comparison with a null operand is false, including
//     `a == b` when both attributes are missing: otherwise a target such as
//     `task.targetWorker == worker.contact_uri` would match every worker
//     without a contact_uri for every task without a targetWorker.
//   - Scalars are strings, numbers and booleans. == and != compare them
//     without conversion: '1' == 1 is false and '1' != 1 is true. Ordering
//     works on two numbers or two strings (byte order); anything else is false.
//     String comparison is case-sensitive.
//   - Scalar operators on arrays or objects are false; array operators on
//     two scalars are false.
//   - `a HAS v`: array a has an element equal to v.
//     `v IN a` / `v NOT IN a`: scalar v is / is not an element of array a;
//     both are false when v is null or a is not an array.
//   - `s CONTAINS sub`: string s contains substring sub. When the left side
//     is an array, true if any string element contains sub.
//
// Which document a name refers to depends on where the expression lives, so
// Eval takes a Scope: a default document for bare names plus named roots
// such as "task" and "worker" (see TaskScope, WorkerScope, TargetScope).
package expr
