"""Test handlers for the Python bootstrap."""
import os
import sys
import time

calls = 0


def greet(event, context):
    global calls
    calls += 1
    return {
        "greeting": f"{os.environ.get('GREETING', 'Hello')} {event['name']}",
        "requestId": context.aws_request_id,
        "function": context.function_name,
        "memory": context.memory_limit_in_mb,
        "arn": context.invoked_function_arn,
        "hasTime": context.get_remaining_time_in_millis() > 0,
        "calls": calls,
    }


class PaymentDeclined(Exception):
    pass


def fail(event, context):
    raise PaymentDeclined(f"card {event['card']} declined")


def sleep(event, context):
    time.sleep(event["ms"] / 1000)
    return {"slept": event["ms"]}


def crash(event, context):
    sys.stdout.flush()
    os._exit(3)


def raw(event, context):
    return b'"raw bytes"'


def unmarshallable(event, context):
    return {"when": object()}
