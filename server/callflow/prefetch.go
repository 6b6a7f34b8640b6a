package callflow

import (
	"context"
	"sync"

	"github.com/flex-internal-call/internal-call/call"
)

// prefetched holds reads started before the flow knows it needs them: the
// records a request's hints name, read concurrently with the record that
// decides whether the hints are right. A hint that turns out wrong costs one
// wasted read and nothing else: its result is only used for the SID the
// trusted record names.
type prefetched struct {
	wg sync.WaitGroup

	taskSid string
	t       *call.Task
	taskErr error

	confSid    string
	confStatus string
	confErr    error

	resTaskSid string
	res        []call.Reservation
	resErr     error
}

// prefetch starts reading the task and the conference named (either may be "").
func (f *Flow) prefetch(ctx context.Context, taskSid, confSid string) *prefetched {
	return f.prefetchWith(ctx, taskSid, confSid, "")
}

// prefetchWith is prefetch also reading the reservations of a task (resTaskSid, may be "").
func (f *Flow) prefetchWith(ctx context.Context, taskSid, confSid, resTaskSid string) *prefetched {
	p := &prefetched{taskSid: taskSid, confSid: confSid, resTaskSid: resTaskSid}
	if call.ValidSID(call.PrefixTask, resTaskSid) {
		p.wg.Go(func() { p.res, p.resErr = f.tr.TaskReservations(ctx, resTaskSid, "") })
	} else {
		p.resTaskSid = ""
	}
	if call.ValidSID(call.PrefixTask, taskSid) {
		p.wg.Go(func() { p.t, p.taskErr = f.fetchTask(ctx, taskSid) })
	} else {
		p.taskSid = ""
	}
	if call.ValidSID(call.PrefixConference, confSid) {
		p.wg.Go(func() { p.confStatus, p.confErr = f.voice.ConferenceStatus(ctx, confSid) })
	} else {
		p.confSid = ""
	}
	return p
}

// wait lets the reads finish (none outlives the request).
func (p *prefetched) wait() { p.wg.Wait() }

// The reads below take a nil *prefetched as "nothing read ahead".

// task fetches a task that must be an internal call's (as Flow.fetchTask),
// from the prefetch when it read that task.
func (p *prefetched) task(ctx context.Context, f *Flow, sid string) (*call.Task, error) {
	if p == nil || sid == "" || sid != p.taskSid {
		return f.fetchTask(ctx, sid)
	}
	p.wg.Wait()
	return p.t, p.taskErr
}

// reservations is TaskRouter.TaskReservations (every worker's), from the
// prefetch when it read that task's.
func (p *prefetched) reservations(ctx context.Context, f *Flow, taskSid string) ([]call.Reservation, error) {
	if p == nil || taskSid == "" || taskSid != p.resTaskSid {
		return f.tr.TaskReservations(ctx, taskSid, "")
	}
	p.wg.Wait()
	return p.res, p.resErr
}

// conferenceStatus is Voice.ConferenceStatus, from the prefetch when it read
// that conference.
func (p *prefetched) conferenceStatus(ctx context.Context, f *Flow, sid string) (string, error) {
	if p == nil || sid == "" || sid != p.confSid {
		return f.voice.ConferenceStatus(ctx, sid)
	}
	p.wg.Wait()
	return p.confStatus, p.confErr
}
