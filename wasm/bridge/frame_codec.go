//go:build js && wasm

package main

import (
	"github.com/hack-pad/safejs"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/wasm/frameproto"
)

// The frameproto wire format, written and read without encoding/json (see
// jsonw.go). The field names are frameproto's JSON tags; a test checks both
// encodings agree.

// envelope writes {"ns","v","type","payload"} around a payload writer.
func envelope(t frameproto.Type, payload func(w *jw)) string {
	w := &jw{}
	w.obj().str("ns", frameproto.Namespace).num("v", frameproto.Version).str("type", string(t))
	if payload != nil {
		w.keyObj("payload")
		payload(w)
		w.end()
	}
	return w.end().String()
}

func encodeInit(in frameproto.Init) string {
	return envelope(frameproto.TypeInit, func(w *jw) {
		w.str("theme", in.Theme).str("language", in.Language)
		w.keyObj("features").boolean("call_agent", in.Features.CallAgent).
			boolean("call_queue", in.Features.CallQueue).boolean("block_busy", in.Features.BlockBusy).end()
		w.str("self_worker_sid", in.SelfWorkerSid)
	})
}

func encodeDirectory(d frameproto.Directory) string {
	return envelope(frameproto.TypeDirectory, func(w *jw) {
		w.keyArr("workers")
		for _, x := range d.Workers {
			workerMembers(w.obj(), x).str("availability", string(x.Availability)).end()
		}
		w.endArr()
	})
}

// workerMembers writes a directory entry's members but its availability.
func workerMembers(w *jw, x frameproto.Worker) *jw {
	return w.str("worker_sid", x.WorkerSid).strOmit("full_name", x.FullName).
		str("friendly_name", x.FriendlyName).str("contact_uri", x.ContactURI).
		str("activity_name", x.ActivityName)
}

// envelopeHead is an envelope up to its payload value: {"ns":…,"type":…,"payload":
func envelopeHead(t frameproto.Type) string {
	w := &jw{}
	w.obj().str("ns", frameproto.Namespace).num("v", frameproto.Version).str("type", string(t)).name("payload")
	return w.String()
}

func encodeQueues(q frameproto.Queues) string {
	return envelope(frameproto.TypeQueues, func(w *jw) {
		w.keyArr("queues")
		for _, x := range q.Queues {
			w.obj().str("name", x.Name).str("friendly_name", x.FriendlyName)
			if x.AvailableAgents != nil {
				w.num("available_agents", *x.AvailableAgents)
			}
			w.end()
		}
		w.endArr()
		w.strOmit("error", q.Error)
	})
}

func encodeCallStatus(cs frameproto.CallStatus) string {
	return envelope(frameproto.TypeCallStatus, func(w *jw) {
		w.str("status", cs.Status).strOmit("peer_name", cs.PeerName).strOmit("reason", cs.Reason)
	})
}

// decodeMessage parses a posted string; ok is false for anything that is not
// one of our messages of this protocol version.
func decodeMessage(s string) (t frameproto.Type, payload jsv, ok bool) {
	j, _ := safejs.Global().Get("JSON")
	v, err := j.Call("parse", s)
	if err != nil || !isObject(v) {
		return "", undefined, false
	}
	ver := get(v, "v")
	if str(v, "ns") != frameproto.Namespace || ver.Type() != safejs.TypeNumber {
		return "", undefined, false
	}
	if n, _ := ver.Float(); n != frameproto.Version {
		return "", undefined, false
	}
	t = frameproto.Type(str(v, "type"))
	return t, get(v, "payload"), t != ""
}

func decodePlaceCall(p jsv) frameproto.PlaceCall {
	return frameproto.PlaceCall{
		Kind: str(p, "kind"), WorkerSid: str(p, "worker_sid"), ContactURI: str(p, "contact_uri"),
		QueueName: str(p, "queue_name"), Name: str(p, "name"),
	}
}

func decodeHeight(p jsv) (int, bool) {
	v := get(p, "px")
	if v.Type() != safejs.TypeNumber {
		return 0, false
	}
	f, _ := v.Float()
	if f != f { // NaN
		return 0, false
	}
	return int(f), true
}

// attributesJSON writes the attributes of a caller task (call.CallerAttributes)
// with call.Attributes' JSON keys and omitempty rules.
func attributesJSON(a call.Attributes) string {
	w := &jw{}
	w.obj().boolean("client_call", a.ClientCall).strOmit("direction", a.Direction).strOmit("to", a.To).
		strOmit("from", a.From).strOmit("name", a.Name).strOmit("fromName", a.FromName).
		strOmit("targetWorker", a.TargetWorker).strOmit("callToQueue", a.CallToQueue).
		strOmit("autoAnswer", a.AutoAnswer).strOmit("outbound_to", a.OutboundTo)
	if ic := a.InternalCall; ic != nil {
		w.keyObj("internal_call").str("role", string(ic.Role)).str("target", string(ic.Target)).
			str("status", string(ic.Status)).strOmit("reason", ic.Reason).strOmit("peer_name", ic.PeerName).
			strOmit("caller_task_sid", ic.CallerTaskSid).strOmit("callee_task_sid", ic.CalleeTaskSid).
			strOmit("conference_sid", ic.ConferenceSid).end()
	}
	if c := a.Conversations; c != nil {
		w.keyObj("conversations").strOmit("conversation_id", c.ConversationID).end()
	}
	return w.end().String()
}
