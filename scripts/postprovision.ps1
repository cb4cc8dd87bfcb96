# azure.yaml's post-provision hook on Windows: what `make postprovision` does elsewhere.
$ErrorActionPreference = 'Stop'
Set-Location (Join-Path $PSScriptRoot '..')
if (-not (Test-Path .venv/Scripts/python.exe)) { python -m venv .venv }
.venv/Scripts/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
.venv/Scripts/python -m deploy.postprovision
exit $LASTEXITCODE
