package httpapi

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/twilio/twilio-go/client"
)

// maxWebhookBody bounds a Twilio webhook; real ones are a few kilobytes.
const maxWebhookBody = 64 << 10

// twilioSignature admits only requests signed by Twilio with our auth token:
// unsigned or forged → 403 before anything reads Twilio's state. The signed
// URL is the public one Twilio called (PUBLIC_BASE_URL, or the forwarded
// scheme and host when TRUST_PROXY is set).
type twilioSignature struct {
	validator  client.RequestValidator
	base       *url.URL
	trustProxy bool
}

func (s *twilioSignature) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxWebhookBody)
		if err := r.ParseForm(); err != nil {
			writeText(w, http.StatusBadRequest, "malformed form body: "+err.Error())
			return
		}
		sig := r.Header.Get("X-Twilio-Signature")
		if sig == "" {
			writeText(w, http.StatusForbidden, "missing X-Twilio-Signature")
			return
		}
		params := make(map[string]string, len(r.PostForm))
		for k, v := range r.PostForm {
			params[k] = v[0]
		}
		if !s.validator.Validate(s.publicURL(r), params, sig) {
			writeText(w, http.StatusForbidden, "invalid X-Twilio-Signature")
			return
		}
		for k, v := range r.PostForm {
			// Twilio never repeats a webhook parameter; the validator ignores repeats.
			if len(v) > 1 {
				writeText(w, http.StatusBadRequest, "repeated parameter "+k)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// publicURL rebuilds the URL Twilio requested.
func (s *twilioSignature) publicURL(r *http.Request) string {
	scheme, host := s.base.Scheme, s.base.Host
	if s.trustProxy {
		if p := firstValue(r.Header.Get("X-Forwarded-Proto")); p == "http" || p == "https" {
			scheme = p
		}
		if h := firstValue(r.Header.Get("X-Forwarded-Host")); h != "" {
			host = h
		} else if r.Host != "" {
			host = r.Host
		}
	}
	return scheme + "://" + host + strings.TrimRight(s.base.Path, "/") + r.URL.RequestURI()
}

func firstValue(h string) string {
	v, _, _ := strings.Cut(h, ",")
	return strings.TrimSpace(v)
}
