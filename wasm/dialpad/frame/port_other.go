//go:build !(js && wasm)

package frame

import "github.com/flex-internal-call/internal-call/wasm/frameproto"

// NewBrowserPort returns, outside the browser, a port that does nothing.
func NewBrowserPort() Port { return nopPort{} }

type nopPort struct{}

func (nopPort) Start(func(frameproto.Envelope)) {}
func (nopPort) Post(frameproto.Type, any)       {}
func (nopPort) Stop()                           {}
