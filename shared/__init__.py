"""The AI Jobs Monitor's own package: settings, data access, auth, timing and the worker."""
