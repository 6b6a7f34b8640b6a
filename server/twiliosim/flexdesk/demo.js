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
    setHTML($("conferences"), st.conferences.map(function (c) {
      var who = c.participants.map(function (p) { return esc(p.who || p.call_sid) + (p.hold ? " (on hold)" : ""); }).join(", ") || "nobody";
      return '<li class="conf-' + esc(c.status) + '"><code>' + esc(c.friendly_name) + "</code> " + esc(c.status) + ": " + who + "</li>";
    }).join("") || "<li>No conferences yet.</li>");
    setHTML($("task-rows"), st.tasks.slice(0, 12).map(function (t) {
      var holders = t.holders.map(function (h) { return esc(h.agent) + ": " + esc(h.status); }).join(", ");
      return "<tr><td><code>" + esc(t.sid) + "</code></td><td>" + esc(t.status) + "</td><td>" +
        esc([t.role, t.call_status, t.reason].filter(Boolean).join(" · ")) + "</td><td>" + esc(t.from) + "</td><td>" +
        esc(t.to) + "</td><td>" + esc(t.queue) + "</td><td>" + holders + "</td></tr>";
    }).join("") || '<tr><td colspan="7">No tasks yet.</td></tr>');
  }
  function poll() {
    fetch(stateURL, { cache: "no-store" }).then(function (r) { return r.json(); }).then(render, function () {});
  }
  poll();
  setInterval(poll, 1000);
})();
