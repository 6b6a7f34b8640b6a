//go:build js && wasm

package main

import (
	"strings"

	"github.com/hack-pad/safejs"

	"github.com/flex-internal-call/internal-call/call"
)

// Both sides of an internal call show the other party's name, an "Internal
// call" label and the live status the server writes into the task's
// internal_call attribute. A dedicated TaskChannel (a call channel applicable
// to client_call tasks) points its templates at manager.strings entries;
// template callbacks run at each render, so status changes show as the task's
// attributes update. Names reach the screen through Handlebars {{…}}, which
// escapes them.

const channelName = "internal-call"

// manager.strings keys the templates resolve to.
const (
	strPeerName    = "InternalCallPeerName"
	strName        = "InternalCallName"
	strFromName    = "InternalCallFromName"
	strLabel       = "InternalCallLabel"
	strStatusPfx   = "InternalCallStatus_" // + status
	strFailedWhy   = "InternalCallStatus_failed_reason"
	strHeldBy      = "InternalCallStatus_held_by" // this party is on hold, by the other
	strPeerQueue   = "InternalCallPeerQueue"      // who answered (queue)
	strPeerVia     = "InternalCallPeerVia"        // the caller via the queue
	handlebarsWhy  = "{{task.attributes.internal_call.reason}}"
	handlebarsPeer = "{{task.attributes.internal_call.peer_name}}"
	handlebarsVia  = "{{task.attributes.internal_call.via}}"
)

var statuses = []call.Status{
	call.StatusInitiated, call.StatusRinging, call.StatusConnected, call.StatusEnded,
	call.StatusDeclined, call.StatusNoAnswer, call.StatusCanceled, call.StatusFailed,
	statusHeld,
}

// statusHeld is the display of a connected call whose other party is on hold.
const statusHeld call.Status = "held"

func (b *bridge) registerStrings() {
	strs := get(b.manager, "strings")
	if !isObject(strs) {
		return
	}
	label := b.text(sLabel)
	set := func(k, v string) { _ = strs.Set(k, v) }
	set(strPeerName, handlebarsPeer)
	set(strPeerQueue, handlebarsPeer+" ("+handlebarsVia+")")
	set(strName, "{{task.attributes.name}}")
	set(strFromName, "{{task.attributes.fromName}}")
	set(strLabel, escapeHandlebars(label))
	for _, s := range statuses {
		set(strStatusPfx+string(s), escapeHandlebars(label+" · "+b.text(sStatusPrefix+string(s))))
	}
	// Lines naming something the server wrote: a placeholder survives the
	// escaping, then becomes the Handlebars expression.
	for _, t := range [...][4]string{
		{strFailedWhy, label + " · ", sFailedWhy, "reason"},
		{strHeldBy, label + " · ", sHeldBy, "name"},
		{strPeerVia, "", sPeerVia, "name"},
	} {
		line := escapeHandlebars(t[1] + b.text(t[2], t[3], "\x00", "queue", "\x01"))
		expr := handlebarsPeer
		if t[3] == "reason" {
			expr = handlebarsWhy
		}
		set(t[0], strings.Replace(strings.Replace(line, "\x00", expr, 1), "\x01", handlebarsVia, 1))
	}
}

// escapeHandlebars keeps catalogue text literal inside a Handlebars template.
func escapeHandlebars(s string) string { return strings.ReplaceAll(s, "{{", `\{{`) }

// nameKey is the string key showing the other party's name.
func nameKey(task jsv) string {
	switch {
	case str(task, "attributes", "internal_call", "via") != "":
		// a queue call, from the server's record
		if role(task) == call.RoleCallee {
			return strPeerVia
		}
		return strPeerQueue
	case str(task, "attributes", "internal_call", "peer_name") != "":
		return strPeerName
	case str(task, "attributes", "name") != "":
		return strName
	case str(task, "attributes", "fromName") != "":
		return strFromName
	}
	return strLabel
}

// statusKey is the string key showing the label and the live status.
func statusKey(task jsv) string {
	s := call.Status(status(task))
	held := call.Role(str(task, "attributes", "internal_call", "held"))
	switch {
	case s == call.StatusConnected && held != "":
		// Who is on hold is the server's record (on both tasks); in a call of
		// two the other party is the one who held.
		if held == role(task) {
			return strHeldBy
		}
		return strStatusPfx + string(statusHeld)
	case s == call.StatusFailed && str(task, "attributes", "internal_call", "reason") != "":
		return strFailedWhy
	case s.Valid():
		return strStatusPfx + string(s)
	}
	return strLabel
}

func (b *bridge) registerTaskChannel() {
	b.registerStrings()
	channels := get(b.flex, "TaskChannels")
	if !isFunc(get(channels, "register")) {
		return
	}
	// The channel's callbacks may still run in a render after unregister, so
	// they are not released on stop.
	isApplicable, _ := safejs.FuncOf(func(_ jsv, args []jsv) any { return len(args) > 0 && isInternal(args[0]) })
	name, _ := safejs.FuncOf(func(_ jsv, args []jsv) any {
		if len(args) == 0 {
			return strLabel
		}
		return nameKey(args[0])
	})
	line, _ := safejs.FuncOf(func(_ jsv, args []jsv) any {
		if len(args) == 0 {
			return strLabel
		}
		return statusKey(args[0])
	})

	var def jsv
	if create := get(b.flex, "DefaultTaskChannels", "createCallTaskChannel"); isFunc(create) {
		def, _ = create.Invoke(channelName, isApplicable)
	}
	if !isObject(def) {
		def = newObject("name", channelName, "isApplicable", isApplicable, "templates", newObject())
	}
	templates := get(def, "templates")
	if !isObject(templates) {
		templates = newObject()
		_ = def.Set("templates", templates)
	}
	for comp, slots := range map[string][2]string{
		"IncomingTaskCanvas": {"firstLine", "secondLine"},
		"CallCanvas":         {"firstLine", "secondLine"},
		"TaskListItem":       {"firstLine", "secondLine"},
		"TaskCanvasHeader":   {"title", "secondLine"},
		"TaskCard":           {"firstLine", "secondLine"},
	} {
		t := get(templates, comp)
		if !isObject(t) {
			t = newObject()
			_ = templates.Set(comp, t)
		}
		_ = t.Set(slots[0], name)
		_ = t.Set(slots[1], line)
	}
	if _, err := channels.Call("register", def); err != nil {
		return
	}
	b.onStop(func() {
		if isFunc(get(channels, "unregister")) {
			_, _ = channels.Call("unregister", def)
		}
	})
}
