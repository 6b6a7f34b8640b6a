//go:build e2e

package e2e

import (
	"strings"
	"testing"

	"github.com/flex-internal-call/internal-call/server/twiliosim"
)

// TestDirectoryPollSurvivesRotation: a directory poll is in flight with the
// old token when Flex rotates the token and the old one is revoked. Its 401
// is answered by one retry with the current token, as Flex's clients do: the
// desk logs no failed poll. On the real Flex UI's adapter and on the stand-in.
func TestDirectoryPollSurvivesRotation(t *testing.T) {
	for _, stub := range []bool{false, true} {
		name := "real Flex UI"
		if stub {
			name = "stand-in"
		}
		t.Run(name, func(t *testing.T) { pollAcrossRotation(t, stub) })
	}
}

func pollAcrossRotation(t *testing.T, stub bool) {
	e := newEnv(t, twiliosim.Options{})
	e.stub = stub
	alice := e.open("alice")
	// Hold the next directory request (its headers already carry the old
	// token) until the test lets it go; record the answers' statuses.
	alice.eval(`(function () {
		var orig = window.fetch, armed = true;
		window.__statuses = [];
		var gate = new Promise(function (r) { window.__release = r; });
		window.fetch = function (url) {
			var self = this, args = arguments;
			if (!/\/agents\/workers$/.test(String(url))) return orig.apply(self, args);
			if (armed) {
				armed = false; window.__held = true;
				return gate.then(function () { return orig.apply(self, args); }).then(function (r) { window.__statuses.push("held:" + r.status); return r; });
			}
			return orig.apply(self, args).then(function (r) { window.__statuses.push(String(r.status)); return r; });
		};
		return true; })()`)
	alice.waitFor("a directory poll in flight", `window.__held === true`)
	alice.eval(`(function () { var old = desk.manager.user.token;
		desk.rotateToken().then(function (tok) {
			return fetch("/sim/agents/logout", {method: "POST", headers: {"X-Flex-JWE": old}}).then(function (r) { window.__rotated = r.status === 204 && tok !== old; });
		}, function (e) { window.__rotated = "rotation failed: " + e.message; });
		return true; })()`)
	alice.waitFor("the token to rotate while the poll is in flight", `window.__rotated !== undefined`)
	if r := alice.eval(`window.__rotated`); r != true {
		t.Fatalf("rotation: %v", r)
	}
	alice.eval(`window.__release(), true`)
	alice.waitFor("the held poll's answer and the next one", `(function () { var s = window.__statuses, i = s.findIndex(function (x) { return x.indexOf("held:") === 0; }); return i >= 0 && s.length > i + 1; })()`)
	if s := alice.eval(`window.__statuses.join(",")`); !strings.HasPrefix(s.(string), "held:401,200") {
		t.Fatalf("directory answers: %v, want the held poll refused (401) then its retry answered (200)", s)
	}
	if log := alice.str(`desk.log.join("\n")`); strings.Contains(log, "poll failed") {
		t.Errorf("a poll failed across the rotation:\n%s", log)
	}
	// Chromium logs the refused request itself.
	alice.forgive("status of 401 (Unauthorized) (" + e.url + "/sim/agents/workers)")
	e.finish()
}
