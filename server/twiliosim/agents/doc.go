// Package agents is the browser side of the simulated contact centre: what
// Flex's worker SDK (taskrouter.js) and insights client do for an agent's page,
// served as a small JSON + Server-Sent Events API under /agents, and the voice
// client that answers the agent's ringing contact URI.
//
// An agent logs in by name (POST /login) and gets a Flex token from the
// simulated IAM; every other call carries it (Authorization: Bearer,
// X-Flex-JWE, or ?token= for EventSource, which cannot set headers).
//
//	POST /login                      {worker, observer}            → token, worker (observer: the simulator's page)
//	POST /refresh                    a fresh token (the old one lasts until it expires)
//	POST /logout
//	GET  /events                     SSE: reservation.*, task.updated, worker.activity.update,
//	                                 call-status, conference-*, participant-* concerning the agent
//	GET  /stream                     SSE shared by a page: "stream" {id}, then {key, type, data}
//	POST /streams/{id}/follow        {key, observe}: the agent's events join the stream under key
//	DELETE /streams/{id}/follows/{key}
//	GET  /events.js                  the pages' side of the shared streams (AgentEvents)
//	GET  /me                         worker, open reservations, their tasks, the agent's conference
//	GET  /workers                    the directory (Flex insights' tr-worker index)
//	POST /activity                   {activity}
//	POST /tasks                      workerClient.createTask(to, from, workflowSid, taskQueueSid, options)
//	POST /tasks/{sid}/wrapup|complete
//	POST /reservations/{sid}/accept|reject
//	POST /reservations/{sid}/call    reservation.call(from, url, {accept, timeout, record, …})
//	POST /hangup                     the agent hangs up their own leg
//	POST /answer                     {pick, delay_ms}: how the agent's phone answers ({} = default)
//
// An agent's desk is open while an event stream of theirs, or a follow that
// is not an observer's, lasts. An observer may not act (activity, tasks,
// reservations, hang up) for an agent whose desk is open: 409.
package agents
