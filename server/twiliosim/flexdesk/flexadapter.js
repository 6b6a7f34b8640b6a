/* The one adapter between the REAL Flex UI (@twilio/flex-ui 2.17.1, bundled
 * into /demo/flex-ui.js: window.Twilio.Flex, with React 17, ReactDOM, Redux,
 * Handlebars) and the Twilio simulator's agents API (/sim/agents).
 *
 * Real, from the bundle: the Manager (built with new Manager(config, store)
 * over a Redux store of Flex's own FlexReducer), its strings and
 * configuration; Actions (invokeAction, before/after listeners, Flex's
 * payload mapping from a reservation SID to the ITask in its store, its
 * native actions: AcceptTask, SelectTask, SetActivity, …); Notifications;
 * TaskChannels and DefaultTaskChannels; CallCanvasActions /
 * OutboundDialerPanel content stores; the PluginManager (Plugins.setup,
 * storePluginDefinition, init: the plugin script is loaded with its uuid
 * attribute, as Flex loads plugins); TaskHelper; the ITask objects (Flex's
 * TaskRouterTask); FlexClientManager.initTaskRouterSDK, which builds the
 * TaskRouter Worker (through Flex's own Supervisor proxy) and starts Flex's
 * WorkerListener on it: Flex itself puts reservations in its store, emits
 * taskReceived, and auto-accepts the agent's initial outbound attempt task.
 *
 * The TaskRouter SDK in the bundle is the simulator's (realflex/
 * taskrouter.js, put in place of twilio-taskrouter by realflex/build.mjs).
 * Stood in for here, because Flex reaches them only after a Twilio login
 * (Manager.create needs config.sso.accountSid, then SSO/OAuth and
 * TokenManager.validate against Twilio): the login and token (Manager.user),
 * the Flex Configuration (Manager.serviceConfiguration), the SDK's transport
 * (requests with the current token, the agent's event stream), the insights
 * client (manager.insightsClient). Each piece names what it replaces.
 * The voice device is not stood in for: the simulator answers each agent's
 * contact URI itself, so Flex's DeviceListener has nothing to do.
 *
 * FlexAdapter.start(opts) → desk, the object desk.js renders. opts: worker,
 * agentsBase, configURL, stateURL, pluginURL, pollMs. */
