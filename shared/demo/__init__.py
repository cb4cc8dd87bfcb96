"""Demo data for laptops, screenshots and benchmarks."""
