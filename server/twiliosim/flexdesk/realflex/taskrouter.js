// twilio-taskrouter for the test desks: what the Flex UI bundle imports as
// its TaskRouter SDK (build.mjs replaces the npm package with this file),
// backed by the Twilio simulator's agents API (/sim/agents) instead of
// TaskRouter's event bridge. Flex's own FlexClientManager.initTaskRouterSDK
// constructs the Supervisor below and Flex's own WorkerListener listens to
// it; the page's adapter (flexadapter.js) only hands it the transport
// (configure) and the agent's events (deliver).
//
// Every method names the SDK method it stands in for.

function Emitter() { this._l = {}; }
Emitter.prototype.on = function (ev, fn) { (this._l[ev] = this._l[ev] || []).push(fn); return this; };
Emitter.prototype.addListener = Emitter.prototype.on;
Emitter.prototype.once = function (ev, fn) { var self = this; function w() { self.removeListener(ev, w); fn.apply(null, arguments); } return this.on(ev, w); };
Emitter.prototype.removeListener = function (ev, fn) { var l = this._l[ev] || [], i = l.indexOf(fn); if (i >= 0) l.splice(i, 1); return this; };
Emitter.prototype.off = Emitter.prototype.removeListener;
Emitter.prototype.removeAllListeners = function (ev) { if (ev === undefined) this._l = {}; else delete this._l[ev]; return this; };
Emitter.prototype.emit = function (ev) { var a = [].slice.call(arguments, 1); (this._l[ev] || []).slice().forEach(function (fn) { fn.apply(null, a); }); return true; };

// The transport the adapter provides: api(method, path, body) → Promise of
// the JSON answer, and note(text) for the desk's event log.
var sim = null, last = null;
export function configure(t) { sim = t; }
// current is the Worker Flex built last (FlexModule.workerClient wraps it in
// Flex's own Supervisor proxy).
export function current() { return last; }
function api(method, path, body) {
  if (!sim) return Promise.reject(new Error("twilio-taskrouter (simulator): not configured"));
  return sim.api(method, path, body);
}
function note(m) { if (sim && sim.note) sim.note(m); }

// The activities of the simulated workspace, by name (Activity objects).
var ACTIVITIES = [["Available", true], ["Unavailable", false], ["Break", false], ["Offline", false]];

// ---- Task ----
export function Task(v) { Emitter.call(this); this._set(v); }
Task.prototype = Object.create(Emitter.prototype);
Task.prototype._set = function (v) {
  this.sid = v.sid; this.attributes = v.attributes || {}; this.status = v.assignment_status;
  this.taskChannelUniqueName = v.task_channel_unique_name || "default"; this.taskChannelSid = v.task_channel_sid || "";
  this.routingTarget = v.routing_target || "";
  this.queueName = v.task_queue_friendly_name || ""; this.queueSid = v.task_queue_sid || ""; this.workflowSid = v.workflow_sid || ""; this.workflowName = v.workflow_friendly_name || "";
  this.age = v.age; this.priority = v.priority; this.timeout = v.timeout; this.reason = v.reason || "";
  this.dateCreated = v.date_created ? new Date(v.date_created) : new Date(); this.dateUpdated = v.date_updated ? new Date(v.date_updated) : new Date();
};
// Task.wrapUp(options)
Task.prototype.wrapUp = function () { var t = this; return api("POST", "/tasks/" + t.sid + "/wrapup", { reason: "" }).then(function () { return t; }); };
// Task.complete(reason)
Task.prototype.complete = function (reason) { var t = this; return api("POST", "/tasks/" + t.sid + "/complete", { reason: reason || "" }).then(function () { return t; }); };

// ---- Reservation ----
var STATUS = { created: "pending", accepted: "accepted", rejected: "rejected", timeout: "timeout", canceled: "canceled", rescinded: "rescinded", wrapup: "wrapping", completed: "completed" };
var EVENT = {}; Object.keys(STATUS).forEach(function (k) { EVENT[STATUS[k]] = k; });

