package lambda

import (
	"context"
	"crypto/rand"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/stepctl/stepctl/asl/jsonv"
)

//go:embed bootstrap/node_bootstrap.js
var nodeBootstrap []byte

//go:embed bootstrap/python_bootstrap.py
var pythonBootstrap []byte

// ErrFunctionNotFound is returned (wrapped) by Invoke for a name the
// functions file does not define.
var ErrFunctionNotFound = errors.New("function not found")

// Options configure a Functions set. The zero value is usable.
type Options struct {
	// Region and Account are what the functions see in AWS_REGION and
	// their invoked function ARN (default us-east-1 and 123456789012).
	Region, Account string
	// Log receives Lambda's START, END and REPORT lines of every
	// invocation and the functions' own output (stdout and stderr), each
	// line prefixed with "[FUNCTION] ". Nil discards them.
	Log io.Writer
	// IdleTimeout is how long a warm instance may wait for work before it
	// is stopped (default 5 minutes).
	IdleTimeout time.Duration
	// InitTimeout bounds a cold start: from starting the process to its
	// first request for work (default 10 s, as on Lambda).
	InitTimeout time.Duration
}

// Response is the outcome of one invocation, as Lambda's Invoke API
// reports it.
type Response struct {
	// RequestID is the invocation's request id (a UUID).
	RequestID string
	// Payload is the function's response, or its error document when
	// FunctionError is set, byte for byte as the runtime sent it.
	Payload []byte
	// FunctionError is "Unhandled" when the function failed (an error
	// returned or thrown, a crash, a timeout), "" when it succeeded.
	FunctionError string
	// ErrorType is the runtime's Lambda-Runtime-Function-Error-Type
	// header of a failure, when it sent one.
	ErrorType string
	// ColdStart reports that the invocation started a new instance;
	// InitDuration is then the time from starting it to its first
	// request for work.
	ColdStart    bool
	InitDuration time.Duration
	// Duration is the time the invocation took, from handing the event
	// to the instance to its response.
	Duration time.Duration
	// MaxMemoryUsed is the instance's peak resident memory in MB, 0 where
	// the system does not tell (it is read from /proc on Linux).
	MaxMemoryUsed int
}

// Functions runs the functions of a functions file on this machine. It is
// safe for concurrent use; Close stops every instance.
type Functions struct {
	opts  Options
	fns   map[string]*function
	tmp   string // bootstraps and built Go binaries
	logMu sync.Mutex

	mu     sync.Mutex
	closed bool
	stop   chan struct{}
	reaper sync.WaitGroup
}

// function is one function and its instances.
type function struct {
	cfg  Function
	argv []string // how to start an instance
	arn  string

	mu   sync.Mutex
	idle []*instance
	live map[*instance]bool
}

// New prepares the functions: it writes the Node and Python bootstrap
// programs to a temporary directory and builds the Go package directories
// (go build, once). No instance starts before the first invocation.
func New(fns []Function, opts Options) (*Functions, error) {
	if opts.Region == "" {
		opts.Region = "us-east-1"
	}
	if opts.Account == "" {
		opts.Account = "123456789012"
	}
	if opts.IdleTimeout <= 0 {
		opts.IdleTimeout = 5 * time.Minute
	}
	if opts.InitTimeout <= 0 {
		opts.InitTimeout = 10 * time.Second
	}
	tmp, err := os.MkdirTemp("", "stepctl-lambda-")
	if err != nil {
		return nil, err
	}
	f := &Functions{opts: opts, fns: make(map[string]*function, len(fns)), tmp: tmp, stop: make(chan struct{})}
	for _, cfg := range fns {
		if _, dup := f.fns[cfg.Name]; dup {
			os.RemoveAll(tmp)
			return nil, fmt.Errorf("function %q is defined twice", cfg.Name)
		}
		argv, err := f.command(cfg)
		if err != nil {
			os.RemoveAll(tmp)
			return nil, fmt.Errorf("function %q: %w", cfg.Name, err)
		}
		f.fns[cfg.Name] = &function{cfg: cfg, argv: argv, live: map[*instance]bool{}, arn: f.ARN(cfg.Name)}
	}
	f.reaper.Add(1)
	go f.reapIdle()
	return f, nil
}

