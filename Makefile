# Every command builds or refreshes .venv from the requirements files on its own.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
INFRA_VENV := .venv-infra
INFRA_STAMP := $(INFRA_VENV)/.installed
# Azurite, the Azure Storage emulator, from the npm registry into .tools/ (3.35 is the last release
# that runs on Debian 12's Node.js 18; later ones ask for Node 21+).
AZURITE_VERSION := 3.35.0
AZURITE := .tools/azurite/.installed-$(AZURITE_VERSION)

.PHONY: run test lint migrate seed bench system-deps azurite infra-check postprovision clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

# checkov for tests/deploy/, apart from .venv because its pins clash with the test tools'.
$(INFRA_STAMP): requirements-infra.txt
	test -x $(INFRA_VENV)/bin/python || $(PYTHON) -m venv $(INFRA_VENV)
	$(INFRA_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-infra.txt
	touch $(INFRA_STAMP)

system-deps:
	bash scripts/system-deps.sh

$(AZURITE):
	bash scripts/system-deps.sh
	npm install --prefix .tools/azurite --no-audit --no-fund --loglevel=error azurite@$(AZURITE_VERSION)
	touch $(AZURITE)

azurite: $(AZURITE)

# Without Azurite the local host still runs, on the timer alone, and says so.
run: $(STAMP)
	@$(MAKE) --no-print-directory azurite || echo "WARNING: Azurite could not be installed; jobs will start on the worker timer only" >&2
	$(BIN)/python -m local_host

test: $(STAMP) $(INFRA_STAMP) system-deps $(AZURITE)
	$(BIN)/python -m pytest

# The offline checks of azure.yaml and infra/ alone (Bicep parse, checkov, REST property names).
infra-check: $(STAMP) $(INFRA_STAMP)
	$(BIN)/python -m pytest tests/deploy -q

# What `azd provision` runs afterwards (azure.yaml's postprovision hook), in the project's .venv.
postprovision: $(STAMP)
	$(BIN)/python -m deploy.postprovision

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

migrate: $(STAMP)
	$(BIN)/python -m shared.db.migrate

seed: $(STAMP)
	$(BIN)/python -m shared.demo.seed $(ARGS)

bench: $(STAMP) $(AZURITE)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) $(INFRA_VENV) .data .pytest_cache .ruff_cache .mypy_cache .tools
