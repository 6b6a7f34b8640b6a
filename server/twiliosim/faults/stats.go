package faults

import (
	"sync/atomic"
	"time"
)

// Stats counts what an Injector did since it was made.
type Stats struct {
	Requests     int64 // REST requests seen by Middleware
	Delayed      int64 // of which delayed
	Status429    int64 // answered 429
	Status500    int64 // answered 500
	Callbacks    int64 // callbacks sent to Dispatchers
	Delivered    int64 // callback deliveries made (duplicates count twice)
	Dropped      int64
	Duplicated   int64
	Reordered    int64 // held back to go after the next one
	Flushed      int64 // held ones delivered because no next one came in time, or at Close
	AfterClose   int64 // sent to a closed Dispatcher and ignored
	TotalLatency time.Duration
}

type counters struct {
	requests, delayed, s429, s500                      atomic.Int64
	callbacks, delivered, dropped, duplicated          atomic.Int64
	reordered, flushed, afterClose, latencyNanoseconds atomic.Int64
}

// Stats returns the counters (zero for a nil Injector).
func (in *Injector) Stats() Stats {
	if in == nil {
		return Stats{}
	}
	s := &in.stats
	return Stats{
		Requests: s.requests.Load(), Delayed: s.delayed.Load(),
		Status429: s.s429.Load(), Status500: s.s500.Load(),
		Callbacks: s.callbacks.Load(), Delivered: s.delivered.Load(),
		Dropped: s.dropped.Load(), Duplicated: s.duplicated.Load(),
		Reordered: s.reordered.Load(), Flushed: s.flushed.Load(),
		AfterClose:   s.afterClose.Load(),
		TotalLatency: time.Duration(s.latencyNanoseconds.Load()),
	}
}

// counters returns where to count; a nil Injector counts into a sink.
func (in *Injector) counters() *counters {
	if in == nil {
		return &sink
	}
	return &in.stats
}

var sink counters
