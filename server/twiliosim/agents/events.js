/* AgentEvents: a page's one event stream for every agent it follows.
 *
 * Browsers allow six HTTP/1.1 connections per host, and an open event stream
 * holds one for as long as the page is open: a stream per agent starves the
 * page (and its other tabs) of connections. Each page therefore holds ONE
 * stream of the agents API (GET <base>/stream) and adds to it each agent it
 * follows (POST <base>/streams/{id}/follow with the agent's token); the
 * server tags every event with the follow's key. Frames of the same origin
 * (the demo's desks) use the stream of their top window when it loaded this
 * script, so the demo page with three desks holds one stream too.
 *
 *   var events = AgentEvents.follow(base, function () { return token; }, {observe: false});
 *   events.addEventListener("ready", function (e) { ... JSON.parse(e.data) ... });
 *   events.onerror = function (err) { ... };   // the stream is down, or the follow was refused
 *   events.close();
 *
 * A follow gets "ready" once its subscriptions are in place, and again after
 * the stream reconnects (events may have been missed: resynchronise then).
 * observe: true marks a follow that only watches the agent (the simulator's
 * page); otherwise it is the agent's desk.
 */
(function (root) {
  "use strict";

  var seq = 0;
  function newKey() { return "f" + (++seq) + "-" + Math.random().toString(36).slice(2, 10); }

  function Follower(hub, token, opts) {
    this.hub = hub;
    this.token = token;
    this.observe = !!(opts && opts.observe);
    this.key = newKey();
    this.listeners = {};
    this.onerror = null;
    this.closed = false;
  }
  Follower.prototype.addEventListener = function (type, fn) { (this.listeners[type] = this.listeners[type] || []).push(fn); };
  Follower.prototype.removeEventListener = function (type, fn) {
    var l = this.listeners[type] || [], i = l.indexOf(fn);
    if (i >= 0) l.splice(i, 1);
  };
  // emit calls the listeners (they may belong to a frame that is going away).
  Follower.prototype.emit = function (type, data) {
    var ev = { type: type, data: data };
    (this.listeners[type] || []).slice().forEach(function (fn) {
      try { fn(ev); } catch (e) { if (root.console) root.console.error(e); }
    });
  };
  Follower.prototype.fail = function (err) {
    if (this.closed || typeof this.onerror !== "function") return;
    try { this.onerror(err); } catch (e) { if (root.console) root.console.error(e); }
  };
  Follower.prototype.close = function () {
    if (this.closed) return;
    this.closed = true;
    this.hub.remove(this);
  };

  // Hub is one page's stream of one agents API.
  function Hub(win, base) {
    this.win = win;
    this.base = base;
    this.followers = {};
    this.id = null;
    this.es = null;
  }
  Hub.prototype.add = function (f) {
    this.followers[f.key] = f;
    if (!this.es) this.open();
    else if (this.id) this.register(f);
  };
  Hub.prototype.remove = function (f) {
    delete this.followers[f.key];
    var win = this.win, url = this.id && this.base + "/streams/" + this.id + "/follows/" + encodeURIComponent(f.key);
    if (url) {
      // After the follow's own request, so that the follow cannot outlive it.
      (f.registered || Promise.resolve()).then(function () {
        return win.fetch(url, { method: "DELETE", keepalive: true });
      }).catch(function () { /* the stream is gone: so is the follow */ });
    }
    if (!Object.keys(this.followers).length && this.es) {
      this.es.close();
      this.es = null;
      this.id = null;
    }
  };
  Hub.prototype.open = function () {
    var hub = this, es = new this.win.EventSource(this.base + "/stream");
    this.es = es;
    // Every (re)connection is a new stream: follow everyone again.
    es.addEventListener("stream", function (e) {
      if (hub.es !== es) return;
      hub.id = JSON.parse(e.data).id;
      Object.keys(hub.followers).forEach(function (k) { hub.register(hub.followers[k]); });
    });
    es.onmessage = function (e) {
      var m = JSON.parse(e.data), f = hub.followers[m.key];
      if (f) f.emit(m.type, JSON.stringify(m.data));
    };
    es.onerror = function () {
      if (hub.es !== es) return;
      hub.id = null;
      var err = new Error("the event stream is interrupted");
      Object.keys(hub.followers).forEach(function (k) { hub.followers[k].fail(err); });
      if (es.readyState === hub.win.EventSource.CLOSED) {
        hub.es = null;
        hub.win.setTimeout(function () { if (!hub.es && Object.keys(hub.followers).length) hub.open(); }, 500);
      }
    };
  };
  Hub.prototype.register = function (f) {
    var id = this.id;
    f.registered = this.win.fetch(this.base + "/streams/" + id + "/follow", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Flex-JWE": f.token() },
      body: JSON.stringify({ key: f.key, observe: f.observe }),
    }).then(function (r) {
      if (r.ok) return;
      return r.json().catch(function () { return {}; }).then(function (d) {
        throw new Error("following the agent's events: " + (d.message || r.status));
      });
    }).catch(function (e) { f.fail(e); });
  };

  var hubs = {};
  // hub is this window's hub for an agents API (an absolute URL).
  function hub(base) {
    return hubs[base] || (hubs[base] = new Hub(root, base));
  }

  // shared is the AgentEvents of the top window, when it is of this origin,
  // loaded this script and is another window; else null.
  function shared() {
    try {
      var top = root.top;
      if (top && top !== root && top.location.origin === root.location.origin && top.AgentEvents && top.AgentEvents.hub) return top.AgentEvents;
    } catch (e) { /* another origin */ }
    return null;
  }

  // follow follows one agent: token returns the agent's current Flex token.
  function follow(base, token, opts) {
    var abs = new root.URL(base, root.location.href).href.replace(/\/+$/, "");
    var owner = shared();
    var h = owner ? owner.hub(abs) : hub(abs);
    var f = new Follower(h, token, opts);
    h.add(f);
    // A frame that goes away stops following; its top window's stream stays.
    if (owner) root.addEventListener("pagehide", function () { f.close(); });
    return f;
  }

  root.AgentEvents = { follow: follow, hub: hub };
})(window);
