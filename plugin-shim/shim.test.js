// Tests of the Flex plugin shim in node (node --test plugin-shim/): each test
// builds a page in a fresh vm context (a document whose <script> loads are
// served from a table of assets, fetch from the same table), loads the Flex
// stand-in (server/twiliosim/flexdesk/flexstub.js), runs the shim as Flex would,
// then lets the stand-in's Plugins loader call init(flex, manager).
//
// The real bridge is used: BRIDGE_WASM names it, else web/dist/bridge.wasm,
// else it is built into a temporary directory.
"use strict";

const test = require("node:test");
const assert = require("node:assert");
const vm = require("node:vm");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { execFileSync } = require("node:child_process");
const { webcrypto } = require("node:crypto");

const root = path.resolve(__dirname, "..");
const shimSrc = fs.readFileSync(path.join(__dirname, "internal-call.js"), "utf8");
const stubSrc = fs.readFileSync(path.join(root, "server/twiliosim/flexdesk/flexstub.js"), "utf8");
const SERVER = "https://ic.example.com";

function goEnv(name) {
  return execFileSync("go", ["env", name], { cwd: root, encoding: "utf8" }).trim();
}

let cache;
function realAssets() {
  if (cache) return cache;
  let wasmExec = path.join(root, "web/dist/wasm_exec.js");
  if (!fs.existsSync(wasmExec)) wasmExec = path.join(goEnv("GOROOT"), "lib/wasm/wasm_exec.js");
  let wasm = process.env.BRIDGE_WASM || path.join(root, "web/dist/bridge.wasm");
  if (!fs.existsSync(wasm)) {
    wasm = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bridge-")), "bridge.wasm");
    execFileSync("go", ["build", "-trimpath", "-ldflags=-s -w", "-o", wasm, "./wasm/bridge"], {
      cwd: root, env: { ...process.env, GOOS: "js", GOARCH: "wasm" }, stdio: "inherit",
    });
  }
  cache = { wasmExec: fs.readFileSync(wasmExec, "utf8"), wasm: fs.readFileSync(wasm) };
  return cache;
}

// page builds a browser-like context. opts: script {src, attrs} (the shim's
// <script>), assets {url: {body, type}}, globals (extra window properties).
function page(opts) {
  const assets = opts.assets || {};
  const fetched = [];
  const ctx = {
    console, URL, WebAssembly: opts.WebAssembly || WebAssembly, TextEncoder, TextDecoder, performance,
    crypto: webcrypto, setTimeout, clearTimeout, queueMicrotask, Response, Headers,
    location: { href: "https://flex.twilio.com/agent-desktop/" },
    ...(opts.globals || {}),
  };
  ctx.window = ctx;
  ctx.self = ctx;
  ctx.fetch = async (url) => {
    fetched.push(String(url));
    const a = assets[url];
    if (!a) return new Response("not found", { status: 404, headers: { "content-type": "text/plain" } });
    return new Response(a.body, { status: 200, headers: { "content-type": a.type } });
  };
  const doc = {
    currentScript: null,
    createElement(tag) {
      return { tagName: tag.toUpperCase(), attrs: {}, getAttribute(k) { return this.attrs[k] ?? null; } };
    },
    head: {
      appendChild(el) {
        fetched.push(el.src);
        setTimeout(() => {
          const a = assets[el.src];
          if (!a) { if (el.onerror) el.onerror({ type: "error" }); return; }
          doc.currentScript = el;
          try { vm.runInContext(String(a.body), context, { filename: el.src }); } finally { doc.currentScript = null; }
          if (el.onload) el.onload({ type: "load" });
        }, 0);
      },
    },
  };
  ctx.document = doc;
  const context = vm.createContext(ctx);
  vm.runInContext(stubSrc, context, { filename: "flexstub.js" });
  ctx.FlexStub.installWindow(ctx);
  ctx.Twilio = { Flex: { Plugins: ctx.FlexStub.createPlugins(doc) } };
  ctx.stub = ctx.FlexStub.create(opts.stub || {});
  // Flex adds the plugin's <script>; it runs with document.currentScript set.
  const script = opts.script || { src: SERVER + "/plugin/internal-call.js" };
  doc.currentScript = { src: script.src || "", getAttribute: (k) => (script.attrs || {})[k] ?? null };
  vm.runInContext(shimSrc, context, { filename: "internal-call.js" });
  doc.currentScript = null;
  return { ctx, fetched, load: () => ctx.Twilio.Flex.Plugins.load(ctx.stub.flex, ctx.stub.manager, 10000) };
}

