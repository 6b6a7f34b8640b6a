package twilioapi

import (
	"cmp"
	"context"
	"encoding/json"

	taskrouter "github.com/twilio/twilio-go/rest/taskrouter/v1"

	"github.com/flex-internal-call/internal-call/call"
)

// TaskReservations lists the reservations of a task, optionally only those of one worker.
func (tr *TaskRouter) TaskReservations(ctx context.Context, taskSid, workerSid string) ([]call.Reservation, error) {
	if err := checkSIDs("list reservations", call.PrefixWorkspace, tr.ws, call.PrefixTask, taskSid); err != nil {
		return nil, err
	}
	p := &taskrouter.ListTaskReservationParams{}
	if workerSid != "" {
		if err := checkSIDs("list reservations", call.PrefixWorker, workerSid); err != nil {
			return nil, err
		}
		p.SetWorkerSid(workerSid)
	}
	// One page of 50 (a task has a handful of reservations): the helper's
	// List would also parse every page again to find the next one.
	p.SetPageSize(50)
	page, err := tr.c.taskrouter(ctx).PageTaskReservation(tr.ws, taskSid, p, "", "")
	if err != nil {
		return nil, classify(err, "list reservations of "+taskSid)
	}
	out := make([]call.Reservation, 0, len(page.Reservations))
	for _, r := range page.Reservations {
		out = append(out, call.Reservation{Sid: deref(r.Sid), WorkerSid: deref(r.WorkerSid), Status: deref(r.ReservationStatus)})
	}
	return out, nil
}

// RejectReservation rejects a pending reservation so the task routes on.
func (tr *TaskRouter) RejectReservation(ctx context.Context, taskSid, reservationSid string) error {
	if err := checkSIDs("reject reservation", call.PrefixWorkspace, tr.ws, call.PrefixTask, taskSid, call.PrefixReservation, reservationSid); err != nil {
		return err
	}
	p := &taskrouter.UpdateTaskReservationParams{}
	p.SetReservationStatus("rejected")
	_, err := tr.c.taskrouter(ctx).UpdateTaskReservation(tr.ws, taskSid, reservationSid, p)
	return classify(err, "reject reservation "+reservationSid)
}

// WorkerContactURI returns a worker's contact_uri attribute, as read from
// Twilio within the last minute.
func (tr *TaskRouter) WorkerContactURI(ctx context.Context, workerSid string) (string, error) {
	if err := checkSIDs("fetch worker", call.PrefixWorkspace, tr.ws, call.PrefixWorker, workerSid); err != nil {
		return "", err
	}
	if uri, ok := tr.contacts.Get(workerSid); ok {
		return uri, nil
	}
	w, err := tr.c.taskrouter(ctx).FetchWorker(tr.ws, workerSid)
	if err != nil {
		return "", classify(err, "fetch worker "+workerSid)
	}
	var attrs struct {
		ContactURI string `json:"contact_uri"`
	}
	if err := json.Unmarshal([]byte(cmp.Or(deref(w.Attributes), "{}")), &attrs); err != nil {
		return "", call.Errorf(call.Invalid, "worker %s attributes: %v", workerSid, err)
	}
	tr.contacts.Add(workerSid, attrs.ContactURI)
	return attrs.ContactURI, nil
}
