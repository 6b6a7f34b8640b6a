package callflow

import (
	"context"

	"github.com/flex-internal-call/internal-call/call"
)

// Workers is TaskRouter's worker resource: who answered a queue call, by
// name, and the missed-call list kept in a worker's attributes.
type Workers interface {
	// FetchWorker returns the worker with its revision (ETag).
	FetchWorker(ctx context.Context, sid string) (*call.Worker, error)
	// WorkerByContact returns the worker whose contact_uri is contactURI
	// (call.NotFound when there is none).
	WorkerByContact(ctx context.Context, contactURI string) (*call.Worker, error)
	// UpdateWorkerAttributes replaces a worker's attributes; with ifMatch it
	// fails with call.Stale when the worker changed since that revision.
	UpdateWorkerAttributes(ctx context.Context, sid, attributes, ifMatch string) (*call.Worker, error)
}