function served(base, overrides) {
  const a = realAssets();
  return {
    [base + "/web/wasm_exec.js"]: { body: a.wasmExec, type: "text/javascript" },
    [base + "/web/bridge.wasm"]: { body: a.wasm, type: "application/wasm" },
    ...(overrides || {}),
  };
}

function shownText(ctx) { return ctx.stub.shown.map((n) => n.text).join("\n"); }

test("registers synchronously with Flex, with a name and init", () => {
  const p = page({ assets: {} });
  const reg = p.ctx.Twilio.Flex.Plugins.registered;
  assert.strictEqual(reg.length, 1);
  const plugin = new reg[0].Ctor();
  assert.ok(plugin.name);
  assert.strictEqual(typeof plugin.init, "function");
  assert.strictEqual(reg[0].script.src, SERVER + "/plugin/internal-call.js");
});

test("boots the bridge from its own URL and resolves init", async (t) => {
  const base = SERVER + "/prefix";
  const p = page({ script: { src: base + "/plugin/internal-call.js?v=2" }, assets: served(base) });
  const [r] = await p.load();
  assert.ok(r.ok, r.error && r.error.message);
  assert.deepStrictEqual(p.fetched, [base + "/web/wasm_exec.js", base + "/web/bridge.wasm"]);
  assert.strictEqual(p.ctx.stub.flex.Actions.emitter.listenerCount("beforeAcceptTask"), 1, "hooks installed");
  assert.strictEqual(shownText(p.ctx), "");
  t.diagnostic(`init → ready: ${p.ctx.FLEX_INTERNAL_CALL_READY_MS} ms (plugin init ${r.ms} ms)`);
  r.value.stop();
});

test("an inline script finds the server from window.FLEX_INTERNAL_CALL_BASE", async () => {
  const p = page({ script: { src: "" }, globals: { FLEX_INTERNAL_CALL_BASE: SERVER + "/" }, assets: served(SERVER) });
  const [r] = await p.load();
  assert.ok(r.ok, r.error && r.error.message);
  assert.strictEqual(p.fetched[0], SERVER + "/web/wasm_exec.js");
  r.value.stop();
});

test("an inline script finds the server from the Flex configuration", async () => {
  const p = page({
    script: { src: "" }, assets: served(SERVER),
    stub: { feature: { enabled: true, server_url: SERVER } },
  });
  const [r] = await p.load();
  assert.ok(r.ok, r.error && r.error.message);
  r.value.stop();
});

test("data-asset-base wins over the script URL", async () => {
  const p = page({ script: { src: "https://cdn.example.net/x/internal-call.js", attrs: { "data-asset-base": SERVER } }, assets: served(SERVER) });
  const [r] = await p.load();
  assert.ok(r.ok, r.error && r.error.message);
  assert.strictEqual(p.fetched[0], SERVER + "/web/wasm_exec.js");
  r.value.stop();
});

test("an inline script without a configured base rejects init and says how to fix it", async () => {
  const p = page({ script: { src: "" }, assets: served(SERVER) });
  const [r] = await p.load();
  assert.ok(!r.ok);
  assert.match(r.error.message, /server URL is unknown.*FLEX_INTERNAL_CALL_BASE/);
  assert.match(shownText(p.ctx), /could not start: the server URL is unknown/);
});

test("a missing bridge.wasm rejects init with a notification naming it", async () => {
  const assets = served(SERVER);
  delete assets[SERVER + "/web/bridge.wasm"];
  const p = page({ assets });
  const [r] = await p.load();
  assert.ok(!r.ok);
  assert.match(r.error.message, /bridge\.wasm could not be loaded \(HTTP 404\)/);
  assert.match(shownText(p.ctx), /Flex Internal Call could not start: .*bridge\.wasm could not be loaded \(HTTP 404\)/);
  assert.ok(r.ms < 2000, "fails fast");
});

