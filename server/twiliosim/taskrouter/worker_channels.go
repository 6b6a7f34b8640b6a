package taskrouter

import (
	"time"

	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
)

// Worker channels: a worker's capacity per task channel.

// addChannel gives the worker capacity 1 on a task channel.
func (w *worker) addChannel(c *taskChannel, now time.Time) {
	w.channels.add(c.sid, &workerChannel{sid: rest.NewSID("WC"), channel: c.sid, capacity: 1,
		available: true, created: now, updated: now})
}

// WorkerChannels lists a worker's channels.
func (s *Service) WorkerChannels(wsSid, workerSid string) ([]WorkerChannel, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, w, err := s.worker(wsSid, workerSid)
	if err != nil {
		return nil, err
	}
	out := []WorkerChannel{}
	for _, c := range w.channels.all() {
		out = append(out, s.workerChannelView(ws, w, c))
	}
	return out, nil
}

// WorkerChannel fetches a worker channel by its WC SID, the task channel SID
// or the task channel's unique name.
func (s *Service) WorkerChannel(wsSid, workerSid, sid string) (WorkerChannel, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, w, c, err := s.workerChannel(wsSid, workerSid, sid)
	if err != nil {
		return WorkerChannel{}, err
	}
	return s.workerChannelView(ws, w, c), nil
}

// UpdateWorkerChannel sets a worker's capacity or availability on a channel.
func (s *Service) UpdateWorkerChannel(wsSid, workerSid, sid string, u WorkerChannelUpdate) (WorkerChannel, error) {
	if u.Capacity != nil && (*u.Capacity < 0 || *u.Capacity > 50) {
		return WorkerChannel{}, errInvalid("Capacity must be between 0 and 50")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, w, c, err := s.workerChannel(wsSid, workerSid, sid)
	if err != nil {
		return WorkerChannel{}, err
	}
	if u.Capacity != nil {
		c.capacity = *u.Capacity
	}
	if u.Available != nil {
		c.available = *u.Available
	}
	c.updated = s.now()
	s.dispatch(ws)
	return s.workerChannelView(ws, w, c), nil
}

func (s *Service) workerChannel(wsSid, workerSid, sid string) (*workspace, *worker, *workerChannel, error) {
	ws, w, err := s.worker(wsSid, workerSid)
	if err != nil {
		return nil, nil, nil, err
	}
	for _, c := range w.channels.all() {
		tc, _ := ws.channels.get(c.channel)
		if c.sid == sid || c.channel == sid || (tc != nil && tc.unique == sid) {
			return ws, w, c, nil
		}
	}
	return nil, nil, nil, errNotFound(ws.path() + "/Workers/" + workerSid + "/Channels/" + sid)
}

// load counts the reservations that consume w's capacity on a task channel
// ("" = every channel).
func (w *worker) load(channelSid string) int {
	n := 0
	for _, r := range w.active {
		if channelSid == "" || r.task.channel == channelSid {
			n++
		}
	}
	return n
}

func (s *Service) workerChannelView(ws *workspace, w *worker, c *workerChannel) WorkerChannel {
	tc, _ := ws.channels.get(c.channel)
	used, assigned := w.load(c.channel), 0
	for _, r := range w.active {
		if r.task.channel == c.channel && r.status != ResPending {
			assigned++
		}
	}
	pct := 0
	if c.capacity > 0 && used < c.capacity {
		pct = (c.capacity - used) * 100 / c.capacity
	}
	v := WorkerChannel{
		AccountSid: s.cfg.AccountSid, WorkspaceSid: ws.sid, WorkerSid: w.sid, Sid: c.sid,
		TaskChannelSid: c.channel, AssignedTasks: assigned, Available: c.available,
		AvailableCapacityPercentage: pct, ConfiguredCapacity: c.capacity,
		DateCreated: ts(c.created), DateUpdated: ts(c.updated),
		URL: ws.url() + "/Workers/" + w.sid + "/Channels/" + c.sid,
	}
	if tc != nil {
		v.TaskChannelUniqueName = tc.unique
	}
	return v
}
