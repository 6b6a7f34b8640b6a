// Flex Internal Call dialpad: storage shim.
// In a cross-site frame with third-party storage blocked (incognito, Brave,
// strict Firefox), reading window.localStorage throws and go-app never
// attaches its handlers. This script runs before go-app's loader and, only
// where a storage is unusable, puts an in-memory one in its place. The
// dialpad keeps nothing worth persisting.
(function () {
  "use strict";
  function memoryStorage() {
    var data = new Map();
    return {
      get length() { return data.size; },
      key: function (i) { var k = Array.from(data.keys())[i]; return k === undefined ? null : k; },
      getItem: function (k) { k = String(k); return data.has(k) ? data.get(k) : null; },
      setItem: function (k, v) { data.set(String(k), String(v)); },
      removeItem: function (k) { data.delete(String(k)); },
      clear: function () { data.clear(); }
    };
  }
  ["localStorage", "sessionStorage"].forEach(function (name) {
    try {
      var s = window[name];
      var probe = "flex-internal-call-probe";
      s.setItem(probe, "1");
      s.removeItem(probe);
    } catch (e) {
      try {
        Object.defineProperty(window, name, { value: memoryStorage(), configurable: true, enumerable: true });
      } catch (e2) {
        // Nothing more can be done; go-app will report the failure.
      }
    }
  });
})();
