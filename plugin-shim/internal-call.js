/* Flex Internal Call plugin: boots the Go bridge (web/wasm_exec.js,
 * web/bridge.wasm) and hands it init's flex and manager. Server URL: this
 * script's data-asset-base, else its src, else
 * (inline script) window.FLEX_INTERNAL_CALL_BASE or ui_attributes.custom_data
 * .features.internal_call.server_url. */
(function () {
  "use strict";
  var W = window, TIMEOUT = W.FLEX_INTERNAL_CALL_TIMEOUT_MS || 8000;
  var BOOT = "__flexInternalCallBoot", NOTE = "InternalCallUnavailable";
  var fromScript = scriptBase(document.currentScript);

  function scriptBase(s) {
    if (!s) return "";
    var a = s.getAttribute && s.getAttribute("data-asset-base");
    if (a) return a;
    if (!s.src) return "";
    var u = new URL(s.src, location.href), p = u.pathname, i = p.lastIndexOf("/plugin/");
    return u.origin + (i >= 0 ? p.slice(0, i) : p.slice(0, p.lastIndexOf("/")));
  }

  function resolveBase(m) {
    var ic = ["serviceConfiguration", "ui_attributes", "custom_data", "features", "internal_call"].reduce(function (o, k) { return o && o[k]; }, m);
    var b = fromScript || W.FLEX_INTERNAL_CALL_BASE || (ic && ic.server_url) || "", u;
    try { u = new URL(b); } catch (e) { /* unknown */ }
    if (!u || !/^https?:$/.test(u.protocol)) {
      throw new Error("the server URL is unknown (" + (b || "inline script") + "): set window.FLEX_INTERNAL_CALL_BASE or custom_data.features.internal_call.server_url");
    }
    return b.replace(/\/+$/, "");
  }

  function loadScript(src) {
    return new Promise(function (ok, ko) {
      var s = document.createElement("script");
      s.src = src;
      s.onload = ok;
      s.onerror = function () { ko(new Error(src + " could not be loaded")); };
      (document.head || document.documentElement).appendChild(s);
    });
  }

  function isCSP(e) { return /Content.Security.Policy|unsafe-eval|Refused to compile/i.test(String(e && e.message)); }

  function instantiate(url, imports) {
    return fetch(url, { credentials: "omit" }).then(function (r) {
      if (!r.ok) throw new Error(url + " could not be loaded (HTTP " + r.status + ")");
      var copy = r.clone();
      function slow() { return copy.arrayBuffer().then(function (b) { return WebAssembly.instantiate(b, imports); }); }
      if (!WebAssembly.instantiateStreaming) return slow();
      // e.g. a wrong MIME type
      return WebAssembly.instantiateStreaming(r, imports).catch(function (e) { if (isCSP(e)) throw e; return slow(); });
    }).then(function (res) { return res.instance; }, function (e) {
      if (isCSP(e)) throw new Error("the page's Content-Security-Policy refuses WebAssembly: " + e.message);
      throw e;
    });
  }

  function notify(flex, manager, msg) {
    try {
      manager.strings[NOTE] = msg.replace(/{{/g, "\\{{");
      flex.Notifications.registerNotification({ id: NOTE, type: "error", content: NOTE, timeout: 0 });
      flex.Notifications.showNotification(NOTE);
    } catch (e) { /* best effort */ }
  }

  function Plugin() { this.name = "FlexInternalCall"; }

  Plugin.prototype.init = function (flex, manager) {
    var t0 = Date.now(), stage = "finding the server", base, ready, settled, ok, ko;
    var p = new Promise(function (a, b) { ok = a; ko = b; });
    var timer = setTimeout(function () { fail(new Error("timed out after " + TIMEOUT / 1000 + " s while " + stage)); }, TIMEOUT);
    function end() { var first = !settled; settled = true; clearTimeout(timer); return first; }
    function fail(e) {
      if (!end()) return;
      var msg = "Flex Internal Call could not start: " + (e && e.message || e);
      notify(flex, manager, msg);
      ko(new Error(msg));
    }
    Promise.resolve().then(function () {
      base = resolveBase(manager);
      stage = "loading " + base + "/web/wasm_exec.js";
      return loadScript(base + "/web/wasm_exec.js");
    }).then(function () {
      var go = new W.Go(), code = 0, exit = go.exit;
      go.exit = function (c) { code = c; if (exit) exit.call(go, c); };
      stage = "loading " + base + "/web/bridge.wasm";
      return instantiate(base + "/web/bridge.wasm", go.importObject).then(function (inst) {
        stage = "starting the bridge";
        W[BOOT] = {
          ready: function (start) {
            ready = true;
            stage = "initialising the bridge";
            Promise.resolve().then(function () { return start(flex, manager, { base: base }); }).then(function (v) {
              if (end()) { W.FLEX_INTERNAL_CALL_READY_MS = Date.now() - t0; ok(v); }
            }, fail);
          },
        };
        go.run(inst).then(function () {
          var e = new Error("the bridge exited (code " + code + "); see the console");
          if (!ready || !settled) fail(e); else notify(flex, manager, "Flex Internal Call: " + e.message);
        }, fail);
      });
    }).catch(fail);
    return p;
  };

  var F = W.Twilio && W.Twilio.Flex;
  if (F && F.Plugins) F.Plugins.init(Plugin);
  else console.error("Flex Internal Call: not loaded by Flex");
})();
