'use strict';
// The comparison server of make bench: the two signed webhooks the Go server
// is measured on, in the older Node stack's shape — plain http,
// twilio.validateRequest, twilio.twiml.VoiceResponse, and the same Twilio
// REST requests sent over a keep-alive agent to TWILIO_API_BASE_URL.
//
//   PORT=0 TWILIO_AUTH_TOKEN=… TWILIO_ACCOUNT_SID=AC… TWILIO_FLEX_WORKSPACE_SID=WS…
//   PUBLIC_BASE_URL=http://127.0.0.1 TWILIO_API_BASE_URL=http://127.0.0.1:port node server.js
//
// It prints "listening <port>" once it serves.
const http = require('http');
const querystring = require('querystring');
const twilio = require('twilio');

const env = (k) => {
  const v = process.env[k];
  if (!v) { console.error(k + ' is required'); process.exit(2); }
  return v;
};
const authToken = env('TWILIO_AUTH_TOKEN');
const accountSid = env('TWILIO_ACCOUNT_SID');
const workspace = env('TWILIO_FLEX_WORKSPACE_SID');
const publicBase = env('PUBLIC_BASE_URL').replace(/\/$/, '');
const api = new URL(env('TWILIO_API_BASE_URL'));
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const basic = 'Basic ' + Buffer.from(accountSid + ':' + authToken).toString('base64');

// rest sends one Twilio REST request and resolves with {status, headers, body}.
function rest(method, path, form, headers) {
  return new Promise((resolve, reject) => {
    const body = form ? querystring.stringify(form) : '';
    const h = Object.assign({ Authorization: basic, Accept: 'application/json' }, headers || {});
    if (form) {
      h['Content-Type'] = 'application/x-www-form-urlencoded';
      h['Content-Length'] = Buffer.byteLength(body);
    }
    const req = http.request({ host: api.hostname, port: api.port, method, path: api.pathname.replace(/\/$/, '') + path, headers: h, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode >= 400) return reject(new Error(method + ' ' + path + ': ' + res.statusCode + ' ' + text));
        resolve({ status: res.statusCode, headers: res.headers, body: text ? JSON.parse(text) : null });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const tr = '/taskrouter/v1/Workspaces/' + workspace;

// caller: the task must be an outbound internal call whose targetWorker is
// the dialled address, reserved to that worker; the leg joins the call's
// conference with ringback.
async function caller(taskSid, params) {
  const task = (await rest('GET', tr + '/Tasks/' + taskSid)).body;
  const attrs = JSON.parse(task.attributes || '{}');
  const to = params.To || params.Called;
  const vr = new twilio.twiml.VoiceResponse();
  if (!attrs.client_call || attrs.direction !== 'outbound' || attrs.targetWorker !== to) {
    vr.say('This call is not for this phone.');
    vr.hangup();
    return vr.toString();
  }
  const res = (await rest('GET', tr + '/Tasks/' + taskSid + '/Reservations?PageSize=50')).body.reservations;
  let mine = false;
  for (const r of res) {
    if (r.reservation_status !== 'pending' && r.reservation_status !== 'accepted') continue;
    const w = (await rest('GET', tr + '/Workers/' + r.worker_sid)).body;
    if (JSON.parse(w.attributes || '{}').contact_uri === to) { mine = true; break; }
  }
  if (!mine) {
    vr.say('This call is not for this phone.');
    vr.hangup();
    return vr.toString();
  }
  const q = querystring.stringify({ taskSid });
  const dial = vr.dial();
  dial.conference({
    beep: 'false', startConferenceOnEnter: 'false', endConferenceOnExit: 'true',
    statusCallback: publicBase + '/callbacks/conference?' + q, statusCallbackMethod: 'POST',
    statusCallbackEvent: 'start end join leave', participantLabel: 'caller',
    waitUrl: publicBase + '/twiml/ringback?' + q + '&since=' + Date.now(), waitMethod: 'POST',
  }, 'ic-' + taskSid);
  return vr.toString();
}

// conference: a callee's participant-join marks the caller's task connected
// (read, then write with If-Match).
async function conference(taskSid, params) {
  if (params.StatusCallbackEvent !== 'participant-join' || params.ParticipantLabel !== 'callee') return;
  const got = await rest('GET', tr + '/Tasks/' + taskSid);
  const attrs = JSON.parse(got.body.attributes || '{}');
  attrs.internal_call = Object.assign({}, attrs.internal_call, { status: 'connected', callee_call_sid: params.CallSid, conference_sid: params.ConferenceSid });
  await rest('POST', tr + '/Tasks/' + taskSid, { Attributes: JSON.stringify(attrs) }, { 'If-Match': got.headers.etag || '' });
}

function reply(res, status, type, body) {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

const server = http.createServer((req, res) => {
  const chunks = [];
  let size = 0;
  req.on('data', (c) => { size += c.length; if (size > 65536) req.destroy(); else chunks.push(c); });
  req.on('end', () => {
    const params = querystring.parse(Buffer.concat(chunks).toString('utf8'));
    const url = publicBase + req.url;
    if (req.method !== 'POST') return reply(res, 405, 'text/plain', 'POST only');
    if (!twilio.validateRequest(authToken, req.headers['x-twilio-signature'] || '', url, params)) {
      return reply(res, 403, 'text/plain', 'invalid X-Twilio-Signature');
    }
    const u = new URL(url);
    const taskSid = u.searchParams.get('taskSid') || '';
    if (!/^WT[0-9a-f]{32}$/.test(taskSid)) return reply(res, 400, 'text/plain', 'taskSid must be a task SID');
    let work;
    if (u.pathname === '/twiml/caller') {
      work = caller(taskSid, params).then((xml) => reply(res, 200, 'text/xml', xml));
    } else if (u.pathname === '/callbacks/conference') {
      work = conference(taskSid, params).then(() => { res.writeHead(204); res.end(); });
    } else {
      return reply(res, 404, 'text/plain', 'not found');
    }
    work.catch((err) => reply(res, 500, 'text/plain', String(err && err.message)));
  });
});

server.keepAliveTimeout = 90000;
server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  console.log('listening ' + server.address().port);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
