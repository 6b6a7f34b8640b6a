// The demo page's panel: who is in which conference, and the recent tasks,
// from the simulator's state (polled).
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var stateURL = $("conferences").dataset.state;
  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function setHTML(el, html) { if (el.innerHTML !== html) el.innerHTML = html; }
  function render(st) {
    // A conference by its parties: who is in it while it lasts, who took part once it ended.
    setHTML($("conferences"), st.conferences.slice(0, 6).map(function (c) {
      var live = c.status !== "completed";
      var who = live
        ? c.participants.map(function (p) { return esc(p.name || p.who || p.call_sid) + (p.hold ? " (on hold)" : ""); }).join(" · ") || "waiting for the first party"
        : (c.parties || []).map(esc).join(" · ") || "nobody joined";
      return '<li class="conf conf-' + esc(c.status) + '" data-status="' + esc(c.status) + '"><span class="parties">' + who + '</span> <span class="badge' + (live ? " ok" : "") + '">' +
        (live ? esc(c.status) : "ended") + "</span></li>";
    }).join("") || '<li class="empty">No calls yet.</li>');
    setHTML($("task-rows"), st.tasks.slice(0, 8).map(function (t) {
      var holders = t.holders.map(function (h) { return esc(h.agent) + ": " + esc(h.status); }).join(", ");
      return '<tr><td><code title="' + esc(t.sid) + '">' + esc(t.sid.slice(0, 10)) + "…</code></td><td>" + esc(t.status) + "</td><td>" +
        esc([t.role, t.call_status, t.reason].filter(Boolean).join(" · ")) + "</td><td>" + esc(t.from_name || t.from) + "</td><td>" +
        esc(t.to_name || t.to) + "</td><td>" + esc(t.queue) + "</td><td>" + holders + "</td></tr>";
    }).join("") || '<tr><td colspan="7" class="empty">No tasks yet.</td></tr>');
  }
  function poll() {
    fetch(stateURL, { cache: "no-store" }).then(function (r) { return r.json(); }).then(render, function () {});
  }
  poll();
  setInterval(poll, 1000);
})();
