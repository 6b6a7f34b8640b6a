package taskrouter

import (
	"strings"
	"time"

	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
)

type activity struct {
	sid, name        string
	available        bool
	created, updated time.Time
}

// CreateActivity adds an activity; names are unique per workspace.
func (s *Service) CreateActivity(wsSid string, p ActivityParams) (Activity, error) {
	if strings.TrimSpace(p.FriendlyName) == "" {
		return Activity{}, errInvalid("Missing required parameter FriendlyName")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, err := s.ws(wsSid)
	if err != nil {
		return Activity{}, err
	}
	if ws.activityByName(p.FriendlyName) != nil {
		return Activity{}, errConflict("An Activity with FriendlyName %q already exists", p.FriendlyName)
	}
	now := s.now()
	a := &activity{sid: rest.NewSID("WA"), name: p.FriendlyName, available: p.Available, created: now, updated: now}
	ws.activities.add(a.sid, a)
	return s.activityView(ws, a), nil
}

// Activity fetches an activity.
func (s *Service) Activity(wsSid, sid string) (Activity, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, a, err := s.activity(wsSid, sid)
	if err != nil {
		return Activity{}, err
	}
	return s.activityView(ws, a), nil
}

// Activities lists a workspace's activities.
func (s *Service) Activities(wsSid string) []Activity {
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, err := s.ws(wsSid)
	if err != nil {
		return nil
	}
	var out []Activity
	for _, a := range ws.activities.all() {
		out = append(out, s.activityView(ws, a))
	}
	return out
}

// ActivityByName finds an activity by friendly name (case-insensitive).
func (s *Service) ActivityByName(wsSid, name string) (Activity, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, err := s.ws(wsSid)
	if err != nil {
		return Activity{}, false
	}
	a := ws.activityByName(name)
	if a == nil {
		return Activity{}, false
	}
	return s.activityView(ws, a), true
}

func (s *Service) updateActivity(wsSid, sid, name string) (Activity, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, a, err := s.activity(wsSid, sid)
	if err != nil {
		return Activity{}, err
	}
	if strings.TrimSpace(name) == "" {
		return Activity{}, errInvalid("FriendlyName must not be empty")
	}
	if o := ws.activityByName(name); o != nil && o != a {
		return Activity{}, errConflict("An Activity with FriendlyName %q already exists", name)
	}
	a.name, a.updated = name, s.now()
	return s.activityView(ws, a), nil
}

// deleteActivity refuses to delete an activity in use, as Twilio does.
func (s *Service) deleteActivity(wsSid, sid string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, a, err := s.activity(wsSid, sid)
	if err != nil {
		return err
	}
	if a.sid == ws.defaultActivity || a.sid == ws.timeoutActivity {
		return errInvalid("Activity %s is the workspace's default or timeout activity", sid)
	}
	for _, w := range ws.workers.all() {
		if w.activity == a.sid {
			return errInvalid("Activity %s is in use by worker %s", sid, w.sid)
		}
	}
	ws.activities.del(sid)
	return nil
}

func (s *Service) activity(wsSid, sid string) (*workspace, *activity, error) {
	ws, err := s.ws(wsSid)
	if err != nil {
		return nil, nil, err
	}
	a, ok := ws.activities.get(sid)
	if !ok {
		return nil, nil, errNotFound(ws.path() + "/Activities/" + sid)
	}
	return ws, a, nil
}

func (ws *workspace) activityByName(name string) *activity {
	for _, a := range ws.activities.all() {
		if strings.EqualFold(a.name, name) {
			return a
		}
	}
	return nil
}

func (s *Service) activityView(ws *workspace, a *activity) Activity {
	return Activity{
		AccountSid: s.cfg.AccountSid, WorkspaceSid: ws.sid, Sid: a.sid, FriendlyName: a.name,
		Available: a.available, DateCreated: ts(a.created), DateUpdated: ts(a.updated),
		URL: ws.url() + "/Activities/" + a.sid, Links: map[string]string{"workspace": ws.url()},
	}
}
