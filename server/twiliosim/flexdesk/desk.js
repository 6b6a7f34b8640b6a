// One agent's desktop: renders what window.desk holds — the Flex stand-in
// (flexstub.js) or the real Flex UI through flexadapter.js —
// the task list with each task's channel templates, the call canvas with the
// CallCanvasActions buttons, the OutboundDialerPanel content (the plugin's
// dialpad frame) and the notifications — and turns clicks into Flex actions.
(function () {
  "use strict";
  var desk = window.desk, flex = desk.flex, manager = desk.manager;
  var $ = function (id) { return document.getElementById(id); };
  var selected = null; // reservation sid of the task shown in the call panel

  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function setHTML(el, html) { if (el.innerHTML !== html) el.innerHTML = html; }
  function log(msg) {
    var li = document.createElement("li");
    li.textContent = new Date().toISOString().slice(11, 23) + " " + msg;
    $("log").prepend(li);
    while ($("log").children.length > 200) $("log").lastChild.remove();
  }
  desk.on("log", log);

  // invoke runs a Flex action as a Flex button does; a before-listener's
  // abort is an expected outcome, not an error.
  function invoke(name, payload) {
    log("action " + name);
    return flex.Actions.invokeAction(name, payload).catch(function (e) {
      var msg = String(e && e.message || e);
      if (/cancelled by before event/.test(msg)) log(name + ": handled by a plugin");
      else { log(name + " failed: " + msg); console.warn("Flex stand-in: " + name + " failed: " + msg); }
    });
  }

  // template renders a channel template slot with manager.strings, as Flex does.
  function template(task, component, slot) {
    var ch = flex.TaskChannels.getForTask(task);
    var holder = ch && ch.templates && ch.templates[component] && ch.templates[component][slot];
    if (!holder) return "";
    var key = typeof holder === "function" ? holder(task, component) : holder;
    var tpl = manager.strings[key] !== undefined ? manager.strings[key] : key;
    return (desk.renderTemplate || FlexStub.renderTemplate)(String(tpl), { task: task });
  }
  function firstLine(task) {
    return template(task, "TaskListItem", "firstLine") || esc(task.attributes.name || task.attributes.from || task.taskSid);
  }
  function secondLine(task) { return template(task, "TaskListItem", "secondLine") || esc(task.status); }

  function taskList() {
    var out = [];
    manager.store.getState().flex.worker.tasks.forEach(function (t) { out.push(t); });
    return out;
  }

  function renderTasks(list) {
    setHTML($("tasks"), list.map(function (t) {
      var btns = "";
      // Flex's TaskListButtons offer Accept/Reject on a pending task, except
      // the agent's own outbound call (TaskHelper.isInitialOutboundAttemptTask),
      // which Flex accepts itself.
      if (t.status === "pending" && !flex.TaskHelper.isInitialOutboundAttemptTask(t)) {
        btns = '<button data-action="accept" data-res="' + esc(t.sid) + '">Accept</button>' +
          '<button data-action="reject" data-res="' + esc(t.sid) + '">Reject</button>';
      } else if (t.status === "wrapping") {
        btns = '<button data-action="complete" data-res="' + esc(t.sid) + '">Complete</button>';
      } else if (t.status === "accepted") {
        btns = '<button data-action="select" data-res="' + esc(t.sid) + '">Show</button>';
      }
      return '<li class="task task-' + esc(t.status) + (t.sid === selected ? " selected" : "") + '" data-res="' + esc(t.sid) +
        '" data-task-sid="' + esc(t.taskSid) + '" data-status="' + esc(t.status) + '" data-internal="' + (t.attributes.client_call ? "true" : "false") + '">' +
        '<div class="line1">' + firstLine(t) + '</div><div class="line2">' + secondLine(t) + '</div>' +
        '<div class="buttons">' + btns + '</div></li>';
    }).join("") || '<li class="empty">No tasks.</li>');
  }

  // nameOf is the display name of a contact URI, from the directory.
  function nameOf(uri) {
    var w = Object.keys(desk.workers).map(function (k) { return desk.workers[k]; })
      .filter(function (w) { return w.attributes && w.attributes.contact_uri === uri; })[0];
    return w ? (w.attributes.full_name || w.friendly_name) : uri;
  }

  var canvasLabels = { toggleMute: "Mute", directory: "Transfer", hangup: "Hang up" };

  function renderCall(list) {
    var task = list.filter(function (t) { return t.sid === selected && t.status === "accepted"; })[0] ||
      list.filter(function (t) { return t.status === "accepted"; })[0];
    selected = task ? task.sid : null;
    renderCallPanel(task);
    if (!task) { setHTML($("call"), '<p class="empty">No call.</p>'); return; }
    var ic = task.attributes.internal_call || {};
    var held = task.attributes.client_call ? !!ic.held : !!task.nativeHeld;
    var cca = flex.CallCanvasActions.Content;
    var keys = desk.contentKeys ? desk.contentKeys(cca, ["toggleMute", "hold", "directory", "hangup"], { task: task }) : cca.keys({ task: task });
    var buttons = keys.map(function (k) {
      var label = k === "hold" ? (held ? "Unhold" : "Hold") : (canvasLabels[k] || k);
      var action = k === "hold" ? (held ? "unhold" : "hold") : k;
      return '<button data-key="' + esc(k) + '" data-action="' + esc(action) + '" data-res="' + esc(task.sid) + '">' + esc(label) + "</button>";
    }).join("");
    var conf = desk.conference, self = (manager.workerClient || { attributes: {} }).attributes.contact_uri;
    var parties = conf ? conf.participants.map(function (p) {
      return '<li data-who="' + esc(p.who) + '" data-hold="' + (p.hold ? "true" : "false") + '">' + esc(p.who === self ? "you" : nameOf(p.who)) + (p.hold ? " (on hold)" : "") + "</li>";
    }).join("") : "";
    setHTML($("call"), '<div class="call" data-res="' + esc(task.sid) + '" data-task-sid="' + esc(task.taskSid) + '">' +
      '<div class="call-title">' + (template(task, "CallCanvas", "firstLine") || firstLine(task)) + "</div>" +
      '<div class="call-status">' + (template(task, "CallCanvas", "secondLine") || secondLine(task)) + "</div>" +
      '<ul class="participants">' + parties + "</ul>" +
      '<div class="canvas-actions">' + buttons + "</div></div>");
  }

  // The OutboundDialerPanel content: React elements made into DOM once per
  // key (an iframe must not be re-created on every render), refs called.
  var mounted = {};
  function toDOM(el) {
    if (el == null || el === false) return null;
    if (typeof el === "string" || typeof el === "number") return document.createTextNode(String(el));
    if (typeof el.type !== "string") return document.createTextNode("");
    var node = document.createElement(el.type);
    Object.keys(el.props || {}).forEach(function (k) {
      var v = el.props[k];
      if (k === "children") return;
      if (k === "style" && v && typeof v === "object") { Object.assign(node.style, v); return; }
      if (k === "className") { node.className = v; return; }
      if (/^on[A-Z]/.test(k) && typeof v === "function") { node.addEventListener(k.slice(2).toLowerCase(), v); return; }
      if (v === true) node.setAttribute(k, "");
      else if (v !== false && v != null) node.setAttribute(k, String(v));
    });
    (el.props && el.props.children || []).forEach(function (c) { var n = toDOM(c); if (n) node.appendChild(n); });
    return node;
  }
  // The CallCanvas content (the plugin's participants panel), rendered for
  // the shown call as Flex renders its children: a function component is
  // called with the canvas props ({task}); each element is made into DOM
  // once per key (an iframe must not reload on every render).
  var canvasMounted = {};
  function renderCallPanel(task) {
    var cc = flex.CallCanvas && flex.CallCanvas.Content, keep = {};
    if (cc && task) {
      var props = { task: task };
      var children = desk.contentKeys
        ? desk.contentKeys(cc, [], props).map(function (k) { return { key: k, element: desk.contentElement(cc, k) }; })
        : cc.render(props);
      children.forEach(function (c) {
        var el = c.element;
        if (el && typeof el.type === "function") el = el.type(Object.assign({}, el.props, props));
        if (!el || typeof el.type !== "string") return;
        var key = c.key + "/" + (el.key || "");
        keep[key] = true;
        if (canvasMounted[key]) return;
        var node = toDOM(el);
        node.dataset.key = c.key;
        $("call-panel").appendChild(node);
        canvasMounted[key] = node;
      });
    }
    Object.keys(canvasMounted).forEach(function (k) {
      if (!keep[k]) { canvasMounted[k].remove(); delete canvasMounted[k]; }
    });
  }

  function renderDialer() {
    var odp = flex.OutboundDialerPanel.Content;
    var children = desk.contentKeys
      ? desk.contentKeys(odp, ["dialpad"], {}).map(function (k) { return { key: k, element: desk.contentElement(odp, k) }; })
      : odp.render({});
    var keep = {};
    children.forEach(function (c) {
      keep[c.key] = true;
      if (mounted[c.key]) return;
      var node;
      if (!c.element) {
        node = document.createElement("div");
        node.className = "native-dialpad";
        node.textContent = "Flex's own dialpad (phone numbers)";
      } else {
        node = toDOM(c.element);
      }
      node.dataset.key = c.key;
      $("dialer").appendChild(node);
      mounted[c.key] = { node: node, element: c.element };
      if (c.element && typeof c.element.ref === "function") c.element.ref(node);
    });
    Object.keys(mounted).forEach(function (k) {
      if (keep[k]) return;
      var m = mounted[k];
      delete mounted[k];
      if (m.element && typeof m.element.ref === "function") m.element.ref(null);
      m.node.remove();
    });
  }

  function renderHeader() {
    var wc = manager.workerClient || { attributes: {} }; // none before the worker connects
    $("agent-name").textContent = (wc.attributes && wc.attributes.full_name) || wc.friendlyName || $("agent-name").textContent;
    var act = $("activity");
    if (wc.activity && document.activeElement !== act) {
      if (!Array.prototype.some.call(act.options, function (o) { return o.value === wc.activity.name; })) {
        act.add(new Option(wc.activity.name));
      }
      act.value = wc.activity.name;
      act.disabled = false;
    }
    if (desk.plugins) {
      $("plugin").textContent = desk.plugins.map(function (p) { return p.name + (p.ok ? " ready" : " failed: " + (p.error && p.error.message)); }).join(", ") || "no plugin";
      $("plugin").className = "badge " + (desk.plugins.every(function (p) { return p.ok; }) ? "ok" : "bad");
    }
  }

  function render() {
    var list = taskList();
    renderHeader();
    renderTasks(list);
    renderCall(list);
    renderDialer();
    document.body.dataset.ready = desk.plugins ? "true" : "false";
  }

  var pending = false;
  desk.on("changed", function () {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; render(); });
  });

  // Notifications: shown until their timeout, or until dismissed.
  flex.Notifications.on("notificationAdded", function (n) {
    var div = document.createElement("div");
    div.className = "notification notification-" + (n.type || "info");
    div.dataset.id = n.id;
    div.setAttribute("role", n.type === "error" ? "alert" : "status");
    var text = n.text;
    if (text === undefined && desk.renderTemplate && typeof n.content === "string") {
      text = desk.renderTemplate(String(manager.strings[n.content] !== undefined ? manager.strings[n.content] : n.content), n.context || {});
    }
    div.innerHTML = '<span class="text">' + (text || esc(n.id)) + '</span> <button class="dismiss" aria-label="Dismiss">×</button>';
    div.querySelector(".dismiss").onclick = function () { div.remove(); };
    $("notifications").appendChild(div);
    log("notification " + n.id + ": " + div.querySelector(".text").textContent);
    if (n.timeout > 0) setTimeout(function () { div.remove(); }, n.timeout);
  });

  document.addEventListener("click", function (ev) {
    var b = ev.target.closest("button[data-action]");
    if (!b) return;
    var sid = b.dataset.res, task = desk.tasks.get(sid);
    if (!task && b.dataset.action !== "select") return;
    var p = { sid: sid, task: task };
    switch (b.dataset.action) {
      case "accept": invoke("AcceptTask", p); break;
      case "reject": invoke("RejectTask", p); break;
      case "complete": invoke("CompleteTask", p); break;
      case "select": selected = sid; render(); break;
      case "hold": invoke("HoldCall", p); break;
      case "unhold": invoke("UnholdCall", p); break;
      case "hangup": invoke("HangupCall", p); break;
      case "toggleMute": invoke("ToggleMute", p); break;
      case "directory": invoke("ShowDirectory", p); break;
    }
  });

  // The activity menu: worker.update({activitySid}) as Flex's own menu does.
  $("activity").addEventListener("change", function (ev) {
    var name = ev.target.value;
    log("activity → " + name);
    (desk.setActivity ? desk.setActivity(name) : manager.workerClient.setActivity(name)).catch(function (e) {
      log("activity change failed: " + e.message);
      console.warn("Flex stand-in: activity change failed: " + e.message);
      render();
    });
  });

  render();
  desk.start().then(function (results) {
    results.forEach(function (r) {
      if (!r.ok) console.warn("Flex stand-in: plugin " + r.name + " failed: " + (r.error && r.error.message));
    });
    log("plugins: " + results.map(function (r) { return r.name + (r.ok ? " ok (" + r.ms + " ms)" : " failed"); }).join(", "));
    render();
  }, function (e) {
    $("plugin").textContent = "not connected";
    log("could not start: " + e.message);
    console.warn("Flex stand-in: could not start: " + e.message);
  });
})();
