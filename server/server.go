package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/stepctl/stepctl/asl/jsonv"
	"github.com/stepctl/stepctl/engine"
	"github.com/stepctl/stepctl/tasks"
)

// TargetPrefix is the X-Amz-Target prefix of every Step Functions
// operation: "AWSStepFunctions.StartExecution".
const TargetPrefix = "AWSStepFunctions."

// ContentType is the media type of AWS JSON 1.0 requests and responses.
const ContentType = "application/x-amz-json-1.0"

// maxRequestBytes bounds a request body: a definition (1 MiB) or an input
// (256 KiB) with room for the other members and JSON escaping.
const maxRequestBytes = 8 << 20

// Error namespaces, as AWS writes them before "#" in "__type": Step
// Functions' own exceptions, model-constraint violations, and the
// protocol's errors (unknown operation, unreadable body, internal
// failure). The SDKs keep only the part after "#".
const (
	serviceNamespace      = "com.amazonaws.swf.service.v2.model#"
	validateNamespace     = "com.amazon.coral.validate#"
	coralServiceNamespace = "com.amazon.coral.service#"
)

// Options configure a Handler.
type Options struct {
	// Logger receives one debug-level line per request (operation,
	// status, error name, duration); nil means slog.Default().
	Logger *slog.Logger
	// Tasks is the engine's task registry, when known: definitions given
	// to ValidateStateMachineDefinition may then use the arn:aws:states:::…
	// integrations registered there, as CreateStateMachine accepts them.
	Tasks *tasks.Registry
}

// Handler serves the AWS Step Functions API (AWS JSON 1.0 protocol) over an
// engine. It is safe for concurrent use.
type Handler struct {
	eng   *engine.Engine
	log   *slog.Logger
	tasks *tasks.Registry
}

// New returns a Handler serving eng's state machines and executions.
func New(eng *engine.Engine, opts Options) *Handler {
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	return &Handler{eng: eng, log: log, tasks: opts.Tasks}
}

// operation runs one API operation: it reads the request body (a JSON
// object) and returns the response body.
type operation func(ctx context.Context, body []byte) ([]byte, error)

// ServeHTTP answers one API request: POST / with X-Amz-Target naming the
// operation and a JSON body. Signatures (SigV4) are accepted without being
// checked.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	target := r.Header.Get("X-Amz-Target")
	opName, _ := strings.CutPrefix(target, TargetPrefix)
	body, err := h.handle(w, r, target, opName)
	status := http.StatusOK
	errName := ""
	if err != nil {
		ae := toAPIError(err)
		if ae.status == http.StatusInternalServerError {
			h.log.LogAttrs(r.Context(), slog.LevelError, "request failed", slog.String("op", opName), slog.String("error", err.Error()))
		}
		status, errName, body = ae.status, ae.name, ae.body()
	}
	hd := w.Header()
	hd.Set("Content-Type", ContentType)
	hd.Set("Content-Length", strconv.Itoa(len(body)))
	hd.Set("X-Amzn-RequestId", requestID())
	if errName != "" {
		hd.Set("X-Amzn-ErrorType", errName)
	}
	if status == http.StatusMethodNotAllowed {
		hd.Set("Allow", http.MethodPost)
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
	if h.log.Enabled(r.Context(), slog.LevelDebug) {
		attrs := []slog.Attr{slog.String("op", opName), slog.Int("status", status)}
		if errName != "" {
			attrs = append(attrs, slog.String("error", errName))
		}
		attrs = append(attrs, slog.Duration("duration", time.Since(start)), slog.String("remote", r.RemoteAddr))
		h.log.LogAttrs(r.Context(), slog.LevelDebug, "request", attrs...)
	}
}

func (h *Handler) handle(w http.ResponseWriter, r *http.Request, target, opName string) ([]byte, error) {
	if r.Method != http.MethodPost {
		return nil, &apiError{status: http.StatusMethodNotAllowed, namespace: coralServiceNamespace, name: "UnknownOperationException",
			message: "the Step Functions API takes POST requests, not " + r.Method}
	}
	if !strings.HasPrefix(target, TargetPrefix) {
		msg := "X-Amz-Target is missing: it names the operation, as in \"AWSStepFunctions.StartExecution\""
		if target != "" {
			msg = "X-Amz-Target " + strconv.Quote(target) + " does not start with \"" + TargetPrefix + "\""
		}
		return nil, &apiError{status: http.StatusBadRequest, namespace: coralServiceNamespace, name: "UnknownOperationException", message: msg}
	}
	op := h.operation(opName)
	if op == nil {
		return nil, unknownOperation(opName)
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBytes))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, &apiError{status: http.StatusRequestEntityTooLarge, namespace: coralServiceNamespace, name: "SerializationException",
				message: "the request body is larger than " + strconv.Itoa(maxRequestBytes) + " bytes"}
		}
		return nil, &apiError{status: http.StatusBadRequest, namespace: coralServiceNamespace, name: "SerializationException", message: err.Error()}
	}
	return op(r.Context(), data)
}

