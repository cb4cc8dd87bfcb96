"""Queue clients for the app's storage account, from the same settings the Functions host reads.

`AzureWebJobsStorage` is a connection string locally (Azurite's, or `UseDevelopmentStorage=true`).
In Azure it is identity-based: `AzureWebJobsStorage__queueServiceUri` with the app's managed
identity (`AzureWebJobsStorage__credential=managedidentity`, and `__clientId` for a user-assigned
one), as in learn.microsoft.com/azure/azure-functions/functions-reference#connecting-to-host-storage-with-an-identity.

Messages are base64 text, the encoding the Functions queue trigger expects by default (host.json's
`messageEncoding`), so a message this app sends reads the same in the trigger and in Azure's tools.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from azure.storage.queue import QueueClient, QueueServiceClient, TextBase64DecodePolicy, TextBase64EncodePolicy

CONNECTION = "AzureWebJobsStorage"
POISON_SUFFIX = "-poison"  # the Functions host moves a message here after maxDequeueCount failures


class QueueNotConfigured(RuntimeError):
    """No storage connection is set: the message names what to set."""


def storage_configured(env: Mapping[str, str] | None = None) -> bool:
    env = os.environ if env is None else env
    return bool(env.get(CONNECTION, "").strip() or env.get(f"{CONNECTION}__queueServiceUri", "").strip())


def service_client(env: Mapping[str, str] | None = None) -> QueueServiceClient:
    env = os.environ if env is None else env
    connection_string = env.get(CONNECTION, "").strip()
    if connection_string:
        return QueueServiceClient.from_connection_string(connection_string)
    service_uri = env.get(f"{CONNECTION}__queueServiceUri", "").strip()
    if not service_uri:
        raise QueueNotConfigured(f"set {CONNECTION} (a connection string) or {CONNECTION}__queueServiceUri (identity-based) to use the job queue")
    return QueueServiceClient(service_uri, credential=_identity(env))


def _identity(env: Mapping[str, str]) -> Any:
    from azure.identity import DefaultAzureCredential, ManagedIdentityCredential

    client_id = env.get(f"{CONNECTION}__clientId", "").strip()
    if env.get(f"{CONNECTION}__credential", "").strip().lower() == "managedidentity":
        return ManagedIdentityCredential(client_id=client_id) if client_id else ManagedIdentityCredential()
    return DefaultAzureCredential()


def queue_client(service: QueueServiceClient, name: str) -> QueueClient:
    return service.get_queue_client(name, message_encode_policy=TextBase64EncodePolicy(), message_decode_policy=TextBase64DecodePolicy())


def poison_name(name: str) -> str:
    return name + POISON_SUFFIX
