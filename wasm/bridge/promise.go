//go:build js && wasm

package main

import (
	"errors"

	"github.com/hack-pad/safejs"
)

// promise returns a JavaScript Promise settled by work, which runs in its own
// goroutine: a JavaScript callback must never block, or the page deadlocks.
func promise(work func() (any, error)) jsv {
	var exec safejs.Func
	exec, err := safejs.FuncOf(func(_ jsv, args []jsv) any {
		resolve, reject := args[0], args[1]
		go func() {
			v, err := work()
			if err != nil {
				_, _ = reject.Invoke(newError(err.Error()))
			} else {
				_, _ = resolve.Invoke(v)
			}
			exec.Release()
		}()
		return nil
	})
	if err != nil {
		return undefined
	}
	ctor, _ := safejs.Global().Get("Promise")
	p, err := ctor.New(exec)
	if err != nil {
		return undefined
	}
	return p
}

// jsRejection is a rejected promise or a thrown exception, with its message.
type jsRejection struct{ msg string }

func (e jsRejection) Error() string { return e.msg }

// await blocks the calling goroutine until the promise (or plain value) v
// settles. Never call it from inside a JavaScript callback.
func await(v jsv) (jsv, error) {
	ctor, _ := safejs.Global().Get("Promise")
	p, err := ctor.Call("resolve", v)
	if err != nil {
		return undefined, jsRejection{cleanErr(err)}
	}
	type result struct {
		v   jsv
		err error
	}
	ch := make(chan result, 1)
	onOK, err1 := safejs.FuncOf(func(_ jsv, args []jsv) any {
		r := undefined
		if len(args) > 0 {
			r = args[0]
		}
		ch <- result{v: r}
		return nil
	})
	onErr, err2 := safejs.FuncOf(func(_ jsv, args []jsv) any {
		msg := "rejected"
		if len(args) > 0 {
			msg = errorText(args[0])
		}
		ch <- result{err: jsRejection{msg}}
		return nil
	})
	if err := errors.Join(err1, err2); err != nil {
		return undefined, err
	}
	defer onOK.Release()
	defer onErr.Release()
	if _, err := p.Call("then", onOK, onErr); err != nil {
		return undefined, jsRejection{cleanErr(err)}
	}
	r := <-ch
	return r.v, r.err
}
