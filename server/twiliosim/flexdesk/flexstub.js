/* A stand-in for the part of the Twilio Flex UI (2.x) surface the Flex
 * Internal Call plugin touches. Plain JavaScript, no node APIs: it defines
 * globalThis.FlexStub (and module.exports when loaded as CommonJS).
 *
 * FlexStub.create(opts) is an in-memory Flex for the bridge's tests under
 * node (wasm/bridge, plugin-shim/shim.test.js); tests offer tasks and change
 * the directory by hand. Its reservation handling is checked against the
 * real Flex UI's under node (realflex/reservations.test.js). The browser
 * desk on the simulator (FlexStub.browser) is standin.js, on this surface.
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
 * - Content.add(element, options) needs a React element with a key; its
 *   options.if (ContentFragment's "if" prop) shows it only where the
 *   condition holds; Content.remove(key, {if}) hides it where it holds.
 *   Children are rendered with their container's props (CallCanvas: task).
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
      if (typeof c.options.if === "function" && !c.options.if(props)) return false;
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

  // An iframe node of a rendered element, with its attributes (data-*
  // included) and a fake contentWindow; mountedFrames are the ones the fake
  // document finds (installWindow).
  var mountedFrames = [];
  function frameNode(el) {
    var attrs = {};
    Object.keys(el.props).forEach(function (k) { if (typeof el.props[k] === "string") attrs[k] = el.props[k]; });
    return {
      tagName: "IFRAME", src: el.props.src, title: el.props.title, style: Object.assign({}, el.props.style || {}),
      isConnected: true, contentWindow: new FakeWindow(el.props.src),
      getAttribute: function (k) { return Object.prototype.hasOwnProperty.call(attrs, k) ? attrs[k] : null; },
    };
  }

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
    if (!g.document) {
      // querySelectorAll("iframe[attr]") over the frames the stub rendered
      g.document = {
        querySelectorAll: function (sel) {
          var m = /^iframe\[([\w-]+)\]$/.exec(sel);
          return m ? mountedFrames.filter(function (n) { return n.getAttribute(m[1]) !== null; }) : [];
        },
      };
    }
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

    flex.TaskHelper = { isInitialOutboundAttemptTask: function (t) { return isInitialOutboundAttemptTask(flex, t); } };
    flex.CallCanvasActions = { Content: new Content("CallCanvasActions", ["toggleMute", "hold", "directory", "hangup"]) };
    flex.OutboundDialerPanel = { Content: new Content("OutboundDialerPanel", ["dialpad"]) };
    flex.CallCanvas = { Content: new Content("CallCanvas", []) };

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
    // renderCallCanvas renders CallCanvas for a task as React would: a
    // function component is called with its props and the container's
    // ({task}); the iframe it returns is one node per key, kept across
    // renders; nodes no longer rendered are disconnected. Returns the nodes.
    var canvas = {};
    stub.renderCallCanvas = function (task) {
      var keep = {};
      var nodes = flex.CallCanvas.Content.render({ task: task }).filter(function (c) { return c.element; }).map(function (c) {
        var el = c.element;
        if (typeof el.type === "function") el = el.type(Object.assign({}, el.props, { task: task }));
        if (!el || el.type !== "iframe") return null;
        var key = c.key + "/" + (el.key || "");
        keep[key] = true;
        var node = canvas[key];
        if (!node) {
          node = canvas[key] = frameNode(el);
          mountedFrames.push(node);
        }
        return node;
      }).filter(Boolean);
      Object.keys(canvas).forEach(function (k) {
        if (keep[k]) return;
        canvas[k].isConnected = false;
        mountedFrames.splice(mountedFrames.indexOf(canvas[k]), 1);
        delete canvas[k];
      });
      return nodes;
    };
    stub.unmountDialpad = function () {
      flex.OutboundDialerPanel.Content.render({}).forEach(function (c) { if (c.element && typeof c.element.ref === "function") c.element.ref(null); });
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
      var req = { url: String(url), method: (init.method || "GET").toUpperCase(), headers: headers, token: headers["X-Flex-JWE"], body: init.body };
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
    create: create, createServer: createServer, createPlugins: createPlugins, installWindow: installWindow, dispatchMessage: dispatchMessage,
    React: React, Emitter: Emitter, renderTemplate: renderTemplate, sid: sid,
    // the surface the browser desk (standin.js) builds on
    buildSurface: buildSurface, LiveQuery: LiveQuery, compileExpression: compileExpression, autoAccept: autoAccept,
  };
});
