package app_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"testing"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/demo/demotest"
	"github.com/flex-internal-call/internal-call/server/twiliosim"
	"github.com/flex-internal-call/internal-call/server/twiliosim/voice"
)

// Transfers and added numbers over real HTTP: the server on the simulator,
// each agent doing what their browser does.

// transfer asks the server to transfer the agent's call; it returns the
// target's label (want 200) or the error body.
func (a *agent) transfer(task string, to call.Target, mode call.TransferMode, want int) string {
	a.p.t.Helper()
	var out call.APIPartyOK
	var dst any
	if want == http.StatusOK {
		dst = &out
	}
	b := a.p.do(http.MethodPost, call.CallURL(a.p.url, task, call.PathTransfer), a.token,
		call.APITransfer{Target: to.Address(), Name: to.Name, Mode: mode}, dst, want)
	if want != http.StatusOK {
		return b
	}
	return out.Label
}

// post sends a body-less transfer or participant action.
func (a *agent) post(task, path string, want int) {
	a.p.t.Helper()
	a.p.do(http.MethodPost, call.CallURL(a.p.url, task, path), a.token, nil, nil, want)
}

func (a *agent) participants(task string) call.APIParticipants {
	a.p.t.Helper()
	var out call.APIParticipants
	a.p.do(http.MethodGet, call.CallURL(a.p.url, task, call.PathParticipants), a.token, nil, &out, http.StatusOK)
	return out
}

// inConference lists the labels of the call's conference participants now.
func (p *product) inConference(callerTask string) []string {
	conf := p.task(callerTask).attrs().InternalCall.ConferenceSid
	cf, ok := p.sim.Voice.Conference(conf)
	if !ok || cf.Status == "completed" {
		return nil
	}
	var out []string
	for _, part := range cf.Participants {
		out = append(out, part.Label)
	}
	slices.Sort(out)
	return out
}

func (p *product) wantInConference(callerTask string, labels ...string) {
	p.t.Helper()
	slices.Sort(labels)
	waitFor(p.t, "participants "+joinComma(labels), func() bool { return slices.Equal(p.inConference(callerTask), labels) })
}

func joinComma(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += ","
		}
		out += x
	}
	return out
}

func TestColdTransferToAnAgentOverHTTP(t *testing.T) {
	p := startProduct(t, twiliosim.Options{})
	alice, bob, carol := p.login("alice"), p.login("bob"), p.login("carol")
	callerTask, calleeTask := connect(t, p, alice, bob)
	label := bob.transfer(calleeTask, agentTarget(carol), call.TransferCold, http.StatusOK)

	res, offered := carol.waitOffer()
	a := offered.attrs()
	if a.InternalCall.Role != call.RoleTarget || a.Conversations.ConversationID != callerTask || a.TargetWorker != carol.contact {
		t.Fatalf("target task %+v", a)
	}
	carol.answer(res)
	// Bob is taken off the call; Alice and Carol talk.
	p.status(calleeTask, call.StatusEnded)
	p.assignment("wrapping", calleeTask)
	p.status(res.TaskSid, call.StatusConnected)
	p.wantInConference(callerTask, call.LabelCaller, label)
	if got := alice.participants(callerTask); got.Participants[1].Status != call.PartyLeft || got.Participants[2].Status != call.PartyJoined {
		t.Errorf("panel %+v", got.Participants)
	}

	// The remaining pair hangs up: nothing is left open.
	carol.act(res.TaskSid, call.ActionHangup, 200)
	p.status(callerTask, call.StatusEnded)
	p.status(res.TaskSid, call.StatusEnded)
	p.assignment("wrapping", callerTask, res.TaskSid)
	alice.finish()
	bob.finish()
	carol.finish()
	p.settled()
}

func TestColdTransferDeclinedOverHTTP(t *testing.T) {
	p := startProduct(t, twiliosim.Options{})
	alice, bob, carol := p.login("alice"), p.login("bob"), p.login("carol")
	callerTask, calleeTask := connect(t, p, alice, bob)
	label := alice.transfer(callerTask, agentTarget(carol), call.TransferCold, http.StatusOK)
	res, _ := carol.waitOffer()
	carol.act(res.TaskSid, call.ActionReject, 200)
	p.assignment("canceled", res.TaskSid)
	waitFor(t, "Alice told", func() bool {
		var st call.PartyState
		_ = json.Unmarshal(p.task(callerTask).attrs().Extra[call.PartiesKey], &st)
		return len(st.Parties) == 1 && st.Parties[0].Status == call.PartyDeclined
	})
	// Alice stays on the call with Bob.
	p.wantInConference(callerTask, call.LabelCaller, call.LabelCallee)
	if got := alice.participants(callerTask); got.Transfer != nil || got.Participants[2].Label != label {
		t.Errorf("panel %+v", got)
	}
	bob.act(calleeTask, call.ActionHangup, 200)
	p.status(callerTask, call.StatusEnded)
	alice.finish()
	bob.finish()
	p.settled()
}

func TestColdTransferToAQueueOverHTTP(t *testing.T) {
	p := startProduct(t, twiliosim.Options{})
	alice, bob, carol := p.login("alice"), p.login("bob"), p.login("carol")
	callerTask, calleeTask := connect(t, p, alice, bob)
	label := alice.transfer(callerTask, queueTarget("Support"), call.TransferCold, http.StatusOK)
	res, offered := carol.waitOffer()
	if a := offered.attrs(); a.CallToQueue != "Support" {
		t.Fatalf("queue target task %+v", a)
	}
	carol.answer(res)
	p.assignment("wrapping", callerTask)
	p.wantInConference(callerTask, call.LabelCallee, label)
	bob.act(calleeTask, call.ActionHangup, 200)
	p.status(res.TaskSid, call.StatusEnded)
	alice.finish()
	bob.finish()
	carol.finish()
	p.settled()
}