export function Reservation(r, task) {
  Emitter.call(this);
  this.sid = r.sid; this.workerSid = r.worker_sid; this.workspaceSid = r.workspace_sid || ""; this.accountSid = r.account_sid || "";
  this.status = STATUS[r.reservation_status] || r.reservation_status; this.task = task; this.timeout = r.timeout;
  this.dateCreated = r.date_created ? new Date(r.date_created) : new Date(); this.dateUpdated = new Date();
}
Reservation.prototype = Object.create(Emitter.prototype);
// Reservation.accept()
Reservation.prototype.accept = function () { var r = this; return api("POST", "/reservations/" + r.sid + "/accept").then(function () { return r; }); };
// Reservation.reject(options)
Reservation.prototype.reject = function () { var r = this; return api("POST", "/reservations/" + r.sid + "/reject").then(function () { return r; }); };
// Reservation.call(from, url, options): its type checks throw at once, as the SDK's do
Reservation.prototype.call = function (from, url, o) {
  o = o || {};
  if (typeof from !== "string" || !from || typeof url !== "string" || !url) throw new TypeError('Error calling method call(). "from" and "url" are required strings');
  if ("accept" in o && typeof o.accept !== "boolean") throw new TypeError('Error calling method call(). "options.accept" must be a boolean');
  if ("timeout" in o && !Number.isInteger(o.timeout)) throw new TypeError('Error calling method call(). "options.timeout" must be an integer');
  var r = this;
  note("reservation.call " + r.sid + " → " + url);
  return api("POST", "/reservations/" + r.sid + "/call", { from: from, url: url, options: o }).then(function () { return r; });
};

// ---- Activity ----
function Activity(worker, name, available) { this._worker = worker; this.name = name; this.available = available; this.sid = name; }
Object.defineProperty(Activity.prototype, "isCurrent", { get: function () { return !!this._worker.activity && this._worker.activity.name === this.name; } });
// Activity.setAsCurrent(options)
Activity.prototype.setAsCurrent = function () {
  var a = this, w = this._worker;
  return api("POST", "/activity", { activity: a.name }).then(function (v) { w._setWorker(v); w.emit("activityUpdated", w); return a; });
};

// ---- Worker (Flex builds a Supervisor: a Worker that may also monitor) ----
// new Worker(token, options): loads the worker and its open reservations,
// then emits "ready".
export function Worker(token, options) {
  Emitter.call(this);
  var w = last = this;
  this.token = token; this.options = options || {};
  this.sid = ""; this.name = this.friendlyName = ""; this.attributes = {}; this.workspaceSid = "";
  this.activities = new Map(); this.activity = null; this.available = false;
  this.reservations = new Map(); this._tasks = {};
  this.dateUpdated = new Date(); this.dateStatusChanged = new Date();
  ACTIVITIES.forEach(function (a) { w.activities.set(a[0], new Activity(w, a[0], a[1])); });
  Promise.resolve().then(function () { return w._resync(); }).then(function () { w.emit("ready", w); }, function (e) { w.emit("error", e); });
}
Worker.prototype = Object.create(Emitter.prototype);
Worker.prototype._setWorker = function (v) {
  if (!v) return;
  this.sid = v.sid; this.name = this.friendlyName = v.friendly_name; this.attributes = v.attributes || {};
  this.available = !!v.available; this.dateUpdated = new Date();
  var act = this.activities.get(v.activity_name);
  if (!act) { act = new Activity(this, v.activity_name, !!v.available); this.activities.set(act.name, act); }
  if (!this.activity || this.activity.name !== act.name) this.dateStatusChanged = new Date();
  this.activity = act;
};
// Worker.createTask(to, from, workflowSid, taskQueueSid, options) → the task's SID
Worker.prototype.createTask = function (to, from, workflowSid, taskQueueSid, options) {
  note("createTask to " + to);
  return api("POST", "/tasks", { to: to, from: from, workflowSid: workflowSid, taskQueueSid: taskQueueSid, options: options || {} }).then(function (d) { return d.task_sid; });
};
// Worker.updateToken(token): the adapter's transport reads the current token itself
Worker.prototype.updateToken = function (token) { this.token = token; };
// Worker.disconnect()
Worker.prototype.disconnect = function () { this.emit("disconnected"); };
// Supervisor.monitor(taskSid, reservationSid, extraParams): not in the simulated workspace
Worker.prototype.monitor = function () { return Promise.reject(new Error("monitor: not simulated")); };

