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
	f  *Flow

	taskSid string
	t       *call.Task
	taskErr error

	confSid    string
	confStatus string
	confErr    error
}

// prefetch starts reading the task and the conference named (either may be "").
func (f *Flow) prefetch(ctx context.Context, taskSid, confSid string) *prefetched {
	p := &prefetched{f: f, taskSid: taskSid, confSid: confSid}
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

// task fetches a task that must be an internal call's (as Flow.fetchTask),
// from the prefetch when it read that task.
func (p *prefetched) task(ctx context.Context, sid string) (*call.Task, error) {
	if sid == "" || sid != p.taskSid {
		return p.f.fetchTask(ctx, sid)
	}
	p.wg.Wait()
	return p.t, p.taskErr
}

// conferenceStatus is Voice.ConferenceStatus, from the prefetch when it read
// that conference.
func (p *prefetched) conferenceStatus(ctx context.Context, sid string) (string, error) {
	if sid == "" || sid != p.confSid {
		return p.f.voice.ConferenceStatus(ctx, sid)
	}
	p.wg.Wait()
	return p.confStatus, p.confErr
}
