// A window just large enough for the real Flex UI bundle (make flexui) to
// load and run its non-rendering code under node: Manager, Actions,
// Notifications, TaskChannels, WorkerState. Nothing is rendered; elements
// are inert. Used by the node tests beside it.
"use strict";
const vm = require("node:vm");
const { webcrypto } = require("node:crypto");

function noop() {}
function element() {
  return {
    style: {}, childNodes: [], children: [], attrs: {},
    setAttribute(k, v) { this.attrs[k] = String(v); }, getAttribute(k) { return this.attrs[k] ?? null; }, removeAttribute(k) { delete this.attrs[k]; },
    appendChild: (x) => x, removeChild: (x) => x, insertBefore: (x) => x,
    addEventListener: noop, removeEventListener: noop,
    classList: { add: noop, remove: noop, contains: () => false },
    sheet: { insertRule: noop, cssRules: [] },
    querySelector: () => null, querySelectorAll: () => [],
  };
}
// inert constructors for the browser classes the bundle touches at load
const inert = ["Audio", "Image", "HTMLElement", "Element", "Node", "HTMLAudioElement", "HTMLVideoElement", "HTMLMediaElement",
  "HTMLInputElement", "HTMLIFrameElement", "SVGElement", "File", "FileReader", "FormData", "XMLHttpRequest", "WebSocket",
  "IntersectionObserver", "MutationObserver", "ResizeObserver", "DOMParser", "AudioContext", "MediaStream", "RTCPeerConnection",
  "Worker", "DocumentFragment", "Text", "Range", "Selection", "Event", "CustomEvent", "KeyboardEvent", "MouseEvent", "FocusEvent",
  "InputEvent", "ClipboardEvent", "DataTransfer", "IDBKeyRange", "Notification", "PerformanceObserver"];

// window(fetch) → a vm context with the globals the bundle needs.
function window(fetch) {
  const location = { href: "http://localhost/", origin: "http://localhost", protocol: "http:", host: "localhost", hostname: "localhost", search: "", hash: "", pathname: "/" };
  const document = Object.assign(element(), {
    createElement: element, createTextNode: element, head: element(), body: element(), documentElement: element(),
    getElementsByTagName: () => [element()], getElementById: () => null, cookie: "", readyState: "complete", location,
  });
  const kv = {};
  const storage = { getItem: (k) => (k in kv ? kv[k] : null), setItem: (k, v) => { kv[k] = String(v); }, removeItem: (k) => { delete kv[k]; }, clear: noop, key: () => null, length: 0 };
  const w = {
    document, location, localStorage: storage, sessionStorage: storage,
    navigator: { userAgent: "node", language: "en-US", languages: ["en-US"], mediaDevices: {} },
    history: { pushState: noop, replaceState: noop, state: null }, screen: {},
    addEventListener: noop, removeEventListener: noop,
    matchMedia: () => ({ matches: false, addListener: noop, removeListener: noop, addEventListener: noop, removeEventListener: noop }),
    getComputedStyle: () => ({}), requestAnimationFrame: (f) => setTimeout(f, 16), cancelAnimationFrame: clearTimeout,
    fetch: fetch || (() => Promise.reject(new Error("offline"))),
    // Flex's own timers never keep node running
    setTimeout: (...a) => setTimeout(...a).unref(), setInterval: (...a) => setInterval(...a).unref(),
    console, clearTimeout, clearInterval, queueMicrotask, structuredClone, atob, btoa,
    Promise, URL, URLSearchParams, TextEncoder, TextDecoder, performance, crypto: webcrypto,
    // no MessageChannel or BroadcastChannel: their ports would keep node running
    AbortController, Blob, Headers, Request, Response, EventTarget,
  };
  for (const n of inert) w[n] = function () { this.addEventListener = noop; this.removeEventListener = noop; this.observe = noop; this.disconnect = noop; this.play = () => Promise.resolve(); this.pause = noop; };
  w.window = w.self = w.top = w.parent = w.globalThis = w;
  return vm.createContext(w);
}

module.exports = { window };
