package lambda

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"
)

// maxResponse is Lambda's limit on a synchronous response (6 MB).
const maxResponse = 6291556

// instance is one running process of a function (an execution
// environment), served by its own Runtime API endpoint on 127.0.0.1. It
// runs one invocation at a time.
type instance struct {
	f   *Functions
	fn  *function
	ln  net.Listener
	srv *http.Server
	cmd *exec.Cmd
	out *lineWriter

	started    time.Time
	ready      chan struct{} // closed at the first /next
	readyOnce  sync.Once
	readyAt    time.Time
	initFailed chan struct{} // closed when the runtime posts /init/error
	initOnce   sync.Once
	initErr    []byte
	initType   string
	exited     chan struct{} // closed when the process has exited
	exitErr    error
	work       chan *invocation

	mu        sync.Mutex
	cur       *invocation // handed out by /next, not yet answered
	idleSince time.Time
}

// invocation is one event handed to an instance.
type invocation struct {
	id        string
	payload   []byte
	deadline  time.Time
	done      chan answer // buffered: the runtime's one answer
	delivered bool        // handed out by /next (under the instance's mu)
}

// answer is what the runtime posted for an invocation.
type answer struct {
	payload   []byte
	failed    bool
	errorType string
}

// take returns an idle instance that is still running, or nil.
func (fn *function) take() *instance {
	fn.mu.Lock()
	defer fn.mu.Unlock()
	for len(fn.idle) > 0 {
		in := fn.idle[len(fn.idle)-1]
		fn.idle = fn.idle[:len(fn.idle)-1]
		select {
		case <-in.exited:
			continue
		default:
			return in
		}
	}
	return nil
}

// release puts an instance back among the idle ones.
func (fn *function) release(in *instance) {
	in.mu.Lock()
	in.idleSince = time.Now()
	in.mu.Unlock()
	fn.mu.Lock()
	if fn.live[in] {
		fn.idle = append(fn.idle, in)
	}
	fn.mu.Unlock()
}

// takeExpired removes and returns the idle instances idle since before t.
func (fn *function) takeExpired(t time.Time) []*instance {
	fn.mu.Lock()
	defer fn.mu.Unlock()
	var out []*instance
	keep := fn.idle[:0]
	for _, in := range fn.idle {
		in.mu.Lock()
		since := in.idleSince
		in.mu.Unlock()
		if since.Before(t) {
			out = append(out, in)
		} else {
			keep = append(keep, in)
		}
	}
	fn.idle = keep
	return out
}

// startInstance starts a new process of fn with its Runtime API endpoint.
func (f *Functions) startInstance(fn *function) (*instance, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	in := &instance{f: f, fn: fn, ln: ln, ready: make(chan struct{}), initFailed: make(chan struct{}),
		exited: make(chan struct{}), work: make(chan *invocation, 1)}
	in.srv = &http.Server{Handler: in, ReadHeaderTimeout: 10 * time.Second}
	go in.srv.Serve(ln)
	cmd := exec.Command(fn.argv[0], fn.argv[1:]...)
	cmd.Dir = fn.cfg.Code
	cmd.Env = f.environment(fn, ln.Addr().String())
	in.out = &lineWriter{f: f, fn: fn.cfg.Name}
	cmd.Stdout = in.out
	cmd.Stderr = in.out
	cmd.WaitDelay = time.Second
	setProcessGroup(cmd)
	in.cmd = cmd
	in.started = time.Now()
	if err := cmd.Start(); err != nil {
		in.srv.Close()
		return nil, fmt.Errorf("function %q: cannot start %s: %v (install it or fix the functions file)", fn.cfg.Name, fn.argv[0], err)
	}
	// Close collects the live instances under f.mu after setting closed:
	// an instance started meanwhile is either seen by Close or stopped
	// here.
	f.mu.Lock()
	closed := f.closed
	if !closed {
		fn.mu.Lock()
		fn.live[in] = true
		fn.mu.Unlock()
	}
	f.mu.Unlock()
	go func() {
		in.exitErr = cmd.Wait()
		in.out.flush()
		fn.mu.Lock()
		delete(fn.live, in)
		fn.mu.Unlock()
		close(in.exited)
		in.srv.Close()
	}()
	if closed {
		in.discard()
		return nil, errors.New("lambda: the functions are closed")
	}
	return in, nil
}

// kill stops the instance's process (and its children), unless it has
// already exited (its process group id may then belong to another
// process).
func (in *instance) kill() {
	select {
	case <-in.exited:
	default:
		killProcessGroup(in.cmd)
	}
}

// discard kills the instance and waits until it has exited.
func (in *instance) discard() {
	in.kill()
	<-in.exited
}

