"""A temporary firewall rule that lets the deployer's own address reach the SQL server while the
hook runs, through Azure Resource Manager's REST API with the deployer's Entra token.

The address comes from SQL itself: a refused login (error 40615) names the client's public address,
which is the address the server sees, behind any NAT.
"""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

FIREWALL_REFUSED = 40615  # "Client with IP address '…' is not allowed to access the server."
# https://learn.microsoft.com/rest/api/sql/firewall-rules/create-or-update (the API version infra/ uses)
API_VERSION = "2025-01-01"
ARM = "https://management.azure.com"
ARM_SCOPE = f"{ARM}/.default"
RULE_NAME = "azd-postprovision"
_REFUSED_ADDRESS = re.compile(r"IP address '([0-9A-Fa-f.:]+)'")

Send = Callable[[urllib.request.Request], None]


def refused_address(message: str) -> str | None:
    """The client address a 40615 refusal names, or None when the error is something else."""
    if f"({FIREWALL_REFUSED})" not in message and str(FIREWALL_REFUSED) not in message:
        return None
    match = _REFUSED_ADDRESS.search(message)
    return match.group(1) if match else None


def _send(request: urllib.request.Request) -> None:
    with urllib.request.urlopen(request, timeout=60):  # noqa: S310 - always https to ARM
        pass


@dataclass(frozen=True)
class FirewallRule:
    subscription_id: str
    resource_group: str
    server_name: str
    token: Callable[[], str]
    send: Send = _send

    @property
    def url(self) -> str:
        return (
            f"{ARM}/subscriptions/{self.subscription_id}/resourceGroups/{self.resource_group}"
            f"/providers/Microsoft.Sql/servers/{self.server_name}/firewallRules/{RULE_NAME}?api-version={API_VERSION}"
        )

    def _request(self, method: str, body: dict[str, object] | None = None) -> urllib.request.Request:
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Authorization": f"Bearer {self.token()}", "Content-Type": "application/json"}
        return urllib.request.Request(self.url, data=data, method=method, headers=headers)  # noqa: S310 - always https to ARM

    def allow(self, address: str) -> None:
        self.send(self._request("PUT", {"properties": {"startIpAddress": address, "endIpAddress": address}}))

    def remove(self) -> None:
        self.send(self._request("DELETE"))
