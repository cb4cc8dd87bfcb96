"""Report generation: source rows in, a validated report JSON out (schema, prompt, generators)."""
