package call

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestAttributesKeepUnknownKeys(t *testing.T) {
	in := `{"client_call":true,"to":"client:bob","flex_extra":{"a":[1,2]},"customers":{"name":"x"},"internal_call":{"role":"caller","target":"agent","status":"ringing"}}`
	a, err := ParseAttributes(in)
	if err != nil {
		t.Fatal(err)
	}
	if !a.IsInternalCall() || a.To != "client:bob" || a.InternalCall.Status != StatusRinging {
		t.Fatalf("known keys not decoded: %+v", a)
	}
	a.InternalCall.Status = StatusConnected
	var out map[string]any
	if err := json.Unmarshal([]byte(a.String()), &out); err != nil {
		t.Fatal(err)
	}
	if out["flex_extra"] == nil || out["customers"].(map[string]any)["name"] != "x" {
		t.Fatalf("unknown keys lost: %v", out)
	}
	if out["internal_call"].(map[string]any)["status"] != "connected" {
		t.Fatalf("change lost: %v", out)
	}
}

func TestParseAttributesRejectsNonObject(t *testing.T) {
	for _, s := range []string{`[1]`, `"x"`, `{"client_call":"yes"}`, `{`} {
		if _, err := ParseAttributes(s); err == nil {
			t.Errorf("ParseAttributes(%s) accepted", s)
		}
	}
	if a, err := ParseAttributes(""); err != nil || a.IsInternalCall() {
		t.Errorf("empty attributes: %+v %v", a, err)
	}
}

func TestCallerAndCalleeAttributes(t *testing.T) {
	alice := Caller{ContactURI: "client:alice", Name: "Alice Andrews"}
	agent := CallerAttributes(alice, Target{Kind: TargetAgent, ContactURI: "client:bob", Name: "Bob Baker"})
	if agent.TargetWorker != "client:alice" || agent.To != "client:bob" || agent.CallToQueue != "" || agent.AutoAnswer != "true" || agent.Direction != "outbound" {
		t.Fatalf("caller attributes for an agent call: %+v", agent)
	}
	conf := Conference{Sid: "CF00000000000000000000000000000001", FriendlyName: "WT1"}
	callee := CalleeAttributes("WT1", agent, conf)
	if callee.TargetWorker != "client:bob" || callee.CallToQueue != "" || callee.Name != "Alice Andrews" {
		t.Fatalf("callee of an agent call routes wrong: %+v", callee)
	}
	if callee.InternalCall.Role != RoleCallee || callee.InternalCall.CallerTaskSid != "WT1" || callee.Conversations.ConversationID != "WT1" {
		t.Fatalf("callee not linked to the caller: %+v", callee.InternalCall)
	}

	queue := CallerAttributes(alice, Target{Kind: TargetQueue, QueueName: "Sales", Name: "Sales"})
	if queue.To != "queue:Sales" || queue.CallToQueue != "Sales" || queue.Kind() != TargetQueue {
		t.Fatalf("caller attributes for a queue call: %+v", queue)
	}
	qc := CalleeAttributes("WT2", queue, conf)
	if qc.CallToQueue != "Sales" || qc.TargetWorker != "" || qc.Kind() != TargetQueue {
		t.Fatalf("callee of a queue call routes wrong: %+v", qc)
	}
}

func TestKindOfOlderTasks(t *testing.T) {
	a, _ := ParseAttributes(`{"client_call":true,"to":"queue:Support"}`)
	if a.Kind() != TargetQueue {
		t.Fatal("queue: address not recognised as a queue call")
	}
}

// knownKeys must list exactly the JSON keys of Attributes' fields: a key
// missing there would be written twice (once from Extra), an extra one lost.
func TestKnownKeysAreTheFieldTags(t *testing.T) {
	var tags []string
	rt := reflect.TypeOf(attributesFields{})
	for i := range rt.NumField() {
		name, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			tags = append(tags, name)
		}
	}
	if !slices.Equal(tags, knownKeys) {
		t.Fatalf("knownKeys %v, field tags %v", knownKeys, tags)
	}
}

// A key that differs from ours only in case is somebody else's: it stays as
// it is, and fills none of our fields.
func TestKeysMatchExactly(t *testing.T) {
	a, err := ParseAttributes(`{"Conversations":{"conversation_id":"WTx"},"Internal_Call":{"role":"callee"},"client_call":true}`)
	if err != nil {
		t.Fatal(err)
	}
	if a.Conversations != nil || a.InternalCall != nil {
		t.Fatalf("case-variant keys filled fields: %+v", a)
	}
	if got := a.String(); strings.Count(strings.ToLower(got), "conversations") != 1 || !strings.Contains(got, `"Internal_Call"`) {
		t.Fatalf("round trip: %s", got)
	}
}
