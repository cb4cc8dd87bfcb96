"""The one error a channel raises: a message safe to log and to show in worker health."""


class DeliveryError(Exception):
    """A message could not be delivered; str() is one line with no secrets and no URL."""
