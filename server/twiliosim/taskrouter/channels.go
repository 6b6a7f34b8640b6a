package taskrouter

import (
	"regexp"
	"strings"
	"time"

	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
)

type taskChannel struct {
	sid, name, unique string
	optimized         bool
	created, updated  time.Time
}

var uniqueNameRE = regexp.MustCompile(`^[A-Za-z0-9_\-]{1,64}$`)

// CreateTaskChannel adds a task channel; every worker gets capacity 1 on it.
func (s *Service) CreateTaskChannel(wsSid string, p TaskChannelParams) (TaskChannel, error) {
	if strings.TrimSpace(p.FriendlyName) == "" {
		return TaskChannel{}, errInvalid("Missing required parameter FriendlyName")
	}
	if !uniqueNameRE.MatchString(p.UniqueName) {
		return TaskChannel{}, errInvalid("Invalid UniqueName %q", p.UniqueName)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, err := s.ws(wsSid)
	if err != nil {
		return TaskChannel{}, err
	}
	if ws.channel(p.UniqueName) != nil {
		return TaskChannel{}, errConflict("A TaskChannel with UniqueName %q already exists", p.UniqueName)
	}
	now := s.now()
	c := &taskChannel{sid: rest.NewSID("TC"), name: p.FriendlyName, unique: p.UniqueName, created: now, updated: now}
	if p.ChannelOptimizedRouting != nil {
		c.optimized = *p.ChannelOptimizedRouting
	}
	ws.channels.add(c.sid, c)
	for _, w := range ws.workers.all() {
		w.addChannel(c, now)
	}
	return s.channelView(ws, c), nil
}

// TaskChannels lists a workspace's task channels.
func (s *Service) TaskChannels(wsSid string) []TaskChannel {
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, err := s.ws(wsSid)
	if err != nil {
		return nil
	}
	out := []TaskChannel{}
	for _, c := range ws.channels.all() {
		out = append(out, s.channelView(ws, c))
	}
	return out
}

// TaskChannel fetches a task channel by SID or unique name.
func (s *Service) TaskChannel(wsSid, sid string) (TaskChannel, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, c, err := s.taskChannel(wsSid, sid)
	if err != nil {
		return TaskChannel{}, err
	}
	return s.channelView(ws, c), nil
}

func (s *Service) updateTaskChannel(wsSid, sid string, name *string, optimized *bool) (TaskChannel, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, c, err := s.taskChannel(wsSid, sid)
	if err != nil {
		return TaskChannel{}, err
	}
	if name != nil {
		if strings.TrimSpace(*name) == "" {
			return TaskChannel{}, errInvalid("FriendlyName must not be empty")
		}
		c.name = *name
	}
	if optimized != nil {
		c.optimized = *optimized
	}
	c.updated = s.now()
	return s.channelView(ws, c), nil
}

// deleteTaskChannel refuses while tasks of the channel are not finished.
func (s *Service) deleteTaskChannel(wsSid, sid string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, c, err := s.taskChannel(wsSid, sid)
	if err != nil {
		return err
	}
	for _, t := range ws.tasks.all() {
		if t.channel == c.sid && !t.final() {
			return errInvalid("TaskChannel %s has active tasks", c.sid)
		}
	}
	ws.channels.del(c.sid)
	for _, w := range ws.workers.all() {
		w.channels.del(c.sid)
	}
	return nil
}

func (s *Service) taskChannel(wsSid, sid string) (*workspace, *taskChannel, error) {
	ws, err := s.ws(wsSid)
	if err != nil {
		return nil, nil, err
	}
	if c := ws.channel(sid); c != nil {
		return ws, c, nil
	}
	return nil, nil, errNotFound(ws.path() + "/TaskChannels/" + sid)
}

// channel finds a task channel by SID or unique name.
func (ws *workspace) channel(sidOrName string) *taskChannel {
	if c, ok := ws.channels.get(sidOrName); ok {
		return c
	}
	for _, c := range ws.channels.all() {
		if c.unique == sidOrName {
			return c
		}
	}
	return nil
}

func (s *Service) channelView(ws *workspace, c *taskChannel) TaskChannel {
	return TaskChannel{
		AccountSid: s.cfg.AccountSid, WorkspaceSid: ws.sid, Sid: c.sid, FriendlyName: c.name,
		UniqueName: c.unique, ChannelOptimizedRouting: c.optimized,
		DateCreated: ts(c.created), DateUpdated: ts(c.updated),
		URL: ws.url() + "/TaskChannels/" + c.sid, Links: map[string]string{"workspace": ws.url()},
	}
}
