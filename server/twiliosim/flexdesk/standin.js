/* The Flex stand-in's agent desktop in a browser (FlexStub.browser): the
 * surface of flexstub.js (loaded first) backed by the Twilio simulator's
 * agents API (login, SSE events, REST actions), so that the real plugin runs
 * against simulated TaskRouter and Voice where the real Flex UI cannot (the
 * ordinary-call flows: Flex's native accept of a customer call is a
 * Conference instruction the agents API does not offer), in the demo page and
 * in the benchmarks. It installs window.Twilio.Flex while the page loads, so
 * plugin scripts register exactly as under Flex. */
(function (root) {
  "use strict";
  var S = root.FlexStub;
  var Emitter = S.Emitter, React = S.React, buildSurface = S.buildSurface, LiveQuery = S.LiveQuery,
    compileExpression = S.compileExpression, autoAccept = S.autoAccept, createPlugins = S.createPlugins;
  // ---- the browser-backed stand-in (the demo's agent desktop) ----
  //
  // browser(opts) builds the Flex surface synchronously and installs it as
  // window.Twilio.Flex (with Plugins), so that plugin scripts can register
  // while the page loads, exactly as under Flex. connect() then logs the
  // worker in through the simulator's agents API and backs the manager with
  // it: workerClient (SSE events → SDK reservations and tasks), insightsClient
  // (live queries over the directory and the assigned tasks, polled),
  // serviceConfiguration (the simulated Flex Configuration) and user.token
  // (rotated with /refresh). start() connects and then loads the plugins.
  //
  // opts: worker (login name), agentsBase ("/sim/agents"), configURL (GET →
  // the Flex Configuration), stateURL (GET → the simulator's state: who holds
  // which task, for the tr-task index), pollMs (default 1000),
  // tokenRefreshMs (default 10 min), locale.
  var RES_STATUS = {
    "reservation.created": "pending", "reservation.accepted": "accepted", "reservation.rejected": "rejected",
    "reservation.timeout": "timeout", "reservation.canceled": "canceled", "reservation.rescinded": "rescinded",
    "reservation.wrapup": "wrapping", "reservation.completed": "completed",
  };
  var RES_EVENT = { pending: "created", accepted: "accepted", rejected: "rejected", timeout: "timeout", canceled: "canceled", rescinded: "rescinded", wrapping: "wrapup", completed: "completed" };
  function openStatus(s) { return s === "pending" || s === "accepted" || s === "wrapping"; }

  function browser(opts) {
    opts = opts || {};
    var win = opts.win || root, doc = opts.doc || root.document;
    var agentsBase = (opts.agentsBase || "/sim/agents").replace(/\/+$/, "");
    var pollMs = opts.pollMs || 1000;
    var stub = new Emitter();
    stub.shown = [];
    stub.cancelledNotifications = [];
    stub.workers = {};
    stub.liveTasks = {};
    stub.indexes = { "tr-worker": stub.workers, "tr-task": stub.liveTasks };
    stub.liveQueries = [];
    stub.reservations = {};
    stub.conference = null; // the live conference the agent is in (from the simulator state)
    stub.connected = false;
    stub.log = [];

    var tasks = new Map(); // reservation sid → Flex ITask
    var store = { taskByReservation: function (rsid) { return tasks.get(rsid); } };
    var manager = new Emitter();
    manager.user = { token: "" };
    manager.strings = {
      FailedToFetchParticipants: "Failed to fetch call participants.",
      TaskLineTitle: "{{task.attributes.name}}", TaskLineCallAssigned: "{{task.status}}",
      TaskLineCallIncomingTitle: "Incoming call", TaskHeaderLine: "{{task.attributes.name}}", HangUp: "Hang up",
    };
    manager.localization = { localeTag: opts.locale || (win.navigator && win.navigator.language) || "en-US" };
    manager.configuration = { theme: { isLight: true } };
    manager.serviceConfiguration = {};
    manager.store = { getState: function () { return { flex: { worker: { tasks: tasks } } }; } };

    var flex = buildSurface(stub, store, function () { return manager; });
    var actions = flex.Actions;
    flex.Plugins = createPlugins(doc);
    flex.Manager = { getInstance: function () { return manager; } };
    flex.DefaultTask = {};
    win.Twilio = win.Twilio || {};
    win.Twilio.Flex = flex;
    if (!win.React) win.React = React;
    stub.flex = flex;
    stub.manager = manager;
    stub.tasks = tasks;

    function note(msg) { stub.log.push(new Date().toISOString().slice(11, 23) + " " + msg); if (stub.log.length > 200) stub.log.shift(); stub.emit("log", msg); }
    function changed() { stub.emit("changed"); }

    // authFetch sends the current token; a request refused (401) after the
    // token was rotated is sent once more with the new one, as Flex's SDK
    // clients retry after tokenUpdated (a poll in flight across a rotation).
    var rotating = null;
    function authFetch(url, init, retried) {
      var tok = manager.user.token;
      init = Object.assign({}, init, { headers: Object.assign({}, init && init.headers, { "X-Flex-JWE": tok }) });
      return win.fetch(url, init).then(function (r) {
        if (r.status !== 401 || retried) return r;
        return (rotating || Promise.resolve()).then(function () {
          return manager.user.token !== tok ? authFetch(url, init, true) : r;
        }, function () { return r; });
      });
    }
    // api calls the agents API as the worker; errors carry the answer's message.
    function api(method, path, body) {
      var headers = {};
      if (body !== undefined) headers["Content-Type"] = "application/json";
      return authFetch(agentsBase + path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body) })
        .then(function (r) {
          return r.text().then(function (t) {
            var d = null;
            try { d = t ? JSON.parse(t) : null; } catch (e) { d = t; }
            if (!r.ok) {
              var err = new Error((d && d.message) || ("HTTP " + r.status));
              err.status = r.status;
              throw err;
            }
            return d;
          });
        });
    }
    function getJSON(url) {
      return authFetch(url).then(function (r) {
        if (!r.ok) throw new Error(url + ": HTTP " + r.status);
        return r.json();
      });
    }
    stub.api = api;

    // ---- SDK objects ----
    function LiveTask(view) {
      Emitter.call(this);
      this._set(view);
    }
    LiveTask.prototype = Object.create(Emitter.prototype);
    LiveTask.prototype._set = function (v) {
      this.sid = v.sid;
      this.attributes = v.attributes || {};
      this.status = v.assignment_status;
      this.taskChannelUniqueName = v.task_channel_unique_name || "default";
      this.queueName = v.task_queue_friendly_name || "";
      this.queueSid = v.task_queue_sid || "";
      this.workflowSid = v.workflow_sid || "";
      this.routingTarget = v.routing_target || "";
      this.age = v.age;
      this.dateCreated = v.date_created ? new Date(v.date_created) : null;
      this.dateUpdated = v.date_updated ? new Date(v.date_updated) : null;
    };
    // _update applies a newer view; "updated" fires when something changed.
    LiveTask.prototype._update = function (v, force) {
      var before = JSON.stringify([this.attributes, this.status]);
      this._set(v);
      if (force || before !== JSON.stringify([this.attributes, this.status])) this.emit("updated", this);
    };
    LiveTask.prototype.wrapUp = function (o) { return api("POST", "/tasks/" + this.sid + "/wrapup", { reason: (o && o.reason) || "" }).then(function () { return this; }.bind(this)); };
    LiveTask.prototype.complete = function (reason) { return api("POST", "/tasks/" + this.sid + "/complete", { reason: reason || "" }).then(function () { return this; }.bind(this)); };

    function LiveReservation(r, task) {
      Emitter.call(this);
      this.sid = r.sid;
      this.workerSid = r.worker_sid;
      this.status = r.reservation_status;
      this.dateCreated = r.date_created ? new Date(r.date_created) : null;
      this.task = task;
    }
    LiveReservation.prototype = Object.create(Emitter.prototype);
    LiveReservation.prototype.accept = function () { return api("POST", "/reservations/" + this.sid + "/accept").then(function () { return this; }.bind(this)); };
    LiveReservation.prototype.reject = function () { return api("POST", "/reservations/" + this.sid + "/reject").then(function () { return this; }.bind(this)); };
    // call(from, url, options): the SDK's type checks throw synchronously.
    LiveReservation.prototype.call = function (from, url, options) {
      if (typeof from !== "string" || from === "") throw new TypeError('Error calling method call(). "from" is a required string');
      if (typeof url !== "string" || url === "") throw new TypeError('Error calling method call(). "url" is a required string');
      options = options || {};
      if ("accept" in options && typeof options.accept !== "boolean") throw new TypeError('Error calling method call(). "options.accept" must be a boolean');
      if ("record" in options && typeof options.record !== "string") throw new TypeError('Error calling method call(). "options.record" must be a string');
      if ("timeout" in options && !Number.isInteger(options.timeout)) throw new TypeError('Error calling method call(). "options.timeout" must be an integer');
      note("reservation.call " + this.sid + " → " + url);
      return api("POST", "/reservations/" + this.sid + "/call", { from: from, url: url, options: options }).then(function () { return this; }.bind(this));
    };

    var sdkTasks = {}; // task sid → LiveTask

    // onReservation applies one reservation event (or a reservation from /me).
    function onReservation(type, r, view) {
      if (!r) return;
      var status = RES_STATUS[type] || r.reservation_status;
      var res = stub.reservations[r.sid];
      var task = view ? sdkTasks[view.sid] : res && res.task;
      if (view) {
        if (!task) task = sdkTasks[view.sid] = new LiveTask(view);
        else task._update(view);
      }
      if (!res) {
        if (!openStatus(status) || !task) return;
        res = stub.reservations[r.sid] = new LiveReservation(r, task);
        res.status = status;
        var itask = {
          sid: res.sid, taskSid: task.sid, status: status, attributes: task.attributes, sourceObject: res,
          taskChannelUniqueName: task.taskChannelUniqueName, queueName: task.queueName, dateCreated: task.dateCreated,
          workerSid: res.workerSid, age: task.age, routingTarget: task.routingTarget,
        };
        task.on("updated", function (t) { itask.attributes = t.attributes; itask.age = t.age; changed(); });
        tasks.set(res.sid, itask);
        note("reservation " + res.sid + " of " + task.sid + " (" + status + ")");
        manager.workerClient.emit("reservationCreated", res);
        if (status !== "pending") res.emit(RES_EVENT[status], res);
        else autoAccept(flex, itask);
        changed();
        return;
      }
      if (res.status === status) return;
      res.status = status;
      var it = tasks.get(res.sid);
      if (it) it.status = status;
      note("reservation " + res.sid + " " + status);
      res.emit(RES_EVENT[status] || status, res);
      if (!openStatus(status)) {
        tasks.delete(res.sid);
        delete stub.reservations[res.sid];
      }
      changed();
    }

    function onTaskUpdated(view) {
      if (!view) return;
      var task = sdkTasks[view.sid];
      if (task) task._update(view, true);
      changed();
    }

    // resync reads the worker's open reservations (after a (re)connect).
    function resync() {
      return api("GET", "/me").then(function (me) {
        var open = {};
        var byTask = {};
        (me.tasks || []).forEach(function (t) { byTask[t.sid] = t; });
        (me.reservations || []).forEach(function (r) {
          open[r.sid] = true;
          onReservation("", r, byTask[r.task_sid]);
        });
        Object.keys(stub.reservations).forEach(function (sid) {
          if (!open[sid]) onReservation("reservation.completed", { sid: sid, reservation_status: "completed" });
        });
        manager.workerClient._setWorker(me.worker);
      });
    }

    // ---- insights: the tr-worker and tr-task indexes, polled ----
    function change(index, key, item) {
      var src = stub.indexes[index], before = src[key];
      if (item === undefined) delete src[key]; else src[key] = item;
      stub.liveQueries.forEach(function (q) { if (q.index === index) q._changed(key, before, item); });
    }
    function syncIndex(index, items) {
      var src = stub.indexes[index];
      Object.keys(src).forEach(function (k) { if (!(k in items)) change(index, k, undefined); });
      Object.keys(items).forEach(function (k) {
        if (JSON.stringify(src[k]) !== JSON.stringify(items[k])) change(index, k, items[k]);
      });
    }
    function pollWorkers() {
      return api("GET", "/workers").then(function (d) {
        var items = {};
        (d.items || []).forEach(function (w) {
          items[w.worker_sid] = w;
          if (w.worker_activity_sid) manager.workerClient.activities.set(w.worker_activity_sid,
            { sid: w.worker_activity_sid, name: w.activity_name, available: !!w.available });
        });
        syncIndex("tr-worker", items);
      });
    }
    function pollState() {
      if (!opts.stateURL) return Promise.resolve();
      return getJSON(opts.stateURL).then(function (st) {
        var byName = {};
        (st.agents || []).forEach(function (a) { byName[a.name] = a.worker_sid; });
        var items = {};
        (st.tasks || []).forEach(function (t) {
          (t.holders || []).forEach(function (h) {
            if (h.status !== "accepted" && h.status !== "wrapping") return;
            items[t.sid] = { task_sid: t.sid, worker_sid: byName[h.agent] || "", channel_unique_name: "voice", status: t.status };
          });
        });
        syncIndex("tr-task", items);
        var self = manager.workerClient.attributes.contact_uri, conf = null;
        (st.conferences || []).forEach(function (c) {
          if (c.status === "completed" || conf) return;
          if ((c.participants || []).some(function (p) { return p.who === self; })) conf = c;
        });
        if (JSON.stringify(conf) !== JSON.stringify(stub.conference)) { stub.conference = conf; changed(); }
      });
    }
    var polling = null, pollSoon = null;
    function poll() {
      return Promise.all([pollWorkers(), pollState()]).catch(function (e) { note("poll failed: " + e.message); });
    }
    // refreshSoon polls shortly after an event (coalesced).
    function refreshSoon() {
      if (pollSoon) return;
      pollSoon = setTimeout(function () { pollSoon = null; poll(); }, 100);
    }

    function LiveQueryB(index, expression, match) { LiveQuery.call(this, stub, index, expression, match); }
    LiveQueryB.prototype = Object.create(LiveQuery.prototype);
    manager.insightsClient = {
      liveQuery: function (index, expression) {
        if (typeof index !== "string" || typeof expression !== "string") return Promise.reject(new Error("liveQuery: index and expression must be strings"));
        if (!stub.indexes[index]) return Promise.reject(new Error("liveQuery: unknown index " + index));
        var match = compileExpression(expression);
        if (!match) return Promise.reject(new Error("liveQuery: invalid expression " + expression));
        return (stub.connected ? Promise.resolve() : stub.ready).then(function () {
          var q = new LiveQueryB(index, expression, match);
          stub.liveQueries.push(q);
          return q;
        });
      },
      instantQuery: function (index) {
        return Promise.resolve({ on: function () {}, search: function () { return Promise.resolve(); }, index: index });
      },
    };

    // ---- workerClient ----
    var workerClient = new Emitter();
    workerClient.activities = new Map();
    workerClient.attributes = {};
    workerClient._setWorker = function (w) {
      if (!w) return;
      workerClient.sid = w.sid;
      workerClient.friendlyName = w.friendly_name;
      workerClient.name = w.friendly_name;
      workerClient.attributes = w.attributes || {};
      workerClient.available = !!w.available;
      workerClient.activity = { sid: w.activity_sid, name: w.activity_name, available: !!w.available };
      if (w.activity_sid) workerClient.activities.set(w.activity_sid, workerClient.activity);
    };
    workerClient.createTask = function (to, from, workflowSid, taskQueueSid, options) {
      var args = [to, from, workflowSid, taskQueueSid];
      for (var i = 0; i < args.length; i++) {
        if (typeof args[i] !== "string" || args[i] === "") return Promise.reject(new Error("createTask: argument " + (i + 1) + " must be a non-empty string"));
      }
      options = options || {};
      note("createTask to " + to);
      return api("POST", "/tasks", { to: to, from: from, workflowSid: workflowSid, taskQueueSid: taskQueueSid, options: options })
        .then(function (d) { return d.task_sid; });
    };
    workerClient.setActivity = function (name) { return api("POST", "/activity", { activity: name }).then(function (w) { workerClient._setWorker(w); changed(); return workerClient; }); };
    manager.workerClient = workerClient;

    // ---- native actions: what Flex itself does ----
    function taskOf(p) { return p && p.task; }
    actions.registerAction("AcceptTask", function (p) { return taskOf(p).sourceObject.accept(); });
    actions.registerAction("RejectTask", function (p) { return taskOf(p).sourceObject.reject(); });
    actions.registerAction("WrapupTask", function (p) { return taskOf(p).sourceObject.task.wrapUp(); });
    actions.registerAction("CompleteTask", function (p) { return taskOf(p).sourceObject.task.complete(); });
    // Native hold holds the agent's own leg: the stand-in only records it.
    ["HoldCall", "UnholdCall", "HoldParticipant", "UnholdParticipant"].forEach(function (n) {
      actions.registerAction(n, function (p) {
        var t = taskOf(p);
        if (t) t.nativeHeld = /^Hold/.test(n);
        note("native " + n);
        changed();
        return Promise.resolve();
      });
    });
    actions.registerAction("ToggleMute", function (p) { var t = taskOf(p); if (t) t.muted = !t.muted; changed(); return Promise.resolve(); });
    actions.registerAction("ShowDirectory", function () { note("native ShowDirectory"); stub.emit("directory"); return Promise.resolve(); });
    // Native hang up: the agent's own legs end, the task goes to wrap-up.
    actions.registerAction("HangupCall", function (p) {
      var t = taskOf(p);
      return api("GET", "/me").then(function (me) {
        if ((me.calls || []).length) return api("POST", "/hangup", {});
      }).then(function () {
        if (t && t.status === "accepted") return t.sourceObject.task.wrapUp();
      });
    });

    // ---- token ----
    function rotateToken() {
      var r = rotating = api("POST", "/refresh").then(function (d) {
        manager.user.token = d.token;
        manager.emit("tokenUpdated", d.token);
        note("token rotated");
        return d.token;
      });
      r.then(function () { rotating = null; }, function () { rotating = null; });
      return r;
    }
    stub.rotateToken = rotateToken;

    // ---- connect ----
    var readyOK, readyKO;
    stub.ready = new Promise(function (a, b) { readyOK = a; readyKO = b; });
    stub.ready.catch(function () { /* reported by connect */ });
    stub.connect = function () {
      var login = opts.token
        ? Promise.resolve({ token: opts.token })
        : win.fetch(agentsBase + "/login", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ worker: opts.worker }) })
          .then(function (r) { return r.json().then(function (d) { if (!r.ok) throw new Error("login " + opts.worker + ": " + (d.message || r.status)); return d; }); });
      var p = login.then(function (d) {
        manager.user.token = d.token;
        if (d.worker) workerClient._setWorker(d.worker);
        return opts.configURL ? getJSON(opts.configURL) : {};
      }).then(function (cfg) {
        manager.serviceConfiguration = cfg || {};
        return new Promise(function (ok, ko) {
          var first = true;
          // The page's one event stream follows the agent (AgentEvents, the
          // agents API's events.js): it reconnects by itself, with the
          // current token, and says "ready" again.
          function open() {
            var es = win.AgentEvents.follow(agentsBase, function () { return manager.user.token; });
            stub.events = es;
            es.addEventListener("ready", function () {
              note(first ? "event stream open" : "event stream reopened");
              var wasFirst = first;
              first = false;
              resync().then(function () { if (wasFirst) ok(); }, function (e) { if (wasFirst) ko(e); else note("resync failed: " + e.message); });
            });
            Object.keys(RES_STATUS).forEach(function (type) {
              es.addEventListener(type, function (e) {
                var ev = JSON.parse(e.data);
                onReservation(type, ev.reservation, ev.task);
                refreshSoon();
              });
            });
            es.addEventListener("task.updated", function (e) { onTaskUpdated(JSON.parse(e.data).task); });
            es.addEventListener("worker.activity.update", function (e) { workerClient._setWorker(JSON.parse(e.data).worker); changed(); refreshSoon(); });
            ["call-status", "conference-start", "conference-end", "participant-join", "participant-leave", "participant-hold", "participant-unhold"].forEach(function (type) {
              es.addEventListener(type, function () { refreshSoon(); });
            });
            es.onerror = function () {
              if (first) { es.close(); ko(new Error("the event stream could not be opened")); return; }
              note("event stream interrupted, reconnecting");
            };
          }
          open();
        });
      }).then(function () { return poll(); }).then(function () {
        stub.connected = true;
        polling = setInterval(poll, pollMs);
        setInterval(function () { rotateToken().catch(function (e) { note("token refresh failed: " + e.message); }); }, opts.tokenRefreshMs || 600000);
        readyOK();
        changed();
        return stub;
      });
      p.catch(function (e) { readyKO(e); });
      return p;
    };
    // start connects, then runs the registered plugins' init(flex, manager).
    stub.start = function () {
      return stub.connect().then(function () { return flex.Plugins.load(flex, manager); }).then(function (results) {
        stub.plugins = results;
        changed();
        return results;
      });
    };
    stub.close = function () {
      stub.closed = true;
      if (polling) clearInterval(polling);
      if (stub.events) stub.events.close();
      stub.liveQueries.forEach(function (q) { q.close(); });
    };
    return stub;
  }

  S.browser = browser;
})(typeof globalThis !== "undefined" ? globalThis : this);
