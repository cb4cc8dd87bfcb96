"""HTTP plumbing shared by every trigger: JSON responses, API errors, and strict request parsing."""
