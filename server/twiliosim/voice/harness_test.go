package voice

import (
	"bytes"
	"context"
	"encoding/binary"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/twilio/twilio-go"
	"github.com/twilio/twilio-go/client"

	"github.com/flex-internal-call/internal-call/server/twiliosim/contract"
	"github.com/flex-internal-call/internal-call/server/twiliosim/twiliosig"

	"github.com/flex-internal-call/internal-call/internal/waitfor"
)

const (
	testAccount = "AC00000000000000000000000000000001"
	testToken   = "0123456789abcdef0123456789abcdef"
)

// harness is the product side of a test: a TwiML and callback server that
// checks every signature, the engine's REST API behind a twilio-go client.
type harness struct {
	t   *testing.T
	e   *Engine
	app *httptest.Server // TwiML, media and callbacks
	api *httptest.Server // the engine's REST API under /api
	rc  *twilio.RestClient

	mu        sync.Mutex
	docs      map[string]string
	hits      map[string]int
	forms     map[string][]url.Values
	confEvts  []url.Values
	callEvts  []url.Values
	ended     map[string]string
	answered  map[string]bool
	badSigs   []string
	endpoints EndpointsFunc
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	h := &harness{
		t: t, docs: map[string]string{}, hits: map[string]int{}, forms: map[string][]url.Values{},
		ended: map[string]string{}, answered: map[string]bool{},
	}
	h.app = httptest.NewServer(http.HandlerFunc(h.serveApp))
	h.e = New(Config{
		AccountSid: testAccount,
		AuthToken:  testToken,
		MediaSpeed: 20,
		Endpoints: EndpointsFunc(func(to string) (bool, time.Duration) {
			h.mu.Lock()
			f := h.endpoints
			h.mu.Unlock()
			if f != nil {
				return f(to)
			}
			return true, 5 * time.Millisecond
		}),
	})
	// Every request and answer is checked against Twilio's OpenAPI document.
	checker := &contract.ResponseChecker{}
	r := chi.NewRouter()
	r.Use(contract.Options{Responses: checker, RejectUnknown: true}.Middleware)
	r.Route("/api", h.e.Routes)
	h.api = httptest.NewServer(r)
	c := &client.Client{
		Credentials: client.NewCredentials(testAccount, testToken),
		HTTPClient:  &http.Client{Transport: rewrite{base: h.api.URL + "/api"}},
	}
	c.SetAccountSid(testAccount)
	h.rc = twilio.NewRestClientWithParams(twilio.ClientParams{Client: c})
	t.Cleanup(func() {
		h.e.Close()
		h.api.Close()
		h.app.Close()
		h.mu.Lock()
		defer h.mu.Unlock()
		if len(h.badSigs) > 0 {
			t.Errorf("requests with a bad X-Twilio-Signature: %v", h.badSigs)
		}
		for _, v := range checker.Violations() {
			t.Errorf("contract: %s", v)
		}
	})
	return h
}

// rewrite sends twilio-go's https://api.twilio.com requests to the test server.
type rewrite struct{ base string }

func (rw rewrite) RoundTrip(r *http.Request) (*http.Response, error) {
	u, err := url.Parse(rw.base + r.URL.Path)
	if err != nil {
		return nil, err
	}
	u.RawQuery = r.URL.RawQuery
	r2 := r.Clone(r.Context())
	r2.URL, r2.Host = u, u.Host
	return http.DefaultTransport.RoundTrip(r2)
}