// invokeInstance runs one invocation on a warm or a new instance.
func (f *Functions) invokeInstance(ctx context.Context, fn *function, id string, payload []byte) (*Response, error) {
	resp := &Response{RequestID: id}
	in := fn.take()
	if in == nil {
		var err error
		if in, err = f.startInstance(fn); err != nil {
			return nil, err
		}
		resp.ColdStart = true
		initTimer := time.NewTimer(f.opts.InitTimeout)
		select {
		case <-in.ready:
			initTimer.Stop()
			resp.InitDuration = in.readyAt.Sub(in.started)
		case <-in.initFailed:
			initTimer.Stop()
			in.discard()
			resp.InitDuration = time.Since(in.started)
			resp.Payload, resp.FunctionError, resp.ErrorType = in.initErr, "Unhandled", in.initType
			return resp, nil
		case <-in.exited:
			initTimer.Stop()
			resp.Payload, resp.FunctionError, resp.ErrorType = exitedEarly(id, in.exitErr), "Unhandled", "Runtime.ExitError"
			return resp, nil
		case <-initTimer.C:
			in.discard()
			resp.Payload, resp.FunctionError, resp.ErrorType = timedOut(id, f.opts.InitTimeout), "Unhandled", "Sandbox.Timedout"
			return resp, nil
		case <-ctx.Done():
			initTimer.Stop()
			in.discard()
			return nil, ctx.Err()
		}
	}
	f.logf(fn.cfg.Name, "START RequestId: %s Version: $LATEST", id)
	start := time.Now()
	inv := &invocation{id: id, payload: payload, deadline: start.Add(fn.cfg.Timeout), done: make(chan answer, 1)}
	in.work <- inv
	timer := time.NewTimer(fn.cfg.Timeout)
	defer timer.Stop()
	select {
	case a := <-inv.done:
		resp.Duration = time.Since(start)
		resp.MaxMemoryUsed = peakMemoryMB(in.cmd.Process.Pid)
		resp.Payload = a.payload
		if a.failed {
			resp.FunctionError, resp.ErrorType = "Unhandled", a.errorType
		}
		fn.release(in)
		return resp, nil
	case <-in.exited:
		resp.Duration = time.Since(start)
		select {
		case a := <-inv.done: // answered, then exited
			resp.Payload = a.payload
			if a.failed {
				resp.FunctionError, resp.ErrorType = "Unhandled", a.errorType
			}
			return resp, nil
		default:
		}
		in.mu.Lock()
		delivered := inv.delivered
		in.mu.Unlock()
		if !delivered && !resp.ColdStart {
			// A warm instance that died while idle never saw the
			// event: run it on a new instance.
			return f.invokeInstance(ctx, fn, id, payload)
		}
		resp.Payload, resp.FunctionError, resp.ErrorType = exitedEarly(id, in.exitErr), "Unhandled", "Runtime.ExitError"
		return resp, nil
	case <-timer.C:
		in.discard()
		resp.Duration = time.Since(start)
		resp.Payload, resp.FunctionError, resp.ErrorType = timedOut(id, fn.cfg.Timeout), "Unhandled", "Sandbox.Timedout"
		return resp, nil
	case <-ctx.Done():
		in.discard()
		resp.Duration = time.Since(start)
		f.report(fn, resp)
		return nil, ctx.Err()
	}
}

// The Runtime API (version 2018-06-01) of one instance.
const apiPrefix = "/2018-06-01/runtime/"

func (in *instance) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path, ok := strings.CutPrefix(r.URL.Path, apiPrefix)
	if !ok {
		apiError(w, http.StatusNotFound, "InvalidPath", "unknown path "+r.URL.Path)
		return
	}
	switch {
	case path == "invocation/next" && r.Method == http.MethodGet:
		in.next(w, r)
	case path == "init/error" && r.Method == http.MethodPost:
		body, _ := io.ReadAll(io.LimitReader(r.Body, maxResponse))
		in.initOnce.Do(func() {
			in.initErr = body
			in.initType = r.Header.Get("Lambda-Runtime-Function-Error-Type")
			close(in.initFailed)
		})
		accepted(w)
	case strings.HasPrefix(path, "invocation/") && r.Method == http.MethodPost:
		rest := strings.TrimPrefix(path, "invocation/")
		id, kind, ok := strings.Cut(rest, "/")
		if !ok || (kind != "response" && kind != "error") {
			apiError(w, http.StatusNotFound, "InvalidPath", "unknown path "+r.URL.Path)
			return
		}
		in.mu.Lock()
		inv := in.cur
		if inv == nil || inv.id != id {
			in.mu.Unlock()
			apiError(w, http.StatusBadRequest, "InvalidRequestID", "Invalid request ID")
			return
		}
		in.cur = nil
		in.mu.Unlock()
		body, err := io.ReadAll(io.LimitReader(r.Body, maxResponse+1))
		a := answer{payload: body, failed: kind == "error", errorType: r.Header.Get("Lambda-Runtime-Function-Error-Type")}
		switch {
		case err != nil:
			a = answer{payload: errorDocument("Runtime.ExitError", "RequestId: "+id+" Error: reading the response failed: "+err.Error()), failed: true}
		case len(body) > maxResponse:
			a = answer{payload: errorDocument("Function.ResponseSizeTooLarge", fmt.Sprintf("Response payload size exceeded maximum allowed payload size (%d bytes).", maxResponse)), failed: true}
			inv.done <- a
			apiError(w, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", "Response payload size exceeded maximum allowed payload size")
			return
		}
		inv.done <- a
		accepted(w)
	default:
		apiError(w, http.StatusNotFound, "InvalidPath", "unknown path "+r.URL.Path)
	}
}

