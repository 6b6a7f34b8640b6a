package twilioapi

import "testing"

// A worker's contact_uri is read from Twilio once, then served from memory
// for a minute: every leg's TwiML checks it.
func TestWorkerContactURIIsCached(t *testing.T) {
	c, n, _ := stub(t, 200)
	tr := c.TaskRouter(ws)
	const worker = "WK00000000000000000000000000000001"
	for range 3 {
		if _, err := tr.WorkerContactURI(ctx, worker); err != nil {
			t.Fatal(err)
		}
	}
	if got := n.Load(); got != 1 {
		t.Fatalf("%d requests to Twilio for three reads of one worker, want 1", got)
	}
	if _, err := tr.WorkerContactURI(ctx, "WK00000000000000000000000000000002"); err != nil || n.Load() != 2 {
		t.Fatalf("another worker: %v, %d requests", err, n.Load())
	}
}
