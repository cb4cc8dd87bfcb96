"""Test helpers that are real parts (servers, processes), not mocks."""
