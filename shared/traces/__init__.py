"""Model-call traces: what each call of each attempt sent and got back, capped and without secrets."""
