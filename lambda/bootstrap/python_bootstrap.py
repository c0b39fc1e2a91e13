"""stepctl's Python bootstrap: a Lambda Runtime API client.

stepctl starts it with AWS_LAMBDA_RUNTIME_API, _HANDLER and LAMBDA_TASK_ROOT
set; it imports the handler module, then asks for events one at a time, calls
handler(event, context) and posts the result (json.dumps) or the error
document {errorMessage, errorType, requestId, stackTrace}, as the Lambda
Python runtime does.
"""
import http.client
import importlib
import json
import os
import sys
import threading
import time
import traceback

API = os.environ["AWS_LAMBDA_RUNTIME_API"]
BASE = "/2018-06-01/runtime"
HERE = os.path.abspath(__file__)


class Connection:
    def __init__(self):
        host, port = API.rsplit(":", 1)
        self.conn = http.client.HTTPConnection(host, int(port))

    def request(self, method, path, body=None, headers=None):
        self.conn.request(method, BASE + path, body=body, headers=headers or {})
        resp = self.conn.getresponse()
        data = resp.read()
        return resp, data


def stack_trace(exc):
    """The traceback of exc without this bootstrap's own frames."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if os.path.abspath(f.filename) != HERE]
    return traceback.format_list(frames)


def error_document(exc, request_id):
    return {
        "errorMessage": str(exc),
        "errorType": type(exc).__name__,
        "requestId": request_id,
        "stackTrace": stack_trace(exc),
    }


class Context:
    def __init__(self, request_id, deadline_ms, function_arn):
        self.aws_request_id = request_id
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = function_arn
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.identity = None
        self.client_context = None
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(self._deadline_ms - int(time.time() * 1000), 0)


def init_error(conn, error_type, message):
    doc = {"errorMessage": message, "errorType": error_type, "requestId": "", "stackTrace": []}
    conn.request("POST", "/init/error", json.dumps(doc).encode(),
                 {"Content-Type": "application/json", "Lambda-Runtime-Function-Error-Type": error_type})


def load_handler(conn):
    spec = os.environ.get("_HANDLER", "")
    root = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())
    sys.path.insert(0, root)
    module_name, _, function_name = spec.rpartition(".")
    if not module_name or not function_name:
        init_error(conn, "Runtime.MalformedHandlerName", f"Bad handler '{spec}': not enough values to unpack (expected 2, got 1)")
        return None
    module_name = module_name.replace("/", ".")
    try:
        module = importlib.import_module(module_name)
    except SyntaxError as exc:
        init_error(conn, "Runtime.UserCodeSyntaxError", f"Syntax error in module '{module_name}': {exc}")
        return None
    except Exception as exc:
        init_error(conn, "Runtime.ImportModuleError", f"Unable to import module '{module_name}': {exc}")
        return None
    handler = getattr(module, function_name, None)
    if handler is None:
        init_error(conn, "Runtime.HandlerNotFound", f"Handler '{function_name}' missing on module '{module_name}'")
        return None
    return handler


def watch_parent():
    """Stop when stepctl is gone (killed without a chance to stop us): the
    process is then re-parented."""
    parent = os.getppid()
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(1)


def main():
    threading.Thread(target=watch_parent, daemon=True).start()
    conn = Connection()
    handler = load_handler(conn)
    if handler is None:
        sys.exit(1)
    while True:
        resp, body = conn.request("GET", "/invocation/next")
        request_id = resp.getheader("Lambda-Runtime-Aws-Request-Id")
        deadline = int(resp.getheader("Lambda-Runtime-Deadline-Ms") or 0)
        os.environ["_X_AMZN_TRACE_ID"] = resp.getheader("Lambda-Runtime-Trace-Id") or ""
        ctx = Context(request_id, deadline, resp.getheader("Lambda-Runtime-Invoked-Function-Arn"))
        try:
            event = json.loads(body) if body else None
            result = handler(event, ctx)
            if isinstance(result, (bytes, bytearray)):
                out = bytes(result)
            else:
                try:
                    out = json.dumps(result).encode()
                except (TypeError, ValueError) as exc:
                    doc = {"errorMessage": f"Unable to marshal response: {exc}", "errorType": "Runtime.MarshalError",
                           "requestId": request_id, "stackTrace": []}
                    conn.request("POST", f"/invocation/{request_id}/error", json.dumps(doc).encode(),
                                 {"Content-Type": "application/json", "Lambda-Runtime-Function-Error-Type": "Runtime.MarshalError"})
                    continue
        except Exception as exc:
            doc = error_document(exc, request_id)
            conn.request("POST", f"/invocation/{request_id}/error", json.dumps(doc).encode(),
                         {"Content-Type": "application/json", "Lambda-Runtime-Function-Error-Type": doc["errorType"]})
            continue
        conn.request("POST", f"/invocation/{request_id}/response", out, {"Content-Type": "application/json"})


if __name__ == "__main__":
    main()
