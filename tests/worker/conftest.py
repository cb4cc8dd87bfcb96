"""Worker tests: real SQLite files, the real openai SDK against the stub on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from shared.app_context import AppContext
from shared.reports import rate_limits
from shared.worker import lifecycle
from tests.support.llm_stub import LlmStub
from tests.worker.helpers import make_context, openai_env, settings_for


@pytest.fixture(autouse=True)
def _fresh_lifecycle() -> Iterator[None]:
    lifecycle.reset()
    rate_limits.GATE.reset()
    yield
    lifecycle.reset()
    rate_limits.GATE.reset()


@pytest.fixture
def stub() -> Iterator[LlmStub]:
    with LlmStub() as server:
        yield server


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "jobs.sqlite3"


@pytest.fixture
def offline(db_path: Path) -> Iterator[AppContext]:
    context = make_context(settings_for(db_path))
    yield context
    context.db.close()


@pytest.fixture
def model(stub: LlmStub, db_path: Path) -> Iterator[AppContext]:
    """A context whose generator is the OpenAI-compatible client pointed at the stub."""
    context = make_context(settings_for(db_path, **openai_env(stub.base_url)))
    yield context
    context.db.close()
