package twiliosig

import (
	"net/url"
	"testing"

	"github.com/twilio/twilio-go/client"
)

// The test vector twilio-go's own validator tests use: it pins the key order
// (Reason sorts before ReasonConferenceEnded) and the URL handling.
func TestSignKnownVector(t *testing.T) {
	const token = "12345"
	u := "https://mycompany.com/myapp.php?foo=1&bar=2"
	form := url.Values{
		"Digits":                {"1234"},
		"CallSid":               {"CA1234567890ABCDE"},
		"To":                    {"+18005551212"},
		"Caller":                {"+14158675309"},
		"From":                  {"+14158675309"},
		"ReasonConferenceEnded": {"test"},
		"Reason":                {"Participant"},
	}
	if got, want := Sign(token, u, form), "vOEb5UThFn24KEfnOFLQY2AE5FY="; got != want {
		t.Fatalf("Sign = %q, want %q", got, want)
	}
	params := map[string]string{}
	for k := range form {
		params[k] = form.Get(k)
	}
	v := client.NewRequestValidator(token)
	if v.Validate(u, params, Sign("other", u, form)) {
		t.Fatal("a signature made with another token was accepted")
	}
}
