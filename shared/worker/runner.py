"""PLACEHOLDER until the worker lands (issue 5): the interface the triggers and the API call."""

from __future__ import annotations

from typing import Any


def run_timer_pass() -> Any:
    raise NotImplementedError("worker pass is being built")


def run_manual_pass(trigger: str, actor: str) -> Any:
    raise NotImplementedError("worker pass is being built")
