/* A stand-in for the part of the Twilio Flex UI (2.x) surface the Flex
 * Internal Call plugin touches. Plain JavaScript, no node APIs: it defines
 * globalThis.FlexStub (and module.exports when loaded as CommonJS). Two modes:
 *
 * - FlexStub.create(opts): in memory, for the bridge's tests under node
 *   (wasm/bridge, plugin-shim/shim.test.js); tests offer tasks and change
 *   the directory by hand.
 * - FlexStub.browser(opts): the agent desktop of the demo (/demo/agent),
 *   backed by the Twilio simulator's agents API (login, SSE events, REST
 *   actions) so that the real plugin runs against simulated TaskRouter and
 *   Voice. It installs window.Twilio.Flex while the page loads, so plugin
 *   scripts register exactly as under Flex.
 *
 * Semantics kept from Flex UI 2.17 (read from the @twilio/flex-ui 2.17.1 bundle):
 * - Actions: before<Name> listeners get (payload, abort); abort() makes the
 *   action reject with "Action <Name> cancelled by before event"; listeners may
 *   return promises, which Flex awaits; an exception in a listener is logged
 *   and the action goes on. replaceAction stacks, newest first. Task actions
 *   get payload.task filled from payload.sid (the RESERVATION SID, WR…);
 *   after<Name> listeners run once the action is done.
 * - task.sid is the reservation SID, task.taskSid the task SID,
 *   task.sourceObject the SDK reservation (task.sourceObject.task the SDK
 *   task, which emits "updated" when its attributes change).
 * - reservation.call(from, url, options): accept must be a boolean, record a
 *   string, timeout an integer; wrong types throw synchronously.
 * - Content.add(element, options) needs a React element with a key;
 *   Content.remove(key, {if}) hides it where the condition holds.
 * - Plugins.init(Ctor) must be called synchronously while the plugin script
 *   runs (document.currentScript is read); load() awaits each init in turn.
 * - insightsClient.liveQuery(index, expression) resolves to a query with
 *   getItems(), itemUpdated/itemRemoved events and close().
 * - Notifications: registerNotification, showNotification(id, context),
 *   beforeAddNotification listeners with (notification, cancel).
 * - manager.user.token rotates (rotateToken(); tokenUpdated).
 */
