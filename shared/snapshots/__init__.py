"""Reading snapshots side by side."""
