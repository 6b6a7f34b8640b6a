package bench

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// proc is a server the benchmark started in a process of its own, so that
// its memory is its own.
type proc struct {
	name string
	cmd  *exec.Cmd
	tail *tailWriter
	done chan error
}

// freeAddr returns a loopback address nobody listens on now.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// startProc starts a server and waits until GET readyURL answers 2xx, or
// for tcp:<addr>, until the address accepts connections.
func startProc(name string, cmd *exec.Cmd, readyURL string) (*proc, error) {
	p := &proc{name: name, cmd: cmd, tail: &tailWriter{max: 16 << 10}, done: make(chan error, 1)}
	cmd.Stdout, cmd.Stderr = p.tail, p.tail
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	go func() { p.done <- cmd.Wait() }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case err := <-p.done:
			return nil, fmt.Errorf("%s exited before serving: %v\n%s", name, err, p.tail.String())
		default:
		}
		var err error
		if addr, ok := strings.CutPrefix(readyURL, "tcp:"); ok {
			var c net.Conn
			if c, err = net.DialTimeout("tcp", addr, time.Second); err == nil {
				c.Close()
				return p, nil
			}
		} else if resp, e := http.Get(readyURL); e != nil {
			err = e
		} else {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode/100 == 2 {
				return p, nil
			}
			err = fmt.Errorf("%s", resp.Status)
		}
		if time.Now().After(deadline) {
			p.stop()
			return nil, fmt.Errorf("%s not ready at %s after 30s (last: %v)\n%s", name, readyURL, err, p.tail.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (p *proc) pid() int { return p.cmd.Process.Pid }

// stop ends the process (its group, which it alone is in) and waits.
func (p *proc) stop() {
	_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		<-p.done
	}
}

// tailWriter keeps the last max bytes written to it.
type tailWriter struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailWriter) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = append(t.b[:0:0], t.b[len(t.b)-t.max:]...)
	}
	return len(p), nil
}

func (t *tailWriter) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.b)
}

// runLogged runs a command, streaming its output to w with a prefix, and
// returns the whole output as well.
func runLogged(ctx context.Context, w io.Writer, prefix string, cmd *exec.Cmd) (string, error) {
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	var all strings.Builder
	copied := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			all.WriteString(sc.Text() + "\n")
			fmt.Fprintln(w, prefix+sc.Text())
		}
		io.Copy(io.Discard, pr)
		close(copied)
	}()
	err := cmd.Run()
	pw.Close()
	<-copied
	if ctx.Err() != nil && err != nil {
		err = errors.Join(err, ctx.Err())
	}
	return all.String(), err
}

// environ is the process environment plus kv.
func environ(kv ...string) []string { return append(os.Environ(), kv...) }
