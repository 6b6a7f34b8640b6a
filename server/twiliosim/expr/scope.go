package expr

// Scope is the data an expression is evaluated against. A path whose first
// name is a key of Named is resolved in that root (`task.x`, `worker.x`);
// any other path is resolved in Default. Named roots win over a Default
// attribute of the same name, as TaskRouter reserves these prefixes.
//
// Values are expected as encoding/json decodes them (map[string]any, []any,
// float64, string, bool, nil); Go integers, float32, json.Number and
// []string are accepted too. Other types never compare equal to anything.
type Scope struct {
	Default map[string]any
	Named   map[string]map[string]any
}

// TaskScope is the scope of a Workflow filter expression: bare names and
// `task.` both refer to the task attributes.
func TaskScope(task map[string]any) Scope {
	return Scope{Default: task, Named: map[string]map[string]any{"task": task}}
}

// WorkerScope is the scope of a TaskQueue target_workers expression: bare
// names and `worker.` both refer to the worker attributes.
func WorkerScope(worker map[string]any) Scope {
	return Scope{Default: worker, Named: map[string]map[string]any{"worker": worker}}
}

// TargetScope is the scope of a routing step's target expression, which
// matches a task against each worker: `task.` and `worker.` name the two
// documents, and bare names mean worker attributes.
func TargetScope(task, worker map[string]any) Scope {
	return Scope{Default: worker, Named: map[string]map[string]any{"task": task, "worker": worker}}
}

// resolve walks a path; anything that does not resolve is nil (null).
func (s *Scope) resolve(segs []segment) any {
	var cur any = s.Default
	if root, ok := s.Named[segs[0].name]; ok {
		cur, segs = root, segs[1:]
	}
	for _, seg := range segs {
		cur = normalize(cur)
		if seg.isIndex {
			arr, ok := cur.([]any)
			if !ok || seg.index >= len(arr) {
				return nil
			}
			cur = arr[seg.index]
			continue
		}
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[seg.name]
	}
	return normalize(cur)
}