(function () {
  "use strict";
  var F = window.Twilio.Flex, Redux = window.Redux;

  function Emitter() { this._l = {}; }
  Emitter.prototype.on = function (ev, fn) { (this._l[ev] = this._l[ev] || []).push(fn); return this; };
  Emitter.prototype.addListener = Emitter.prototype.on;
  Emitter.prototype.removeListener = function (ev, fn) { var l = this._l[ev] || [], i = l.indexOf(fn); if (i >= 0) l.splice(i, 1); return this; };
  Emitter.prototype.off = Emitter.prototype.removeListener;
  Emitter.prototype.emit = function (ev) { var a = [].slice.call(arguments, 1); (this._l[ev] || []).slice().forEach(function (fn) { fn.apply(null, a); }); };

  function start(opts) {
    var base = opts.agentsBase.replace(/\/+$/, "");
    var desk = new Emitter();
    desk.log = []; desk.workers = {}; desk.conference = null; desk.plugins = null;
    function note(m) { desk.log.push(new Date().toISOString().slice(11, 23) + " " + m); if (desk.log.length > 200) desk.log.shift(); desk.emit("log", m); }
    function changed() { desk.emit("changed"); }

    // Flex's own store and Manager, without Manager.create's login.
    var store = Redux.createStore(Redux.combineReducers({ flex: F.FlexReducer }), Redux.compose(F.applyFlexMiddleware()));
    var manager = new F.Manager({}, store);
    var user = { token: "", identity: opts.worker, roles: ["agent"] };
    var service = {};
    // Manager.user (the SSO token payload in Flex's session state) and
    // Manager.serviceConfiguration (Manager.fetchConfiguration).
    Object.defineProperty(manager, "user", { get: function () { return user; } });
    Object.defineProperty(manager, "serviceConfiguration", { get: function () { return service; } });
    desk.flex = F; desk.manager = manager;
    desk.tasks = { get: function (sid) { return store.getState().flex.worker.tasks.get(sid); } };

    // Every request carries the current token. One refused (401) after the
    // token was rotated is sent once more with the new token, as Flex's SDK
    // clients retry after tokenUpdated: a poll in flight across a rotation
    // (its old token revoked meanwhile) does not fail.
    var rotating = null;
    function authFetch(url, init, retried) {
      var tok = user.token;
      init = Object.assign({}, init, { headers: Object.assign({}, init && init.headers, { "X-Flex-JWE": tok }) });
      return fetch(url, init).then(function (r) {
        if (r.status !== 401 || retried) return r;
        return (rotating || Promise.resolve()).then(function () {
          return user.token !== tok ? authFetch(url, init, true) : r;
        }, function () { return r; });
      });
    }
    function api(method, path, body) {
      var h = {};
      if (body !== undefined) h["Content-Type"] = "application/json";
      return authFetch(base + path, { method: method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) }).then(function (r) {
        return r.text().then(function (t) {
          var d = null; try { d = t ? JSON.parse(t) : null; } catch (e) { d = t; }
          if (!r.ok) throw new Error((d && d.message) || "HTTP " + r.status);
          return d;
        });
      });
    }
    function getJSON(url) { return authFetch(url).then(function (r) { if (!r.ok) throw new Error(url + ": HTTP " + r.status); return r.json(); }); }

    // ---- twilio-taskrouter: the SDK module in the bundle is the
    // simulator's (realflex/taskrouter.js); Flex's own
    // FlexClientManager.initTaskRouterSDK builds its Worker (a Supervisor)
    // and, once it is ready, starts Flex's own WorkerListener on it, which
    // puts reservations in Flex's store, wraps them as TaskRouterTasks,
    // emits taskReceived and auto-accepts the agent's initial outbound
    // attempt task (AcceptTask, then SelectTask). What the adapter does is
    // the SDK's transport: requests with the current token, and the agent's
    // event stream delivered to the Worker.
    var TR = window.FlexSim.taskrouter;
    TR.configure({ api: api, note: note });
    function worker() { return TR.current(); }
    // the reservation events of the agent's stream (reservation.<event>)
    var RES = { created: 1, accepted: 1, rejected: 1, timeout: 1, canceled: 1, rescinded: 1, wrapup: 1, completed: 1 };
    function onReservation(ev, r, view) { var w = worker(); if (w) { w.deliver(ev, r, view); changed(); } }
    function resync() { var w = worker(); return w ? w._resync().then(changed) : Promise.resolve(); }
    // The desk's activity menu: Flex's own SetActivity action (Activity.setAsCurrent).
    desk.setActivity = function (name) { return F.Actions.invokeAction("SetActivity", { activityName: name }).then(changed); };

    // ---- twilio-sync's live queries (manager.insightsClient) over the
    // tr-worker and tr-task indexes, polled from the simulator ----
    var indexes = { "tr-worker": {}, "tr-task": {} }, queries = [];
    function compile(expr) {
      if (!expr.trim()) return function () { return true; };
      var cs = expr.split(/\s+AND\s+/).map(function (c) { var m = /^\s*data\.([A-Za-z0-9_.]+)\s*==\s*"([^"\\]*)"\s*$/.exec(c); return m && { path: m[1], value: m[2] }; });
      if (cs.some(function (c) { return !c; })) return null;
      return function (it) { return cs.every(function (c) { return c.path.split(".").reduce(function (o, k) { return o == null ? o : o[k]; }, it) === c.value; }); };
    }
    // SyncClient.liveQuery(index, expression) → getItems(), itemUpdated/itemRemoved, close()
    var insights = {
      liveQuery: function (index, expression) {
        var match = indexes[index] && compile(expression);
        if (!match) return Promise.reject(new Error("liveQuery: invalid index or expression"));
        var q = new Emitter();
        q.getItems = function () { var out = {}, src = indexes[index]; Object.keys(src).forEach(function (k) { if (match(src[k])) out[k] = src[k]; }); return out; };
        q.close = function () { q.closed = true; q._l = {}; };
        q._changed = function (k, before, after) {
          if (q.closed) return;
          if (after !== undefined && match(after)) q.emit("itemUpdated", { key: k, value: after });
          else if (before !== undefined && match(before)) q.emit("itemRemoved", { key: k });
        };
        q.index = index;
        queries.push(q);
        return Promise.resolve(q);
      },
    };
    Object.defineProperty(manager, "insightsClient", { get: function () { return insights; } });
    function sync(index, items) {
      var src = indexes[index];
      function set(k, v) { var b = src[k]; if (v === undefined) delete src[k]; else src[k] = v; queries.forEach(function (q) { if (q.index === index) q._changed(k, b, v); }); }
      Object.keys(src).forEach(function (k) { if (!(k in items)) set(k, undefined); });
      Object.keys(items).forEach(function (k) { if (JSON.stringify(src[k]) !== JSON.stringify(items[k])) set(k, items[k]); });
    }
    function poll() {
      return Promise.all([
        api("GET", "/workers").then(function (d) {
          var items = {};
          (d.items || []).forEach(function (w) { items[w.worker_sid] = w; });
          desk.workers = items;
          sync("tr-worker", items);
        }),
        getJSON(opts.stateURL).then(function (st) {
          var byName = {}, items = {}, self = manager.workerClient && manager.workerClient.attributes.contact_uri, conf = null;
          (st.agents || []).forEach(function (a) { byName[a.name] = a.worker_sid; });
          (st.tasks || []).forEach(function (t) {
            (t.holders || []).forEach(function (h) {
              if (h.status === "accepted" || h.status === "wrapping") items[t.sid] = { task_sid: t.sid, worker_sid: byName[h.agent] || "", channel_unique_name: "voice", status: t.status };
            });
          });
          sync("tr-task", items);
          (st.conferences || []).forEach(function (c) {
            if (c.status !== "completed" && !conf && (c.participants || []).some(function (p) { return p.who === self; })) conf = c;
          });
          if (JSON.stringify(conf) !== JSON.stringify(desk.conference)) { desk.conference = conf; changed(); }
        }),
      ]).catch(function (e) { note("poll failed: " + e.message); });
    }
    var soon = null;
    function pollSoon() { if (!soon) soon = setTimeout(function () { soon = null; poll(); }, 100); }

    // Manager's token refresh (tokenUpdated)
    desk.rotateToken = function () {
      var r = rotating = api("POST", "/refresh").then(function (d) {
        user.token = d.token; note("token rotated");
        // Flex's tokenUpdated handling: its clients get the new token
        if (manager.workerClient) manager.workerClient.updateToken(d.token);
        return d.token;
      });
      r.then(function () { rotating = null; }, function () { rotating = null; });
      return r;
    };

    // Flex's own start of its TaskRouter client (FlexClientManager.init runs
    // it after the login): the Worker, then WorkerState's WorkerListener.
    function startWorker() {
      return window.FlexSim.FlexClientManager.initTaskRouterSDK(user.token).then(function () {
        if (!store.getState().flex.worker.listener) throw new Error("Flex's WorkerListener did not start");
        changed();
      });
    }

    // The login Flex cannot do offline, then the worker's event stream.
    function connect() {
      return fetch(base + "/login", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ worker: opts.worker }) })
        .then(function (r) { return r.json().then(function (d) { if (!r.ok) throw new Error("login: " + (d.message || r.status)); return d; }); })
        .then(function (d) { user.token = d.token; return getJSON(opts.configURL); })
        .then(function (cfg) {
          service = cfg || {};
          return new Promise(function (ok, ko) {
            var first = true;
            (function open() {
              var es = AgentEvents.follow(base, function () { return user.token; }); // the page's one stream (agents API events.js)
              desk.events = es;
              es.addEventListener("ready", function () { var f = first; first = false; (f ? startWorker() : resync()).then(function () { if (f) ok(); }, function (e) { if (f) ko(e); }); });
              Object.keys(RES).forEach(function (k) {
                es.addEventListener("reservation." + k, function (e) { var d = JSON.parse(e.data); onReservation(k, d.reservation, d.task); pollSoon(); });
              });
              es.addEventListener("task.updated", function (e) { var w = worker(); if (w) w.deliverTask(JSON.parse(e.data).task); changed(); });
              // Worker's attributesUpdated (the server keeps the missed calls there)
              es.addEventListener("worker.attributes.update", function (e) { var w = worker(); if (w) w.deliverWorker(JSON.parse(e.data).worker, "attributesUpdated"); changed(); });
              es.addEventListener("worker.activity.update", function (e) { var w = worker(); if (w) w.deliverWorker(JSON.parse(e.data).worker); changed(); pollSoon(); });
              ["call-status", "conference-start", "conference-end", "participant-join", "participant-leave", "participant-hold", "participant-unhold"].forEach(function (t) { es.addEventListener(t, pollSoon); });
              es.onerror = function () {
                if (first) { es.close(); ko(new Error("the event stream could not be opened")); }
              };
            })();
          });
        }).then(poll).then(function () { setInterval(poll, opts.pollMs || 1000); });
    }

    // Flex's plugin loading (FlexClientManager.initFlexPlugins): the
    // PluginManager gets Flex and the manager, the plugin's definition, then
    // its script, tagged with the definition's uuid.
    function loadPlugin() {
      F.Plugins.setup(F, manager);
      F.Plugins.storePluginDefinition([{ uuid: "internal-call", name: "FlexInternalCall", src: opts.pluginURL, version: "1.0.0", flexVersion: F.VERSION, phase: F.Plugins.phase, state: "NotStarted" }]);
      var t0 = Date.now();
      return new Promise(function (ok) {
        var s = document.createElement("script");
        s.src = opts.pluginURL; s.setAttribute("uuid", "internal-call");
        s.onerror = function () { ok([{ name: "FlexInternalCall", ok: false, error: new Error(opts.pluginURL + " could not be loaded") }]); };
        document.head.appendChild(s);
        (function wait() {
          var p = F.Plugins.plugins[0];
          if (p.state === "Initialized" || p.state === "Failed") { ok([{ name: p.name, ok: p.state === "Initialized", ms: Date.now() - t0, error: p.state === "Failed" ? new Error("init failed") : null }]); return; }
          setTimeout(wait, 20);
        })();
      });
    }

    desk.start = function () {
      return connect().then(loadPlugin).then(function (results) { desk.plugins = results; changed(); return results; });
    };

    // What desk.js renders with: Flex's Handlebars templates over
    // manager.strings, and the children a content store would render.
    // (An ITask's fields are getters of its prototype, which Handlebars
    // resolves only when allowed to.)
    desk.renderTemplate = function (tpl, ctx) { return window.Handlebars.compile(tpl)(ctx, { allowProtoPropertiesByDefault: true }); };
    // A fragment is a ContentFragment element around the added component,
    // with the add options as its props: the component's key names it, and
    // it renders only where its "if" prop holds.
    function child(f) { return [].concat(f.props.children)[0]; }
    desk.contentKeys = function (content, defaults, props) {
      var added = content.fragments.filter(function (f) { return typeof f.props.if !== "function" || f.props.if(props); });
      var keys = defaults.concat(added.map(function (f) { return String(child(f).key); }));
      return keys.filter(function (k) { return !content.removeRequests.some(function (r) { return String(r.key) === k && (!r.options || !r.options.if || r.options.if(props)); }); });
    };
    desk.contentElement = function (content, key) {
      var f = content.fragments.filter(function (f) { return String(child(f).key) === key; })[0];
      return f ? child(f) : null;
    };
    return desk;
  }

  window.FlexAdapter = { start: start };
})();