// _resync is the SDK's own reconnection: the worker and its open
// reservations from GET /me; reservations it did not know are created,
// those gone are completed.
Worker.prototype._resync = function () {
  var w = this;
  return api("GET", "/me").then(function (me) {
    var open = {}, byTask = {};
    (me.tasks || []).forEach(function (t) { byTask[t.sid] = t; });
    w._setWorker(me.worker);
    (me.reservations || []).forEach(function (r) { open[r.sid] = true; w.deliver("", r, byTask[r.task_sid]); });
    w.reservations.forEach(function (r, sid) { if (!open[sid]) w.deliver("completed", { sid: sid }); });
  });
};

// deliver is TaskRouter's event bridge: one event of the agent's stream
// (reservation.<event> with the reservation and its task; "" for a state
// read from GET /me).
Worker.prototype.deliver = function (ev, r, view) {
  if (!r) return;
  var w = this, status = STATUS[ev] || STATUS[r.reservation_status] || r.reservation_status, res = w.reservations.get(r.sid);
  var task = view ? w._tasks[view.sid] : res && res.task;
  if (view) { if (!task) task = w._tasks[view.sid] = new Task(view); else task._set(view); }
  if (!res) {
    if (["pending", "accepted", "wrapping"].indexOf(status) < 0 || !task) return;
    res = new Reservation(r, task); res.status = status;
    w.reservations.set(res.sid, res);
    note("reservation " + res.sid + " of " + task.sid + " (" + status + ")");
    w.emit("reservationCreated", res);
    return;
  }
  if (view) task.emit("updated", task);
  if (res.status === status) return;
  res.status = status; res.dateUpdated = new Date();
  note("reservation " + res.sid + " " + status);
  if (["accepted", "wrapping"].indexOf(status) < 0) w.reservations.delete(res.sid);
  res.emit(EVENT[status] || status, res);
  if (status === "wrapping") task.emit("wrapup", task);
  if (status === "completed") task.emit("completed", task);
  if (status === "canceled") task.emit("canceled", task);
};
// task.updated: a task's attributes or status changed
Worker.prototype.deliverTask = function (v) {
  var t = v && this._tasks[v.sid];
  if (t) { t._set(v); t.emit("updated", t); }
};
// worker.activity.update
// A worker change from the stream: Worker's "activityUpdated", or
// "attributesUpdated" when ev says so.
Worker.prototype.deliverWorker = function (v, ev) { this._setWorker(v); this.emit(ev || "activityUpdated", this); };

export function Supervisor(token, options) { Worker.call(this, token, options); }
Supervisor.prototype = Object.create(Worker.prototype);

// new Workspace(token, options, workspaceSid): Flex builds one for its
// queue and worker directories, which the simulated desks do not show.
export function Workspace(token, options, workspaceSid) { this.token = token; this.workspaceSid = workspaceSid; }
// Workspace.fetchWorkers(), fetchTaskQueues(): none listed (the directory is the insights index)
Workspace.prototype.fetchWorkers = function () { return Promise.resolve(new Map()); };
Workspace.prototype.fetchTaskQueues = function () { return Promise.resolve(new Map()); };
// Workspace.updateToken(token)
Workspace.prototype.updateToken = function (token) { this.token = token; };

// TaskRouterEventHandler: the SDK's handler of the event bridge's messages,
// which Flex extends (its ParticipantEventHandler, passed as
// options.eventHandlerClass). The simulator's events arrive through deliver,
// so the handler is never instantiated here.
export class TaskRouterEventHandler {
  constructor(worker, options) { this._worker = worker; this._options = options; }
  getTRHandlers() { return []; }
}

export default { TaskRouterEventHandler: TaskRouterEventHandler, Worker: Worker, Supervisor: Supervisor, Workspace: Workspace, Reservation: Reservation, Task: Task };