// next hands the runtime its next invocation, waiting for one.
func (in *instance) next(w http.ResponseWriter, r *http.Request) {
	in.readyOnce.Do(func() {
		in.readyAt = time.Now()
		close(in.ready)
	})
	var inv *invocation
	select {
	case inv = <-in.work:
	case <-r.Context().Done():
		return
	case <-in.exited:
		return
	}
	in.mu.Lock()
	in.cur = inv
	inv.delivered = true
	in.mu.Unlock()
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Lambda-Runtime-Aws-Request-Id", inv.id)
	h.Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(inv.deadline.UnixMilli(), 10))
	h.Set("Lambda-Runtime-Invoked-Function-Arn", in.fn.arn)
	h.Set("Lambda-Runtime-Trace-Id", traceID(inv.id))
	w.WriteHeader(http.StatusOK)
	w.Write(inv.payload)
}

// traceID is an X-Ray style trace header for an invocation.
func traceID(id string) string {
	hex := strings.ReplaceAll(id, "-", "")
	return fmt.Sprintf("Root=1-%08x-%s;Parent=%s;Sampled=0", time.Now().Unix(), hex[:24], hex[16:32])
}

func accepted(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusAccepted)
	io.WriteString(w, `{"status":"OK"}`)
}

func apiError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(errorDocument(typ, msg))
}

// runCommand runs one invocation of a command function: a new process
// gets the event on stdin; its stdout is the payload, a non-zero exit a
// function error with the error document on stdout.
func (f *Functions) runCommand(ctx context.Context, fn *function, id string, payload []byte) (*Response, error) {
	resp := &Response{RequestID: id, ColdStart: true}
	cmd := exec.Command(fn.argv[0], fn.argv[1:]...)
	cmd.Dir = fn.cfg.Code
	cmd.Env = append(f.environment(fn, ""), "AWS_LAMBDA_REQUEST_ID="+id)
	cmd.Stdin = strings.NewReader(string(payload))
	var stdout limitedBuffer
	cmd.Stdout = &stdout
	logw := &lineWriter{f: f, fn: fn.cfg.Name}
	cmd.Stderr = logw
	cmd.WaitDelay = time.Second
	setProcessGroup(cmd)
	f.logf(fn.cfg.Name, "START RequestId: %s Version: $LATEST", id)
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("function %q: cannot start %s: %v (fix command in the functions file)", fn.cfg.Name, fn.argv[0], err)
	}
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	timer := time.NewTimer(fn.cfg.Timeout)
	defer timer.Stop()
	var err error
	select {
	case err = <-waited:
	case <-timer.C:
		killProcessGroup(cmd)
		<-waited
		logw.flush()
		resp.Duration = time.Since(start)
		resp.Payload, resp.FunctionError, resp.ErrorType = timedOut(id, fn.cfg.Timeout), "Unhandled", "Sandbox.Timedout"
		return resp, nil
	case <-ctx.Done():
		killProcessGroup(cmd)
		<-waited
		logw.flush()
		resp.Duration = time.Since(start)
		f.report(fn, resp)
		return nil, ctx.Err()
	}
	logw.flush()
	resp.Duration = time.Since(start)
	resp.MaxMemoryUsed = exitedPeakMemoryMB(cmd.ProcessState)
	resp.Payload = stdout.bytes()
	if stdout.over {
		resp.Payload, resp.FunctionError = errorDocument("Function.ResponseSizeTooLarge", fmt.Sprintf("Response payload size exceeded maximum allowed payload size (%d bytes).", maxResponse)), "Unhandled"
		return resp, nil
	}
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit) && exit.Exited() && len(strings.TrimSpace(string(resp.Payload))) > 0:
		resp.FunctionError = "Unhandled"
	default:
		resp.Payload, resp.FunctionError, resp.ErrorType = exitedEarly(id, err), "Unhandled", "Runtime.ExitError"
	}
	return resp, nil
}

// limitedBuffer keeps up to maxResponse bytes and notes an overflow.
type limitedBuffer struct {
	buf  []byte
	over bool
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if len(b.buf)+len(p) > maxResponse {
		b.over = true
		p = p[:max(0, maxResponse-len(b.buf))]
	}
	b.buf = append(b.buf, p...)
	return len(p), nil
}

func (b *limitedBuffer) bytes() []byte { return b.buf }
