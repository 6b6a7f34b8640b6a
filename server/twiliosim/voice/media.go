package voice

import (
	"context"
	"encoding/binary"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"
)

// mediaLength checks a <Play> URL the way Twilio fetches media: a GET that must
// answer 200 with an audio content type. The length comes from a WAV header,
// else 1 s. A checked URL is remembered, as Twilio caches media.
func (e *Engine) mediaLength(ctx context.Context, callSid, u string) (time.Duration, bool) {
	e.lock()
	d, ok := e.media[u]
	e.unlock()
	if ok {
		return d, true
	}
	req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
	if err != nil {
		e.fail(callSid, 11200, "HTTP retrieval failure: GET %s: %v", u, err)
		return 0, false
	}
	req.Header.Set("User-Agent", "TwilioProxy/1.1")
	resp, err := e.client.Do(req)
	if err != nil {
		if ctx.Err() == nil {
			e.fail(callSid, 11200, "HTTP retrieval failure: GET %s: %v", u, err)
		}
		return 0, false
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		e.fail(callSid, 11200, "HTTP retrieval failure: GET %s: status %d", u, resp.StatusCode)
		return 0, false
	}
	ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if !strings.HasPrefix(ct, "audio/") {
		e.fail(callSid, 12300, "Invalid Content-Type: GET %s: %q is not audio", u, ct)
		return 0, false
	}
	head, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	d = audioLength(head)
	e.lock()
	e.media[u] = d
	e.unlock()
	return d, true
}

// audioLength is a WAV file's length from its header, else 1 s.
func audioLength(b []byte) time.Duration {
	if d, ok := wavLength(b); ok {
		return d
	}
	return time.Second
}

// wavLength reads the fmt chunk's byte rate and the data chunk's size.
func wavLength(b []byte) (time.Duration, bool) {
	if len(b) < 12 || string(b[0:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return 0, false
	}
	var byteRate uint32
	for off := 12; off+8 <= len(b); {
		id := string(b[off : off+4])
		size := binary.LittleEndian.Uint32(b[off+4 : off+8])
		body := off + 8
		switch id {
		case "fmt ":
			if body+12 > len(b) {
				return 0, false
			}
			byteRate = binary.LittleEndian.Uint32(b[body+8 : body+12])
		case "data":
			if byteRate == 0 {
				return 0, false
			}
			return time.Duration(float64(size) / float64(byteRate) * float64(time.Second)), true
		}
		off = body + int(size) + int(size&1)
	}
	return 0, false
}

// MediaFetched reports whether a <Play> URL has been fetched (and cached) yet.
func (e *Engine) MediaFetched(u string) bool {
	e.lock()
	defer e.unlock()
	_, ok := e.media[u]
	return ok
}
