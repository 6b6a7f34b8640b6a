package agents

import (
	"context"
	"net/http"
	"strings"

	"github.com/flex-internal-call/internal-call/server/twiliosim/iam"
	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
	"github.com/flex-internal-call/internal-call/server/twiliosim/taskrouter"
)

// Roles every simulated agent has.
var agentRoles = []string{"agent"}

// session is the authenticated agent of a request.
type session struct {
	token        iam.Token
	workspaceSid string
	worker       taskrouter.Worker
	contactURI   string
	// observer: the token was issued to an observer (the simulator's page),
	// which acts for the agent only while no desk of theirs is open.
	observer bool
}

type sessionKey struct{}

func sessionOf(r *http.Request) *session { return r.Context().Value(sessionKey{}).(*session) }

type loginRequest struct {
	Worker   string `json:"worker"`   // friendly name or worker SID
	Observer bool   `json:"observer"` // the simulator's page, not the agent's desk
}

type loginResponse struct {
	Token   string `json:"token"`
	Expires string `json:"expires"`
	Worker  Agent  `json:"worker"`
}

// login is the stand-in for Flex's SSO: naming a worker is enough.
func (s *Service) login(w http.ResponseWriter, r *http.Request) {
	var in loginRequest
	if !decodeBody(w, r, &in) {
		return
	}
	ws, err := s.workspace()
	if err != nil {
		rest.WriteError(w, asRest(err))
		return
	}
	wk, ok := s.cfg.TaskRouter.WorkerByFriendlyName(ws, in.Worker)
	if !ok {
		if wk, err = s.cfg.TaskRouter.Worker(ws, in.Worker); err != nil {
			rest.WriteError(w, rest.NotFound("/agents/workers/"+in.Worker))
			return
		}
	}
	t := s.cfg.IAM.Issue(wk.Sid, wk.FriendlyName, agentRoles, s.cfg.TokenTTL)
	if in.Observer {
		s.mu.Lock()
		s.observers[t.Value] = true
		s.mu.Unlock()
	}
	rest.WriteJSON(w, http.StatusOK, loginResponse{
		Token: t.Value, Expires: rest.TimeV1(t.Expires), Worker: agentOf(wk),
	})
}

// refresh rotates the token, as Flex does before it expires (tokenUpdated);
// the old one stays valid until its expiry.
func (s *Service) refresh(w http.ResponseWriter, r *http.Request) {
	sess := sessionOf(r)
	t, ok := s.cfg.IAM.Rotate(sess.token.Value, s.cfg.TokenTTL)
	if !ok {
		rest.WriteError(w, rest.Errorf(http.StatusUnauthorized, 20003, "Authenticate: a valid Flex token is required"))
		return
	}
	if sess.observer {
		s.mu.Lock()
		s.observers[t.Value] = true
		s.mu.Unlock()
	}
	rest.WriteJSON(w, http.StatusOK, loginResponse{Token: t.Value, Expires: rest.TimeV1(t.Expires), Worker: agentOf(sess.worker)})
}

func (s *Service) logout(w http.ResponseWriter, r *http.Request) {
	tok := sessionOf(r).token.Value
	s.cfg.IAM.Revoke(tok)
	s.mu.Lock()
	delete(s.observers, tok)
	s.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// tokenOf reads the Flex token as Flex plugins send it, or from the query for
// EventSource.
func tokenOf(r *http.Request) string {
	if v, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		return strings.TrimSpace(v)
	}
	if v := r.Header.Get("X-Flex-JWE"); v != "" {
		return v
	}
	return r.URL.Query().Get("token")
}

func (s *Service) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t, res := s.cfg.IAM.Validate(tokenOf(r))
		if res != iam.Valid {
			rest.WriteError(w, rest.Errorf(http.StatusUnauthorized, 20003, "Authenticate: a valid Flex token is required"))
			return
		}
		ws, err := s.workspace()
		if err != nil {
			rest.WriteError(w, asRest(err))
			return
		}
		wk, err := s.cfg.TaskRouter.Worker(ws, t.WorkerSid)
		if err != nil {
			rest.WriteError(w, rest.Errorf(http.StatusUnauthorized, 20003, "The token's worker no longer exists"))
			return
		}
		s.mu.Lock()
		observer := s.observers[t.Value]
		s.mu.Unlock()
		sess := &session{token: t, workspaceSid: ws, worker: wk, contactURI: agentOf(wk).ContactURI, observer: observer}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), sessionKey{}, sess)))
	})
}
