// Package frame is the dialpad's side of the postMessage link with the bridge
// in the Flex page: which messages it accepts, where it posts, and (in the
// browser) the listener and the height observer.
package frame

import (
	"strings"

	"github.com/flex-internal-call/internal-call/wasm/frameproto"
)

// MetaOrigins is the name of the page's meta tag listing, space-separated, the
// origins allowed to frame the dialpad (the server's FLEX_ORIGINS).
const MetaOrigins = "flex-internal-call-origins"

// Gate decides which posted messages the dialpad reads and where it posts.
// Until the host's first valid init, any allowed origin may speak; that init
// pins its origin, and from then on only that exact origin is heard and
// posted to.
type Gate struct {
	allowed []string
	pinned  string
	parent  string // the framing page's origin as the browser tells it; "" unknown
}

// NewGate allows the given origins (exact scheme://host[:port], no path).
func NewGate(origins []string) *Gate {
	g := &Gate{}
	for _, o := range origins {
		if o = strings.TrimRight(strings.TrimSpace(o), "/"); o != "" && o != "*" && o != "null" {
			g.allowed = append(g.allowed, o)
		}
	}
	return g
}

// SetParentOrigin is the origin of the page framing the dialpad, as the
// browser reports it (location.ancestorOrigins, else the referrer); "" when
// it does not. Known, ready goes only there.
func (g *Gate) SetParentOrigin(origin string) { g.parent = strings.TrimRight(origin, "/") }

// ParseOrigins reads the meta tag's content.
func ParseOrigins(content string) []string { return strings.Fields(content) }

// Pinned is the host's origin once an init fixed it, else "".
func (g *Gate) Pinned() string { return g.pinned }

func (g *Gate) allowedOrigin(origin string) bool {
	for _, o := range g.allowed {
		if o == origin {
			return true
		}
	}
	return false
}

// hostTypes are the messages a host may send.
var hostTypes = map[frameproto.Type]bool{
	frameproto.TypeInit: true, frameproto.TypeDirectory: true,
	frameproto.TypeQueues: true, frameproto.TypeCallStatus: true,
	frameproto.TypeMissedCalls: true, frameproto.TypeAPIAnswer: true,
	frameproto.TypeCallChanged: true,
}

// Accept checks one message event: it must come from the parent window, from
// an allowed origin (the pinned one once pinned), be one of our envelopes of
// a host type, and, before pinning, be an init. A valid init pins the origin.
func (g *Gate) Accept(origin string, fromParent bool, data string) (frameproto.Envelope, bool) {
	if !fromParent || !g.allowedOrigin(origin) || (g.pinned != "" && origin != g.pinned) {
		return frameproto.Envelope{}, false
	}
	env, ok := frameproto.Decode(data)
	if !ok || !hostTypes[env.Type] {
		return frameproto.Envelope{}, false
	}
	if g.pinned == "" {
		if env.Type != frameproto.TypeInit {
			return frameproto.Envelope{}, false
		}
		var in frameproto.Init
		if env.Into(&in) != nil {
			return frameproto.Envelope{}, false
		}
		g.pinned = origin
	}
	return env, true
}

// Targets are the exact origins a message of type t is posted to: the pinned
// origin; before pinning, ready goes to the parent's origin when the browser
// told it and it is allowed (none when it is not), else to every allowed
// origin (the browser delivers it only where the parent's origin matches,
// and warns in the console for the others); nothing else is sent.
func (g *Gate) Targets(t frameproto.Type) []string {
	if g.pinned != "" {
		return []string{g.pinned}
	}
	if t != frameproto.TypeReady {
		return nil
	}
	if g.parent != "" {
		if g.allowedOrigin(g.parent) {
			return []string{g.parent}
		}
		return nil
	}
	return append([]string(nil), g.allowed...)
}
