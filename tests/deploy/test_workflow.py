"""The CI/CD workflow runs .ci/run everywhere and deploys main with azd over OpenID Connect, with no
stored secret."""

from __future__ import annotations

import yaml

from tests.deploy import bicep

WORKFLOW_FILE = bicep.ROOT / ".github" / "workflows" / "ci-deploy.yml"
WORKFLOW = yaml.safe_load(WORKFLOW_FILE.read_text(encoding="utf-8"))


def runs(job: str) -> list[str]:
    return [step["run"] for step in WORKFLOW["jobs"][job]["steps"] if "run" in step]


def test_ci_runs_the_same_script_as_this_machine() -> None:
    assert "bash .ci/run" in runs("ci")


def test_deploy_runs_after_ci_on_main_only_with_an_oidc_token() -> None:
    deploy = WORKFLOW["jobs"]["deploy"]
    assert deploy["needs"] == "ci"
    assert "refs/heads/main" in deploy["if"] and "push" in deploy["if"]
    assert deploy["permissions"]["id-token"] == "write"
    assert any("--federated-credential-provider github" in command for command in runs("deploy"))
    assert any(command.startswith("azd deploy") for command in runs("deploy"))


def test_no_secret_is_stored_or_read() -> None:
    assert "secrets." not in WORKFLOW_FILE.read_text(encoding="utf-8")