// operation returns the implementation of an operation, nil for one this
// server does not offer.
func (h *Handler) operation(name string) operation {
	switch name {
	case "CreateStateMachine":
		return h.createStateMachine
	case "DescribeStateMachine":
		return h.describeStateMachine
	case "UpdateStateMachine":
		return h.updateStateMachine
	case "DeleteStateMachine":
		return h.deleteStateMachine
	case "ListStateMachines":
		return h.listStateMachines
	case "ValidateStateMachineDefinition":
		return h.validateStateMachineDefinition
	case "DescribeStateMachineForExecution":
		return h.describeStateMachineForExecution
	case "StartExecution":
		return h.startExecution
	case "StartSyncExecution":
		return h.startSyncExecution
	case "DescribeExecution":
		return h.describeExecution
	case "ListExecutions":
		return h.listExecutions
	case "StopExecution":
		return h.stopExecution
	case "RedriveExecution":
		return h.redriveExecution
	case "GetExecutionHistory":
		return h.getExecutionHistory
	case "CreateActivity":
		return h.createActivity
	case "DescribeActivity":
		return h.describeActivity
	case "ListActivities":
		return h.listActivities
	case "DeleteActivity":
		return h.deleteActivity
	case "GetActivityTask":
		return h.getActivityTask
	case "SendTaskSuccess":
		return h.sendTaskSuccess
	case "SendTaskFailure":
		return h.sendTaskFailure
	case "SendTaskHeartbeat":
		return h.sendTaskHeartbeat
	case "TagResource":
		return h.tagResource
	case "UntagResource":
		return h.untagResource
	case "ListTagsForResource":
		return h.listTagsForResource
	}
	return nil
}

// unknownOperation is the error for an operation this server does not
// offer.
func unknownOperation(name string) error {
	msg := "stepctl does not support the Step Functions operation " + strconv.Quote(name)
	return &apiError{status: http.StatusBadRequest, namespace: coralServiceNamespace, name: "UnknownOperationException", message: msg}
}

// apiError is an error response: HTTP status and
// {"__type": "<namespace><name>", "message": "…"}, with the resourceName
// member of ResourceNotFound and TooManyTags when it is known.
type apiError struct {
	status       int
	namespace    string
	name         string
	message      string
	resourceName string
}

func (e *apiError) Error() string { return e.name + ": " + e.message }

func (e *apiError) body() []byte {
	b := make([]byte, 0, 64+len(e.message))
	b = append(b, `{"__type":`...)
	b = jsonv.AppendString(b, e.namespace+e.name)
	b = append(b, `,"message":`...)
	b = jsonv.AppendString(b, e.message)
	if e.resourceName != "" {
		b = append(b, `,"resourceName":`...)
		b = jsonv.AppendString(b, e.resourceName)
	}
	return append(b, '}')
}

// serviceError is one of Step Functions' own exceptions (HTTP 400).
func serviceError(name, message string) *apiError {
	return &apiError{status: http.StatusBadRequest, namespace: serviceNamespace, name: name, message: message}
}

// toAPIError maps an error to its response: engine errors keep their AWS
// exception names; a closed engine is 503 (the SDKs retry it); anything
// else is an internal failure (500).
func toAPIError(err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	if errors.Is(err, engine.ErrEngineClosed) {
		return &apiError{status: http.StatusServiceUnavailable, namespace: coralServiceNamespace, name: "ServiceUnavailableException", message: "the server is shutting down"}
	}
	var ee *engine.Error
	if errors.As(err, &ee) {
		if ee.Code == "ValidationException" {
			return &apiError{status: http.StatusBadRequest, namespace: validateNamespace, name: ee.Code, message: ee.Message}
		}
		return serviceError(ee.Code, ee.Message)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return &apiError{status: http.StatusServiceUnavailable, namespace: coralServiceNamespace, name: "ServiceUnavailableException", message: "the request was cancelled: " + err.Error()}
	}
	return &apiError{status: http.StatusInternalServerError, namespace: coralServiceNamespace, name: "InternalFailure", message: err.Error()}
}

