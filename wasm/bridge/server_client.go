//go:build js && wasm

package main

import (
	"errors"
	"strconv"

	"github.com/hack-pad/safejs"

	"github.com/flex-internal-call/internal-call/call"
)

// The server's browser API: POST /api/calls/{taskSid}/{action} and
// GET /api/queues, authenticated with the agent's Flex token in the
// call.FlexTokenHeader header. The token rotates, so it is read from
// manager.user.token at each call. Answers are package call's API types:
// call.APIError for anything but 2xx, call.APIQueues for the queues.

// serverError is an answer of the server other than 2xx.
type serverError struct {
	status int
	msg    string
}

func (e serverError) Error() string { return e.msg }

// request calls the server and returns the parsed JSON answer (undefined when
// the body is not JSON). Errors are agent-readable, in the agent's language.
func (b *bridge) request(method, url string) (jsv, error) { return b.send(method, url, undefined) }

// send is request with a JSON body (undefined for none).
func (b *bridge) send(method, url string, payload jsv) (jsv, error) {
	fetch := get(b.win, "fetch")
	if !isFunc(fetch) {
		return undefined, errors.New(b.text(sErrServerDown))
	}
	headers := newObject(call.FlexTokenHeader, str(b.manager, "user", "token"))
	init := newObject("method", method, "headers", headers, "credentials", "omit", "mode", "cors")
	if !payload.IsUndefined() {
		_ = headers.Set("Content-Type", "application/json")
		_ = init.Set("body", jsonString(payload))
	}
	p, err := fetch.Invoke(url, init)
	if err != nil {
		return undefined, errors.New(b.text(sErrServerDown))
	}
	resp, err := await(p)
	if err != nil {
		return undefined, errors.New(b.text(sErrServerDown))
	}
	code := 0
	if v := get(resp, "status"); v.Type() == safejs.TypeNumber {
		code, _ = v.Int()
	}
	body := undefined
	if isFunc(get(resp, "text")) {
		if tp, err := resp.Call("text"); err == nil {
			if t, err := await(tp); err == nil && t.Type() == safejs.TypeString {
				s, _ := t.String()
				j, _ := safejs.Global().Get("JSON")
				if v, err := j.Call("parse", s); err == nil {
					body = v
				}
			}
		}
	}
	if code == 401 {
		return body, serverError{code, b.text(sErrSession)}
	}
	if code < 200 || code > 299 {
		var answer call.APIError
		fromJS(body, &answer)
		msg := answer.Message
		if msg == "" {
			msg = "HTTP " + strconv.Itoa(code)
		}
		return body, serverError{code, msg}
	}
	return body, nil
}

// postAction asks the server to reject, hang up, hold or unhold a call.
func (b *bridge) postAction(taskSid string, a call.CallAction) error {
	if taskSid == "" {
		return errors.New("the task has no task SID")
	}
	_, err := b.request("POST", call.CallActionURL(b.base, taskSid, a))
	return err
}

// queues lists the callable queues (those with a name).
func (b *bridge) queues() ([]call.Queue, error) {
	body, err := b.request("GET", call.JoinURL(b.base, call.PathAPIQueues))
	if err != nil {
		return nil, err
	}
	var answer call.APIQueues
	fromJS(body, &answer)
	if answer.Queues == nil { // not an array (an empty one decodes to a non-nil slice)
		return nil, errors.New("unexpected answer from the internal call server")
	}
	var out []call.Queue
	for _, q := range answer.Queues {
		if q.Name != "" {
			out = append(out, q)
		}
	}
	return out, nil
}