// command returns the program and arguments that start an instance of a
// function, writing bootstraps and building Go packages as needed.
func (f *Functions) command(cfg Function) ([]string, error) {
	switch cfg.Kind {
	case KindCommand:
		return cfg.Command, nil
	case KindNode:
		path, err := f.writeBootstrap("node_bootstrap.js", nodeBootstrap)
		if err != nil {
			return nil, err
		}
		interp := []string{"node"}
		if len(cfg.Command) > 0 {
			interp = cfg.Command
		}
		if _, err := exec.LookPath(interp[0]); err != nil {
			return nil, fmt.Errorf("runtime %s needs Node.js (%v): install Node.js 18 or later, or set interpreter to its path", cfg.Runtime, err)
		}
		return append(append([]string{}, interp...), path), nil
	case KindPython:
		path, err := f.writeBootstrap("python_bootstrap.py", pythonBootstrap)
		if err != nil {
			return nil, err
		}
		interp := []string{"python3"}
		if len(cfg.Command) > 0 {
			interp = cfg.Command
		}
		if _, err := exec.LookPath(interp[0]); err != nil {
			return nil, fmt.Errorf("runtime %s needs Python 3 (%v): install it, or set interpreter to its path", cfg.Runtime, err)
		}
		return append(append([]string{}, interp...), "-u", path), nil
	case KindBinary:
		path := cfg.Handler
		if !filepath.IsAbs(path) {
			path = filepath.Join(cfg.Code, path)
		}
		st, err := os.Stat(path)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			return []string{path}, nil
		}
		out := filepath.Join(f.tmp, "go-"+cfg.Name, "bootstrap")
		build := exec.Command("go", "build", "-o", out, ".")
		build.Dir = path
		if msg, err := build.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("go build in %s failed (%v):\n%s\nfix the package, or give a built executable as handler", path, err, strings.TrimSpace(string(msg)))
		}
		return []string{out}, nil
	}
	return nil, fmt.Errorf("unknown runtime kind %q", cfg.Kind)
}

func (f *Functions) writeBootstrap(name string, text []byte) (string, error) {
	path := filepath.Join(f.tmp, name)
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	return path, os.WriteFile(path, text, 0o644)
}

// Names returns the function names, sorted.
func (f *Functions) Names() []string {
	names := make([]string, 0, len(f.fns))
	for n := range f.fns {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Has reports whether the functions file defines name.
func (f *Functions) Has(name string) bool { _, ok := f.fns[name]; return ok }

// ARN returns the function ARN of name as the functions see it
// (arn:aws:lambda:REGION:ACCOUNT:function:NAME).
func (f *Functions) ARN(name string) string {
	return "arn:aws:lambda:" + f.opts.Region + ":" + f.opts.Account + ":function:" + name
}

// Invoke runs one invocation of the function name with the event payload
// (JSON text), like Lambda's synchronous Invoke: a warm idle instance is
// reused, else a new one is started. Function errors, crashes and
// timeouts are reported in the Response (FunctionError "Unhandled" and
// the error document as Payload), as Lambda does; the error is for
// invocations that could not run: an unknown name (ErrFunctionNotFound),
// a program that cannot start, ctx ending (the instance is then stopped)
// or Close.
func (f *Functions) Invoke(ctx context.Context, name string, payload []byte) (*Response, error) {
	fn, ok := f.fns[name]
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrFunctionNotFound, name)
	}
	f.mu.Lock()
	closed := f.closed
	f.mu.Unlock()
	if closed {
		return nil, errors.New("lambda: the functions are closed")
	}
	id := newRequestID()
	var resp *Response
	var err error
	if fn.cfg.Kind == KindCommand {
		resp, err = f.runCommand(ctx, fn, id, payload)
	} else {
		resp, err = f.invokeInstance(ctx, fn, id, payload)
	}
	if resp != nil {
		f.report(fn, resp)
	}
	return resp, err
}

// Close stops every instance and removes the temporary files.
func (f *Functions) Close() error {
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return nil
	}
	f.closed = true
	close(f.stop)
	var all []*instance
	for _, fn := range f.fns {
		fn.mu.Lock()
		for in := range fn.live {
			all = append(all, in)
		}
		fn.mu.Unlock()
	}
	f.mu.Unlock()
	f.reaper.Wait()
	for _, in := range all {
		in.discard()
	}
	return os.RemoveAll(f.tmp)
}

// reapIdle stops instances that waited for work longer than IdleTimeout.
func (f *Functions) reapIdle() {
	defer f.reaper.Done()
	tick := time.NewTicker(min(f.opts.IdleTimeout/2, time.Second))
	defer tick.Stop()
	for {
		select {
		case <-f.stop:
			return
		case now := <-tick.C:
			for _, fn := range f.fns {
				for _, in := range fn.takeExpired(now.Add(-f.opts.IdleTimeout)) {
					in.kill()
				}
			}
		}
	}
}

