package voice

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/flex-internal-call/internal-call/server/twiliosim/twiliosig"
)

// signedRequest sends form to rawURL as Twilio's webhooks do: POST with a
// form body, or GET with the parameters appended to the query, signed with
// X-Twilio-Signature over the URL as requested (and the POST form).
func (e *Engine) signedRequest(ctx context.Context, method, rawURL string, form url.Values) (*http.Response, error) {
	var body io.Reader
	target := rawURL
	signed := form
	if method == "GET" {
		u, err := url.Parse(rawURL)
		if err != nil {
			return nil, err
		}
		q := u.Query()
		for k, vs := range form {
			for _, v := range vs {
				q.Add(k, v)
			}
		}
		u.RawQuery = q.Encode()
		target, signed = u.String(), nil
	} else {
		method = "POST"
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("User-Agent", "TwilioProxy/1.1")
	req.Header.Set(twiliosig.Header, twiliosig.Sign(e.cfg.AuthToken, target, signed))
	return e.client.Do(req)
}

// voiceParams are Twilio's standard parameters of a voice request for c.
func (e *Engine) voiceParams(c *call) url.Values {
	e.lock()
	defer e.unlock()
	return url.Values{
		"AccountSid": {e.cfg.AccountSid},
		"ApiVersion": {"2010-04-01"},
		"CallSid":    {c.sid},
		"CallStatus": {c.status},
		"Direction":  {c.direction},
		"From":       {c.from},
		"To":         {c.to},
		"Caller":     {c.from},
		"Called":     {c.to},
	}
}

// fetchTwiML requests and parses a TwiML document for c, extra adding to the
// standard parameters. Failures are recorded with Twilio's codes: 11200 (HTTP
// retrieval), 12300 (content type), 12100 (parse). An interrupted fetch
// (ctx ended) records nothing.
func (e *Engine) fetchTwiML(ctx context.Context, c *call, rawURL, method string, extra url.Values) (*node, error) {
	return e.fetch(ctx, c, rawURL, method, extra, false)
}

// fetch is fetchTwiML that, with audio, also takes an audio file (a waitUrl
// or holdUrl may answer one): it becomes a <Play> of rawURL.
func (e *Engine) fetch(ctx context.Context, c *call, rawURL, method string, extra url.Values, audio bool) (*node, error) {
	form := e.voiceParams(c)
	for k, v := range extra {
		form[k] = v
	}
	resp, err := e.signedRequest(ctx, method, rawURL, form)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		e.fail(c.sid, 11200, "HTTP retrieval failure: %s %s: %v", method, rawURL, err)
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		e.fail(c.sid, 11200, "HTTP retrieval failure: %s %s: %v", method, rawURL, err)
		return nil, err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		err := fmt.Errorf("%s %s: status %d", method, rawURL, resp.StatusCode)
		e.fail(c.sid, 11200, "HTTP retrieval failure: %v", err)
		return nil, err
	}
	ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if audio && strings.HasPrefix(ct, "audio/") {
		e.lock()
		e.media[rawURL] = audioLength(b)
		e.unlock()
		play := node{XMLName: xml.Name{Local: "Play"}, Text: rawURL}
		return &node{XMLName: xml.Name{Local: "Response"}, Children: []node{play}}, nil
	}
	if ct != "" && !strings.Contains(ct, "xml") && ct != "text/plain" {
		err := fmt.Errorf("%s %s: content type %q", method, rawURL, ct)
		e.fail(c.sid, 12300, "Invalid Content-Type: %v", err)
		return nil, err
	}
	doc, err := parseTwiML(b)
	if err != nil {
		e.fail(c.sid, 12100, "Document parse failure: %s: %v", rawURL, err)
		return nil, err
	}
	return doc, nil
}
