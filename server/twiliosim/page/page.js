// The simulator's page: observes every simulated agent and, for the agents
// with no desk open, does what the Flex plugin does in the agent's browser —
// place the caller's leg when the caller's task is reserved, offer the
// callee's task with Accept and Reject, and post Hang up to the product. An
// agent whose desk is open (state.agents[].desk) is only observed: the desk
// acts for them, and two actors on one call collide (the simulator refuses
// this page's actions for them with a 409 too). The page holds one event
// stream for all the agents it follows (agents/events.js). All URLs are
// relative to the simulator, except the product's (state.product_base_url).
(function () {
  'use strict';

  var state = null;        // last GET state
  var sessions = {};       // agent name → {token, worker, offers: {reservationSid: {reservation, task}}}
  var $ = function (id) { return document.getElementById(id); };

  function esc(s) {
    return String(s == null ? '' : s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  function log(msg) {
    var li = document.createElement('li');
    li.textContent = new Date().toLocaleTimeString() + ' ' + msg;
    $('log').prepend(li);
    while ($('log').children.length > 100) $('log').lastChild.remove();
  }

  // request sends JSON and rejects with the answer's message on an error status.
  function request(method, url, body, headers) {
    var h = Object.assign({ 'Content-Type': 'application/json' }, headers || {});
    return fetch(url, { method: method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) })
      .then(function (resp) {
        return resp.text().then(function (text) {
          var data = null;
          try { data = text ? JSON.parse(text) : null; } catch (e) { data = text; }
          if (!resp.ok) throw new Error((data && data.message) || resp.status + ' ' + resp.statusText);
          return data;
        });
      });
  }

  // agentAPI calls the simulated SDK as the agent.
  function agentAPI(name, method, path, body) {
    return request(method, 'agents/' + path, body, { 'X-Flex-JWE': sessions[name].token });
  }

  function productURL(path) { return state.product_base_url.replace(/\/+$/, '') + path; }

  function displayName(a) { return a.full_name || a.name; }

  // --- sessions and events -------------------------------------------------

  // login signs in as the agent's observer and follows the agent's events
  // on the page's one stream.
  function login(agent) {
    return request('POST', 'agents/login', { worker: agent.name, observer: true }).then(function (res) {
      var s = sessions[agent.name] = { token: res.token, worker: res.worker, offers: {}, following: false };
      var es = AgentEvents.follow('agents', function () { return s.token; }, { observe: true });
      es.addEventListener('ready', function () { s.following = true; showFollowing(); });
      ['reservation.created', 'reservation.accepted', 'reservation.rejected', 'reservation.timeout',
        'reservation.canceled', 'reservation.rescinded', 'reservation.completed', 'reservation.wrapup'
      ].forEach(function (type) {
        es.addEventListener(type, function (e) { onReservationEvent(agent.name, type, JSON.parse(e.data)); });
      });
      es.onerror = function (e) { log(agent.name + ': ' + ((e && e.message) || 'event stream interrupted') + ', reconnecting'); };
      s.events = es;
    });
  }

  // showFollowing tells (and tests read) how many agents the page follows.
  function showFollowing() {
    document.body.dataset.following = String(Object.keys(sessions).filter(function (n) { return sessions[n].following; }).length);
  }

  function agentNamed(name) {
    return state && state.agents.filter(function (a) { return a.name === name; })[0];
  }

  // actsFor: the page acts only for an agent with no desk open.
  function actsFor(name) {
    var a = agentNamed(name);
    return !!a && !a.desk;
  }

  function role(attrs) {
    if (attrs.internal_call && attrs.internal_call.role) return attrs.internal_call.role;
    return attrs.direction === 'inbound' ? 'callee' : 'caller';
  }

  function onReservationEvent(name, type, ev) {
    var s = sessions[name], res = ev.reservation, task = ev.task || {}, attrs = task.attributes || {};
    if (!res || !attrs.client_call) return;
    if (!actsFor(name)) return; // their desk acts for them
    if (type !== 'reservation.created') {
      if (s.offers[res.sid]) { delete s.offers[res.sid]; render(); }
      return;
    }
    if (role(attrs) === 'caller') {
      placeLeg(name, res, task, '/twiml/caller');
    } else {
      s.offers[res.sid] = { reservation: res, task: task };
      log(name + ': incoming call from ' + (attrs.fromName || attrs.from));
      render();
    }
  }

  // placeLeg is reservation.call(from, url, {accept: true}); SIP agents dial
  // from the outbound caller ID.
  function placeLeg(name, res, task, twimlPath) {
    var s = sessions[name], from = task.attributes.from;
    if (/^sip:/.test(s.worker.contact_uri) && state.outbound) from = state.outbound.caller_id;
    var url = productURL(twimlPath) + '?taskSid=' + encodeURIComponent(task.sid);
    return agentAPI(name, 'POST', 'reservations/' + res.sid + '/call', { from: from, url: url, options: { accept: true } })
      .then(function () { log(name + ': dialing ' + s.worker.contact_uri + ' for ' + task.sid); })
      .catch(function (e) { log(name + ': reservation.call failed: ' + e.message); });
  }

  // --- actions --------------------------------------------------------------

  function accept(name, resSid) {
    var o = sessions[name].offers[resSid];
    if (!o) return;
    delete sessions[name].offers[resSid];
    render();
    placeLeg(name, o.reservation, o.task, '/twiml/callee');
  }

  function productAction(name, taskSid, action) {
    return request('POST', productURL('/api/calls/' + encodeURIComponent(taskSid) + '/' + action), undefined,
      { 'X-Flex-JWE': sessions[name].token })
      .then(function () { log(name + ': ' + action + ' ' + taskSid); })
      .catch(function (e) { log(name + ': ' + action + ' failed: ' + e.message); });
  }

  function complete(name, taskSid) {
    agentAPI(name, 'POST', 'tasks/' + taskSid + '/complete')
      .then(function () { log(name + ': completed ' + taskSid); })
      .catch(function (e) { log(name + ': complete failed: ' + e.message); });
  }

  function placeCall(ev) {
    ev.preventDefault();
    var caller = $('caller').value, kind = $('kind').value, target = $('target').value;
    if (!state.outbound || !state.product_base_url) { log('Cannot call: no outbound call flow or product URL'); return; }
    if (!caller || !actsFor(caller)) { log('Cannot call as ' + (caller || 'nobody') + ': their desk is open, call from it'); return; }
    var button = $('call-button');
    button.disabled = true;
    var q = 'caller=' + encodeURIComponent(caller) + '&kind=' + kind + '&target=' + encodeURIComponent(target);
    request('GET', 'demo/attributes?' + q).then(function (spec) {
      return agentAPI(caller, 'POST', 'tasks', {
        to: spec.to, from: spec.from,
        workflowSid: state.outbound.workflow_sid, taskQueueSid: state.outbound.queue_sid,
        options: { taskChannelUniqueName: 'voice', attributes: spec.attributes }
      });
    }).then(function (res) { log(caller + ': created task ' + res.task_sid + ' to call ' + target); })
      .catch(function (e) { log(caller + ': call failed: ' + e.message); })
      .then(function () { render(); });
  }

  // --- rendering ------------------------------------------------------------

  function setHTML(el, html) { if (el.innerHTML !== html) el.innerHTML = html; }

  function renderForm() {
    var caller = $('caller'), target = $('target'), kind = $('kind').value;
    var free = state.agents.filter(function (a) { return !a.desk; });
    $('call-button').disabled = !free.length;
    setHTML($('call-note'), free.length ? '' : 'Every agent has a desk open: place calls from their desks.');
    var callers = free.map(function (a) {
      return '<option value="' + esc(a.name) + '">' + esc(displayName(a)) + '</option>';
    }).join('');
    if (caller.dataset.key !== callers) {
      var keep = caller.value;
      caller.innerHTML = callers;
      caller.dataset.key = callers;
      if (keep) caller.value = keep;
      if (!caller.value && caller.options.length) caller.selectedIndex = 0;
    }
    var items = kind === 'queue'
      ? state.queues.map(function (q) { return { value: q, label: q }; })
      : state.agents.filter(function (a) { return a.name !== caller.value; })
        .map(function (a) { return { value: a.name, label: displayName(a) + ' (' + a.activity + ')' }; });
    var opts = items.map(function (i) {
      return '<option value="' + esc(i.value) + '">' + esc(i.label) + '</option>';
    }).join('');
    if (target.dataset.key !== opts) {
      var keepT = target.value;
      target.innerHTML = opts;
      target.dataset.key = opts;
      if (keepT) target.value = keepT;
      if (!target.value && target.options.length) target.selectedIndex = 0;
    }
  }

  function renderActing() {
    var acting = state.agents.filter(function (a) { return !a.desk; }).map(displayName);
    var observed = state.agents.filter(function (a) { return a.desk; }).map(displayName);
    var html = acting.length
      ? '<strong>Acts for</strong> ' + esc(acting.join(', ')) + ' (no desk open): it places their legs and offers them Accept and Reject.'
      : '<strong>Acts for nobody</strong>: every agent has a desk open.';
    if (observed.length) {
      html += ' <strong>Only observes</strong> ' + esc(observed.join(', ')) +
        ': their desks are open, and a desk acts for its agent (two actors on one call would collide).';
    }
    setHTML($('acting'), html);
  }

  function renderAgents() {
    var html = state.agents.map(function (a) {
      var s = sessions[a.name], acts = !a.desk, mine = state.tasks.filter(function (t) {
        return t.holders.some(function (h) { return h.agent === a.name && (h.status === 'accepted' || h.status === 'wrapping'); });
      });
      if (!acts && s) s.offers = {}; // the desk has them
      var offers = s && acts ? Object.keys(s.offers).map(function (sid) {
        var o = s.offers[sid], at = o.task.attributes;
        return '<div class="offer">Call from ' + esc(at.fromName || at.from) +
          (at.callToQueue ? ' via ' + esc(at.callToQueue) : '') +
          ' <button data-act="accept" data-agent="' + esc(a.name) + '" data-res="' + esc(sid) + '">Accept</button>' +
          ' <button data-act="reject" data-agent="' + esc(a.name) + '" data-task="' + esc(o.task.sid) + '">Reject</button></div>';
      }).join('') : '';
      var tasks = mine.map(function (t) {
        var btn = !acts ? '' : t.status === 'wrapping'
          ? ' <button data-act="complete" data-agent="' + esc(a.name) + '" data-task="' + esc(t.sid) + '">Complete</button>'
          : ' <button data-act="hangup" data-agent="' + esc(a.name) + '" data-task="' + esc(t.sid) + '">Hang up</button>';
        return '<div class="task-line">' + esc(t.role || 'task') + ' · ' + esc(t.call_status || t.status) + btn + '</div>';
      }).join('');
      var answers = !s || s.answers !== false;
      var mode = acts
        ? '<p class="mode acts" data-mode="acts">No desk open: this page acts for ' + esc(displayName(a)) + '.</p>'
        : '<p class="mode observes" data-mode="observes">Desk open: observed only. Their desk acts for them.</p>';
      return '<article class="agent" data-agent="' + esc(a.name) + '" aria-labelledby="agent-' + esc(a.name) + '">' +
        '<h3 id="agent-' + esc(a.name) + '">' + esc(displayName(a)) + '</h3>' +
        '<p class="status"><span class="badge ' + (a.available ? 'ok' : 'off') + '">' + esc(a.activity) + '</span>' +
        ' <code>' + esc(a.contact_uri) + '</code></p>' + mode +
        '<label><input type="checkbox" data-act="answers" data-agent="' + esc(a.name) + '"' +
        (answers ? ' checked' : '') + '> phone picks up</label>' + offers + tasks + '</article>';
    }).join('');
    setHTML($('agents'), html);
  }

  function finished(status) { return status === 'completed' || status === 'canceled'; }

  function taskRow(t) {
    var holders = t.holders.map(function (h) { return esc(h.agent) + ': ' + esc(h.status); }).join(', ');
    return '<tr><td><code title="' + esc(t.sid) + '">' + esc(t.sid.slice(0, 10)) + '…</code></td><td>' + esc(t.status) + '</td><td>' +
      esc([t.role, t.call_status, t.reason].filter(Boolean).join(' · ')) + '</td><td>' + esc(t.from_name || t.from) +
      '</td><td>' + esc(t.to_name || t.to) + '</td><td>' + esc(t.queue) + '</td><td>' + holders + '</td></tr>';
  }

  function renderTasks() {
    var open = state.tasks.filter(function (t) { return !finished(t.status); });
    var done = state.tasks.filter(function (t) { return finished(t.status); });
    setHTML($('tasks'), open.map(taskRow).join('') || '<tr><td colspan="7" class="empty">No open tasks.</td></tr>');
    setHTML($('finished-tasks'), done.map(taskRow).join('') || '<tr><td colspan="7" class="empty">None yet.</td></tr>');
  }

  // A conference by its parties: who is in it (and on hold) while it lasts,
  // who took part once it ended.
  function renderConferences() {
    setHTML($('conferences'), state.conferences.map(function (c) {
      var live = c.status !== 'completed', text;
      if (live) {
        text = c.participants.map(function (p) {
          return esc(p.name || p.who || p.call_sid) + (p.hold ? ' (on hold)' : '') + (p.muted ? ' (muted)' : '');
        }).join(' · ') || 'waiting for the first party';
      } else {
        text = (c.parties || []).map(esc).join(' · ') || 'nobody joined';
      }
      return '<li class="conf conf-' + esc(c.status) + '" data-sid="' + esc(c.sid) + '"><span class="parties">' + text + '</span> ' +
        '<span class="badge ' + (live ? 'ok' : 'off') + '">' + (live ? esc(c.status) : 'ended') + '</span></li>';
    }).join('') || '<li class="empty">No calls yet.</li>');
  }

  function render() {
    if (!state) return;
    $('product').textContent = state.product_base_url ? 'product at ' + state.product_base_url : 'no product URL configured';
    renderActing();
    renderForm();
    renderAgents();
    renderTasks();
    renderConferences();
  }

  function refresh() {
    return request('GET', 'state').then(function (st) {
      state = st;
      var logins = st.agents.filter(function (a) { return !sessions[a.name]; }).map(function (a) {
        sessions[a.name] = { token: '', offers: {}, worker: a };  // placeholder until login answers
        return login(a).catch(function (e) { delete sessions[a.name]; log('login ' + a.name + ' failed: ' + e.message); });
      });
      render();
      return Promise.all(logins);
    }).catch(function (e) { log('refresh failed: ' + e.message); });
  }

  $('agents').addEventListener('click', function (ev) {
    var b = ev.target.closest('button[data-act]');
    if (!b) return;
    var name = b.dataset.agent;
    switch (b.dataset.act) {
      case 'accept': accept(name, b.dataset.res); break;
      case 'reject': productAction(name, b.dataset.task, 'reject'); break;
      case 'hangup': productAction(name, b.dataset.task, 'hangup'); break;
      case 'complete': complete(name, b.dataset.task); break;
    }
  });
  // The phone toggle: unchecked, the agent's phone rings out (no-answer).
  $('agents').addEventListener('change', function (ev) {
    var box = ev.target.closest('input[data-act="answers"]');
    if (!box || !sessions[box.dataset.agent]) return;
    var name = box.dataset.agent, pick = box.checked;
    agentAPI(name, 'POST', 'answer', pick ? {} : { pick: false })
      .then(function () { sessions[name].answers = pick; log(name + (pick ? ': phone picks up' : ': phone rings out')); })
      .catch(function (e) { box.checked = !pick; log(name + ': ' + e.message); });
  });
  $('kind').addEventListener('change', render);
  $('caller').addEventListener('change', render);
  $('call-form').addEventListener('submit', placeCall);

  refresh();
  setInterval(refresh, 1000);
})();
