package bench

import (
	"net"
	"net/http"
	"time"
)

// bareTwiML is what the ceiling handler answers: a conference join of the
// size the product writes.
const bareTwiML = `<?xml version="1.0" encoding="UTF-8"?><Response><Dial><Conference beep="false" startConferenceOnEnter="false" endConferenceOnExit="true" statusCallback="http://127.0.0.1/callbacks/conference?taskSid=WT00000000000000000000000000000001" statusCallbackMethod="POST" statusCallbackEvent="start end join leave" participantLabel="caller" waitUrl="http://127.0.0.1/twiml/ringback?taskSid=WT00000000000000000000000000000001&amp;since=1" waitMethod="POST">ic-WT00000000000000000000000000000001</Conference></Dial></Response>`

// BareHandler is the ceiling: net/http with nothing else, parsing the form
// and writing fixed TwiML (no signature check, no Twilio request).
func BareHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil || r.PostForm.Get("CallSid") == "" && r.PostForm.Get("ConferenceSid") == "" {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		if r.URL.Path == "/callbacks/conference" {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.Header().Set("Content-Type", "text/xml")
		_, _ = w.Write([]byte(bareTwiML))
	})
}

// ServeBare serves BareHandler on ln until the process ends.
func ServeBare(ln net.Listener) error {
	srv := &http.Server{Handler: BareHandler(), ReadHeaderTimeout: 5 * time.Second, IdleTimeout: 90 * time.Second}
	return srv.Serve(ln)
}
