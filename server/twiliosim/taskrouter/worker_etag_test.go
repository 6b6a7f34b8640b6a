package taskrouter

import (
	"testing"

	trapi "github.com/twilio/twilio-go/rest/taskrouter/v1"
)

// A worker's ETag changes with every write, and an update with a stale
// If-Match is refused (412/20412), as on Twilio: the server keeps the
// missed-call list in a worker's attributes with read-modify-write.
func TestIfMatchGuardsWorkerUpdates(t *testing.T) {
	h := newHarness(t, Config{})
	ic := h.seedInternalCall()
	fetched := must(h.api.FetchWorkerWithMetadata(ic.ws, ic.bob))
	etag := fetched.GetHeaders().Get("ETag")
	if etag == "" {
		t.Fatal("no ETag on fetch")
	}
	if _, err := h.api.UpdateWorker(ic.ws, ic.bob, new(trapi.UpdateWorkerParams).SetIfMatch(etag).
		SetAttributes(`{"contact_uri":"client:bob","full_name":"Bob","missed_calls":[]}`)); err != nil {
		t.Fatal(err)
	}
	again := must(h.api.FetchWorkerWithMetadata(ic.ws, ic.bob))
	if again.GetHeaders().Get("ETag") == etag {
		t.Fatal("ETag did not change")
	}
	_, err := h.api.UpdateWorker(ic.ws, ic.bob, new(trapi.UpdateWorkerParams).SetIfMatch(etag).SetAttributes(`{"contact_uri":"client:bob"}`))
	if te := restErr(t, err); te.Status != 412 || te.Code != 20412 {
		t.Errorf("stale If-Match: %d/%d, want 412/20412", te.Status, te.Code)
	}
	if _, err := h.api.UpdateWorker(ic.ws, ic.bob, new(trapi.UpdateWorkerParams).SetIfMatch(again.GetHeaders().Get("ETag")).
		SetAttributes(`{"contact_uri":"client:bob","full_name":"Bob"}`)); err != nil {
		t.Errorf("current If-Match refused: %v", err)
	}
}

// Writing a worker's attributes tells the worker's SDK (attributesUpdated).
func TestWorkerAttributesWriteIsAnEvent(t *testing.T) {
	h := newHarness(t, Config{})
	ic := h.seedInternalCall()
	bob := h.record(ic.ws, ic.bob)
	must(h.api.UpdateWorker(ic.ws, ic.bob, new(trapi.UpdateWorkerParams).SetAttributes(`{"contact_uri":"client:bob","missed_calls":[]}`)))
	if ev := bob.next(t, EventWorkerAttributesUpdate); ev.Worker == nil || ev.Worker.Attributes != `{"contact_uri":"client:bob","missed_calls":[]}` {
		t.Errorf("event worker %+v", ev.Worker)
	}
}
