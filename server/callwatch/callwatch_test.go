package callwatch

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/callflow"
)

// oneTask is a TaskRouter holding the tasks a test puts there, answering
// updates as TaskRouter does: If-Match must name the current revision.
type oneTask struct {
	callflow.TaskRouter // methods the watch does not wrap: unused here
	tasks               map[string]*call.Task
	rev                 int
	// updated runs once an update is made, before it is answered.
	updated func()
}

func (o *oneTask) FetchTask(_ context.Context, sid string) (*call.Task, error) {
	t, ok := o.tasks[sid]
	if !ok {
		return nil, call.Errorf(call.NotFound, "no task %s", sid)
	}
	c := *t
	return &c, nil
}

func (o *oneTask) UpdateTask(_ context.Context, sid string, u call.TaskUpdate) (*call.Task, error) {
	t := o.tasks[sid]
	if u.IfMatch != "" && u.IfMatch != t.ETag {
		return nil, call.Errorf(call.Stale, "task %s changed", sid)
	}
	if u.Attributes != nil {
		t.Attributes = *u.Attributes
	}
	o.rev++
	t.ETag = fmt.Sprint(o.rev)
	if o.updated != nil {
		o.updated()
	}
	return t, nil
}

func (o *oneTask) CreateTask(_ context.Context, nt call.NewTask) (*call.Task, error) {
	return &call.Task{Sid: "WT00000000000000000000000000000009", Attributes: nt.Attributes}, nil
}

// heard keeps what the watch told.
type heard struct{ events []string }

func (h *heard) CalleeTaskCreated(target call.TargetKind) {
	h.events = append(h.events, "callee task for "+string(target))
}
func (h *heard) CallReached(s call.Status) { h.events = append(h.events, string(s)) }
func (h *heard) PhaseTook(phase string, d time.Duration) {
	h.events = append(h.events, fmt.Sprintf("%s %s", phase, d))
}

const callerSid, calleeSid = "WT00000000000000000000000000000001", "WT00000000000000000000000000000002"

var t0 = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

// bench is a watch over a caller's task created at t0 and its callee's,
// created at t0+3s, on a clock the test moves.
func bench() (*TaskRouter, *heard, *time.Time) {
	tr := &oneTask{tasks: map[string]*call.Task{
		callerSid: {Sid: callerSid, ETag: "a", Created: t0, Attributes: call.Attributes{ClientCall: true, Direction: "outbound",
			InternalCall: &call.InternalCall{Role: call.RoleCaller, Status: call.StatusInitiated}}},
		calleeSid: {Sid: calleeSid, ETag: "b", Created: t0.Add(3 * time.Second), Attributes: call.Attributes{ClientCall: true,
			InternalCall: &call.InternalCall{Role: call.RoleCallee, Status: call.StatusRinging}}},
	}}
	h := &heard{}
	w := Watch(tr, h)
	now := t0
	w.now = func() time.Time { return now }
	return w, h, &now
}

// write does what the flow's mutate does: fetch, change, update If-Match.
func write(t *testing.T, w *TaskRouter, sid string, s call.Status) error {
	t.Helper()
	tk, err := w.FetchTask(context.Background(), sid)
	if err != nil {
		t.Fatal(err)
	}
	ic := *tk.Attributes.InternalCall
	ic.Status, ic.Seal = s, "sealed"
	tk.Attributes.InternalCall = &ic
	_, err = w.UpdateTask(context.Background(), sid, call.TaskUpdate{Attributes: &tk.Attributes, IfMatch: tk.ETag})
	return err
}

func TestACallIsFollowedFromClickToHangUp(t *testing.T) {
	w, h, now := bench()
	*now = t0.Add(2 * time.Second)
	write(t, w, callerSid, call.StatusRinging)
	if _, err := w.CreateTask(context.Background(), call.NewTask{Attributes: call.Attributes{ClientCall: true,
		InternalCall: &call.InternalCall{Role: call.RoleCallee, Target: call.TargetAgent}}}); err != nil {
		t.Fatal(err)
	}
	*now = t0.Add(8 * time.Second)
	write(t, w, callerSid, call.StatusConnected)
	write(t, w, calleeSid, call.StatusConnected)
	*now = t0.Add(68 * time.Second)
	write(t, w, callerSid, call.StatusEnded)
	write(t, w, calleeSid, call.StatusEnded)
	want := []string{"click_to_ringing 2s", "callee task for agent", "connected", "ringing_to_connected 5s", "ended", "talk 1m0s"}
	if !slices.Equal(h.events, want) {
		t.Fatalf("heard %q, want %q", h.events, want)
	}
}

func TestAnUnansweredCallCountsItsEndOnly(t *testing.T) {
	w, h, _ := bench()
	write(t, w, callerSid, call.StatusRinging)
	write(t, w, callerSid, call.StatusNoAnswer)
	write(t, w, calleeSid, call.StatusNoAnswer)
	if want := []string{"click_to_ringing 0s", "no-answer"}; !slices.Equal(h.events, want) {
		t.Fatalf("heard %q, want %q", h.events, want)
	}
}

func TestALostConditionalWriteCountsNothing(t *testing.T) {
	w, h, _ := bench()
	ctx := context.Background()
	// Two writers fetch the same revision; the second one's write is refused.
	first, _ := w.FetchTask(ctx, callerSid)
	second, _ := w.FetchTask(ctx, callerSid)
	for _, tk := range []*call.Task{first, second} {
		ic := *tk.Attributes.InternalCall
		ic.Status, ic.Seal = call.StatusCanceled, "sealed"
		tk.Attributes.InternalCall = &ic
		_, _ = w.UpdateTask(ctx, callerSid, call.TaskUpdate{Attributes: &tk.Attributes, IfMatch: tk.ETag})
	}
	// A write that changes nothing about the status counts nothing either.
	write(t, w, callerSid, call.StatusCanceled)
	if want := []string{"canceled"}; !slices.Equal(h.events, want) {
		t.Fatalf("heard %q, want %q", h.events, want)
	}
}

func TestAStatusTheBrowserWroteIsNotBelieved(t *testing.T) {
	w, h, _ := bench()
	// An unsealed caller's record claiming to be over: the flow treats it as
	// initiated, and so does the watch.
	w.TaskRouter.(*oneTask).tasks[callerSid].Attributes.InternalCall.Status = call.StatusEnded
	write(t, w, callerSid, call.StatusCanceled)
	if want := []string{"canceled"}; !slices.Equal(h.events, want) {
		t.Fatalf("heard %q, want %q", h.events, want)
	}
}

func TestAFetchOfTheNewRevisionDoesNotHideTheChange(t *testing.T) {
	w, h, _ := bench()
	// Another request reads the task the moment the update lands, before
	// the update's answer is back.
	w.TaskRouter.(*oneTask).updated = func() { _, _ = w.FetchTask(context.Background(), callerSid) }
	write(t, w, callerSid, call.StatusCanceled)
	if want := []string{"canceled"}; !slices.Equal(h.events, want) {
		t.Fatalf("heard %q, want %q", h.events, want)
	}
}
