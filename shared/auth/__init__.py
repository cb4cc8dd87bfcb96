"""Who is calling, and may they read or act? Fails closed: no configured mode, no access."""

from shared.auth.authorize import Identity, authorize

__all__ = ["Identity", "authorize"]
