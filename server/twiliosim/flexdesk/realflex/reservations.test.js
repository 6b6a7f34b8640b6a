// Flex's reservation handling, the real Flex UI against the Flex stand-in
// (flexstub.js, which the bridge's node tests use): the same reservations are
// offered to both, and the actions each invokes by itself must be the same.
// The real side is the bundle make flexui builds, run under node with
// Flex's own FlexClientManager.initTaskRouterSDK and WorkerListener on the
// simulator-backed TaskRouter SDK (taskrouter.js) over an in-memory API.
//
//	node --test server/twiliosim/flexdesk/realflex/
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");
const nodedom = require("./nodedom.js");

const root = path.resolve(__dirname, "../../../..");
const bundle = path.join(root, ".cache/flex-ui/flex-ui.js");
const WORKER = "WK" + "0".repeat(31) + "a";

// What Flex is offered: a task routed to the agent, in pending state.
const cases = [
  { name: "the agent's own outbound call task", channel: "voice", routingTarget: WORKER, attributes: { direction: "outbound", internal_call: { role: "caller" } } },
  { name: "an outbound call task without a routing target", channel: "voice", routingTarget: "", attributes: { direction: "outbound" } },
  { name: "an inbound customer call", channel: "voice", routingTarget: WORKER, attributes: { direction: "inbound", from: "+15551230000" } },
  { name: "a callee's offered internal call", channel: "voice", routingTarget: WORKER, attributes: { direction: "inbound", internal_call: { role: "callee" } } },
];

// recorder counts the actions invoked, by name and reservation SID, and
// keeps Flex's native AcceptTask from running (it would place the call).
function recorder(Actions) {
  const seen = [], waiters = [];
  for (const name of ["AcceptTask", "SelectTask", "RejectTask"]) {
    Actions.addListener("before" + name, (p) => {
      const sid = (p.task && p.task.sid) || p.sid;
      seen.push(sid + " " + name);
      waiters.filter((w) => w.key === sid + " " + name).forEach((w) => w.ok());
    });
  }
  Actions.replaceAction("AcceptTask", () => Promise.resolve());
  return {
    of: (sid) => seen.filter((s) => s.startsWith(sid + " ")).map((s) => s.slice(sid.length + 1)),
    when: (key) => new Promise((ok) => (seen.includes(key) ? ok() : waiters.push({ key, ok }))),
  };
}

async function realFlex() {
  if (!fs.existsSync(bundle)) throw new Error(bundle + " is missing: run make flexui");
  const ctx = nodedom.window();
  vm.runInContext(fs.readFileSync(bundle, "utf8"), ctx, { filename: "flex-ui.js" });
  const F = ctx.Twilio.Flex, Redux = ctx.Redux;
  const store = Redux.createStore(Redux.combineReducers({ flex: F.FlexReducer }), Redux.compose(F.applyFlexMiddleware()));
  new F.Manager({}, store);
  ctx.FlexSim.taskrouter.configure({
    api: (method, p) => Promise.resolve(method === "GET" && p === "/me"
      ? { worker: { sid: WORKER, friendly_name: "alice", attributes: { contact_uri: "client:alice" }, activity_name: "Available", available: true }, reservations: [], tasks: [] }
      : {}),
  });
  await ctx.FlexSim.FlexClientManager.initTaskRouterSDK("token");
  assert.ok(store.getState().flex.worker.listener, "Flex's WorkerListener started");
  const rec = recorder(F.Actions);
  const incoming = new Map(); // reservation SID → resolve, until Flex shows its IncomingTask notification
  F.Notifications.addListener("notificationAdded", (n) => { if (n.id === "IncomingTask" && incoming.has(n.context.task.sid)) incoming.get(n.context.task.sid)(); });
  const worker = ctx.FlexSim.taskrouter.current();
  return {
    async offer(c, i) {
      const rsid = "WR" + String(i).padStart(32, "0"), tsid = "WT" + String(i).padStart(32, "0");
      // Flex's handler ends either accepting (then selecting) the task or
      // showing the IncomingTask notification.
      const shown = new Promise((ok) => incoming.set(rsid, ok));
      worker.deliver("created", { sid: rsid, worker_sid: WORKER, reservation_status: "pending" },
        { sid: tsid, assignment_status: "pending", attributes: c.attributes, task_channel_unique_name: c.channel, routing_target: c.routingTarget });
      await Promise.race([rec.when(rsid + " SelectTask"), shown]);
      incoming.delete(rsid);
      return rec.of(rsid);
    },
  };
}

async function standIn() {
  const ctx = vm.createContext({ console, setTimeout, clearTimeout, queueMicrotask, URL, location: { href: "http://localhost/" } });
  ctx.window = ctx;
  vm.runInContext(fs.readFileSync(path.join(__dirname, "../flexstub.js"), "utf8"), ctx, { filename: "flexstub.js" });
  ctx.FlexStub.installWindow(ctx);
  const stub = ctx.FlexStub.create({});
  const rec = recorder(stub.flex.Actions);
  return {
    async offer(c, i) {
      const t = stub.offer({ sid: "WT" + String(i).padStart(32, "0"), attributes: c.attributes, routingTarget: c.routingTarget, channel: c.channel });
      // the stand-in decides at once and acts in microtasks
      for (let n = 0; n < 3; n++) await new Promise((ok) => setImmediate(ok));
      return rec.of(t.sid);
    },
  };
}

test("Flex's own reservation handling: the stand-in acts as the real Flex UI does", { timeout: 120000 }, async () => {
  const real = await realFlex(), stub = await standIn();
  for (const [i, c] of cases.entries()) {
    const r = await real.offer(c, i + 1), s = await stub.offer(c, i + 1);
    assert.deepStrictEqual(s, r, c.name + ": the stand-in invoked " + JSON.stringify(s) + ", the real Flex UI " + JSON.stringify(r));
  }
  // and the real Flex UI auto-accepts exactly the agent's own outbound task
  assert.deepStrictEqual(await real.offer(cases[0], 100), ["AcceptTask", "SelectTask"]);
});
