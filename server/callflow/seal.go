package callflow

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/flex-internal-call/internal-call/call"
)

// Sealer authenticates what the server writes into a task's internal_call.
//
// Agents can write anything into the attributes of a task they create (the
// Flex SDK's createTask) or hold (task.setAttributes), so nothing in them
// decides who may act on which call unless the server wrote it: every field
// that does (role, target, status, hold, the linked task SIDs, the call and
// conference SIDs, the claim, the task's targetWorker, to and callToQueue)
// is sealed with an HMAC bound to the task's own SID, so that a seal copied
// onto another task does not hold; so are the queue a queue call came
// through and the other party's name, which the agents are shown. The first
// key seals; every key verifies, so keys can be rotated without breaking
// calls in progress.
//
// The same key names the call's conference (ConferenceName): a name nobody
// else can derive, so TwiML the server did not write cannot join it.
type Sealer struct {
	keys [][]byte
}

// sealVersion prefixes every seal, so a later format can live beside it.
const sealVersion = "v1."

// NewSealer builds a Sealer from secrets (the first seals). Each secret is
// stretched to a key of its own purpose, so the auth token itself never
// signs attributes.
func NewSealer(secrets ...string) (*Sealer, error) {
	s := &Sealer{}
	for _, sec := range secrets {
		if sec == "" {
			continue
		}
		m := hmac.New(sha256.New, []byte(sec))
		m.Write([]byte("flex-internal-call/internal_call-seal"))
		s.keys = append(s.keys, m.Sum(nil))
	}
	if len(s.keys) == 0 {
		return nil, errors.New("sealing the call state needs a secret (SIGNING_KEY or the auth token)")
	}
	return s, nil
}

// Seal writes the seal of the task's internal_call.
func (s *Sealer) Seal(t *call.Task) {
	ic := t.Attributes.InternalCall
	if ic == nil {
		return
	}
	ic.Seal = sealVersion + base64.RawURLEncoding.EncodeToString(s.mac(s.keys[0], t))
}

// Verify reports whether the task's internal_call carries a seal this server wrote.
func (s *Sealer) Verify(t *call.Task) bool {
	ic := t.Attributes.InternalCall
	if ic == nil || !strings.HasPrefix(ic.Seal, sealVersion) {
		return false
	}
	got, err := base64.RawURLEncoding.DecodeString(ic.Seal[len(sealVersion):])
	if err != nil {
		return false
	}
	for _, k := range s.keys {
		if hmac.Equal(got, s.mac(k, t)) {
			return true
		}
	}
	return false
}

// mac covers every sealed field, each length-prefixed so no two states
// encode alike.
func (s *Sealer) mac(key []byte, t *call.Task) []byte {
	ic := t.Attributes.InternalCall
	m := hmac.New(sha256.New, key)
	field := func(v string) {
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(v)))
		m.Write(n[:])
		m.Write([]byte(v))
	}
	field(t.Sid)
	field(string(ic.Role))
	field(string(ic.Target))
	field(string(ic.Status))
	field(string(ic.Held))
	field(ic.CallerTaskSid)
	field(ic.CalleeTaskSid)
	field(ic.ConferenceSid)
	field(ic.CallerCallSid)
	field(ic.CalleeCallSid)
	if c := ic.Claim; c != nil {
		field(c.By)
		field(strconv.FormatInt(c.Since, 10))
	} else {
		field("")
		field("")
	}
	a := t.Attributes
	field(a.TargetWorker)
	field(a.To)
	field(a.CallToQueue)
	if ic.Via != "" {
		// Who answered a queue call, and through which queue: written by
		// the server, shown to both agents. Only present from then on, so
		// the seals of the other states are as before.
		field(ic.Via)
		field(ic.PeerName)
	}
	if ps := partyStateOf(t); !ps.Empty() {
		// A call with added parties: who is on it (call.PartiesKey), as
		// decoded, so that only its content counts. Absent, it adds
		// nothing, so seals of two-party calls stay as they were.
		b, _ := json.Marshal(ps)
		field("parties")
		field(string(b))
	}
	return m.Sum(nil)
}

// ConferenceName is the friendly name of a call's conference: the caller
// task's SID (so Twilio's state leads back to the call) and a tag only this
// server can compute.
func (s *Sealer) ConferenceName(callerTaskSid string) string {
	return conferenceName(s.keys[0], callerTaskSid)
}

// OwnsConference reports whether name is the conference of callerTaskSid,
// under any of the keys.
func (s *Sealer) OwnsConference(callerTaskSid, name string) bool {
	for _, k := range s.keys {
		if hmac.Equal([]byte(name), []byte(conferenceName(k, callerTaskSid))) {
			return true
		}
	}
	return false
}

func conferenceName(key []byte, callerTaskSid string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("conference\x00" + callerTaskSid))
	// "-", not ".": twilio-go deletes ".<digits>" from query strings, which
	// would break finding the conference by name.
	return callerTaskSid + "-" + hex.EncodeToString(m.Sum(nil)[:8])
}