func (h *harness) serveApp(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	params := map[string]string{}
	for k := range r.PostForm {
		params[k] = r.PostForm.Get(k)
	}
	full := "http://" + r.Host + r.URL.RequestURI()
	v := client.NewRequestValidator(testToken)
	ok := v.Validate(full, params, r.Header.Get(twiliosig.Header))
	h.mu.Lock()
	defer h.mu.Unlock()
	if !ok && r.URL.Path != "/audio.wav" {
		h.badSigs = append(h.badSigs, r.Method+" "+full)
	}
	h.hits[r.URL.Path]++
	h.forms[r.URL.Path] = append(h.forms[r.URL.Path], r.Form)
	switch r.URL.Path {
	case "/events":
		h.confEvts = append(h.confEvts, r.PostForm)
		w.WriteHeader(http.StatusNoContent)
	case "/status":
		h.callEvts = append(h.callEvts, r.PostForm)
		w.WriteHeader(http.StatusNoContent)
	case "/audio.wav":
		w.Header().Set("Content-Type", "audio/wav")
		_, _ = w.Write(wav(500 * time.Millisecond))
	default:
		doc, ok := h.docs[r.URL.Path]
		if !ok {
			http.Error(w, "no such document", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/xml")
		_, _ = w.Write([]byte(doc))
	}
}

func (h *harness) doc(path, twiml string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.docs[path] = twiml
}

func (h *harness) url(path string) string { return h.app.URL + path }

func (h *harness) hitCount(path string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.hits[path]
}

// dial places a call to client:name that fetches path.
func (h *harness) dial(name, path string) string {
	h.t.Helper()
	sid, err := h.e.Dial(DialRequest{
		From: "client:caller", To: "client:" + name, URL: h.url(path),
		Timeout: 2 * time.Second,
		OnAnswered: func(sid string) {
			h.mu.Lock()
			h.answered[sid] = true
			h.mu.Unlock()
		},
		OnEnded: func(sid, status string) {
			h.mu.Lock()
			h.ended[sid] = status
			h.mu.Unlock()
		},
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return sid
}

func (h *harness) endedStatus(sid string) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.ended[sid]
}

// settle waits for every queued callback.
func (h *harness) settle() {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := h.e.Wait(ctx); err != nil {
		h.t.Fatal(err)
	}
}

// confEvents returns the conference callbacks as "event" or "event:reason".
func (h *harness) confEvents() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for _, f := range h.confEvts {
		s := f.Get("StatusCallbackEvent")
		if r := f.Get("ReasonParticipantLeft") + f.Get("ReasonConferenceEnded"); r != "" {
			s += ":" + r
		}
		out = append(out, s)
	}
	return out
}

func (h *harness) call(sid string) Call {
	for _, c := range h.e.Calls() {
		if c.Sid == sid {
			return c
		}
	}
	h.t.Fatalf("no call %s", sid)
	return Call{}
}

func (h *harness) conference(name string) (Conference, bool) {
	var found Conference
	ok := false
	for _, c := range h.e.Conferences() {
		if c.FriendlyName == name {
			found, ok = c, true // the newest of that name
		}
	}
	return found, ok
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	if !waitfor.Until(5*time.Second, cond) {
		t.Fatalf("timed out waiting for %s", what)
	}
}

// wav builds a 8 kHz 16-bit mono WAV file of duration d.
func wav(d time.Duration) []byte {
	const rate, bytesPerSample = 8000, 2
	data := int(d.Seconds() * rate * bytesPerSample)
	var b bytes.Buffer
	le := func(v any) { _ = binary.Write(&b, binary.LittleEndian, v) }
	b.WriteString("RIFF")
	le(uint32(36 + data))
	b.WriteString("WAVEfmt ")
	le(uint32(16))
	le(uint16(1))
	le(uint16(1))
	le(uint32(rate))
	le(uint32(rate * bytesPerSample))
	le(uint16(bytesPerSample))
	le(uint16(16))
	b.WriteString("data")
	le(uint32(data))
	b.Write(make([]byte, data))
	return b.Bytes()
}

// confTwiML is a <Dial><Conference> document; attrs go on <Conference>.
func confTwiML(name, attrs, after string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><Response><Dial><Conference ` + attrs + `>` + name +
		`</Conference></Dial>` + after + `</Response>`
}

func joinLines(s []string) string { return strings.Join(s, "\n") }
