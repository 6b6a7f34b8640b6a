package twilioapi

import (
	"cmp"
	"encoding/json"

	taskrouter "github.com/twilio/twilio-go/rest/taskrouter/v1"
)

// Reservation is the part of a TaskRouter reservation the server needs.
type Reservation struct {
	Sid       string
	WorkerSid string
	Status    string
}

// TaskReservations lists the reservations of a task, optionally only those of one worker.
func (c *Client) TaskReservations(ws, taskSid, workerSid string) ([]Reservation, error) {
	p := &taskrouter.ListTaskReservationParams{}
	if workerSid != "" {
		p.SetWorkerSid(workerSid)
	}
	p.SetLimit(50)
	raws, err := c.Rest.TaskrouterV1.ListTaskReservation(ws, taskSid, p)
	if err != nil {
		return nil, err
	}
	out := make([]Reservation, 0, len(raws))
	for _, r := range raws {
		out = append(out, Reservation{Sid: deref(r.Sid), WorkerSid: deref(r.WorkerSid), Status: deref(r.ReservationStatus)})
	}
	return out, nil
}

// RejectReservation rejects a pending reservation so the task routes on.
func (c *Client) RejectReservation(ws, taskSid, reservationSid string) error {
	p := &taskrouter.UpdateTaskReservationParams{}
	p.SetReservationStatus("rejected")
	_, err := c.Rest.TaskrouterV1.UpdateTaskReservation(ws, taskSid, reservationSid, p)
	return err
}

// WorkerContactURI returns a worker's contact_uri attribute.
func (c *Client) WorkerContactURI(ws, workerSid string) (string, error) {
	w, err := c.Rest.TaskrouterV1.FetchWorker(ws, workerSid)
	if err != nil {
		return "", err
	}
	var attrs struct {
		ContactURI string `json:"contact_uri"`
	}
	if err := json.Unmarshal([]byte(cmp.Or(deref(w.Attributes), "{}")), &attrs); err != nil {
		return "", err
	}
	return attrs.ContactURI, nil
}
