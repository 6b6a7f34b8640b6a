// Package twiliosig computes X-Twilio-Signature the way Twilio does for the
// webhooks it sends, so the simulator's requests and the tests' forged or honest
// requests are checked by the server exactly like Twilio's own.
package twiliosig

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/url"
	"sort"
	"strings"
)

// Header is the HTTP header carrying the signature.
const Header = "X-Twilio-Signature"

// Sign returns the signature of a form POST (or of a GET with form nil) to fullURL:
// base64(HMAC-SHA1(authToken, fullURL + each key and value, keys sorted, values of
// a repeated key sorted)).
func Sign(authToken, fullURL string, form url.Values) string {
	var b strings.Builder
	b.WriteString(fullURL)
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		vals := append([]string(nil), form[k]...)
		sort.Strings(vals)
		for _, v := range vals {
			b.WriteString(k)
			b.WriteString(v)
		}
	}
	mac := hmac.New(sha1.New, []byte(authToken))
	mac.Write([]byte(b.String()))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}
