"""Property-based API testing: schemathesis generates requests from the OpenAPI document and sends
them over HTTP to the real local host. No reply may be a server error or break the document."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from shared.api.openapi_spec import document
from tests.local_host.host import Host, start_host

SCHEMA = schemathesis.openapi.from_dict(document())
TOKEN = "schemathesis-" + "x" * 32
EXAMPLES_PER_OPERATION = 25  # bounded so the suite fits CI; raise locally for a deeper run


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Host]:
    # Token mode: generated requests carry the token and reach the handlers, and schemathesis also
    # checks that the same requests without it are refused.
    settings_env = {"AUTH_MODE": "token", "ADMIN_API_TOKEN": TOKEN, "WORKER_SCHEDULE": "0 0 0 1 1 *"}
    running = start_host(tmp_path_factory.mktemp("schemathesis"), settings_env)
    yield running
    running.stop()


@SCHEMA.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_error_and_every_reply_matches_the_document(case: schemathesis.Case, host: Host) -> None:
    case.call_and_validate(base_url=host.base_url, headers={"Authorization": f"Bearer {TOKEN}"})
