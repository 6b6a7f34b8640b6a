// Package chaos is the chaos run of "Call setup in any order": hundreds of
// internal calls at once between distinct pairs of simulated agents, with
// every outcome an agent can give a call, on a Twilio simulator that is slow,
// throttles, fails, drops, duplicates and reorders its callbacks, against two
// product replicas behind a round-robin proxy, one of which is restarted in
// the middle. At the end it reads the simulator's state and counts what went
// wrong: duplicate callee tasks, calls lost or left open, failures the caller
// was not told about, outcomes other than the agents' script, and the
// click → connected latency.
//
// The product is reached only over HTTP through the proxy, exactly as Twilio
// and the agents' browsers reach it. The agents are driven through the
// simulator's agents API, as the browser bridge does; the simulator's
// in-process services are used only to wake an agent's poll when TaskRouter
// has news for it (the SDK's push channel) and to observe.
//
// The small run is TestChaos (go test ./server/chaos/); the full run is
// `make chaos` (server/cmd/chaos).
package chaos

import (
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/twiliosim/faults"
)

// QueueName is the queue the run's queue calls go to (its members only).
const (
	QueueName  = "Chaos"
	queueSkill = "chaos"
)

// Class is what the agents of a call do with it.
type Class string

const (
	// AnsweredCallerHangup: the callee answers at once, they talk, the caller hangs up.
	AnsweredCallerHangup Class = "answered-caller-hangup"
	// AnsweredCalleeHangup: the same, the callee hangs up.
	AnsweredCalleeHangup Class = "answered-callee-hangup"
	// Declined: the callee declines the offer.
	Declined Class = "declined"
	// NoAnswer: the callee never accepts; the product's ring timeout ends the call.
	NoAnswer Class = "no-answer"
	// CancelRinging: the caller hangs up while hearing ringback.
	CancelRinging Class = "cancel-while-ringing"
	// CancelEarly: the caller hangs up within 2 s of clicking Call, whatever stage the call is at.
	CancelEarly Class = "cancel-within-2s"
	// QueueAnswered: a call to the queue; a member answers, either side hangs up.
	QueueAnswered Class = "queue-answered"
	// QueueRejectThenAnswered: the first member offered declines (the call
	// goes back to the queue), the next one answers.
	QueueRejectThenAnswered Class = "queue-reject-then-answered"

	// The classes below start as an answered agent call; after a moment one
	// of the pair (the transferrer, either side) brings in a third party.

	// TransferColdAccepted: a cold transfer to a third agent who accepts;
	// the transferrer leaves as the target joins, and one of the remaining
	// pair hangs up.
	TransferColdAccepted Class = "transfer-cold-accepted"
	// TransferColdDeclined: a cold transfer to a third agent who declines;
	// the transferrer's participants panel shows it declined, they stay on
	// the call, and one of the original pair hangs up.
	TransferColdDeclined Class = "transfer-cold-declined"
	// TransferWarmCompleted: a warm transfer; the target accepts, all three
	// talk, the transferrer completes it (leaves), one of the remaining pair
	// hangs up.
	TransferWarmCompleted Class = "transfer-warm-completed"
	// TransferWarmCanceled: a warm transfer; the target accepts, all three
	// talk, the transferrer cancels it (the target leaves), one of the
	// original pair hangs up.
	TransferWarmCanceled Class = "transfer-warm-canceled"
	// NumberAddedRemoved: the transferrer adds an external number that
	// answers, then removes it; one of the pair hangs up.
	NumberAddedRemoved Class = "number-added-removed"
)

// classWeights is the mix of a run, in percent.
var classWeights = []struct {
	class  Class
	weight int
}{
	{AnsweredCallerHangup, 18}, {AnsweredCalleeHangup, 14}, {Declined, 10}, {NoAnswer, 8},
	{CancelRinging, 8}, {CancelEarly, 8}, {QueueAnswered, 10}, {QueueRejectThenAnswered, 4},
	{TransferColdAccepted, 4}, {TransferColdDeclined, 4}, {TransferWarmCompleted, 4},
	{TransferWarmCanceled, 4}, {NumberAddedRemoved, 4},
}

// Classes lists every class in report order.
func Classes() []Class {
	out := make([]Class, len(classWeights))
	for i, w := range classWeights {
		out[i] = w.class
	}
	return out
}

func (c Class) queue() bool { return c == QueueAnswered || c == QueueRejectThenAnswered }

func (c Class) answered() bool {
	return c == AnsweredCallerHangup || c == AnsweredCalleeHangup || c.queue() || c.parties()
}

// parties: the classes that bring a third party into an answered call.
func (c Class) parties() bool { return c.transfer() || c == NumberAddedRemoved }

