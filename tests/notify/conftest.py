"""Notification tests: real SQLite files, real SMTP and HTTP receivers on 127.0.0.1, real worker passes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from shared import notify
from shared.worker import lifecycle
from tests.notify.servers import SmtpServer, WebhookReceiver, self_signed_cert


@pytest.fixture(autouse=True)
def _notifications_finish() -> Iterator[None]:
    lifecycle.reset()
    yield
    # The notifications thread must be done before the test's database goes away.
    assert notify.wait_idle(30), "the notifications thread did not finish"


@pytest.fixture(scope="session")
def cert(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return self_signed_cert(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def trusted_cert(cert: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """The test certificate as the trusted CA, the way a site with a private CA points OpenSSL at its own."""
    monkeypatch.setenv("SSL_CERT_FILE", str(cert[0]))
    return cert


@pytest.fixture
def smtp(trusted_cert: tuple[Path, Path]) -> Iterator[SmtpServer]:
    with SmtpServer(cert=trusted_cert) as server:
        yield server


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as server:
        yield server
