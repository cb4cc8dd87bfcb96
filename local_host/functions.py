"""The app's functions, read once from `FunctionApp.get_functions()` (it raises when called twice)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import azure.functions as func
from azure.functions.decorators.function_app import Function
from azure.functions.decorators.http import HttpTrigger
from azure.functions.decorators.queue import QueueTrigger
from azure.functions.decorators.timer import TimerTrigger

from local_host.route_templates import RouteTemplate, compile_template


class UnsupportedFunction(ValueError):
    """A function uses a trigger or binding the local host cannot provide; the message names it."""


@dataclass(frozen=True)
class HttpFunction:
    name: str
    route: RouteTemplate
    methods: tuple[str, ...] | None  # None: the binding accepts every method
    arg_name: str
    call: Callable[..., Any]


@dataclass(frozen=True)
class TimerFunction:
    name: str
    schedule: str  # as declared, possibly a %SETTING% reference
    run_on_startup: bool
    arg_name: str
    call: Callable[..., Any]


@dataclass(frozen=True)
class QueueFunction:
    name: str
    queue_name: str  # as declared, possibly a %SETTING% reference
    connection: str  # the app setting (prefix) naming the storage account
    arg_name: str
    call: Callable[..., Any]


@dataclass(frozen=True)
class AppFunctions:
    http: tuple[HttpFunction, ...]
    timers: tuple[TimerFunction, ...]
    queues: tuple[QueueFunction, ...] = ()

    def call(self, name: str) -> Callable[..., Any]:
        """The user function registered under `name`, as Azure would invoke it."""
        functions: tuple[HttpFunction | TimerFunction | QueueFunction, ...] = (*self.http, *self.timers, *self.queues)
        return next(function.call for function in functions if function.name == name)


@functools.cache
def registered_functions(app: func.FunctionApp) -> tuple[Function, ...]:
    """Cached per app: `get_functions()` raises when called twice on one app, and the tests, the
    benchmark and the deployment checks read these same function objects in one process."""
    return tuple(app.get_functions())


@functools.cache
def load_functions(app: func.FunctionApp) -> AppFunctions:
    http: list[HttpFunction] = []
    timers: list[TimerFunction] = []
    queues: list[QueueFunction] = []
    for function in registered_functions(app):
        name, trigger = function.get_function_name(), function.get_trigger()
        if name is None or trigger is None:  # the decorators always set both; Azure needs them too
            raise UnsupportedFunction(f"function {function.get_user_function().__name__} has no name or no trigger")
        _check_bindings(name, trigger.get_binding_name(), [binding.get_binding_name() for binding in function.get_bindings()])
        if isinstance(trigger, HttpTrigger):
            # Auth levels are ignored, as Core Tools does locally: function keys only exist in Azure.
            methods = tuple(str(getattr(method, "value", method)).upper() for method in trigger.methods) if trigger.methods else None
            http.append(HttpFunction(name, compile_template(trigger.route or name), methods, trigger.name, function.get_user_function()))
        elif isinstance(trigger, QueueTrigger):
            queues.append(QueueFunction(name, trigger.queue_name, trigger.connection or "AzureWebJobsStorage", trigger.name, function.get_user_function()))
        elif isinstance(trigger, TimerTrigger):
            timers.append(TimerFunction(name, trigger.schedule, bool(trigger.run_on_startup), trigger.name, function.get_user_function()))
    # A literal route wins over a parameterised one that also fits, as in ASP.NET routing.
    http.sort(key=lambda item: item.route.has_parameters)
    return AppFunctions(tuple(http), tuple(timers), tuple(queues))


def _check_bindings(name: str, trigger_type: str, binding_types: list[str]) -> None:
    allowed = {"httpTrigger": {"httpTrigger", "http"}, "timerTrigger": {"timerTrigger"}, "queueTrigger": {"queueTrigger"}}
    if trigger_type not in allowed:
        raise UnsupportedFunction(f"function {name}: the local host runs HTTP, timer and queue triggers only, not {trigger_type}")
    extra = sorted(set(binding_types) - allowed[trigger_type])
    if extra:
        raise UnsupportedFunction(f"function {name}: the local host cannot provide binding(s) {', '.join(extra)}")
