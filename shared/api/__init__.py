"""Handlers: parse, validate and authorize a request, call a service, and shape the JSON reply."""
