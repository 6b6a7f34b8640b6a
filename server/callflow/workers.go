package callflow

import (
	"context"

	"github.com/flex-internal-call/internal-call/call"
)

// Workers is TaskRouter's worker resource: who answered a queue call, by
// name.
type Workers interface {
	// FetchWorker returns the worker with its revision (ETag).
	FetchWorker(ctx context.Context, sid string) (*call.Worker, error)
}