// logf writes one line to the log, prefixed with the function name.
func (f *Functions) logf(fn string, format string, args ...any) {
	if f.opts.Log == nil {
		return
	}
	line := "[" + fn + "] " + fmt.Sprintf(format, args...) + "\n"
	f.logMu.Lock()
	io.WriteString(f.opts.Log, line)
	f.logMu.Unlock()
}

// report writes an invocation's END and REPORT lines, as Lambda logs them.
func (f *Functions) report(fn *function, r *Response) {
	ms := float64(r.Duration) / float64(time.Millisecond)
	billed := (r.Duration + time.Millisecond - 1) / time.Millisecond
	if billed < 1 {
		billed = 1
	}
	line := fmt.Sprintf("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB", r.RequestID, ms, billed, fn.cfg.MemorySize)
	if r.MaxMemoryUsed > 0 {
		line += fmt.Sprintf("\tMax Memory Used: %d MB", r.MaxMemoryUsed)
	}
	if r.ColdStart && r.InitDuration > 0 {
		line += fmt.Sprintf("\tInit Duration: %.2f ms", float64(r.InitDuration)/float64(time.Millisecond))
	}
	f.logf(fn.cfg.Name, "END RequestId: %s", r.RequestID)
	f.logf(fn.cfg.Name, "%s", line)
}

// newRequestID returns a random (version 4) UUID.
func newRequestID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// lineWriter forwards a process's output to the log line by line.
type lineWriter struct {
	f   *Functions
	fn  string
	buf []byte
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.buf = append(w.buf, p...)
	for {
		i := strings.IndexByte(string(w.buf), '\n')
		if i < 0 {
			break
		}
		w.f.logf(w.fn, "%s", strings.TrimRight(string(w.buf[:i]), "\r"))
		w.buf = w.buf[i+1:]
	}
	return len(p), nil
}

// flush writes a last unterminated line.
func (w *lineWriter) flush() {
	if len(w.buf) > 0 {
		w.f.logf(w.fn, "%s", string(w.buf))
		w.buf = nil
	}
}

// environment returns the environment of a function's process: this
// process's own, then Lambda's variables, then the function's.
func (f *Functions) environment(fn *function, runtimeAPI string) []string {
	cfg := fn.cfg
	env := os.Environ()
	set := func(k, v string) { env = append(env, k+"="+v) }
	if runtimeAPI != "" {
		set("AWS_LAMBDA_RUNTIME_API", runtimeAPI)
	}
	set("AWS_LAMBDA_FUNCTION_NAME", cfg.Name)
	set("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
	set("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", fmt.Sprint(cfg.MemorySize))
	set("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/"+cfg.Name)
	set("AWS_LAMBDA_LOG_STREAM_NAME", time.Now().UTC().Format("2006/01/02")+"/[$LATEST]"+strings.ReplaceAll(newRequestID(), "-", ""))
	set("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand")
	set("AWS_REGION", f.opts.Region)
	set("AWS_DEFAULT_REGION", f.opts.Region)
	set("AWS_EXECUTION_ENV", "AWS_Lambda_"+cfg.Runtime)
	set("_HANDLER", cfg.Handler)
	set("LAMBDA_TASK_ROOT", cfg.Code)
	set("LAMBDA_RUNTIME_DIR", f.tmp)
	set("TZ", ":UTC")
	keys := make([]string, 0, len(cfg.Environment))
	for k := range cfg.Environment {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		set(k, cfg.Environment[k])
	}
	return env
}

// errorDocument is the error document Lambda itself writes for failures
// that are not the function's own (timeouts, crashes).
func errorDocument(errorType, message string) []byte {
	return []byte(`{"errorType":` + quote(errorType) + `,"errorMessage":` + quote(message) + `}`)
}

func quote(s string) string { return string(jsonv.AppendString(nil, s)) }

// timedOut is the response of an invocation that ran out of time.
func timedOut(id string, d time.Duration) []byte {
	return errorDocument("Sandbox.Timedout", fmt.Sprintf("RequestId: %s Error: Task timed out after %.2f seconds", id, d.Seconds()))
}

// exitedEarly is the response of an invocation whose process exited.
func exitedEarly(id string, err error) []byte {
	msg := "exit status 0"
	if err != nil {
		msg = err.Error()
	}
	return errorDocument("Runtime.ExitError", fmt.Sprintf("RequestId: %s Error: Runtime exited with error: %s", id, msg))
}
