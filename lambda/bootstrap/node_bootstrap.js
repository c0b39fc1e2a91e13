// stepctl's Node.js bootstrap: a Lambda Runtime API client. stepctl starts
// it with AWS_LAMBDA_RUNTIME_API, _HANDLER and LAMBDA_TASK_ROOT set; it
// loads the handler module, then asks for events one at a time, calls the
// handler and posts its result or error, as the Lambda Node.js runtime does.
"use strict";

const http = require("http");
const path = require("path");
const fs = require("fs");
const { pathToFileURL } = require("url");

const [apiHost, apiPort] = process.env.AWS_LAMBDA_RUNTIME_API.split(":");
const base = "/2018-06-01/runtime";
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function request(method, urlPath, body, headers) {
  return new Promise((resolve, reject) => {
    const all = Object.assign({}, headers);
    if (body !== undefined) {
      body = Buffer.from(body, "utf8");
      all["Content-Length"] = body.length;
    }
    const req = http.request(
      { host: apiHost, port: Number(apiPort), method, path: base + urlPath, agent, headers: all },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

// errorDocument is the runtime's error document for a thrown or returned
// error: errorType is the error's name, trace its stack lines.
function errorDocument(err) {
  if (err instanceof Error || (err && typeof err === "object" && "message" in err)) {
    const stack = typeof err.stack === "string" ? err.stack.split("\n") : [];
    return { errorType: err.name || (err.constructor && err.constructor.name) || "Error", errorMessage: String(err.message), trace: stack };
  }
  return { errorType: typeof err, errorMessage: String(err), trace: [] };
}

function postError(urlPath, err) {
  const doc = errorDocument(err);
  return request("POST", urlPath, JSON.stringify(doc), {
    "Content-Type": "application/json",
    "Lambda-Runtime-Function-Error-Type": doc.errorType,
  });
}

function initError(errorType, message, cause) {
  const doc = { errorType, errorMessage: message, trace: cause && typeof cause.stack === "string" ? cause.stack.split("\n") : [] };
  return request("POST", "/init/error", JSON.stringify(doc), {
    "Content-Type": "application/json",
    "Lambda-Runtime-Function-Error-Type": errorType,
  });
}

async function loadHandler() {
  const spec = process.env._HANDLER || "";
  const root = process.env.LAMBDA_TASK_ROOT || process.cwd();
  const slash = spec.lastIndexOf("/");
  const dot = spec.indexOf(".", slash + 1);
  if (dot <= slash + 1 || dot === spec.length - 1) {
    await initError("Runtime.MalformedHandlerName", `Bad handler ${spec}`);
    return null;
  }
  const modulePath = spec.slice(0, dot);
  const names = spec.slice(dot + 1).split(".");
  let file = null;
  for (const ext of [".js", ".mjs", ".cjs"]) {
    const candidate = path.resolve(root, modulePath + ext);
    if (fs.existsSync(candidate)) {
      file = candidate;
      break;
    }
  }
  if (file === null) {
    await initError("Runtime.ImportModuleError", `Error: Cannot find module '${modulePath}'`);
    return null;
  }
  let mod;
  try {
    mod = await import(pathToFileURL(file).href);
  } catch (err) {
    const type = err instanceof SyntaxError ? "Runtime.UserCodeSyntaxError" : err && err.name ? err.name : "Runtime.ImportModuleError";
    await initError(type, `${err && err.name ? err.name : "Error"}: ${err && err.message}`, err);
    return null;
  }
  let fn = mod;
  for (const n of names) {
    fn = fn == null ? undefined : fn[n] !== undefined ? fn[n] : fn.default != null ? fn.default[n] : undefined;
  }
  if (typeof fn !== "function") {
    await initError("Runtime.HandlerNotFound", `${spec} is undefined or not exported`);
    return null;
  }
  return fn;
}

function makeContext(headers) {
  const deadline = Number(headers["lambda-runtime-deadline-ms"]);
  const ctx = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: headers["lambda-runtime-invoked-function-arn"],
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: headers["lambda-runtime-aws-request-id"],
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    getRemainingTimeInMillis: () => Math.max(deadline - Date.now(), 0),
  };
  return ctx;
}

// invoke calls the handler: async handlers resolve a promise, callback
// handlers call callback(err, result) (or the legacy context methods).
function invoke(handler, event, ctx) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (err, result) => {
      if (settled) return;
      settled = true;
      if (err !== undefined && err !== null) reject(err);
      else resolve(result);
    };
    ctx.done = finish;
    ctx.succeed = (result) => finish(null, result);
    ctx.fail = (err) => finish(err === undefined || err === null ? new Error("handled") : err);
    try {
      const out = handler(event, ctx, finish);
      if (out && typeof out.then === "function") {
        out.then((result) => finish(null, result), (err) => finish(err === undefined || err === null ? new Error("undefined") : err));
      } else if (handler.length < 3) {
        finish(null, out);
      }
    } catch (err) {
      finish(err);
    }
  });
}

// Stop when stepctl is gone (killed without a chance to stop us): the
// process is then re-parented.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid) process.exit(1);
}, 500).unref();

async function main() {
  const handler = await loadHandler();
  if (handler === null) {
    process.exit(1);
  }
  for (;;) {
    const next = await request("GET", "/invocation/next");
    const id = next.headers["lambda-runtime-aws-request-id"];
    process.env._X_AMZN_TRACE_ID = next.headers["lambda-runtime-trace-id"] || "";
    let event;
    try {
      event = JSON.parse(next.body.toString("utf8") || "null");
    } catch (err) {
      await postError(`/invocation/${id}/error`, err);
      continue;
    }
    const ctx = makeContext(next.headers);
    try {
      const result = await invoke(handler, event, ctx);
      const body = JSON.stringify(result === undefined ? null : result);
      await request("POST", `/invocation/${id}/response`, body === undefined ? "null" : body, { "Content-Type": "application/json" });
    } catch (err) {
      await postError(`/invocation/${id}/error`, err);
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
