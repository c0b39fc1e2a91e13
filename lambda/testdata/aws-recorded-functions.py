#!/usr/bin/env python3
"""Run stepctl against a recorded AWS case with the case's Lambda functions.

usage: aws-recorded-functions.py LAMBDAS_JSON -- STEPCTL_COMMAND...

LAMBDAS_JSON is the file compare.py passes as {lambdas}:
  {"functions": {NAME: {"arn", "behaviour", "command"}}, "tasks": {...}}
Each function becomes a "command" runtime function of a stepctl functions
file (the event on stdin, the payload on stdout, exit 1 = function error).
The recorded cases do not say how long the deployed functions' timeouts
were, so every function gets Lambda's maximum (900 s): a Task's own
TimeoutSeconds decides. The command is then run with --functions FILE
appended (no --functions when the case has no functions).

Example (from the repository root):
  python3 /work/shared/aws-recorded/compare.py --feature lambda --cmd \\
    'python3 lambda/testdata/aws-recorded-functions.py {lambdas} -- \\
     stepctl start-execution --definition {definition} --input file://{input} --wait --db :memory:'
"""
import json
import os
import subprocess
import sys
import tempfile


def main():
    if len(sys.argv) < 4 or sys.argv[2] != "--":
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    command = sys.argv[3:]
    functions = {
        name: {"runtime": "command", "command": info["command"], "timeout": 900}
        for name, info in spec.get("functions", {}).items()
    }
    if not functions:
        sys.exit(subprocess.call(command))
    fd, path = tempfile.mkstemp(prefix="functions_", suffix=".json")
    try:
        with os.fdopen(fd, "w") as f:
            json.dump({"functions": functions}, f, indent=1)
        sys.exit(subprocess.call(command + ["--functions", path]))
    finally:
        os.unlink(path)


if __name__ == "__main__":
    main()