test("a missing wasm_exec.js rejects init", async () => {
  const assets = served(SERVER);
  delete assets[SERVER + "/web/wasm_exec.js"];
  const p = page({ assets });
  const [r] = await p.load();
  assert.ok(!r.ok);
  assert.match(r.error.message, /wasm_exec\.js could not be loaded/);
  assert.strictEqual(p.ctx.stub.shown.length, 1);
});

test("a wrong content type falls back to compiling from bytes", async () => {
  const assets = served(SERVER);
  assets[SERVER + "/web/bridge.wasm"].type = "application/octet-stream";
  const p = page({ assets });
  const [r] = await p.load();
  assert.ok(r.ok, r.error && r.error.message);
  r.value.stop();
});

test("a Content-Security-Policy refusal is named", async () => {
  const refuse = () => Promise.reject(new WebAssembly.CompileError("WebAssembly.instantiate(): Refused to compile or instantiate WebAssembly module because 'unsafe-eval' is not an allowed source of script in the following Content Security Policy directive"));
  const p = page({ assets: served(SERVER), WebAssembly: { ...WebAssembly, instantiate: refuse, instantiateStreaming: refuse, CompileError: WebAssembly.CompileError } });
  const [r] = await p.load();
  assert.ok(!r.ok);
  assert.match(r.error.message, /Content-Security-Policy refuses WebAssembly/);
  assert.match(shownText(p.ctx), /Content-Security-Policy/);
});

// A stand-in Go runtime for the failure modes of a started program.
function fakeGo(behaviour) {
  return `globalThis.Go = function () {
    this.importObject = {};
    this.exit = function () {};
    var self = this;
    this.run = function () { return (${behaviour})(self); };
  };`;
}
const emptyModule = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);

test("a bridge that exits before it is ready rejects init", async () => {
  const p = page({
    assets: {
      [SERVER + "/web/wasm_exec.js"]: { body: fakeGo("function (go) { go.exit(2); return Promise.resolve(); }"), type: "text/javascript" },
      [SERVER + "/web/bridge.wasm"]: { body: emptyModule, type: "application/wasm" },
    },
  });
  const [r] = await p.load();
  assert.ok(!r.ok);
  assert.match(r.error.message, /the bridge exited \(code 2\)/);
  assert.match(shownText(p.ctx), /exited/);
});

test("a bridge whose init rejects rejects the plugin's init", async () => {
  const p = page({
    assets: {
      [SERVER + "/web/wasm_exec.js"]: { body: fakeGo(`function () { window.__flexInternalCallBoot.ready(function () { return Promise.reject(new Error("manager.workerClient is missing")); }); return new Promise(function () {}); }`), type: "text/javascript" },
      [SERVER + "/web/bridge.wasm"]: { body: emptyModule, type: "application/wasm" },
    },
  });
  const [r] = await p.load();
  assert.ok(!r.ok);
  assert.match(r.error.message, /could not start: manager\.workerClient is missing/);
});

test("a bridge that never gets ready times out within Flex's 10 s", async () => {
  const p = page({
    globals: { FLEX_INTERNAL_CALL_TIMEOUT_MS: 300 },
    assets: {
      [SERVER + "/web/wasm_exec.js"]: { body: fakeGo("function () { return new Promise(function () {}); }"), type: "text/javascript" },
      [SERVER + "/web/bridge.wasm"]: { body: emptyModule, type: "application/wasm" },
    },
  });
  const [r] = await p.load();
  assert.ok(!r.ok);
  assert.match(r.error.message, /timed out after 0\.3 s while starting the bridge/);
  assert.match(shownText(p.ctx), /timed out/);
});

test("the shim stays small", () => {
  assert.ok(Buffer.byteLength(shimSrc) < 5000, `internal-call.js is ${Buffer.byteLength(shimSrc)} bytes`);
});
