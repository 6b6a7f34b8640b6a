package twilioapi

import (
	"context"

	"github.com/flex-internal-call/internal-call/call"
)

// FetchWorker fetches a worker with its revision (ETag).
func (tr *TaskRouter) FetchWorker(ctx context.Context, sid string) (*call.Worker, error) {
	if err := checkSIDs("fetch worker", call.PrefixWorkspace, tr.ws, call.PrefixWorker, sid); err != nil {
		return nil, err
	}
	resp, err := tr.c.taskrouter(ctx).FetchWorkerWithMetadata(tr.ws, sid)
	if err != nil {
		return nil, classify(err, "fetch worker "+sid)
	}
	w := resp.GetResource()
	return &call.Worker{Sid: deref(w.Sid), FriendlyName: deref(w.FriendlyName), Attributes: deref(w.Attributes), ETag: resp.GetHeader("ETag")}, nil
}
