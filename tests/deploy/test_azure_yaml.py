"""azure.yaml names the services infra/ tags, points each at the right folder, and runs the hook."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.deploy import bicep

AZURE_YAML = yaml.safe_load((bicep.ROOT / "azure.yaml").read_text(encoding="utf-8"))


def tagged_services() -> dict[str, str]:
    """azd finds each service's resource by its azd-service-name tag, set where main.bicep calls the module."""
    found = {}
    for name in bicep.parse(bicep.MAIN)["modules"]:
        tags = bicep.module_params(name).get("tags")
        if isinstance(tags, dict) and tags.get("function", {}).get("type") == "union":
            extra = {key.strip("'"): value for key, value in tags["function"]["parameters"]["arg_2"].items()}  # pycep keeps a quoted key's quotes
            if "azd-service-name" in extra:
                found[extra["azd-service-name"]] = name
    return found


def test_each_service_has_a_tagged_resource() -> None:
    assert tagged_services() == {"api": "api", "web": "web"}
    assert set(AZURE_YAML["services"]) == set(tagged_services())


def test_the_api_is_this_function_app_and_the_web_is_the_static_site() -> None:
    api, web = AZURE_YAML["services"]["api"], AZURE_YAML["services"]["web"]
    assert (api["host"], api["language"]) == ("function", "python")
    assert (Path(bicep.ROOT, api["project"]) / "function_app.py").exists()
    assert web["host"] == "staticwebapp"
    assert (Path(bicep.ROOT, web["project"], web["dist"]) / "staticwebapp.config.json").exists()


def test_the_function_package_leaves_out_what_azure_does_not_run() -> None:
    ignored = {line.strip() for line in (bicep.ROOT / ".funcignore").read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")}
    assert {"tests/", "infra/", "static_site/", ".venv/", "local.settings.json"} <= ignored
    for package in ("shared/", "jobs_api/", "worker_timer/"):
        assert package not in ignored


def test_postprovision_runs_the_hook_module_on_every_platform() -> None:
    hook = AZURE_YAML["hooks"]["postprovision"]
    assert hook["posix"]["run"] == "make postprovision"
    assert "postprovision: $(STAMP)\n\t$(BIN)/python -m deploy.postprovision" in (bicep.ROOT / "Makefile").read_text(encoding="utf-8")
    script = (bicep.ROOT / hook["windows"]["run"]).read_text(encoding="utf-8")
    assert "-m deploy.postprovision" in script
