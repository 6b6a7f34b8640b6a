package twilioapi

import (
	"context"
	"strings"

	taskrouter "github.com/twilio/twilio-go/rest/taskrouter/v1"

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

// WorkerByContact returns the worker whose contact_uri is contactURI.
func (tr *TaskRouter) WorkerByContact(ctx context.Context, contactURI string) (*call.Worker, error) {
	if err := checkSIDs("find worker", call.PrefixWorkspace, tr.ws); err != nil {
		return nil, err
	}
	if !call.ValidContactURI(contactURI) || strings.ContainsAny(contactURI, `"'\`) {
		return nil, call.Errorf(call.Invalid, "find worker: %q is not a contact URI", contactURI)
	}
	p := &taskrouter.ListWorkerParams{}
	p.SetTargetWorkersExpression(`contact_uri == "` + contactURI + `"`)
	p.SetPageSize(2)
	page, err := tr.c.taskrouter(ctx).PageWorker(tr.ws, p, "", "")
	if err != nil {
		return nil, classify(err, "find worker "+contactURI)
	}
	if len(page.Workers) == 0 {
		return nil, call.Errorf(call.NotFound, "no worker has contact_uri %s", contactURI)
	}
	w := page.Workers[0]
	return &call.Worker{Sid: deref(w.Sid), FriendlyName: deref(w.FriendlyName), Attributes: deref(w.Attributes)}, nil
}

// UpdateWorkerAttributes replaces a worker's attributes; with ifMatch, a
// worker changed in between is a call.Stale error.
func (tr *TaskRouter) UpdateWorkerAttributes(ctx context.Context, sid, attributes, ifMatch string) (*call.Worker, error) {
	if err := checkSIDs("update worker", call.PrefixWorkspace, tr.ws, call.PrefixWorker, sid); err != nil {
		return nil, err
	}
	p := &taskrouter.UpdateWorkerParams{}
	p.SetAttributes(attributes)
	if ifMatch != "" {
		p.SetIfMatch(ifMatch)
	}
	resp, err := tr.c.taskrouter(ctx).UpdateWorkerWithMetadata(tr.ws, sid, p)
	if err != nil {
		return nil, classify(err, "update worker "+sid)
	}
	w := resp.GetResource()
	return &call.Worker{Sid: deref(w.Sid), FriendlyName: deref(w.FriendlyName), Attributes: deref(w.Attributes), ETag: resp.GetHeader("ETag")}, nil
}