// transfer: the classes whose third party is an agent, offered a transfer.
func (c Class) transfer() bool {
	switch c {
	case TransferColdAccepted, TransferColdDeclined, TransferWarmCompleted, TransferWarmCanceled:
		return true
	}
	return false
}

// mode is the transfer's mode.
func (c Class) mode() call.TransferMode {
	if c == TransferWarmCompleted || c == TransferWarmCanceled {
		return call.TransferWarm
	}
	return call.TransferCold
}

// targetAccepts: the transfer's target accepts the offer.
func (c Class) targetAccepts() bool { return c.transfer() && c != TransferColdDeclined }

// transferrerLeaves: the transferrer is off the call once the script ran.
func (c Class) transferrerLeaves() bool {
	return c == TransferColdAccepted || c == TransferWarmCompleted
}

// expected is the caller task's final internal_call.status the script leads to.
func (c Class) expected() call.Status {
	switch c {
	case Declined:
		return call.StatusDeclined
	case NoAnswer:
		return call.StatusNoAnswer
	case CancelRinging, CancelEarly:
		return call.StatusCanceled
	}
	return call.StatusEnded
}

// Config is one run.
type Config struct {
	// Seed draws the script (who calls whom, when, what they do) and the
	// faults; the same seed gives the same script.
	Seed uint64
	// Calls placed, each between two agents used by no other call (queue
	// calls: caller and whichever member answers).
	Calls int
	// Ramp spreads the clicks on Call over this long.
	Ramp time.Duration
	// RingTimeout of the product (RING_TIMEOUT).
	RingTimeout time.Duration
	// AnswerDelay of the agents' phones (how long they ring before picking up).
	AnswerDelay time.Duration
	// Talk is how long answered calls last, uniformly in [TalkMin, TalkMax],
	// from the moment both legs are in the conference, or, with
	// TalkWhenShown, from the moment the hanger's Flex shows the call
	// connected (the product's record of it).
	TalkMin, TalkMax time.Duration
	TalkWhenShown    bool
	// Think is how long an agent takes to decline an offer, or to cancel a
	// call once they hear ringback, uniformly in [ThinkMin, ThinkMax].
	ThinkMin, ThinkMax time.Duration
	// Faults of the simulated Twilio for the whole run.
	Faults faults.Config
	// RestartAfter (since the first click) replica 1 is stopped; a new one
	// starts on its port RestartDown later.
	RestartAfter, RestartDown time.Duration
	// Settle bounds the wait, after the last call's script, for the
	// simulator to be quiet and clean before the state is judged.
	Settle time.Duration
	// Progress, when set, receives a line every ProgressEvery.
	Progress      io.Writer
	ProgressEvery time.Duration
	// Log, when set, receives the product's and the simulator's JSON log.
	Log io.Writer
}

// ChaosFaults is the chaos run's fault mix: latency 50–300 ms per Twilio
// request, 3 % 429, 2 % 500; 2 % of callbacks dropped, 5 % duplicated, 5 % reordered.
func ChaosFaults(seed uint64) faults.Config {
	return faults.Config{
		LatencyMin: 50 * time.Millisecond, LatencyMax: 300 * time.Millisecond,
		P429: 0.03, P500: 0.02, Drop: 0.02, Dup: 0.05, Reorder: 0.05, Seed: seed,
	}
}

// Full is the run of `make chaos`: 600 calls over more than 1,200 agents,
// the clicks spread over 4 s and answered calls lasting 2–12 s, so that more
// than 500 are up at once.
func Full(seed uint64) Config {
	return Config{
		Seed: seed, Calls: 600, Ramp: 4 * time.Second, RingTimeout: 5 * time.Second,
		AnswerDelay: 100 * time.Millisecond, TalkMin: 2 * time.Second, TalkMax: 12 * time.Second,
		ThinkMin: 200 * time.Millisecond, ThinkMax: 1500 * time.Millisecond,
		Faults: ChaosFaults(seed), RestartAfter: 3 * time.Second, RestartDown: 500 * time.Millisecond,
		Settle: 45 * time.Second, ProgressEvery: 2 * time.Second,
	}
}

// Small is the run of the unit tests: 60 calls, the same faults, the same
// restart. Its timing margins are wide (a 10 s ring timeout; calls of 3–5 s
// counted from when Flex shows them connected; declines and cancels 1.5–3 s
// after the offer or ringback) so that no outcome depends on how fast the
// machine is: under the race detector on two cores a call takes several
// seconds to connect, and the product's record of it a moment more.
func Small(seed uint64) Config {
	c := Full(seed)
	c.Calls, c.Ramp, c.RestartAfter = 60, time.Second, 1500*time.Millisecond
	c.RingTimeout = 10 * time.Second
	c.TalkMin, c.TalkMax, c.TalkWhenShown = 3*time.Second, 5*time.Second, true
	c.ThinkMin, c.ThinkMax = 1500*time.Millisecond, 3*time.Second
	c.Settle = 30 * time.Second
	return c
}