(function (root, factory) {
  var api = factory(root);
  root.FlexStub = api;
  if (typeof module === "object" && module && module.exports) module.exports = api;
})(typeof globalThis !== "undefined" ? globalThis : this, function (root) {
  "use strict";

  // ---- small event emitter (the SDKs and Flex managers are EventEmitters) ----
  function Emitter() { this._l = {}; }
  Emitter.prototype.on = function (ev, fn) { (this._l[ev] = this._l[ev] || []).push(fn); return this; };
  Emitter.prototype.addListener = Emitter.prototype.on;
  Emitter.prototype.removeListener = function (ev, fn) {
    var l = this._l[ev] || [];
    var i = l.indexOf(fn);
    if (i >= 0) l.splice(i, 1);
    return this;
  };
  Emitter.prototype.off = Emitter.prototype.removeListener;
  Emitter.prototype.listeners = function (ev) { return (this._l[ev] || []).slice(); };
  Emitter.prototype.listenerCount = function (ev) { return (this._l[ev] || []).length; };
  Emitter.prototype.emit = function (ev) {
    var args = Array.prototype.slice.call(arguments, 1);
    this.listeners(ev).forEach(function (fn) { fn.apply(null, args); });
    return true;
  };

  var counter = 0;
  function sid(prefix) {
    counter++;
    var hex = counter.toString(16);
    return prefix + "0".repeat(32 - hex.length) + hex;
  }
  function clone(o) { return JSON.parse(JSON.stringify(o)); }
  function escapeHTML(s) {
    return String(s).replace(/[&<>"'`=]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;", "`": "&#x60;", "=": "&#x3D;" }[c];
    });
  }
  function lookup(ctx, path) {
    return path.split(".").reduce(function (o, k) { return o == null ? undefined : o[k]; }, ctx);
  }
  // renderTemplate: the subset of Handlebars Flex strings use here:
  // {{path}} (escaped) and \{{ (literal braces).
  function renderTemplate(tpl, ctx) {
    var out = "", i = 0;
    while (i < tpl.length) {
      if (tpl[i] === "\\" && tpl.substr(i + 1, 2) === "{{") { out += "{{"; i += 3; continue; }
      if (tpl.substr(i, 2) === "{{") {
        var end = tpl.indexOf("}}", i);
        if (end < 0) { out += tpl.slice(i); break; }
        var v = lookup(ctx, tpl.slice(i + 2, end).trim());
        out += v == null ? "" : escapeHTML(v);
        i = end + 2;
        continue;
      }
      out += tpl[i++];
    }
    return out;
  }

  // Flex's WorkerListener.handleReservationCreated: an agent's initial outbound
  // attempt task (TaskHelper.isInitialOutboundAttemptTask: a channel with the
  // Call capability, routingTarget set, attributes.direction "outbound", no
  // incomingTransferObject, pending) is accepted, then selected, by Flex
  // itself, in every tab of the agent (without the FlexMultiTabSupport flag).
  function isInitialOutboundAttemptTask(flex, t) {
    var ch = flex.TaskChannels.getForTask(t);
    return !!(ch && ch.capabilities && ch.capabilities.has("Call")) && !!t.routingTarget &&
      !!t.attributes && t.attributes.direction === "outbound" && !t.incomingTransferObject && t.status === "pending";
  }
  function autoAccept(flex, t) {
    if (!isInitialOutboundAttemptTask(flex, t)) return;
    Promise.resolve().then(function () {
      return flex.Actions.invokeAction("AcceptTask", { task: t }).then(function () {
        return flex.Actions.invokeAction("SelectTask", { task: t });
      });
    }).catch(function () { /* tryInvokeAction: Flex logs and goes on */ });
  }

  // ---- Actions ----
  function Actions(store) {
    this.emitter = new Emitter();
    this.replaced = {};
    this.native = {};
    this.errors = [];
    this.invocations = [];
    this._store = store;
  }
  Actions.prototype.addListener = function (ev, fn) { this.emitter.on(ev, fn); };
  Actions.prototype.removeListener = function (ev, fn) { this.emitter.removeListener(ev, fn); };
  Actions.prototype.replaceAction = function (name, fn) { (this.replaced[name] = this.replaced[name] || []).unshift(fn); };
  Actions.prototype.registerAction = function (name, fn) { this.native[name] = fn; };
  Actions.prototype.invokeAction = function (name, payload) {
    var self = this;
    payload = payload || {};
    if (payload.sid && !payload.task && self._store) payload.task = self._store.taskByReservation(payload.sid);
    if (payload.task && !payload.sid) payload.sid = payload.task.sid;
    self.invocations.push({ name: name, payload: payload });
    var cancelled = false;
    function abort() { cancelled = true; }
    var before = self.emitter.listeners("before" + name).map(function (fn) {
      try { return Promise.resolve(fn(payload, abort)); } catch (e) { return Promise.reject(e); }
    });
    return Promise.all(before).catch(function (e) {
      self.errors.push({ action: name, error: e });
    }).then(function () {
      if (cancelled) throw new Error("Action " + name + " cancelled by before event");
      var chain = (self.replaced[name] || []).slice();
      var nat = self.native[name] || function () { return Promise.resolve(); };
      function run(i, p) {
        if (i >= chain.length) return Promise.resolve(nat(p));
        return Promise.resolve(chain[i](p, function (p2) { return run(i + 1, p2 || p); }));
      }
      return run(0, payload);
    }).then(function (result) {
      self.emitter.emit("after" + name, payload);
      return result;
    });
  };

  // ---- Programmable components: Content.add / Content.remove ----
  function Content(name, defaults) {
    this.name = name;
    this.children = (defaults || []).map(function (k) { return { key: k, element: null, options: {} }; });
    this.removals = [];
  }
  Content.prototype.add = function (element, options) {
    if (!element || typeof element !== "object" || element.key === null || element.key === undefined) {
      throw new Error(this.name + ".Content.add: the component needs a unique key");
    }
    this.children = this.children.filter(function (c) { return c.key !== element.key; });
    this.children.push({ key: element.key, element: element, options: options || {} });
  };
  Content.prototype.replace = function (element, options) { this.children = []; this.add(element, options); };
  Content.prototype.remove = function (key, options) {
    if (options && typeof options.if === "function") {
      this.removals.push({ key: key, if: options.if });
    } else {
      this.children = this.children.filter(function (c) { return c.key !== key; });
    }
  };
  // keys rendered for the given component props
  Content.prototype.render = function (props) {
    var removals = this.removals;
    return this.children.filter(function (c) {
      return !removals.some(function (r) { return r.key === c.key && r.if(props); });
    }).sort(function (a, b) { return (a.options.sortOrder || 0) - (b.options.sortOrder || 0); });
  };
  Content.prototype.keys = function (props) { return this.render(props || {}).map(function (c) { return c.key; }); };

  // ---- React stand-in (the real React 17 is at window.React in Flex) ----
  var React = {
    createElement: function (type, props) {
      var p = {};
      Object.keys(props || {}).forEach(function (k) { if (k !== "key" && k !== "ref") p[k] = props[k]; });
      p.children = Array.prototype.slice.call(arguments, 2);
      return { $$typeof: "react.element", type: type, key: props && props.key != null ? String(props.key) : null, ref: props ? props.ref : null, props: p };
    },
  };

  // A fake window as seen from its parent: postMessage records what it got.
  function FakeWindow(name) { this.name = name; this.received = []; }
  FakeWindow.prototype.postMessage = function (data, targetOrigin) {
    if (typeof targetOrigin !== "string" || targetOrigin === "") throw new Error("postMessage: target origin required");
    this.received.push({ data: data, targetOrigin: targetOrigin });
  };

  // installWindow gives a non-browser global the window surface the bridge
  // uses (addEventListener/removeEventListener and a message dispatcher).
  function installWindow(g) {
    if (typeof g.addEventListener !== "function") {
      var em = new Emitter();
      g.addEventListener = function (ev, fn) { em.on(ev, fn); };
      g.removeEventListener = function (ev, fn) { em.removeListener(ev, fn); };
      g.__dispatch = function (ev, event) { em.emit(ev, event); };
      g.__listenerCount = function (ev) { return em.listenerCount(ev); };
    }
    if (!g.React) g.React = React;
    return g;
  }
  function dispatchMessage(g, event) {
    if (typeof g.__dispatch === "function") { g.__dispatch("message", event); return; }
    var ev = new MessageEvent("message", event);
    g.dispatchEvent(ev);
  }

  // ---- TaskRouter SDK stand-ins ----
  function SdkTask(o) {
    Emitter.call(this);
    this.sid = o.sid || sid("WT");
    this.attributes = o.attributes || {};
    this.taskChannelUniqueName = o.taskChannelUniqueName || "voice";
    this.status = o.status || "reserved";
  }
  SdkTask.prototype = Object.create(Emitter.prototype);
  // setAttributes as the server would (through the REST API): emits "updated".
  SdkTask.prototype._update = function (attrs) { this.attributes = attrs; this.emit("updated", this); };

  function Reservation(stub, task, o) {
    Emitter.call(this);
    this.sid = (o && o.sid) || sid("WR");
    this.task = task;
    this.status = "pending";
    this._stub = stub;
    this.calls = [];
    this.accepted = 0;
    this.rejected = 0;
  }
  Reservation.prototype = Object.create(Emitter.prototype);
  Reservation.prototype.call = function (from, url, options) {
    if (typeof from !== "string" || from === "") throw new TypeError('Error calling method call(). "from" is a required string');
    if (typeof url !== "string" || url === "") throw new TypeError('Error calling method call(). "url" is a required string');
    options = options || {};
    if ("accept" in options && typeof options.accept !== "boolean") throw new TypeError('Error calling method call(). "options.accept" must be a boolean');
    if ("record" in options && typeof options.record !== "string") throw new TypeError('Error calling method call(). "options.record" must be a string');
    if ("statusCallbackUrl" in options && typeof options.statusCallbackUrl !== "string") throw new TypeError('Error calling method call(). "options.statusCallbackUrl" must be a string');
    if ("timeout" in options && !Number.isInteger(options.timeout)) throw new TypeError('Error calling method call(). "options.timeout" must be an integer');
    this.calls.push({ from: from, url: url, options: clone(options) });
    var fail = this._stub.failReservationCall;
    if (fail) return Promise.reject(fail);
    return Promise.resolve(this);
  };
  Reservation.prototype.accept = function () { this.accepted++; this.status = "accepted"; return Promise.resolve(this); };
  Reservation.prototype.reject = function () { this.rejected++; this.status = "rejected"; return Promise.resolve(this); };

  // ---- Insights (Sync) live query ----
  // Expressions: "" (everything) or clauses `data.<path> == "<value>"` joined
  // by AND; anything else is refused, as Sync refuses a bad expression.
  function compileExpression(expr) {
    if (expr.trim() === "") return function () { return true; };
    var clauses = expr.split(/\s+AND\s+/).map(function (c) {
      var m = /^\s*data\.([A-Za-z0-9_.]+)\s*==\s*"((?:[^"\\]|\\.)*)"\s*$/.exec(c);
      if (!m) return null;
      return { path: m[1], value: JSON.parse('"' + m[2] + '"') };
    });
    if (clauses.some(function (c) { return c === null; })) return null;
    return function (item) { return clauses.every(function (c) { return lookup(item, c.path) === c.value; }); };
  }
  function LiveQuery(stub, index, expression, match) {
    Emitter.call(this);
    this.index = index;
    this.expression = expression;
    this.closed = false;
    this._stub = stub;
    this._match = match;
  }
  LiveQuery.prototype = Object.create(Emitter.prototype);
  LiveQuery.prototype.getItems = function () {
    var items = {}, src = this._stub.indexes[this.index] || {}, match = this._match;
    Object.keys(src).forEach(function (k) { if (match(src[k])) items[k] = clone(src[k]); });
    return items;
  };
  LiveQuery.prototype.close = function () { this.closed = true; this._l = {}; };
  LiveQuery.prototype._changed = function (key, before, after) {
    if (this.closed) return;
    var had = before !== undefined && this._match(before), has = after !== undefined && this._match(after);
    if (has) this.emit("itemUpdated", { key: key, value: clone(after) });
    else if (had) this.emit("itemRemoved", { key: key });
  };

  // buildSurface makes the parts of the flex object both stand-ins share:
  // Actions, Notifications, CallCanvasActions, OutboundDialerPanel,
  // TaskChannels and DefaultTaskChannels. getManager returns the manager
  // (whose strings templates render with).
  function buildSurface(stub, store, getManager) {
    var flex = {};
    var actions = new Actions(store);
    flex.Actions = actions;

    var notifications = new Emitter();
    notifications.registeredNotifications = new Map();
    notifications.registerNotification = function (n) {
      if (!n || !n.id) throw new Error("registerNotification: id required");
      notifications.registeredNotifications.set(n.id, n);
    };
    notifications.showNotification = function (id, context) {
      var reg = notifications.registeredNotifications.get(id);
      if (!reg) throw new Error("showNotification: " + id + " is not registered");
      var n = Object.assign({}, reg, { context: context });
      var cancelled = false;
      notifications.emit("beforeAddNotification", n, function () { cancelled = true; });
      if (cancelled) { stub.cancelledNotifications.push(n); return null; }
      var tpl = typeof n.content === "string" ? (getManager().strings[n.content] !== undefined ? getManager().strings[n.content] : n.content) : "";
      n.text = renderTemplate(tpl, context || {});
      stub.shown.push(n);
      notifications.emit("notificationAdded", n);
      return n;
    };
    notifications.registerNotification({ id: "FailedToFetchParticipants", content: "FailedToFetchParticipants", type: "error", timeout: 0 });
    flex.Notifications = notifications;

    flex.CallCanvasActions = { Content: new Content("CallCanvasActions", ["toggleMute", "holdCall", "directory", "hangup"]) };
    flex.OutboundDialerPanel = { Content: new Content("OutboundDialerPanel", ["dialpad"]) };

    var channels = [];
    flex.TaskChannels = {
      register: function (def) {
        if (!def || !def.name || typeof def.isApplicable !== "function") throw new Error("TaskChannels.register: name and isApplicable required");
        channels.unshift(def);
      },
      unregister: function (def) { channels = channels.filter(function (c) { return c !== def; }); },
      getRegistered: function () { return channels.slice(); },
      getForTask: function (task) { return channels.filter(function (c) { return c.isApplicable(task); })[0] || null; },
    };
    flex.DefaultTaskChannels = {
      createCallTaskChannel: function (name, isApplicable) {
        return {
          name: name, isApplicable: isApplicable, capabilities: new Set(["Call", "Info", "Wrapup"]),
          templates: {
            IncomingTaskCanvas: { firstLine: "TaskLineCallIncomingTitle", secondLine: "" },
            CallCanvas: { firstLine: "", secondLine: "" },
            TaskListItem: { firstLine: "TaskLineTitle", secondLine: "TaskLineCallAssigned" },
            TaskCanvasHeader: { title: "TaskHeaderLine", endButton: "HangUp" },
            TaskCard: { firstLine: "TaskHeaderLine", secondLine: "" },
          },
          icons: {}, colors: {}, componentProps: {}, charLimit: 0,
        };
      },
    };
    // Flex registers its own Call channel for voice tasks before any plugin
    // runs (plugins' channels are registered in front of it).
    flex.TaskChannels.register(flex.DefaultTaskChannels.createCallTaskChannel("voice", function (t) { return t.taskChannelUniqueName === "voice"; }));

    return flex;
  }

  // ---- the stub ----
  // opts: worker {sid, contact_uri, full_name}, outbound (outbound_call_flows.default
  // or null), feature (custom_data.features.internal_call or null), locale, isLight,
  // workers (array of tr-worker items), activities (array of {sid,name,available}).
  function create(opts) {
    opts = opts || {};
    var stub = new Emitter();
    stub.workers = {};
    stub.liveTasks = {};
    stub.indexes = { "tr-worker": stub.workers, "tr-task": stub.liveTasks };
    (opts.workers || []).forEach(function (w) { stub.workers[w.worker_sid] = w; });
    (opts.liveTasks || []).forEach(function (t) { stub.liveTasks[t.task_sid] = t; });
    stub.liveQueries = [];
    stub.failReservationCall = null;
    stub.failCreateTask = null;
    stub.failLiveQuery = null;
    stub.routeCreatedTasks = opts.routeCreatedTasks !== false;
    stub.autoAccept = opts.autoAccept !== false; // as Flex's WorkerListener does
    stub.createdTasks = [];
    stub.shown = [];
    stub.cancelledNotifications = [];
    stub.reservations = {};

    var tasks = new Map(); // reservation sid → Flex ITask
    var store = {
      taskByReservation: function (rsid) { return tasks.get(rsid); },
    };

    var worker = opts.worker || { sid: "WK" + "0".repeat(31) + "a", contact_uri: "client:alice", full_name: "Alice Andrews" };
    var activities = new Map();
    (opts.activities || [
      { sid: "WA" + "0".repeat(31) + "1", name: "Available", available: true },
      { sid: "WA" + "0".repeat(31) + "2", name: "Offline", available: false },
      { sid: "WA" + "0".repeat(31) + "3", name: "Break", available: false },
    ]).forEach(function (a) { activities.set(a.sid, a); });

    var workerClient = new Emitter();
    workerClient.sid = worker.sid;
    workerClient.attributes = { contact_uri: worker.contact_uri, full_name: worker.full_name };
    workerClient.activities = activities;
    workerClient.createTask = function (to, from, workflowSid, taskQueueSid, options) {
      var args = [to, from, workflowSid, taskQueueSid];
      for (var i = 0; i < args.length; i++) {
        if (typeof args[i] !== "string" || args[i] === "") return Promise.reject(new Error("createTask: argument " + (i + 1) + " must be a non-empty string"));
      }
      if (!/^WW[0-9a-f]{32}$/i.test(workflowSid)) return Promise.reject(new Error("createTask: invalid workflowSid"));
      if (!/^WQ[0-9a-f]{32}$/i.test(taskQueueSid)) return Promise.reject(new Error("createTask: invalid taskQueueSid"));
      options = options || {};
      var record = { to: to, from: from, workflowSid: workflowSid, taskQueueSid: taskQueueSid, options: clone(options) };
      stub.createdTasks.push(record);
      if (stub.failCreateTask) return Promise.reject(stub.failCreateTask);
      var attrs = clone(options.attributes || {});
      // the SDK overwrites these (as workerClient.createTask does)
      attrs.outbound_to = to;
      attrs.from = from;
      var taskSid = sid("WT");
      record.taskSid = taskSid;
      if (stub.routeCreatedTasks) {
        var earlyRoute = stub.routeBeforeCreateResolves;
        var route = function () { stub.offer({ sid: taskSid, attributes: attrs, routingTarget: worker.sid }); };
        if (earlyRoute) { route(); return Promise.resolve(taskSid); }
        return Promise.resolve(taskSid).then(function (s) { setTimeout(route, 0); return s; });
      }
      return Promise.resolve(taskSid);
    };

    var flex = buildSurface(stub, store, function () { return manager; });
    var actions = flex.Actions;
    actions.registerAction("AcceptTask", function (p) { return p.task.sourceObject.accept(); });
    actions.registerAction("RejectTask", function (p) { return p.task.sourceObject.reject(); });
    ["HoldCall", "UnholdCall", "HoldParticipant", "UnholdParticipant", "HangupCall"].forEach(function (n) {
      actions.registerAction(n, function (p) { stub.emit("native", n, p); return Promise.resolve(); });
    });

    var token = opts.token || "jwe-1";
    var tokenN = 1;
    var manager = new Emitter();
    manager.user = { token: token };
    manager.strings = { FailedToFetchParticipants: "Failed to fetch call participants." };
    manager.localization = { localeTag: opts.locale || "en-US" };
    manager.configuration = { theme: { isLight: opts.isLight !== false } };
    manager.workerClient = workerClient;
    manager.serviceConfiguration = {
      outbound_call_flows: opts.outbound === null ? undefined : { default: opts.outbound || { enabled: true, workflow_sid: "WW" + "0".repeat(31) + "1", queue_sid: "WQ" + "0".repeat(31) + "1", caller_id: "+15550100" } },
      ui_attributes: { custom_data: { features: opts.feature === null ? {} : { internal_call: opts.feature || { enabled: true, enable_call_agent: true, enable_call_queue: true } } } },
    };
    manager.store = { getState: function () { return { flex: { worker: { tasks: tasks } } }; } };
    manager.insightsClient = {
      liveQuery: function (index, expression) {
        if (typeof index !== "string" || typeof expression !== "string") return Promise.reject(new Error("liveQuery: index and expression must be strings"));
        if (stub.failLiveQuery && (!stub.failLiveQuery.index || stub.failLiveQuery.index === index)) return Promise.reject(stub.failLiveQuery);
        if (!stub.indexes[index]) return Promise.reject(new Error("liveQuery: unknown index " + index));
        var match = compileExpression(expression);
        if (!match) return Promise.reject(new Error("liveQuery: invalid expression " + expression));
        var q = new LiveQuery(stub, index, expression, match);
        stub.liveQueries.push(q);
        return Promise.resolve(q);
      },
    };

    // ---- controls for tests and the demo page ----
    stub.flex = flex;
    stub.manager = manager;
    stub.rotateToken = function () { tokenN++; manager.user.token = "jwe-" + tokenN; manager.emit("tokenUpdated", manager.user.token); return manager.user.token; };

    // offer: a reservation for this worker (what TaskRouter + Flex do when a task is routed here).
    stub.offer = function (o) {
      // o.reservation: the same TaskRouter reservation, offered to a second tab of the agent
      var sdkTask = o.reservation ? o.reservation.task : new SdkTask({ sid: o.sid, attributes: o.attributes || {}, taskChannelUniqueName: o.channel || "voice" });
      var res = o.reservation || new Reservation(stub, sdkTask, { sid: o.reservationSid });
      var itask = {
        sid: res.sid, taskSid: sdkTask.sid, status: "pending", taskChannelUniqueName: sdkTask.taskChannelUniqueName,
        attributes: sdkTask.attributes, sourceObject: res, routingTarget: o.routingTarget,
      };
      sdkTask.on("updated", function (t) { itask.attributes = t.attributes; });
      tasks.set(res.sid, itask);
      stub.reservations[res.sid] = res;
      workerClient.emit("reservationCreated", res);
      if (stub.autoAccept) autoAccept(flex, itask);
      return itask;
    };
    stub.task = function (reservationSid) { return tasks.get(reservationSid); };
    stub.setStatus = function (reservationSid, status) { tasks.get(reservationSid).status = status; };
    // updateTaskAttributes as the server does through the REST API.
    stub.updateTaskAttributes = function (taskSid, fn) {
      tasks.forEach(function (t) {
        if (t.taskSid === taskSid) {
          var next = clone(t.attributes);
          fn(next);
          t.sourceObject.task._update(next);
        }
      });
    };
    stub.renderTemplate = function (task, component, slot) {
      var ch = flex.TaskChannels.getForTask(task);
      if (!ch) return null;
      var holder = ch.templates[component] && ch.templates[component][slot];
      var key = typeof holder === "function" ? holder(task, component) : holder;
      var tpl = manager.strings[key] !== undefined ? manager.strings[key] : key;
      return renderTemplate(tpl, { task: task });
    };
    function change(index, key, item) {
      var src = stub.indexes[index], before = src[key];
      if (item === undefined) delete src[key]; else src[key] = item;
      stub.liveQueries.forEach(function (q) { if (q.index === index) q._changed(key, before, item); });
    }
    stub.updateWorker = function (item) { change("tr-worker", item.worker_sid, item); };
    stub.removeWorker = function (workerSid) { change("tr-worker", workerSid, undefined); };
    // tr-task items, as Flex Insights names their fields: {task_sid, worker_sid, channel_unique_name, status, …}
    stub.updateLiveTask = function (item) { change("tr-task", item.task_sid, item); };
    stub.removeLiveTask = function (taskSid) { change("tr-task", taskSid, undefined); };
    // mountDialpad renders OutboundDialerPanel: each added element's ref gets
    // a node; an iframe node has a fake contentWindow. Returns the nodes.
    stub.mountDialpad = function () {
      return flex.OutboundDialerPanel.Content.render({}).filter(function (c) { return c.element; }).map(function (c) {
        var el = c.element;
        var node = { tagName: String(el.type).toUpperCase(), src: el.props.src, title: el.props.title, style: Object.assign({}, el.props.style || {}), contentWindow: new FakeWindow(el.props.src) };
        if (typeof el.ref === "function") el.ref(node);
        c.node = node;
        return node;
      });
    };
    stub.unmountDialpad = function () {
      flex.OutboundDialerPanel.Content.render({}).forEach(function (c) { if (c.element && typeof c.element.ref === "function") c.element.ref(null); });
    };
    return stub;
  }

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
          // open (re)opens the stream with the current token: a stream the
          // browser cannot resume (e.g. its token was revoked) is reopened.
          function open() {
            var es = new win.EventSource(agentsBase + "/events?token=" + encodeURIComponent(manager.user.token));
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
              if (es.readyState === win.EventSource.CLOSED && !stub.closed) {
                note("event stream closed, reopening");
                setTimeout(open, 500);
              } else {
                note("event stream interrupted, reconnecting");
              }
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

  // A stand-in for the server's browser API, as a fetch function.
  // routes: { "POST /api/calls/WT…/hold": fn(req) → {status, body} | undefined }.
  // Every request is recorded with its headers; `down` makes fetch fail like a
  // network error; `validTokens` (a function) decides whether X-Flex-JWE is accepted.
  function createServer(base, opts) {
    opts = opts || {};
    var srv = { requests: [], down: false, routes: opts.routes || {}, queues: opts.queues || [] };
    srv.validToken = opts.validToken || function () { return true; };
    srv.fetch = function (url, init) {
      init = init || {};
      var headers = init.headers || {};
      var req = { url: String(url), method: (init.method || "GET").toUpperCase(), headers: headers, token: headers["X-Flex-JWE"] };
      srv.requests.push(req);
      if (srv.down) return Promise.reject(new TypeError("Failed to fetch"));
      function respond(status, body) {
        var text = typeof body === "string" ? body : JSON.stringify(body);
        return Promise.resolve({ ok: status >= 200 && status < 300, status: status, text: function () { return Promise.resolve(text); }, json: function () { return Promise.resolve(JSON.parse(text)); } });
      }
      if (req.url.indexOf(base) !== 0) return respond(404, { error: "not found", status: 404 });
      if (!srv.validToken(req.token)) return respond(401, { error: "invalid Flex token", status: 401 });
      var path = req.url.slice(base.length);
      var route = srv.routes[req.method + " " + path];
      if (route) { var r = route(req); return respond(r.status || 200, r.body === undefined ? { status: "ok" } : r.body); }
      if (req.method === "GET" && path === "/api/queues") return respond(200, { queues: srv.queues });
      if (req.method === "POST" && /^\/api\/calls\/WT[0-9a-f]{32}\/(reject|hangup|hold|unhold)$/.test(path)) return respond(200, { status: "ok" });
      return respond(404, { error: "not found", status: 404 });
    };
    return srv;
  }

  // Plugins: Flex's plugin loader. init(Ctor) must be called while the plugin
  // script runs (Flex reads document.currentScript); load() then constructs
  // each plugin (name and init required) and awaits init(flex, manager), one
  // plugin after another, failing after 10 s.
  function createPlugins(doc) {
    var plugins = { registered: [], results: [] };
    plugins.init = function (Ctor) {
      var script = doc && doc.currentScript;
      if (!script) throw new Error("Plugins.init: must be called synchronously while the plugin script runs");
      plugins.registered.push({ Ctor: Ctor, script: script });
    };
    plugins.load = function (flex, manager, timeoutMs) {
      timeoutMs = timeoutMs || 10000;
      return plugins.registered.reduce(function (chain, r) {
        return chain.then(function () {
          var p = new r.Ctor();
          if (!p.name || typeof p.init !== "function") throw new Error("plugin needs a name and init()");
          var started = Date.now();
          var timer;
          var timeout = new Promise(function (_, reject) {
            timer = setTimeout(function () { reject(new Error("Plugin " + p.name + " timed out")); }, timeoutMs);
          });
          return Promise.race([Promise.resolve().then(function () { return p.init(flex, manager); }), timeout]).then(function (v) {
            clearTimeout(timer);
            plugins.results.push({ name: p.name, ok: true, ms: Date.now() - started, value: v });
          }, function (e) {
            clearTimeout(timer);
            plugins.results.push({ name: p.name, ok: false, ms: Date.now() - started, error: e });
          });
        });
      }, Promise.resolve()).then(function () { return plugins.results; });
    };
    return plugins;
  }

  return {
    create: create, browser: browser, createServer: createServer, createPlugins: createPlugins, installWindow: installWindow, dispatchMessage: dispatchMessage,
    React: React, Emitter: Emitter, renderTemplate: renderTemplate, sid: sid,
  };
});
