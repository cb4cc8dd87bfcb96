"""A test-only function app the local host serves in place of the real one.

It shows what the host hands to functions (method, URL, headers, query, route params, body, timer
requests), which the real app's replies cannot.
"""

import json
import os
import time
from datetime import UTC, datetime

import azure.functions as func

app = func.FunctionApp(http_auth_level=func.AuthLevel.ANONYMOUS)


@app.route(route="echo/{name}/{rest?}", methods=None)
def echo(req: func.HttpRequest) -> func.HttpResponse:
    seen = {
        "method": req.method,
        "url": req.url,
        "headers": dict(req.headers),
        "params": dict(req.params),
        "route_params": dict(req.route_params),
        "body": req.get_body().decode("utf-8", "replace"),
    }
    return func.HttpResponse(json.dumps(seen), mimetype="application/json")


@app.route(route="items/{item_id:int}", methods=["GET"])
def item(req: func.HttpRequest) -> func.HttpResponse:
    return func.HttpResponse(f"item {req.route_params['item_id']}")


@app.route(route="items/new", methods=["GET", "POST"])
def new_item(req: func.HttpRequest) -> func.HttpResponse:
    return func.HttpResponse("the new-item form", status_code=203, headers={"X-From-Function": "kept as sent", "Cache-Control": "private"})


@app.route(route="header", methods=["GET"])
def header(req: func.HttpRequest) -> func.HttpResponse:
    """A reply header with the caller's text in it, as a careless function might send."""
    return func.HttpResponse("with a header", headers={"X-Echo": req.params.get("value", "")})


@app.route(route="boom")
def boom(req: func.HttpRequest) -> func.HttpResponse:
    raise RuntimeError("internal detail that must not reach the client")


@app.timer_trigger(schedule="%ECHO_SCHEDULE%", arg_name="tick", run_on_startup=False, use_monitor=False)
def ticker(tick: func.TimerRequest) -> None:
    started = datetime.now(UTC).timestamp()
    time.sleep(float(os.environ.get("TICK_SECONDS", "0")))
    record = {"start": started, "end": datetime.now(UTC).timestamp(), "past_due": tick.past_due, "type": type(tick).__module__ + "." + type(tick).__name__}
    with open(os.environ["TICK_LOG"], "a", encoding="utf-8") as log:
        log.write(json.dumps(record) + "\n")