// RandomSeed picks a seed that JSON numbers carry exactly (below 2^53).
func RandomSeed() uint64 { return rand.Uint64N(1<<53-1) + 1 }

// Call is one scripted call and what the harness saw of it.
type Call struct {
	ID     int
	Class  Class
	Caller *Agent
	Callee *Agent // agent calls; queue calls: whoever answers (see member)
	// Target is the third agent of a transfer class, on no other call.
	Target *Agent
	At     time.Duration
	// Hanger hangs up answered calls: the caller, the callee, or (once a
	// cold or completed transfer took the transferrer off) the target.
	Hanger call.Role
	Talk   time.Duration
	// Delay: declined: after the offer; cancel-while-ringing: after ringback
	// starts; cancel-within-2s: after the click; the party classes: the talk
	// before the transferrer brings in the third party.
	Delay time.Duration
	// Transferrer brings in the third party (the party classes).
	Transferrer call.Role
	// Think is how long the target takes to decline (transfer-cold-declined),
	// or how long all three talk (warm transfers, the added number).
	Think time.Duration
	// Number is the external number a number-added-removed call dials.
	Number string

	obs observed
}

func (c *Call) String() string { return fmt.Sprintf("call %d (%s)", c.ID, c.Class) }

// plan is the script of a run.
type plan struct {
	calls      []*Call
	pairAgents int // agent1…: two per agent call (three with a transfer), one per queue call
	members    int // member1…: the queue's members
}

func newPlan(cfg Config) *plan {
	rng := rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x5eed5eed5eed5eed))
	n := cfg.Calls
	classes := make([]Class, 0, n)
	for i, w := range classWeights {
		k := n * w.weight / 100
		if i == 0 {
			k += n - sumWeights(n)
		}
		for range k {
			classes = append(classes, w.class)
		}
	}
	rng.Shuffle(len(classes), func(i, j int) { classes[i], classes[j] = classes[j], classes[i] })
	p := &plan{}
	queueCalls, targets := 0, 0
	uniform := func(lo, hi time.Duration) time.Duration {
		if hi <= lo {
			return lo
		}
		return lo + time.Duration(rng.Int64N(int64(hi-lo)))
	}
	for i, cl := range classes {
		c := &Call{ID: i + 1, Class: cl, At: time.Duration(int64(cfg.Ramp) * int64(i) / int64(max(n, 1)))}
		c.Hanger = call.RoleCaller
		if cl == AnsweredCalleeHangup || cl.queue() && rng.IntN(2) == 0 {
			c.Hanger = call.RoleCallee
		}
		c.Talk = uniform(cfg.TalkMin, cfg.TalkMax)
		switch cl {
		case Declined, CancelRinging:
			c.Delay = uniform(cfg.ThinkMin, cfg.ThinkMax)
		case CancelEarly:
			c.Delay = uniform(0, 2*time.Second)
		}
		if cl.parties() {
			scriptParties(c, rng, uniform, cfg)
		}
		if cl.transfer() {
			targets++
		}
		if cl.queue() {
			queueCalls++
		}
		p.calls = append(p.calls, c)
	}
	p.pairAgents = 2*(n-queueCalls) + queueCalls + targets
	// Every queue call at once must find a free member, the declined ones too.
	p.members = queueCalls + queueCalls/4 + 2
	return p
}

// scriptParties draws what the parties of a party class do: who brings in
// the third party and when, how long the three talk, who hangs up at the end
// (one of the two left on the call).
func scriptParties(c *Call, rng *rand.Rand, uniform func(lo, hi time.Duration) time.Duration, cfg Config) {
	c.Transferrer = call.RoleCaller
	if rng.IntN(2) == 0 {
		c.Transferrer = call.RoleCallee
	}
	other := call.RoleCallee
	if c.Transferrer == call.RoleCallee {
		other = call.RoleCaller
	}
	c.Delay = uniform(cfg.ThinkMin, cfg.ThinkMax)
	c.Think = uniform(cfg.ThinkMin, cfg.ThinkMax)
	c.Talk = uniform(cfg.ThinkMin, cfg.ThinkMax)
	// The pair left on the call: the other original party and the target
	// after a cold or completed transfer, else the original pair.
	left := []call.Role{c.Transferrer, other}
	if c.Class.transferrerLeaves() {
		left = []call.Role{other, call.RoleTarget}
	}
	c.Hanger = left[rng.IntN(2)]
	// Simulated phones answer numbers except those ending 0000 or 0001.
	c.Number = fmt.Sprintf("+15557%06d", c.ID*10+2)
}

func sumWeights(n int) int {
	s := 0
	for _, w := range classWeights {
		s += n * w.weight / 100
	}
	return s
}
