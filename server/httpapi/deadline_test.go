package httpapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// A client that goes away (Twilio giving up on a slow answer, a conference
// start abandoning its wait-URL fetch) does not cut a handler's work short:
// a flow stopped between two of its Twilio writes leaves a call half ended.
// The deadline still bounds it.
func TestWorkOutlivesTheClientWithinTheDeadline(t *testing.T) {
	clientGone := make(chan struct{})
	result := make(chan error, 1)
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-clientGone
		time.Sleep(20 * time.Millisecond) // let a cancellation, if any, arrive
		if err := r.Context().Err(); err != nil {
			result <- err
			return
		}
		if _, ok := r.Context().Deadline(); !ok {
			result <- context.DeadlineExceeded // reported as "no deadline" below
			return
		}
		result <- nil
	})
	outer := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		go func() { <-r.Context().Done(); close(clientGone) }()
		withDeadline(5*time.Second)(inner).ServeHTTP(w, r)
	})
	srv := httptest.NewServer(outer)
	defer srv.Close()

	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL, nil)
	go func() { time.Sleep(50 * time.Millisecond); cancel() }()
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatal("the request was answered before the client went away")
	}
	select {
	case err := <-result:
		if err != nil {
			t.Fatalf("the handler's context after the client left: %v (want live, with a deadline)", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the handler never saw the client leave")
	}
}

// The deadline itself still ends the work.
func TestTheDeadlineEndsTheWork(t *testing.T) {
	done := make(chan error, 1)
	h := withDeadline(10 * time.Millisecond)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
		done <- r.Context().Err()
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/", nil))
	if err := <-done; err != context.DeadlineExceeded {
		t.Fatalf("context ended with %v, want the deadline", err)
	}
}