// decode reads a request body into v. An empty body is an empty object; a
// body that is not a JSON object of the operation's member types is a
// SerializationException.
func decode(body []byte, v any) error {
	if len(strings.TrimSpace(string(body))) == 0 {
		return nil
	}
	if err := json.Unmarshal(body, v); err != nil {
		msg := err.Error()
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			msg = "member '" + te.Field + "' must be a JSON " + jsonKind(te.Type.Kind().String()) + ", not " + te.Value
		}
		return &apiError{status: http.StatusBadRequest, namespace: coralServiceNamespace, name: "SerializationException", message: msg}
	}
	return nil
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "int", "int64":
		return "integer"
	case "slice":
		return "array"
	}
	return "object"
}

// constraints gathers violations of the API model's member constraints
// and reports them as AWS does: "2 validation errors detected: Value … at
// 'name' failed to satisfy constraint: …; Value …".
type constraints struct{ problems []string }

func (c *constraints) add(value *string, member, constraint string) {
	v := "Value"
	if value != nil {
		v = "Value '" + *value + "'"
	}
	c.problems = append(c.problems, v+" at '"+member+"' failed to satisfy constraint: "+constraint)
}

// required checks that a required member is present.
func (c *constraints) required(member string, value *string) {
	if value == nil {
		c.problems = append(c.problems, "Value null at '"+member+"' failed to satisfy constraint: Member must not be null")
	}
}

// length checks a string member's length in characters; sensitive members'
// values are not repeated in the message.
func (c *constraints) length(member string, value *string, min, max int, sensitive bool) {
	if value == nil {
		return
	}
	n := len([]rune(*value))
	shown := value
	if sensitive {
		shown = nil
	}
	switch {
	case n < min:
		c.add(shown, member, "Member must have length greater than or equal to "+strconv.Itoa(min))
	case n > max:
		c.add(shown, member, "Member must have length less than or equal to "+strconv.Itoa(max))
	}
}

// between checks an integer member's range.
func (c *constraints) between(member string, value *int, min, max int) {
	if value == nil {
		return
	}
	s := strconv.Itoa(*value)
	switch {
	case *value < min:
		c.add(&s, member, "Member must have value greater than or equal to "+strconv.Itoa(min))
	case *value > max:
		c.add(&s, member, "Member must have value less than or equal to "+strconv.Itoa(max))
	}
}

// enum checks that a member is one of values.
func (c *constraints) enum(member string, value *string, values ...string) {
	if value == nil {
		return
	}
	for _, v := range values {
		if *value == v {
			return
		}
	}
	c.add(value, member, "Member must satisfy enum value set: ["+strings.Join(values, ", ")+"]")
}

func (c *constraints) err() error {
	switch len(c.problems) {
	case 0:
		return nil
	case 1:
		return &apiError{status: http.StatusBadRequest, namespace: validateNamespace, name: "ValidationException",
			message: "1 validation error detected: " + c.problems[0]}
	}
	return &apiError{status: http.StatusBadRequest, namespace: validateNamespace, name: "ValidationException",
		message: strconv.Itoa(len(c.problems)) + " validation errors detected: " + strings.Join(c.problems, "; ")}
}

// checkARN reports InvalidArn, with AWS's messages, unless arn is a Step
// Functions ARN whose resource type is one of types.
func checkARN(arn string, types ...string) error {
	parts := strings.SplitN(arn, ":", 7)
	if len(parts) < 7 || parts[0] != "arn" || parts[1] == "" || parts[2] != "states" {
		return serviceError("InvalidArn", "Invalid Arn: 'Invalid ARN prefix: "+arn+"'")
	}
	for _, t := range types {
		if parts[5] == t {
			return nil
		}
	}
	return serviceError("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: "+parts[5]+"'")
}

// epochSeconds is a timestamp as the JSON protocol carries it: seconds
// since the Unix epoch, with milliseconds as the fraction.
func epochSeconds(t time.Time) float64 { return float64(t.UnixMilli()) / 1000 }

// requestID returns a random id for the X-Amzn-RequestId header.
func requestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	s := hex.EncodeToString(b[:])
	return s[:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:]
}