func TestWarmTransferCompleteAndCancelOverHTTP(t *testing.T) {
	for _, end := range []string{"complete", "cancel"} {
		t.Run(end, func(t *testing.T) {
			p := startProduct(t, twiliosim.Options{})
			alice, bob, carol := p.login("alice"), p.login("bob"), p.login("carol")
			callerTask, calleeTask := connect(t, p, alice, bob)
			label := bob.transfer(calleeTask, agentTarget(carol), call.TransferWarm, http.StatusOK)
			res, _ := carol.waitOffer()
			carol.answer(res)
			p.wantInConference(callerTask, call.LabelCaller, call.LabelCallee, label)
			if end == "complete" {
				bob.post(calleeTask, call.PathTransferComplete, 200)
				p.wantInConference(callerTask, call.LabelCaller, label)
				p.assignment("wrapping", calleeTask)
				alice.act(callerTask, call.ActionHangup, 200)
			} else {
				bob.post(calleeTask, call.PathTransferCancel, 200)
				p.wantInConference(callerTask, call.LabelCaller, call.LabelCallee)
				p.assignment("wrapping", res.TaskSid)
				bob.act(calleeTask, call.ActionHangup, 200)
			}
			p.status(callerTask, call.StatusEnded)
			alice.finish()
			bob.finish()
			carol.finish()
			p.settled()
		})
	}
}

func TestAddAnExternalNumberThenRemoveItOverHTTP(t *testing.T) {
	p := startDemo(t, demotest.Options{Sim: twiliosim.Options{PhoneAnswerDelay: 50e6}, ExternalNumbers: regexp.MustCompile(`^(?:\+1555\d{7})$`)})
	alice, bob := p.login("alice"), p.login("bob")
	callerTask, calleeTask := connect(t, p, alice, bob)
	var added call.APIPartyOK
	p.do(http.MethodPost, call.CallURL(p.url, callerTask, call.PathParticipants), alice.token, call.APIAddParticipant{Number: "+15557654321"}, &added, 200)
	p.wantInConference(callerTask, call.LabelCaller, call.LabelCallee, added.Label)
	panel := bob.participants(calleeTask)
	if len(panel.Participants) != 3 || panel.Participants[2].Name != "•••4321" || panel.Participants[2].Status != call.PartyJoined {
		t.Fatalf("panel %+v", panel.Participants)
	}
	// Not allowed: a number outside the pattern.
	p.do(http.MethodPost, call.CallURL(p.url, callerTask, call.PathParticipants), alice.token, call.APIAddParticipant{Number: "+4420123456789"}, nil, 400)

	p.do(http.MethodDelete, call.CallURL(p.url, calleeTask, call.PathParticipants+"/"+added.Label), bob.token, nil, nil, 200)
	p.wantInConference(callerTask, call.LabelCaller, call.LabelCallee)
	// A number that never answers: the party ends as not answered.
	var silent call.APIPartyOK
	p.do(http.MethodPost, call.CallURL(p.url, callerTask, call.PathParticipants), alice.token, call.APIAddParticipant{Number: "+1555765" + voice.PhoneBusy}, &silent, 200)
	waitFor(t, "busy number told", func() bool {
		for _, x := range alice.participants(callerTask).Participants {
			if x.Label == silent.Label {
				return x.Status == call.PartyNoAnswer
			}
		}
		return false
	})
	alice.act(callerTask, call.ActionHangup, 200)
	p.status(calleeTask, call.StatusEnded)
	alice.finish()
	bob.finish()
	p.settled()
}

func TestANonPartyCannotTransferOverHTTP(t *testing.T) {
	p := startProduct(t, twiliosim.Options{})
	alice, bob, carol := p.login("alice"), p.login("bob"), p.login("carol")
	callerTask, calleeTask := connect(t, p, alice, bob)
	before := p.task(callerTask).Attributes
	for _, task := range []string{callerTask, calleeTask} {
		carol.transfer(task, agentTarget(carol), call.TransferCold, http.StatusForbidden)
		carol.post(task, call.PathTransferCancel, http.StatusForbidden)
		p.do(http.MethodDelete, call.CallURL(p.url, task, call.PathParticipants+"/"+call.LabelCallee), carol.token, nil, nil, http.StatusForbidden)
	}
	if after := p.task(callerTask).Attributes; string(after) != string(before) {
		t.Errorf("the call's record changed:\n%s\n%s", before, after)
	}
	p.wantInConference(callerTask, call.LabelCaller, call.LabelCallee)
	alice.act(callerTask, call.ActionHangup, 200)
	alice.finish()
	bob.finish()
	p.settled()
}

func TestColdTransferNotAnsweredOverHTTP(t *testing.T) {
	p := startProduct(t, twiliosim.Options{})
	alice, bob, carol := p.login("alice"), p.login("bob"), p.login("carol")
	callerTask, calleeTask := connect(t, p, alice, bob)
	label := bob.transfer(calleeTask, agentTarget(carol), call.TransferCold, http.StatusOK)
	res, _ := carol.waitOffer() // Carol lets it ring
	// Bob's participants panel, asking while the offer rings, sees it end
	// at the ring timeout.
	waitFor(t, "no answer", func() bool {
		for _, x := range bob.participants(calleeTask).Participants {
			if x.Label == label {
				return x.Status == call.PartyNoAnswer
			}
		}
		return false
	})
	p.assignment("canceled", res.TaskSid)
	p.wantInConference(callerTask, call.LabelCaller, call.LabelCallee)
	bob.act(calleeTask, call.ActionHangup, 200)
	p.status(callerTask, call.StatusEnded)
	alice.finish()
	bob.finish()
	p.settled()
}
