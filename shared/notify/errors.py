"""The one error a channel raises: a message safe to log and to show in worker health."""


class DeliveryError(Exception):
    """A message could not be delivered; str() is one line with no secrets and no URL."""


def network_reason(reason: object) -> str:
    """Why a connection failed, in a few words and without addresses: safe for logs and health."""
    if isinstance(reason, TimeoutError):
        return "timed out"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return type(reason).__name__ if isinstance(reason, BaseException) else str(reason)
