// Package faults injects the failures a real Twilio account shows now and
// then — slow answers, 429 throttling, 500s, and status callbacks that are lost,
// repeated or out of order — so reliability tests and the demo can prove the
// product copes with them.
//
// One Injector holds the run's Config (replaceable with Set while running) and
// counts what it injected. Its Middleware applies the REST faults; its
// Dispatchers deliver callbacks, one ordered stream each (one per conference),
// applying the callback faults. A nil *Injector injects nothing, so production
// wiring needs no special case.
package faults
